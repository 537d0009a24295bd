using System.Text.Json;
using Akka.Actor;
using Hean.Actors.Feed;
using Hean.Actors.Orchestration;
using Hean.Actors.Persistence;
using Hean.Actors.Risk;
using Hean.Core.Risk;
using Hean.Host.Hosting;
using Hean.Host.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace Hean.Host.Http;

/// <summary>Health, metrics and the management API, on loopback by default.</summary>
public static class HeanEndpoints
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static void MapHean(this IEndpointRouteBuilder app, Func<RunContext?> context)
    {
        var json = new JsonSerializerOptions(HeanJson.Options) { WriteIndented = true };

        app.MapGet("/health", async () =>
        {
            if (context() is not { } c) return Results.Json(new { status = "starting" }, json, statusCode: 503);
            var report = await c.Orchestrator.Ask<HealthReport>(new OrchestratorProtocol.GetHealth(), Timeout);
            return Results.Json(new
            {
                status = report.Status,
                uptime = Math.Round(report.UptimeSeconds, 1),
                components = report.Components.ToDictionary(x => x.Component, x => new { status = x.Status, reason = x.Reason }),
            }, json, statusCode: report.Status == ComponentHealth.Unhealthy ? 503 : 200);
        });
        app.MapGet("/health/{component}", async (string component) =>
        {
            if (context() is not { } c) return Results.Json(new { status = "starting" }, json, statusCode: 503);
            var report = await c.Orchestrator.Ask<HealthReport>(new OrchestratorProtocol.GetHealth(), Timeout);
            var found = report.Components.FirstOrDefault(x => string.Equals(x.Component, component, StringComparison.OrdinalIgnoreCase));
            if (found is null)
                return Results.Json(new { error = $"unknown component '{component}'", components = report.Components.Select(x => x.Component) }, json, statusCode: 404);
            return Results.Json(new { status = found.Status, reason = found.Reason, uptime = Math.Round(found.UptimeSeconds, 1), details = found.Details },
                json, statusCode: found.Status == ComponentHealth.Unhealthy ? 503 : 200);
        });
        app.MapMetrics("/metrics");

        app.MapGet("/api/state", async () =>
        {
            if (context() is not { } c) return Results.Json(new { status = "starting" }, json, statusCode: 503);
            return Results.Json(await StateSnapshot.QueryAsync(c.Refs, c.Feed, Timeout), json);
        });
        // The author of every audited change is the caller's token name, never a query parameter.
        app.MapPost("/api/killswitch/engage", async (HttpContext http, string? reason, bool? flatten) =>
        {
            if (context() is not { } c) return Results.Json(new { status = "starting" }, json, statusCode: 503);
            if (ApiInput.Reason(reason) is { } bad) return Results.Json(new { error = bad }, json, statusCode: 400);
            var view = await c.Refs.Risk.Ask<RiskProtocol.RiskView>(
                new RiskProtocol.EngageKillSwitch(reason!, ApiGuard.Caller(http).Name, Flatten: flatten ?? false), TimeSpan.FromSeconds(30));
            return Results.Json(RiskJson(view), json);
        });
        app.MapPost("/api/trading-state", async (HttpContext http, string? state, string? reason) =>
        {
            if (context() is not { } c) return Results.Json(new { status = "starting" }, json, statusCode: 503);
            if (!Enum.TryParse<TradingState>(state, ignoreCase: true, out var parsed) || !Enum.IsDefined(parsed))
                return Results.Json(new { error = $"state must be one of {string.Join(", ", Enum.GetNames<TradingState>().Select(n => n.ToLowerInvariant()))}" }, json, statusCode: 400);
            if (ApiInput.Reason(reason) is { } bad) return Results.Json(new { error = bad }, json, statusCode: 400);
            var view = await c.Refs.Risk.Ask<RiskProtocol.RiskView>(new RiskProtocol.SetTradingState(parsed, reason!, ApiGuard.Caller(http).Name), Timeout);
            return Results.Json(RiskJson(view), json);
        });
        app.MapGet("/api/risk", async () =>
        {
            if (context() is not { } c) return Results.Json(new { status = "starting" }, json, statusCode: 503);
            return Results.Json(RiskJson(await c.Refs.Risk.Ask<RiskProtocol.RiskView>(new RiskProtocol.GetRiskState(), Timeout)), json);
        });
        app.MapPost("/api/killswitch/release", async (HttpContext http) =>
        {
            if (context() is not { } c) return Results.Json(new { status = "starting" }, json, statusCode: 503);
            var view = await c.Refs.Risk.Ask<RiskProtocol.RiskView>(new RiskProtocol.ReleaseKillSwitch(ApiGuard.Caller(http).Name), Timeout);
            return Results.Json(RiskJson(view), json);
        });
        app.MapPost("/api/feed/pause", async () =>
        {
            if (context() is not { Feed: { } feed }) return Results.Json(new { error = "no feed running" }, json, statusCode: 409);
            return Results.Json(await feed.Ask<FeedProtocol.FeedStatus>(new FeedProtocol.Pause(), TimeSpan.FromSeconds(30)), json);
        });
        app.MapPost("/api/feed/resume", async () =>
        {
            if (context() is not { Feed: { } feed }) return Results.Json(new { error = "no feed running" }, json, statusCode: 409);
            return Results.Json(await feed.Ask<FeedProtocol.FeedStatus>(new FeedProtocol.Resume(), TimeSpan.FromSeconds(30)), json);
        });
        app.MapOrderApi(context);
    }

    /// <summary>The risk state as operators read it.</summary>
    public static object RiskJson(RiskProtocol.RiskView v) => new
    {
        kill_switch = v.State.KillSwitchEngaged,
        kill_switch_reason = v.State.KillSwitchReason,
        kill_switch_since = v.State.KillSwitchSince,
        kill_switch_by = v.State.KillSwitchBy,
        trading_state = v.State.EffectiveState.ToString().ToLowerInvariant(),
        trading_state_set = v.State.TradingState.ToString().ToLowerInvariant(),
        trading_state_reason = v.State.TradingStateReason,
        trading_state_by = v.State.TradingStateBy,
        day = v.State.Day,
        day_start_equity = v.State.DayStartEquity,
        peak_equity = v.State.PeakEquity,
        approved = v.State.Approved,
        rejected = v.State.Rejected,
        consecutive_errors = v.ConsecutiveErrors,
        discarded_ticks = v.DiscardedTicks,
        limits = new
        {
            max_position_size = v.Limits.MaxPositionSize, max_leverage = v.Limits.MaxLeverage, daily_drawdown_limit = v.Limits.DailyDrawdownLimit,
            max_order_notional = v.Limits.OrderNotionalLimit, max_concentration = v.Limits.MaxConcentration, max_open_orders = v.Limits.MaxOpenOrders,
            max_orders_per_second = v.Limits.MaxOrdersPerSecond, price_band = v.Limits.PriceBand, peak_drawdown_limit = v.Limits.PeakDrawdownLimit,
            reduce_at = v.Limits.ReduceAtShareOfDailyLimit, max_consecutive_errors = v.Limits.MaxConsecutiveErrors, bad_tick_jump = v.Limits.BadTickJump,
            var_budget = v.Limits.VarBudget,
        },
    };
}

/// <summary>What the endpoints need once the actor system and the feed are up.</summary>
public sealed record RunContext(IActorRef Orchestrator, OrchestratorProtocol.TradingRefs Refs, IActorRef? Feed)
{
    /// <summary>The trading rules in force (the venue's on Bybit).</summary>
    public Hean.Core.Domain.InstrumentCatalog Catalog { get; init; } = Hean.Core.Domain.InstrumentCatalog.Default;
}
