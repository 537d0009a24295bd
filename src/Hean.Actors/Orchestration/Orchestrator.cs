using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Hean.Actors.Common;
using Hean.Actors.Execution;
using Hean.Actors.Feed;
using Hean.Actors.Monitoring;
using Hean.Actors.Risk;
using static Hean.Actors.Orchestration.OrchestratorProtocol;

namespace Hean.Actors.Orchestration;

/// <summary>
/// /user/hean: lifecycle and health of the components that the Akka.Hosting extensions started and registered
/// (<see cref="Hosting.TradingHosting"/>): creates the market feed, aggregates health, samples mailbox depths,
/// pauses the feed on <see cref="StopTrading"/> and stops everything in order on <see cref="StopComponents"/>.
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

    public Orchestrator(TradingSettings settings, TradingRefs refs)
    {
        _settings = settings;
        var t = settings.Timeouts;
        _refs = refs;
        var (portfolio, orders, gateway, execution, risk, instruments) = refs;
        Receive<CreateFeed>(m =>
        {
            if (_feed is not null) Context.Stop(_feed);
            _feed = Context.ActorOf(Props.Create(() => new MarketFeed(gateway, orders, portfolio, risk, instruments,
                settings.CheckpointEvery, t, m.Completion, execution)), "feed-" + Guid.NewGuid().ToString("N")[..8]);
            Sender.Tell(_feed);
        });
        Receive<SampleMailboxes>(_ => MailboxDepths.Sample(_feed is null ? Components : Components.Append(_feed)));
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
        ReceiveAsync<StopComponents>(async _ =>
        {
            var sender = Sender;
            await StopAll(t.Ask);
            sender.Tell(Akka.Done.Instance);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    /// <summary>The components in dependency order (each needs only those before it).</summary>
    private IActorRef[] Components => [_refs.Portfolio, _refs.Orders, _refs.Gateway, _refs.Execution, _refs.Risk, _refs.Instruments];

    private async Task StopAll(TimeSpan timeout)
    {
        async Task Step(string what, Func<Task> step)
        {
            try
            {
                await step();
            }
            catch (Exception e)
            {
                _log.Warning("graceful stop: {0} failed: {1}", what, e.GetBaseException().Message);
            }
        }

        if (_feed is { } feed)
        {
            await Step("the feed's final checkpoint", async () =>
            {
                var status = await feed.Ask<FeedProtocol.FeedStatus>(new FeedProtocol.GetStatus(), timeout);
                if (!status.Completed && !status.Paused) await feed.Ask<FeedProtocol.FeedStatus>(new FeedProtocol.Pause(), timeout);
            });
            await Step("stopping the feed", () => feed.GracefulStop(timeout));
            _feed = null;
        }
        await Step("draining execution", () => _refs.Execution.Ask<Synced>(Sync.Instance, timeout));
        foreach (var component in Components.Reverse())
            await Step("stopping " + component.Path.Name, () => component.GracefulStop(timeout));
    }

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
