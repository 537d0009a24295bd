using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Akka.Pattern;
using Hean.Actors.Common;
using Hean.Actors.Execution;
using Hean.Actors.Feed;
using Hean.Actors.Instruments;
using Hean.Actors.Monitoring;
using Hean.Actors.Orders;
using Hean.Actors.Portfolio;
using Hean.Actors.Risk;
using Hean.Core.Trading;
using Hean.Core.Exchange;
using static Hean.Actors.Orchestration.OrchestratorProtocol;

namespace Hean.Actors.Orchestration;

/// <summary>
/// /user/hean: starts the components in dependency order (portfolio, orders, gateway, execution,
/// risk, instruments), wraps each persistent one in a backoff supervisor (a failed Persist stops
/// the actor; the supervisor starts it again and it recovers from the journal), aggregates health,
/// and stops the feed gracefully.
/// </summary>
public sealed class Orchestrator : ReceiveActor, IWithTimers
{
    private sealed record SampleMailboxes
    {
        public static readonly SampleMailboxes Instance = new();
    }

    public const string Name = "hean";

    private readonly TradingSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Stopwatch _uptime = Stopwatch.StartNew();
    private readonly TradingRefs _refs;
    private IActorRef? _feed;

    public Orchestrator(TradingSettings settings)
    {
        _settings = settings;
        var t = settings.Timeouts;
        var ordersPath = (Self.Path / "orders").ToStringWithoutAddress();
        var portfolio = Supervised(Props.Create(() => new PortfolioActor(settings.InitialCash, settings.EquitySampleEvery, settings.SnapshotEvery, ordersPath)), "portfolio");
        var orders = Supervised(Props.Create(() => new OrderManager(portfolio, settings.SnapshotEvery)), "orders");
        var gateway = Context.ActorOf(settings.GatewayProps?.Invoke(orders, portfolio)
            ?? Props.Create(() => new ExchangeGateway(new SimulatedExchange(settings.Catalog, settings.Exchange), orders, portfolio, t, settings.Breaker)), "gateway");
        var execution = Supervised(Props.Create(() => new ExecutionRouter(orders, gateway, t, ExecutionSettings.For(settings.Catalog, settings.Exchange, settings.SnapshotEvery))), "execution");
        var risk = Supervised(Props.Create(() => new RiskGovernor(settings.Limits, execution, t, settings.SnapshotEvery, portfolio, orders)), "risk");
        var instruments = Context.ActorOf(Props.Create(() => new InstrumentsActor(settings.Catalog,
            new InstrumentSettings(settings.Limits, settings.Sizer, settings.ExecutionStyle, settings.Kelly, settings.TargetVolatility), portfolio, orders, risk, execution, t)), "instruments");
        _refs = new TradingRefs(portfolio, orders, gateway, execution, risk, instruments);

        Receive<GetRefs>(_ => Sender.Tell(_refs));
        Receive<CreateFeed>(m =>
        {
            if (_feed is not null) Context.Stop(_feed);
            _feed = Context.ActorOf(Props.Create(() => new MarketFeed(gateway, orders, portfolio, risk, instruments,
                settings.CheckpointEvery, t, m.Completion, execution)), "feed-" + Guid.NewGuid().ToString("N")[..8]);
            Sender.Tell(_feed);
        });
        Receive<SampleMailboxes>(_ => MailboxDepths.Sample(Context.GetChildren()));
        Timers.StartPeriodicTimer("mailboxes", SampleMailboxes.Instance, TimeSpan.FromSeconds(5));
        ReceiveAsync<GetHealth>(async _ => Sender.Tell(await Health()));
        ReceiveAsync<StopTrading>(async _ =>
        {
            var sender = Sender;
            if (_feed is null)
            {
                sender.Tell(Synced.Instance);
                return;
            }
            var status = await _feed.Ask<FeedProtocol.FeedStatus>(new FeedProtocol.Pause(), t.Ask);
            sender.Tell(status);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    private IActorRef Supervised(Props child, string name) =>
        Context.ActorOf(BackoffSupervisor.Props(
            Backoff.OnStop(child, name, _settings.MinBackoff, _settings.MaxBackoff, 0.2, -1)
                .WithAutoReset(TimeSpan.FromSeconds(30))), name);

    private async Task<HealthReport> Health()
    {
        var probe = TimeSpan.FromSeconds(2);
        var uptime = _uptime.Elapsed.TotalSeconds;

        async Task<ComponentHealth> Responds(string name, IActorRef actor, Func<Task<ComponentHealth?>>? more = null)
        {
            try
            {
                await actor.Ask<Synced>(Sync.Instance, probe);
                return (more is null ? null : await more()) ?? new ComponentHealth(name, ComponentHealth.Healthy, null, uptime, Empty);
            }
            catch (Exception e)
            {
                return new ComponentHealth(name, ComponentHealth.Unhealthy, "not responding: " + e.GetBaseException().Message, uptime, Empty);
            }
        }

        var components = await Task.WhenAll(
            Responds("portfolio", _refs.Portfolio),
            Responds("orders", _refs.Orders),
            Responds("risk", _refs.Risk, async () =>
            {
                var view = await _refs.Risk.Ask<RiskProtocol.RiskView>(new RiskProtocol.GetRiskState(), probe);
                var details = new Dictionary<string, object?>
                {
                    ["kill_switch"] = view.State.KillSwitchEngaged,
                    ["approved"] = view.State.Approved,
                    ["rejected"] = view.State.Rejected,
                };
                return view.State.KillSwitchEngaged
                    ? new ComponentHealth("risk", ComponentHealth.Degraded, "kill switch engaged: " + view.State.KillSwitchReason, uptime, details)
                    : new ComponentHealth("risk", ComponentHealth.Healthy, null, uptime, details);
            }),
            Responds("execution", _refs.Execution),
            Responds("gateway", _refs.Gateway, async () =>
            {
                var c = await _refs.Gateway.Ask<ExecutionProtocol.CircuitState>(new ExecutionProtocol.GetCircuitState(), probe);
                var details = new Dictionary<string, object?> { ["circuit_breaker"] = c.State, ["failures"] = c.Failures };
                if (c.Problem is { } problem) return new ComponentHealth("gateway", ComponentHealth.Unhealthy, problem, uptime, details);
                return c.State == "closed"
                    ? new ComponentHealth("gateway", ComponentHealth.Healthy, null, uptime, details)
                    : new ComponentHealth("gateway", ComponentHealth.Degraded, "circuit breaker " + c.State, uptime, details);
            }),
            Responds("instruments", _refs.Instruments),
            FeedHealth(probe, uptime));

        var all = components.ToList();
        foreach (var check in _settings.HealthChecks) all.Add(check(uptime));
        var worst = all.Any(c => c.Status == ComponentHealth.Unhealthy) ? ComponentHealth.Unhealthy
            : all.Any(c => c.Status == ComponentHealth.Degraded) ? ComponentHealth.Degraded
            : ComponentHealth.Healthy;
        all.Insert(0, new ComponentHealth("orchestrator", worst, worst == ComponentHealth.Healthy ? null : "a component is " + worst, uptime, Empty));
        return new HealthReport(worst, uptime, all);
    }

    /// <summary>How long a failed market-data step keeps the feed degraded.</summary>
    public static readonly TimeSpan RecentFeedError = TimeSpan.FromMinutes(1);

    private async Task<ComponentHealth> FeedHealth(TimeSpan probe, double uptime)
    {
        if (_feed is null) return new ComponentHealth("market_data", ComponentHealth.Healthy, "no feed running", uptime, Empty);
        try
        {
            var s = await _feed.Ask<FeedProtocol.FeedStatus>(new FeedProtocol.GetStatus(), probe);
            var details = new Dictionary<string, object?>
            {
                ["events"] = s.Events, ["signals"] = s.Signals, ["errors"] = s.Errors, ["paused"] = s.Paused,
                ["completed"] = s.Completed, ["last_market_time"] = s.LastMarketTime,
            };
            // A failed stream is down for good; a failed step (one batch) degrades health for a minute, then ages out
            // (the count stays in the details and in hean_errors_total).
            var recent = s.LastErrorAt is { } at && DateTime.UtcNow - at < RecentFeedError;
            return s.StreamFailed || recent
                ? new ComponentHealth("market_data", ComponentHealth.Degraded, s.LastError, uptime, details)
                : new ComponentHealth("market_data", ComponentHealth.Healthy, s.Paused ? "paused" : null, uptime, details);
        }
        catch (Exception e)
        {
            // The feed is busy with a long batch or gone: either way the market data path is not healthy.
            return new ComponentHealth("market_data", ComponentHealth.Degraded, "feed not answering: " + e.GetBaseException().Message, uptime, Empty);
        }
    }

    private static readonly IReadOnlyDictionary<string, object?> Empty = new Dictionary<string, object?>();
}
