using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit;
using Hean.Actors.Common;
using Hean.Actors.Orders;
using Hean.Actors.Persistence;
using Hean.Actors.Portfolio;
using Hean.Core.Domain;
using Hean.Core.Orders;
using Xunit;
using static Hean.Actors.Orders.OrdersProtocol;
using static Hean.Actors.Tests.Fixtures;

namespace Hean.Actors.Tests;

/// <summary>
/// The order manager on the SQLite journal, so that every recovery reads back what the HEAN
/// serializer wrote (the in-memory journal keeps the objects and would never deserialize).
/// </summary>
public sealed class OrderManagerTests : HeanActorTest
{
    private readonly TestProbe _portfolio;

    public OrderManagerTests() : base(PersistenceBackend.Sqlite) => _portfolio = CreateTestProbe("portfolio");

    private IActorRef StartOrders(int snapshotEvery = 200) =>
        Sys.ActorOf(Props.Create(() => new OrderManager(_portfolio.Ref, snapshotEvery)));

    private void Register(IActorRef orders, OrderRequest request, int atSeconds = 0)
    {
        orders.Tell(new RegisterOrder(Created(request, atSeconds)), TestActor);
        ExpectMsg<OrderRegistered>(r => r.ClientOrderId == request.ClientOrderId, Patience);
    }

    private void Submit(IActorRef orders, string id, int atSeconds = 0, Symbol? symbol = null)
    {
        orders.Tell(new MarkSubmitted(Id(id), symbol ?? Btc, At(atSeconds)), TestActor);
        ExpectMsg<Synced>(Patience);
    }

    private OrderState OrderOf(IActorRef orders, string id) =>
        Ask<OrderView>(orders, new GetOrder(Id(id))).Order ?? throw new InvalidOperationException($"order {id} is unknown");

    private OrderStats Stats(IActorRef orders) => Ask<OrderStats>(orders, new GetOrderStats());

    private static void Report(IActorRef orders, Core.Exchange.ExecutionReport report) => orders.Tell(new ApplyReport(report));

    [Fact]
    public void Registering_a_client_order_id_twice_is_refused_and_keeps_the_first_order()
    {
        var orders = StartOrders();
        Register(orders, Limit("ord-1", Side.Buy, 0.002m, 49_990m));

        orders.Tell(new RegisterOrder(Created(Limit("ord-1", Side.Sell, 1m, 51_000m), 5)), TestActor);

        var refused = ExpectMsg<OrderRefused>(Patience);
        Assert.Equal(Id("ord-1"), refused.ClientOrderId);
        Assert.Contains("ord-1", refused.Reason);
        var kept = OrderOf(orders, "ord-1");
        Assert.Equal(Side.Buy, kept.Request.Side);
        Assert.Equal(OrderStatus.New, kept.Status);
        Assert.Equal(1, Stats(orders).Created);
    }

    [Fact]
    public void An_order_registered_as_submitting_is_created_and_submitted_in_one_answer_and_recovers_as_submitted()
    {
        var orders = StartOrders();
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events.Ref, typeof(IOrderEvent));

        orders.Tell(new RegisterOrder(Created(Market("go", Side.Buy, 0.002m), 3), Submitting: true), TestActor);

