using Akka.Actor;
using Akka.Hosting;
using Hean.Actors.Feed;
using Hean.Actors.Hosting;
using Hean.Actors.Orchestration;
using Hean.Actors.Orders;
using Hean.Actors.Persistence;
using Hean.Actors.Portfolio;
using Hean.Actors.Risk;
using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Core.Portfolio;
using Hean.Core.Signals;
using Hean.Streams.MarketData;
using Xunit;
using static Hean.Actors.Feed.FeedProtocol;
using static Hean.Actors.Orchestration.OrchestratorProtocol;
using static Hean.Actors.Tests.Fixtures;

namespace Hean.Actors.Tests;

/// <summary>
/// The market feed inside the whole orchestrator, driven the way the stream graph's
/// Sink.ActorRefWithAck drives it: init, batches one at a time on acks, completion.
/// </summary>
public sealed class MarketFeedTests : HeanActorTest
{
    private static readonly DateTime T = T0;
    private readonly IActorRef _orchestrator;
    private readonly TradingRefs _refs;

    public MarketFeedTests() : base(PersistenceBackend.InMemory)
    {
        var settings = TradingSettings.Default with { CheckpointEvery = TimeSpan.FromSeconds(1), EquitySampleEvery = TimeSpan.FromSeconds(1) };
        var registry = ActorRegistry.For(Sys);
        _orchestrator = TradingHosting.StartTrading(Sys, registry, settings);
        _refs = TradingRefs.From(registry);
    }

    private static MarketStep Step(IMarketEvent e, Signal? signal = null) => new(e, null, signal, 49_990m, 50_000m);

    private static DateTime Ms(int milliseconds) => T.AddMilliseconds(milliseconds);

    /// <summary>A book, then a trade whose candle made the strategy go long with full confidence.</summary>
    private static IReadOnlyList<MarketStep> FirstBatch =>
    [
        Step(Book(1, Ms(0), [L(49_990m, 1m)], [L(50_000m, 1m)])),
        Step(new Trade(Btc, Ms(500), 50_000m, 0.01m, Side.Buy, 1),
            new Signal(Btc, Ms(500), SignalDirection.Long, 1.0, 50_000m, "test", "breakout")),
    ];

    /// <summary>The market moves up across two checkpoint boundaries.</summary>
    private static IReadOnlyList<MarketStep> SecondBatch =>
    [
        Step(Book(2, Ms(1_500), [L(50_090m, 1m)], [L(50_100m, 1m)])),
        Step(new Trade(Btc, Ms(2_200), 50_095m, 0.02m, Side.Sell, 2)),
    ];

    [Fact]
    public async Task Batches_are_acked_after_processing_signals_trade_pause_holds_the_ack_and_completion_reports_the_counts()
    {
        var completion = new TaskCompletionSource<FeedStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        var feed = Ask<IActorRef>(_orchestrator, new CreateFeed(completion));

        feed.Tell(StreamInit.Instance, TestActor);
        ExpectMsg<StreamAck>(Patience);
        feed.Tell(FirstBatch, TestActor);
        ExpectMsg<StreamAck>(Patience);

        // The signal became a market buy of 0.1 (half of MAX_POSITION_SIZE at 50 000), filled before the ack.
        SyncWith(_refs.Orders);
        var stats = Ask<OrdersProtocol.OrderStats>(_refs.Orders, new OrdersProtocol.GetOrderStats());
        Assert.Equal((1L, 1L, 1L, 0), (stats.Created, stats.Filled, stats.Fills, stats.Open));
        var portfolio = Ask<PortfolioProtocol.PortfolioView>(_refs.Portfolio, new PortfolioProtocol.GetPortfolio()).State;
        Assert.Equal(new Position(Btc, 0.1m, 50_000m, 0m, 2.75m), portfolio.PositionOf(Btc));

        var paused = Ask<FeedStatus>(feed, new Pause());
        Assert.True(paused.Paused);
        feed.Tell(SecondBatch, TestActor);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal(2, Ask<FeedStatus>(feed, new GetStatus()).Events);

        var resumer = CreateTestProbe();
        feed.Tell(new Resume(), resumer.Ref);
        ExpectMsg<StreamAck>(Patience);
        Assert.False(resumer.ExpectMsg<FeedStatus>(Patience).Paused);

        feed.Tell(StreamCompleted.Instance, TestActor);
        var done = await completion.Task.WaitAsync(Patience);
        Assert.Equal((4L, 1L, 2L, 0L), (done.Events, done.Signals, done.Batches, done.Errors));
        Assert.True(done.Completed);
        Assert.Equal(Ms(0), done.FirstMarketTime);
        Assert.Equal(Ms(2_200), done.LastMarketTime);

        // The final barrier sampled the equity at the last trade: 100 000 - 2.75 fee + 0.1 × 95.
        var curve = Ask<PortfolioProtocol.EquityCurve>(_refs.Portfolio, new PortfolioProtocol.GetEquityCurve()).Samples;
        Assert.Equal(Ms(2_200), curve[^1].Time);
        Assert.Equal(100_006.75m, curve[^1].Equity);
        Assert.False(Ask<RiskProtocol.RiskView>(_refs.Risk, new RiskProtocol.GetRiskState()).State.KillSwitchEngaged);
    }

