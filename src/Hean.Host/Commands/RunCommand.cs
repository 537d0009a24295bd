using Hean.Actors.Monitoring;
using Akka.Actor;
using Hean.Core.MarketData;
using Akka.Hosting;
using Akka.Streams.Dsl;
using Hean.Actors.Feed;
using Hean.Actors.Orchestration;
using Hean.Actors.Portfolio;
using Hean.Core.MarketData.Synthetic;
using Hean.Core.Time;
using Hean.Host.Configuration;
using Hean.Host.Hosting;
using Hean.Host.Http;
using Hean.Host.Security;
using Hean.Streams.MarketData;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Serilog;

namespace Hean.Host.Commands;

public sealed record RunOptions(TimeSpan? Duration, bool Paused, double Speed, ulong? Seed, TimeSpan Warmup);

/// <summary>
/// `hean run`: paper trading on the synthetic market, state in the SQLite journal, health and
/// metrics on HTTP, a live status on the terminal, a summary at the end.
/// </summary>
public static class RunCommand
{
    public static async Task<int> RunAsync(HeanSettings settings, RunOptions options, CancellationToken ct)
    {
        // The journal, the logs and the API token are the owner's alone.
        OwnerOnly.RestrictNewFiles();
        var openDir = OwnerOnly.CreateDirectory(settings.DataDir);
        // Two nodes on one journal would write over each other's events.
        using var nodeLock = NodeLock.TryTake(settings.DataDir) ?? throw new ArgumentException(NodeLock.Held(settings.DataDir) + ": stop it first, or give this one another --data-dir");
        nodeLock.Claim(settings.Exchange);
        var interactive = !Console.IsOutputRedirected && !Console.IsErrorRedirected && !settings.LogJson;
        var redactor = new LogRedactor(settings.SecretValues);
        Log.Logger = Logging.Create(settings.LogLevel, settings.LogJson, settings.DataDir, consoleAll: false, redactor);
        if (openDir is not null) Log.Warning("{Problem}", openDir);
        var api = settings.Api;
        var tokens = api.AuthEnabled ? ApiTokens.Open(settings.DataDir, api.Token) : null;
        if (tokens is not null && api.Token is null && OwnerOnly.GroupOrOtherCanRead(tokens.MainTokenPath) is { } tokenMode)
            Log.Warning("{Path} is readable by group or others (mode {Mode}): chmod 600 {Path}, then `hean token rotate`", tokens.MainTokenPath, tokenMode, tokens.MainTokenPath);
        if (!ApiSecuritySettings.IsLoopback(settings.HttpHost) && api.Certificate is null)
            Log.Warning("the management API listens on {Host} without TLS: tokens cross the network in clear (set HEAN_HTTP_TLS_CERT and HEAN_HTTP_TLS_KEY)",
                settings.HttpHost);

        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [], ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Services.AddSerilog(Log.Logger);
        builder.WebHost.UseUrls($"{api.Scheme}://{settings.HttpHost}:{settings.HttpPort}");
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = ApiSecuritySettings.MaxRequestBody;
            kestrel.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            if (api.Certificate is { } certificate) kestrel.ConfigureHttpsDefaults(https => https.ServerCertificate = certificate);
        });
        // The model is loaded and checked against the live schema before anything starts.
        using var ml = MlRuntime.Start(settings.Ml, hotSwap: true);
        // Live Bybit: connect and authenticate before anything starts; a venue that does not answer is a start-up error.
        await using var bybit = settings.Bybit is { } connection
            ? await BybitVenue.StartAsync(connection, settings.Symbols, options.Warmup, ct)
            : null;
        var trading = settings.ToTrading();
        if (ml is not null) trading = trading with { HealthChecks = [ml.Health] };
        if (bybit is not null) trading = trading with { Catalog = bybit.Instruments };
        builder.Services.AddHeanTrading(trading, settings.Persistence, settings.DataDir, settings.Redis, settings.Postgres,
            new ObserverSettings(settings.History, settings.HistoryStore(), settings.Events, TimeSpan.FromSeconds(10)) { Notify = settings.Notify, Redactor = redactor },
            settings.LogLevel, serilog: true, venue: bybit?.GatewayProps(trading.Timeouts));
        await using var app = builder.Build();
        RunContext? context = null;
        app.UseApiGuard(api, tokens);
        app.MapHean(() => context);
        HeanMetrics.ExportAtZero(settings.Symbols.Select(s => s.Value));
        await app.StartAsync(ct);

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        // With LOG_FORMAT=json these lines are log events too: stdout carries JSON lines only.
        void Say(string line)
        {
            if (settings.LogJson) Log.Information("{Line:l}", line);
            else Console.WriteLine(line);
        }
        // The start lines, kept at the top of the live screen; the address line last, which is what scripts wait for.
        var header = new List<string>
        {
            bybit is null
                ? $"HEAN paper trading {string.Join(", ", settings.Symbols)} on the synthetic market; state in {settings.DataDir}"
                : $"HEAN trading {string.Join(", ", settings.Symbols)} on Bybit at {settings.Bybit!.RestUrl}; state in {settings.DataDir}",
            tokens is null
                ? "API authentication is OFF (HEAN_API_AUTH=off, loopback only)"
                : $"API token in {tokens.MainTokenSource} (the hean commands read it from there; elsewhere pass --token or HEAN_TOKEN)",
        };
        if (ml is not null) header.Add($"model {ml.Graph.Models.Current.Info.Version} ({ml.Graph.Models.Current.Info.Kind}) from {settings.Ml.ModelDir} joins the strategy");
        header.Add($"health {address}/health  metrics {address}/metrics  state {address}/api/state");
        foreach (var line in header) Say(line);

        var system = app.Services.GetRequiredService<ActorSystem>();
        ml?.PublishTo(system);
        var registry = app.Services.GetRequiredService<ActorRegistry>();
        var orchestrator = await registry.GetAsync<Orchestrator>(ct);
        var refs = OrchestratorProtocol.TradingRefs.From(registry);

        // The synthetic market continues from the last marks we persisted, so a restart does not jump prices.
        var recovered = await refs.Portfolio.Ask<PortfolioProtocol.PortfolioView>(new PortfolioProtocol.GetPortfolio(), TimeSpan.FromSeconds(60));
        // The indicators warm up on market history (generated here; fetched from the venue with the Bybit
        // gateway) before trading starts at the live boundary.
        var live = DateTime.UtcNow;
        var seed = options.Seed ?? (ulong)live.Ticks;
        var source = bybit is not null
            ? bybit.Source()
            : Source.From(new SyntheticMarket(MarketSources.Synthetic(settings.Symbols, live - options.Warmup, seed, recovered.State.Marks)).Generate());
        var session = await TradingSession.StartAsync(system, orchestrator, source,
            MarketGraphSettings.Paper(settings.CandleInterval, TradingSession.Strategies(settings.Ema)) with
            {
                PaceSpeed = bybit is null ? options.Speed : null, // live data arrives in real time by itself
                LiveFrom = live,
                Ml = ml?.Graph,
            },
            WallClock.Instance,
            registry.TryGet<HeanEventBus>(out var eventBus) ? eventBus : null, settings.TickEvery);
        if (options.Paused) await session.Feed.Ask<FeedProtocol.FeedStatus>(new FeedProtocol.Pause(), TimeSpan.FromSeconds(30));
        context = new RunContext(orchestrator, refs, session.Feed) { Catalog = trading.Catalog };
        Log.Information("paper trading started (seed {Seed}, paused {Paused})", seed, options.Paused);

        var display = new StatusDisplay(interactive, settings.LogJson)
        {
            Header = header, Recent = interactive ? RecentActivity.Follow(system) : null, Warmup = (live - options.Warmup, live),
        };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (options.Duration is { } d) stop.CancelAfter(d);
        var began = DateTime.UtcNow;
        try
        {
            while (!stop.IsCancellationRequested && !session.Completion.IsCompleted)
            {
                try
                {
                    await Task.Delay(interactive ? 1000 : 5000, stop.Token);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                try
                {
                    var health = interactive ? await orchestrator.Ask<HealthReport>(new OrchestratorProtocol.GetHealth(), TimeSpan.FromSeconds(5)) : null;
                    display.Show(await StateSnapshot.QueryAsync(refs, session.Feed, TimeSpan.FromSeconds(5)), DateTime.UtcNow - began, health);
                }
                catch (Exception e)
                {
                    Log.Warning("status not available: {Message}", e.GetBaseException().Message);
                }
            }
        }
        finally
        {
            // Graceful: take no more data, final checkpoint persisted, then stop the graph and the system.
            try
            {
                await orchestrator.Ask(new OrchestratorProtocol.StopTrading(), TimeSpan.FromSeconds(30));
            }
            catch (Exception e)
            {
                Log.Warning("final checkpoint failed: {Message}", e.GetBaseException().Message);
            }
            session.KillSwitch.Shutdown();
        }

        var final = await StateSnapshot.QueryAsync(refs, session.Feed, TimeSpan.FromSeconds(10));
        if (!settings.LogJson) Console.WriteLine();
        foreach (var line in StatusDisplay.Summary(final, DateTime.UtcNow - began)) Say(line);
        await app.StopAsync(CancellationToken.None);
        await Log.CloseAndFlushAsync();
        return 0;
    }
}
