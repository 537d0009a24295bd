using Akka.Actor;
using Hean.Actors.Common;
using Hean.Actors.Execution;
using Hean.Actors.Orders;
using Hean.Actors.Persistence;
using Hean.Core.Domain;
using Hean.Core.Execution;
using Hean.Core.Orders;
using Xunit;
using static Hean.Actors.Tests.Fixtures;

namespace Hean.Actors.Tests.Execution;

/// <summary>
/// Algorithms resume from their journals (SQLite, so every event goes through the serializer) after their
/// actor is stopped and after the router is stopped. Child ids are "{parent}-{n}"; none is ever sent twice.
/// </summary>
public sealed class AlgoRestartTests() : AlgoTestKit(PersistenceBackend.Sqlite)
{
    [Fact]
    public async Task A_twap_stopped_mid_run_continues_from_its_journal_with_the_remaining_quantity()
    {
        Wire();
        Step(Book(0, qty: 10m));
        Assert.IsType<ExecutionProtocol.ExecutionStarted>(
            Execute(Market("P", Side.Buy, 0.6m), new TwapAlgo(TimeSpan.FromSeconds(60), 6, SliceStyle.Aggressive), 0));
        Books(1, 15, qty: 10m);
        Assert.Equal(2, AlgoOf("P").Children.Count); // slices are due at 0, 10 ± 2.5, 20 ± 2.5, ...

        // The algorithm's actor alone stops (a child of its symbol's execution entity): the entity starts it again on the next tick, from its journal.
        var algo = await Sys.ActorSelection(Router.Path / "execution-BTCUSDT" / "algo-P-1").ResolveOne(Patience);
        StopAndWait(algo);
        SyncWith(Router);
        Books(16, 35, qty: 10m);
        var beforeRouterStop = AlgoOf("P");
        Assert.Equal(4, beforeRouterStop.Children.Count);
        Assert.Equal(0.4m, beforeRouterStop.Filled);

        // The whole router stops, and a new one starts on the same journal.
        StopAndWait(Router);
        Router = StartRouter();
        Assert.Equal(["P"], ActiveAlgos().Select(p => p.Value));
        var resumed = AlgoOf("P");
        Assert.Equal(beforeRouterStop.Children.Select(c => (c.Id, c.Qty, c.Filled, c.ClosedAs)), resumed.Children.Select(c => (c.Id, c.Qty, c.Filled, c.ClosedAs)));
        Assert.Equal(beforeRouterStop.Plan, resumed.Plan);

        Books(36, 70, qty: 10m);
        var done = AlgoOf("P");
        Assert.Equal((AlgoStatus.Completed, 0.6m), (done.Status, done.Filled));
        Assert.Equal(["P-1", "P-2", "P-3", "P-4", "P-5", "P-6"], done.Children.Select(c => c.Id.Value));
        var stats = OrderStats();
        Assert.Equal((6L, 6L, 0L), (stats.Created, stats.Fills, stats.Rejected));
        Assert.Equal(0.6m, PositionOf(Btc));
        Assert.Equal(0.6m, VenuePosition(Btc));
        Assert.Empty(ActiveAlgos());
    }
}

/// <summary>
/// The journals a crash leaves between deciding a child and sending it: the child is sent exactly once when the
/// algorithm resumes, whether the order manager never heard of it or has it registered but never sent.
/// </summary>
public sealed class AlgoCrashRecoveryTests() : AlgoTestKit(PersistenceBackend.InMemory)
{
    private static readonly Instrument BtcRules = InstrumentCatalog.Default.Get(Btc);

    [Fact]
    public void A_child_decided_but_never_registered_or_registered_but_never_sent_is_sent_exactly_once_after_a_crash()
    {
        var spec = new TwapAlgo(TimeSpan.FromSeconds(30), 3, SliceStyle.Aggressive);
        // The journals a crash leaves: P decided P-1 and died before registering it; Q registered Q-1 and died before sending it.
        Write(ExecutionRouter.Id, new AlgoProtocol.ExecutionEntityStarted(Btc));
        Write(ExecutionEntity.PersistenceIdOf(Btc), new AlgoProtocol.AlgoRegistered(Id("P"), Btc, At(0)), new AlgoProtocol.AlgoRegistered(Id("Q"), Btc, At(0)));
        foreach (var id in new[] { "P", "Q" })
        {
            var parent = Market(id, Side.Buy, 0.3m);
            Write(ExecutionAlgo.PersistenceIdOf(Id(id)),
                new AlgoStarted(parent, spec, spec, 49_995m, At(0), AlgoState.PlanFor(parent, spec, At(0), BtcRules), "test"),
                new SliceSent(Id(id), 1, Id($"{id}-1"), 0, OrderType.Market, TimeInForce.ImmediateOrCancel, 0.1m, null, At(0), "slice 1 of 3"));
        }

        Wire();
        SyncWith(Gateway); // the gateway has restored the venue; what is registered from now on is not "lost in a restart"
        var q1 = Market("Q-1", Side.Buy, 0.1m);
        Ask<OrdersProtocol.OrderRegistered>(Orders, new OrdersProtocol.RegisterOrder(new OrderCreated(q1, At(0), "twap:Q", 49_995m)));
        Assert.Equal(["P", "Q"], ActiveAlgos().Select(p => p.Value));

        Books(1, 40, qty: 10m);

        foreach (var id in new[] { "P", "Q" })
        {
            var algo = AlgoOf(id);
            Assert.Equal((AlgoStatus.Completed, 0.3m, 3), (algo.Status, algo.Filled, algo.Children.Count));
            var first = OrderOf($"{id}-1")!;
            Assert.Equal((OrderStatus.Filled, 0.1m), (first.Status, first.FilledQty));
            Assert.Single(first.TradeIds);
        }
        var stats = OrderStats();
        Assert.Equal((6L, 6L, 0L), (stats.Created, stats.Fills, stats.Rejected));
        Assert.Equal(0.6m, VenuePosition(Btc));
        Assert.Equal(0.6m, PositionOf(Btc));
    }

    private void Write(string persistenceId, params object[] events)
    {
        var writer = Sys.ActorOf(Props.Create(() => new JournalWriter(persistenceId)));
        Ask<Synced>(writer, new JournalWriter.Write(events));
        StopAndWait(writer);
    }
}