    [Fact]
    public async Task Failed_steps_are_counted_and_the_first_one_is_kept_for_the_report()
    {
        // A venue that never answers: every step that asks it times out; the feed goes on and says what failed first.
        var silent = CreateTestProbe();
        var completion = new TaskCompletionSource<FeedStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        var feed = Sys.ActorOf(Props.Create(() => new MarketFeed(silent.Ref, silent.Ref, silent.Ref, silent.Ref, silent.Ref,
            TimeSpan.FromSeconds(1), new Hean.Actors.Common.HeanTimeouts(TimeSpan.FromMilliseconds(200)), completion, null)));
        feed.Tell(StreamInit.Instance, TestActor);
        ExpectMsg<StreamAck>(Patience);
        feed.Tell(FirstBatch, TestActor);
        ExpectMsg<StreamAck>(Patience);
        feed.Tell(StreamCompleted.Instance, TestActor);

        var done = await completion.Task.WaitAsync(Patience);
        Assert.True(done.Errors >= 2, $"errors {done.Errors}");
        Assert.NotNull(done.FirstError);
        Assert.Contains("Timeout", done.FirstError, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Health_lists_every_component_as_healthy()
    {
        var feed = Ask<IActorRef>(_orchestrator, new CreateFeed(null));
        feed.Tell(StreamInit.Instance, TestActor);
        ExpectMsg<StreamAck>(Patience);
        feed.Tell(FirstBatch, TestActor);
        ExpectMsg<StreamAck>(Patience);

        var health = Ask<HealthReport>(_orchestrator, new GetHealth());

        Assert.Equal(ComponentHealth.Healthy, health.Status);
        var byName = health.Components.ToDictionary(c => c.Component, c => c.Status);
        foreach (var component in new[] { "orchestrator", "portfolio", "orders", "risk", "execution", "gateway", "instruments", "market_data" })
            Assert.Equal(ComponentHealth.Healthy, byName[component]);
        Assert.Equal(2L, health.Components.Single(c => c.Component == "market_data").Details["events"]);
    }

    [Fact]
    public void Health_shows_risk_degraded_while_the_kill_switch_is_engaged()
    {
        Ask<RiskProtocol.RiskView>(_refs.Risk, new RiskProtocol.EngageKillSwitch("test stop", "operator", T));

        var health = Ask<HealthReport>(_orchestrator, new GetHealth());

        Assert.Equal(ComponentHealth.Degraded, health.Status);
        var risk = health.Components.Single(c => c.Component == "risk");
        Assert.Equal(ComponentHealth.Degraded, risk.Status);
        Assert.Contains("test stop", risk.Reason);
        Assert.Equal(ComponentHealth.Healthy, health.Components.Single(c => c.Component == "gateway").Status);
    }
}