        // Both events are applied before the answer: the gateway may send it at once.
        Assert.Equal(Id("go"), ExpectMsg<OrderRegistered>(Patience).ClientOrderId);
        Assert.IsType<OrderCreated>(events.ExpectMsg<IOrderEvent>(Patience));
        Assert.Equal(At(3), Assert.IsType<OrderSubmitted>(events.ExpectMsg<IOrderEvent>(Patience)).Time);
        Assert.Equal(OrderStatus.Submitted, OrderOf(orders, "go").Status);
        // The gateway's own mark (an older sender) finds it submitted and writes nothing more.
        Submit(orders, "go", 4);
        events.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        // After a crash it is an order that may be at the venue: reconciliation looks it up, nothing sends it again.
        StopAndWait(orders);
        var recovered = StartOrders();
        var state = OrderOf(recovered, "go");
        Assert.Equal(OrderStatus.Submitted, state.Status);
        Assert.Equal(At(3), state.UpdatedAt);
        Assert.Equal(1, Stats(recovered).Created);
    }

    [Fact]
    public void Reports_move_the_order_and_each_trade_is_booked_once_even_when_reported_twice()
    {
        var orders = StartOrders();
        Register(orders, Limit("ord-1", Side.Buy, 0.003m, 50_000m));
        Submit(orders, "ord-1", 1);
        Assert.Equal(OrderStatus.Submitted, OrderOf(orders, "ord-1").Status);

        Report(orders, Accepted("ord-1", 1));
        var accepted = OrderOf(orders, "ord-1");
        Assert.Equal(OrderStatus.Accepted, accepted.Status);
        Assert.Equal("venue-ord-1", accepted.VenueOrderId);

        var first = Fill("ord-1", "sim-1", Side.Buy, 49_990m, 0.001m, 0.0099980m, 2, liquidity: Liquidity.Maker);
        Report(orders, Filled(first, 0.002m));
        Assert.Equal(first, _portfolio.ExpectMsg<PortfolioProtocol.BookFill>(Patience).Fill);
        Report(orders, Filled(first, 0.002m));
        SyncWith(orders);
        _portfolio.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        var partial = OrderOf(orders, "ord-1");
        Assert.Equal(OrderStatus.PartiallyFilled, partial.Status);
        Assert.Equal(0.001m, partial.FilledQty);
        Assert.Equal(0.002m, partial.LeavesQty);

        var second = Fill("ord-1", "sim-2", Side.Buy, 50_000m, 0.002m, 0.02m, 3, liquidity: Liquidity.Maker);
        Report(orders, Filled(second, 0m));
        Assert.Equal(second, _portfolio.ExpectMsg<PortfolioProtocol.BookFill>(Patience).Fill);

        var filled = OrderOf(orders, "ord-1");
        Assert.Equal(OrderStatus.Filled, filled.Status);
        Assert.Equal(0.003m, filled.FilledQty);
        Assert.Equal((49_990m * 0.001m + 50_000m * 0.002m) / 0.003m, filled.AvgFillPrice);
        Assert.Equal(0.0299980m, filled.Fees);
        Assert.Equal(new OrderStats(Created: 1, Filled: 1, Cancelled: 0, Rejected: 0, Fills: 2, DuplicateReports: 1, Overfills: 0, Open: 0), Stats(orders));
        Assert.Empty(Ask<OpenOrders>(orders, new GetOpenOrders()).Orders);
    }

    [Fact]
    public void A_fill_beyond_the_order_quantity_is_refused_and_never_booked()
    {
        var orders = StartOrders();
        Register(orders, Limit("ord-1", Side.Sell, 0.002m, 50_000m));
        Report(orders, Accepted("ord-1"));

        Report(orders, Filled(Fill("ord-1", "sim-1", Side.Sell, 50_000m, 0.003m, 0.1m), 0m));
        SyncWith(orders);

        _portfolio.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        var order = OrderOf(orders, "ord-1");
        Assert.Equal(OrderStatus.Accepted, order.Status);
        Assert.Equal(0m, order.FilledQty);
        var stats = Stats(orders);
        Assert.Equal(1, stats.Overfills);
        Assert.Equal(0, stats.Fills);
    }

    [Fact]
    public void A_report_for_an_order_we_do_not_know_is_ignored()
    {
        var orders = StartOrders();
        Register(orders, Limit("ord-1", Side.Buy, 0.002m, 49_000m));
        var before = Stats(orders);

        Report(orders, Accepted("stranger"));
        Report(orders, Filled(Fill("stranger", "sim-1", Side.Buy, 49_000m, 0.001m), 0.001m));
        Report(orders, Cancelled("stranger", "by request"));
        SyncWith(orders);

        _portfolio.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Null(Ask<OrderView>(orders, new GetOrder(Id("stranger"))).Order);
        Assert.Equal(before, Stats(orders));
        Assert.Equal([Id("ord-1")], Ask<OpenOrders>(orders, new GetOpenOrders()).Orders.Select(o => o.Id));
    }

    [Fact]
    public void A_fill_that_arrives_before_its_order_is_registered_is_held_and_booked_once_the_order_exists()
    {
        var orders = StartOrders();
        Report(orders, Filled(Fill("early-1", "t-1", Side.Buy, 49_000m, 0.001m), 0.001m));
        SyncWith(orders);
        _portfolio.ExpectNoMsg(TimeSpan.FromMilliseconds(200)); // not booked while the order is unknown
        Assert.Null(Ask<OrderView>(orders, new GetOrder(Id("early-1"))).Order);

        Register(orders, Limit("early-1", Side.Buy, 0.002m, 49_000m));
        var booked = _portfolio.ExpectMsg<PortfolioProtocol.BookFill>(Patience);
        Assert.Equal(("t-1", 0.001m), (booked.Fill.TradeId, booked.Fill.Qty));
        var order = OrderOf(orders, "early-1");
        Assert.Equal((OrderStatus.PartiallyFilled, 0.001m), (order.Status, order.FilledQty));

        // The same fill again (the stream, then the REST catch-up) changes nothing.
        Report(orders, Filled(Fill("early-1", "t-1", Side.Buy, 49_000m, 0.001m), 0.001m));
        SyncWith(orders);
        _portfolio.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(1, Stats(orders).Fills);
    }

    [Fact]
    public void Several_reports_held_for_one_order_apply_in_turn_each_on_the_state_the_ones_before_made_and_the_journal_replays()
    {
        var orders = StartOrders();
        // An order placed elsewhere fills at once: both its fills and its acknowledgement come before it is registered.
        Report(orders, Filled(Fill("late-1", "t-1", Side.Buy, 49_000m, 0.001m), 0.001m));
        Report(orders, Filled(Fill("late-1", "t-2", Side.Buy, 49_000m, 0.001m), 0m));
        Report(orders, Accepted("late-1"));
        SyncWith(orders);

        Register(orders, Limit("late-1", Side.Buy, 0.002m, 49_000m));
        Assert.Equal(["t-1", "t-2"], Enumerable.Range(0, 2).Select(_ => _portfolio.ExpectMsg<PortfolioProtocol.BookFill>(Patience).Fill.TradeId));
        Assert.Equal((OrderStatus.Filled, 0.002m), (OrderOf(orders, "late-1").Status, OrderOf(orders, "late-1").FilledQty));

        // What was persisted replays: a restarted order manager recovers the same order (before, an acknowledgement
        // decided on the stale state was journalled after the fill that filled the order, and recovery failed on it).
        StopAndWait(orders);
        var again = StartOrders();
        Assert.Equal((OrderStatus.Filled, 0.002m), (OrderOf(again, "late-1").Status, OrderOf(again, "late-1").FilledQty));
        Assert.Equal(2, Stats(again).Fills);
    }

    [Fact]
    public void Out_of_order_and_duplicated_execution_reports_count_each_trade_once()
    {
        var orders = StartOrders();
        Register(orders, Limit("ooo-1", Side.Sell, 0.003m, 51_000m));
        Submit(orders, "ooo-1");
        // The second and third trades overtake the acknowledgement and the first trade; each comes twice.
        var t2 = Filled(Fill("ooo-1", "t-2", Side.Sell, 51_000m, 0.001m), 0.001m);
        var t3 = Filled(Fill("ooo-1", "t-3", Side.Sell, 51_000m, 0.001m), 0m);
        var t1 = Filled(Fill("ooo-1", "t-1", Side.Sell, 51_000m, 0.001m), 0.002m);
        foreach (var r in new Core.Exchange.ExecutionReport[] { t2, t3, t2, Accepted("ooo-1"), t1, t3, t1 }) Report(orders, r);
        SyncWith(orders);

        var booked = Enumerable.Range(0, 3).Select(_ => _portfolio.ExpectMsg<PortfolioProtocol.BookFill>(Patience).Fill.TradeId).ToList();
        Assert.Equal(["t-2", "t-3", "t-1"], booked);
        _portfolio.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        var order = OrderOf(orders, "ooo-1");
        Assert.Equal((OrderStatus.Filled, 0.003m), (order.Status, order.FilledQty));
        Assert.Equal((3L, 4L), (Stats(orders).Fills, Stats(orders).DuplicateReports));
    }

    /// <summary>Open orders in every open state, plus filled, cancelled and rejected ones.</summary>
    private void TradeADay(IActorRef orders)
    {
        Register(orders, Limit("rest", Side.Buy, 0.005m, 49_000m), 1);
        Submit(orders, "rest", 1);
        Report(orders, Accepted("rest", 1));

        Register(orders, Limit("part", Side.Sell, 0.004m, 51_000m), 2);
        Submit(orders, "part", 2);
        Report(orders, Accepted("part", 2));
        Report(orders, Filled(Fill("part", "sim-1", Side.Sell, 51_000m, 0.001m, 0.0102m, 3, liquidity: Liquidity.Maker), 0.003m));

        Register(orders, Market("done", Side.Buy, 0.002m), 3);
        Submit(orders, "done", 3);
        Report(orders, Filled(Fill("done", "sim-2", Side.Buy, 50_000m, 0.002m, 0.055m, 3), 0m));

        Register(orders, Limit("gone", Side.Buy, 0.001m, 48_000m), 4);
        Report(orders, Accepted("gone", 4));
        Report(orders, Cancelled("gone", "cancelled by request", 5));

        Register(orders, Limit("nope", Side.Sell, 0.001m, 10m), 5);
        Report(orders, new Core.Exchange.OrderRejectedReport(Id("nope"), Btc, At(5), "notional below minimum"));

        Register(orders, Limit("wait", Side.Buy, 0.001m, 49_500m, Eth), 6);
        Submit(orders, "wait", 6);
        SyncWith(orders);
    }

    private (IReadOnlyList<OrderState> Open, OrderStats Stats, IReadOnlyList<OrderState> Closed) Observe(IActorRef orders) =>
        (Ask<OpenOrders>(orders, new GetOpenOrders()).Orders,
         Stats(orders),
         new[] { "done", "gone", "nope" }.Select(id => OrderOf(orders, id)).ToList());

    private static void AssertSameBook((IReadOnlyList<OrderState> Open, OrderStats Stats, IReadOnlyList<OrderState> Closed) expected,
        (IReadOnlyList<OrderState> Open, OrderStats Stats, IReadOnlyList<OrderState> Closed) actual)
    {
        Assert.Equal(expected.Stats, actual.Stats);
        Assert.Equal(expected.Open.Count, actual.Open.Count);
        for (var i = 0; i < expected.Open.Count; i++) HeanEventSerializerTests.AssertSameOrder(expected.Open[i], actual.Open[i]);
        for (var i = 0; i < expected.Closed.Count; i++) HeanEventSerializerTests.AssertSameOrder(expected.Closed[i], actual.Closed[i]);
    }

    [Theory]
    [InlineData(200)] // events only
    [InlineData(4)]   // snapshot, then the events after it
    public void A_restarted_order_manager_recovers_the_same_orders_and_stats(int snapshotEvery)
    {
        var orders = StartOrders(snapshotEvery);
        TradeADay(orders);
        var before = Observe(orders);
        Assert.Equal(["rest", "part", "wait"], before.Open.Select(o => o.Id.Value));
        Assert.Equal(new OrderStats(6, 1, 1, 1, 2, 0, 0, 3), before.Stats);
        StopAndWait(orders);
        Assert.Equal(["sim-1", "sim-2"], _portfolio.ReceiveN(2, Patience).Cast<PortfolioProtocol.BookFill>().Select(b => b.Fill.TradeId));

        var recovered = StartOrders(snapshotEvery);
        AssertSameBook(before, Observe(recovered));

        // What recovery restored still guards the books: a used id, a known trade.
        recovered.Tell(new RegisterOrder(Created(Market("done", Side.Buy, 0.001m), 9)), TestActor);
        ExpectMsg<OrderRefused>(Patience);
        Report(recovered, Filled(Fill("part", "sim-1", Side.Sell, 51_000m, 0.001m, 0.0102m, 3, liquidity: Liquidity.Maker), 0.003m));
        Report(recovered, Filled(Fill("part", "sim-7", Side.Sell, 51_000m, 0.003m, 0.0306m, 8, liquidity: Liquidity.Maker), 0m));
        Assert.Equal("sim-7", _portfolio.ExpectMsg<PortfolioProtocol.BookFill>(Patience).Fill.TradeId);
        SyncWith(recovered);
        _portfolio.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
        Assert.Equal(OrderStatus.Filled, OrderOf(recovered, "part").Status);
        Assert.Equal(1, Stats(recovered).DuplicateReports);
    }

    [Fact]
    public void With_small_snapshot_interval_a_snapshot_is_written_and_recovery_starts_from_it()
    {
        var orders = StartOrders(snapshotEvery: 4);
        TradeADay(orders);
        var before = Observe(orders);
        StopAndWait(orders);

        var store = Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);
        store.Tell(new LoadSnapshot(OrderEntity.PersistenceIdOf(Btc), SnapshotSelectionCriteria.Latest, long.MaxValue), TestActor);
        var loaded = ExpectMsg<LoadSnapshotResult>(Patience);
        Assert.NotNull(loaded.Snapshot);
        var snapshot = Assert.IsType<SymbolOrdersState>(loaded.Snapshot.Snapshot);
        Assert.True(loaded.Snapshot.Metadata.SequenceNr >= 4);
        Assert.Equal(0, loaded.Snapshot.Metadata.SequenceNr % 4);
        Assert.NotEmpty(snapshot.Orders);

        AssertSameBook(before, Observe(StartOrders(snapshotEvery: 4)));
    }

    [Fact]
    public void Each_symbol_has_its_own_entity_journal_and_fill_numbers_and_the_parent_starts_them_again_from_its_index()
    {
        var orders = StartOrders();
        Register(orders, Market("b1", Side.Buy, 0.1m));
        Register(orders, Limit("b2", Side.Buy, 0.1m, 40_000m));
        Register(orders, Market("e1", Side.Buy, 1m, Eth));
        orders.Tell(new ApplyReport(Filled(Fill("b1", "sim-1", Side.Buy, 50_000m, 0.1m), 0m)));
        orders.Tell(new ApplyReport(Filled(Fill("e1", "sim-2", Side.Buy, 3_000m, 1m, symbol: Eth), 0m)));
        var booked = new[] { _portfolio.ExpectMsg<PortfolioProtocol.BookFill>(Patience), _portfolio.ExpectMsg<PortfolioProtocol.BookFill>(Patience) };
        // Numbered per symbol: each symbol's first fill is 1.
        Assert.Equal([("BTCUSDT", 1L), ("ETHUSDT", 1L)], booked.Select(b => (b.Symbol.Value, b.Seq)).OrderBy(b => b.Item1));
        Assert.Equal(OrderStatus.Filled, Ask<OrderView>(orders, new GetOrder(Id("e1"))).Order!.Status); // by id alone: the entity it went to
        Assert.Null(Ask<OrderView>(orders, new GetOrder(Id("nope"))).Order);
        var children = new[] { Btc, Eth }.Select(s => Sys.ActorSelection(orders.Path / OrderEntity.PersistenceIdOf(s)).ResolveOne(Patience).GetAwaiter().GetResult()).ToList();
        Assert.Equal(2, children.Distinct().Count());
        StopAndWait(orders);

        // A new parent knows both entities from "orders-index" before any message names them.
        var again = StartOrders();
        var open = Ask<OpenOrders>(again, new GetOpenOrders()).Orders;
        Assert.Equal(["b2"], open.Select(o => o.Id.Value));
        Assert.Equal(OrderStatus.Filled, Ask<OrderView>(again, new GetOrder(Id("e1"))).Order!.Status); // found without its symbol
        Assert.Equal(OrderStatus.Filled, Ask<OrderView>(again, new GetOrder(Id("e1"), Eth)).Order!.Status);
        Assert.Null(Ask<OrderView>(again, new GetOrder(Id("e1"), Btc)).Order); // not in BTCUSDT's entity
        var stats = Ask<OrderStats>(again, new GetOrderStats());
        Assert.Equal((3L, 2L, 2L, 1), (stats.Created, stats.Filled, stats.Fills, stats.Open));
        var resent = Ask<PortfolioProtocol.FillsSince>(again, new PortfolioProtocol.ResendFills(new Dictionary<string, long> { ["ETHUSDT"] = 0 }));
        Assert.Equal(Eth, resent.Symbol);
        Assert.Equal(["sim-2"], resent.Fills.Select(f => f.Fill.TradeId));
    }
}
