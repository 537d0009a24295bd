using Akka.Actor;
using Hean.Actors.Execution;
using Hean.Actors.Persistence;
using Hean.Core.Domain;
using Hean.Core.Execution;
using Hean.Core.Orders;
using Xunit;
using static Hean.Actors.Execution.ExecutionProtocol;
using static Hean.Actors.Tests.Fixtures;

namespace Hean.Actors.Tests.Execution;

/// <summary>
/// The router is the parent of one execution entity per symbol: each symbol's algorithms are children of its entity,
/// a cancel with a symbol reaches only that entity, and a new router started on the same journal starts every entity
/// its index names again, each resuming its algorithms (SQLite: everything goes through the serializer).
/// </summary>
public sealed class ExecutionEntityTests() : AlgoTestKit(PersistenceBackend.Sqlite)
{
    [Fact]
    public async Task Each_symbols_algorithms_run_under_its_own_entity_and_a_new_router_resumes_them_all()
    {
        Wire();
        Both(0);
        var twap = new TwapAlgo(TimeSpan.FromSeconds(60), 3, SliceStyle.Aggressive);
        Assert.IsType<ExecutionStarted>(Execute(Market("B", Side.Buy, 0.3m), twap, 0));
        // E passive: its first child rests at the touch, unfilled, until E is cancelled.
        Assert.IsType<ExecutionStarted>(Execute(Market("E", Side.Sell, 3m, Eth), new TwapAlgo(TimeSpan.FromSeconds(60), 3), 0));
        Assert.IsType<ExecutionStarted>(Execute(Market("F", Side.Buy, 3m, Eth), twap, 0));

        Assert.Equal(["B", "E", "F"], ActiveAlgos().Select(p => p.Value));
        Assert.Equal(["B"], Ask<ActiveAlgos>(Router, new GetActiveAlgos(Btc)).ParentIds.Select(p => p.Value));
        Assert.Equal(["E", "F"], Ask<ActiveAlgos>(Router, new GetActiveAlgos(Eth)).ParentIds.Select(p => p.Value));
        var b = await Sys.ActorSelection(Router.Path / "execution-BTCUSDT" / "algo-B-1").ResolveOne(Patience);
        var e = await Sys.ActorSelection(Router.Path / "execution-ETHUSDT" / "algo-E-1").ResolveOne(Patience);
        Assert.NotEqual(b.Path.Parent, e.Path.Parent);

        // A cancel that names its symbol goes to that entity: E ends, F and B go on.
        Assert.True(Ask<CancelResult>(Router, new CancelOrder(Id("E"), "operator", AtS(1), Eth)).Sent);
        for (var t = 1; t <= 15; t++) Both(t);
        Assert.Equal(["B", "F"], ActiveAlgos().Select(p => p.Value));
        Assert.Equal(AlgoStatus.Cancelled, Ask<AlgoView>(Router, new GetAlgo(Id("E"), Eth)).State!.Status);
        Assert.Null(Ask<AlgoView>(Router, new GetAlgo(Id("E"), Btc)).State); // only its own symbol's entity knows it

        // The whole router stops; a new one on the same journal starts both entities again from its index.
        var before = (AlgoOf("B").Children.Count, AlgoOf("F").Children.Count);
        StopAndWait(Router);
        Router = StartRouter();
        Assert.Equal(["B", "F"], ActiveAlgos().Select(p => p.Value));
        Assert.Equal(before, (AlgoOf("B").Children.Count, AlgoOf("F").Children.Count));

        for (var t = 16; t <= 70; t++) Both(t);
        Assert.Empty(ActiveAlgos());
        Assert.Equal((AlgoStatus.Completed, 0.3m, 3), (AlgoOf("B").Status, AlgoOf("B").Filled, AlgoOf("B").Children.Count));
        Assert.Equal((AlgoStatus.Completed, 3m, 3), (AlgoOf("F").Status, AlgoOf("F").Filled, AlgoOf("F").Children.Count));
        Assert.Equal((0.3m, 3m), (PositionOf(Btc), PositionOf(Eth)));
        Assert.Equal((0.3m, 3m), (VenuePosition(Btc), VenuePosition(Eth)));
        var stats = OrderStats();
        Assert.Equal((7L, 6L, 1L), (stats.Created, stats.Fills, stats.Cancelled)); // B and F three children each, E's first one cancelled unfilled
    }

    /// <summary>Books of both symbols reach the venue, then the router hears that market time moved.</summary>
    private void Both(double at)
    {
        Ask<MarketDataApplied>(Gateway, new ApplyMarketData([Book(at, qty: 10m), Book(at, 2_999m, 3_000m, 100m, Eth)]));
        Ask<MarketTimeHandled>(Router, new MarketTimeAdvanced(AtS(at)));
    }
}
