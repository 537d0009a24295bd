using Akka.Actor;
using Akka.Hosting;
using Hean.Actors.Common;
using Hean.Actors.Feed;
using Hean.Actors.Hosting;
using Hean.Actors.Orchestration;
using Hean.Actors.Persistence;
using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.Execution;
using Hean.Core.MarketData;
using Hean.Core.MarketData.Synthetic;
using Hean.Core.Orders;
using Hean.Streams.MarketData;
using Xunit;
using static Hean.Actors.Execution.ExecutionProtocol;
using static Hean.Actors.Orchestration.OrchestratorProtocol;
using static Hean.Actors.Tests.Fixtures;

namespace Hean.Actors.Tests.Execution;

/// <summary>
/// The actors decide exactly what <see cref="ExecutionReplay"/> decides on the same market events, so the
/// shortfall numbers measured with the replay are the numbers the running system would get.
/// </summary>
public sealed class AlgoReplayEquivalenceTests() : AlgoTestKit(PersistenceBackend.InMemory)
{
    [Fact]
    public void A_passive_twap_through_the_actors_makes_the_same_children_and_fills_as_the_replay()
    {
        var sol = new Symbol("SOLUSDT");
        var market = new SyntheticMarket(SyntheticMarketOptions.Default(T0) with
        {
            Symbols = [new SymbolSpec(sol, 20m, 0.8) { TradesPerSecond = 3.0, LevelNotional = 3_000m, MeanTradeNotional = 300m }],
            Seed = 5,
        });
        var events = market.Generate(TimeSpan.FromSeconds(45)).ToList();
        var start = events.First(e => e.Time >= T0.AddSeconds(5)).Time;
        var parent = new OrderRequest(Id("R"), sol, Side.Buy, OrderType.Market, 600m, null, TimeInForce.ImmediateOrCancel);
        var spec = new TwapAlgo(TimeSpan.FromSeconds(30), 5);
        var latency = TimeSpan.FromMilliseconds(20);

        var expected = new ExecutionReplay(InstrumentCatalog.Default, new SimulatedExchangeOptions(Latency: latency))
            .Run(events, [new ReplayParent(start, parent, _ => spec)])[0]!;

        Wire(latency);
        var started = false;
        foreach (var e in events)
        {
            Ask<MarketDataApplied>(Gateway, new ApplyMarketData([e]));
            if (!started && e.Time >= start)
            {
                Assert.IsType<ExecutionStarted>(Ask<object>(Router, new ExecuteOrder(parent, "test", null, e.Time, Algo: spec)));
                started = true;
            }
            else
            {
                Ask<MarketTimeHandled>(Router, new MarketTimeAdvanced(e.Time));
            }
        }
        var actual = AlgoOf("R");

        Assert.Equal(AlgoStatus.Completed, expected.Status);
        Assert.Equal(expected.Status, actual.Status);
        Assert.True(expected.Children.Count >= 5, $"{expected.Children.Count} children");
        Assert.Equal(
            expected.Children.Select(c => (c.Id, c.Type, c.TimeInForce, c.Qty, c.Price, c.SentAt, c.Filled, c.AvgPrice, c.Fees, c.ClosedAs)),
            actual.Children.Select(c => (c.Id, c.Type, c.TimeInForce, c.Qty, c.Price, c.SentAt, c.Filled, c.AvgPrice, c.Fees, c.ClosedAs)));
        Assert.Equal(expected.Quality, actual.Quality);
    }
}

/// <summary>The market feed drives the algorithms: it tells the router the market time after every batch.</summary>
public sealed class AlgoFeedTests : HeanActorTest
{
    private readonly IActorRef _orchestrator;
    private readonly TradingRefs _refs;

    public AlgoFeedTests() : base(PersistenceBackend.InMemory)
    {
        var registry = ActorRegistry.For(Sys);
        _orchestrator = TradingHosting.StartTrading(Sys, registry, TradingSettings.Default);
        _refs = TradingRefs.From(registry);
    }

    [Fact]
    public void A_twap_sent_to_the_orchestrators_router_completes_on_the_feeds_market_time()
    {
        var feed = Ask<IActorRef>(_orchestrator, new CreateFeed(null));
        feed.Tell(FeedProtocol.StreamInit.Instance, TestActor);
        ExpectMsg<FeedProtocol.StreamAck>(Patience);
        var books = Enumerable.Range(0, 71)
            .Select(t => new MarketStep(Book(t + 1, At(t), [L(49_990m, 10m)], [L(50_000m, 10m)]), null, null, 49_990m, 50_000m))
            .ToList();

        feed.Tell(books.Take(1).ToList(), TestActor);
        ExpectMsg<FeedProtocol.StreamAck>(Patience);
        var started = Ask<object>(_refs.Execution, new ExecuteOrder(Market("P", Side.Buy, 0.03m), "test", null, At(0),
            Algo: new TwapAlgo(TimeSpan.FromSeconds(60), 3, SliceStyle.Aggressive)));
        Assert.IsType<ExecutionStarted>(started);
        foreach (var batch in books.Skip(1).Chunk(10))
        {
            feed.Tell(batch.ToList(), TestActor);
            ExpectMsg<FeedProtocol.StreamAck>(Patience);
        }

        var algo = Ask<AlgoView>(_refs.Execution, new GetAlgo(Id("P"))).State!;
        Assert.Equal((AlgoStatus.Completed, 0.03m, 3), (algo.Status, algo.Filled, algo.Children.Count));
        // Batches of ten seconds: each slice goes out at the first batch end at or after its due time.
        Assert.All(algo.Children.Zip(algo.Plan), x => Assert.InRange((x.Item1.SentAt - x.Item2.Due).TotalSeconds, 0, 10));
        Assert.Empty(Ask<ActiveAlgos>(_refs.Execution, new GetActiveAlgos()).ParentIds);
    }
}
