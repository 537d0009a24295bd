using Akka.Actor;
using Hean.Actors.Common;
using Hean.Actors.Orders;
using Hean.Actors.Persistence;
using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.Execution;
using Hean.Core.Orders;
using Xunit;
using static Hean.Actors.Execution.ExecutionProtocol;
using static Hean.Actors.Tests.Fixtures;

namespace Hean.Actors.Tests.Execution;

/// <summary>
/// Execution algorithms as children of the router, against the simulated exchange: slicing, partial fills,
/// a cancel racing a fill, duplicate and out-of-order reports, a fill before its acknowledgement, cancels.
/// </summary>
public sealed class AlgoExecutionTests() : AlgoTestKit(PersistenceBackend.InMemory)
{
    [Fact]
    public void Twap_children_are_lots_that_sum_exactly_to_the_parent_and_reach_the_portfolio_once()
    {
        Wire();
        Step(Book(0, qty: 10m));

        Assert.Equal(new ExecutionStarted(Id("P")), Execute(Market("P", Side.Buy, 0.301m), new TwapAlgo(TimeSpan.FromSeconds(60), 3, SliceStyle.Aggressive), 0));
        Books(1, 70, qty: 10m);

        var algo = AlgoOf("P");
        Assert.Equal(AlgoStatus.Completed, algo.Status);
        Assert.Equal(["P-1", "P-2", "P-3"], algo.Children.Select(c => c.Id.Value));
        Assert.Equal([0.1m, 0.1m, 0.101m], algo.Children.Select(c => c.Qty));
        foreach (var child in algo.Children)
        {
            var order = OrderOf(child.Id.Value)!;
            Assert.Equal((OrderStatus.Filled, child.Qty, "twap:P"), (order.Status, order.FilledQty, order.Origin));
        }
        Assert.Null(OrderOf("P-4")); // nothing after the parent was done
        Assert.Equal(0.301m, PositionOf(Btc));
        Assert.Equal(0.301m, VenuePosition(Btc));
        Assert.Empty(ActiveAlgos());

        var q = algo.Quality!;
        Assert.Equal((0.301m, 50_000m), (q.FilledQty, q.AvgPrice));
        Assert.Equal(5.50055, q.FeeBps, 5); // 5.5 bp of 50 000 per unit, against the 49 995 arrival mid
        Assert.Equal(1.0001, q.PriceBps, 4); // against the 49 995 mid at arrival
        Assert.InRange(q.TimeToFillSeconds, 35, 46); // the last slice is due at 40 s ± 5 s, ticks come every second
    }

    /// <summary>
    /// Passive TWAP of 0.2 in two slices over 20 s, orders and cancels 20 ms on their way. When the second slice
    /// is due the first child (0.1 resting at 49 990) is cancelled; 10 ms later, before the cancel arrives, a trade
    /// prints through its price.
    /// </summary>
    private (AlgoState State, double Due) PassiveTwapWithATradeWhileTheCancelTravels(decimal tradeQty)
    {
        Wire(TimeSpan.FromMilliseconds(20));
        Step(Book(0));
        Assert.IsType<ExecutionStarted>(Execute(Market("P", Side.Buy, 0.2m), new TwapAlgo(TimeSpan.FromSeconds(20), 2), 0));
        var due = (AlgoOf("P").Plan[1].Due - T0).TotalSeconds;
        for (var t = 1; t < due; t++) Step(Book(t));
        Assert.Equal(OrderStatus.Accepted, OrderOf("P-1")!.Status);

        Step(Book(due));
        Assert.True(AlgoOf("P").Child(Id("P-1"))!.CancelRequested);
        Step(new Hean.Core.MarketData.Trade(Btc, AtS(due + 0.010), 49_980m, tradeQty, Side.Sell, 1));
        Step(Book(due + 0.030)); // the cancel arrives
        return (AlgoOf("P"), due);
    }

    [Fact]
    public void A_partial_fill_is_kept_and_what_the_cancel_left_is_caught_up_at_the_next_slice()
    {
        var (s, due) = PassiveTwapWithATradeWhileTheCancelTravels(0.04m);

        var first = OrderOf("P-1")!;
        Assert.Equal((OrderStatus.Cancelled, 0.04m, 49_990m), (first.Status, first.FilledQty, first.AvgFillPrice));
        Assert.Equal(3, s.Children.Count);
        var (catchUp, slice) = (s.Children[1], s.Children[2]);
        Assert.Equal((OrderType.Market, 0.06m), (catchUp.Type, catchUp.Qty));
        Assert.Contains("behind schedule", catchUp.Why);
        Assert.Equal((OrderType.Limit, TimeInForce.PostOnly, 0.1m, (decimal?)49_990m), (slice.Type, slice.TimeInForce, slice.Qty, slice.Price));

        Books((int)due + 1, 25);
        var done = AlgoOf("P");
        Assert.Equal((AlgoStatus.Completed, 0.2m), (done.Status, done.Filled));
        Assert.Equal(0.2m, PositionOf(Btc));
        Assert.Equal(0L, OrderStats().Overfills);
    }

    [Fact]
    public void A_fill_that_races_the_cancel_counts_and_nothing_is_sent_twice_for_it()
    {
        var (s, due) = PassiveTwapWithATradeWhileTheCancelTravels(0.5m);

        // The trade filled all of P-1 before the cancel arrived: the venue refused the cancel, P-1 stays filled,
        // and the second slice needs no catch-up.
        var first = OrderOf("P-1")!;
        Assert.Equal((OrderStatus.Filled, 0.1m), (first.Status, first.FilledQty));
        Assert.Equal(OrderStatus.Filled, s.Child(Id("P-1"))!.ClosedAs);
        var second = Assert.Single(s.Children.Skip(1));
        Assert.Equal((OrderType.Limit, 0.1m), (second.Type, second.Qty));

        Books((int)due + 1, 25);
        Assert.Equal((AlgoStatus.Completed, 0.2m), (AlgoOf("P").Status, AlgoOf("P").Filled));
        Assert.Equal(0.2m, PositionOf(Btc));
        Assert.Equal(0.2m, VenuePosition(Btc));
        Assert.Equal(0L, OrderStats().Overfills);
    }

    [Fact]
    public void Duplicated_late_and_reordered_venue_reports_fill_each_child_once()
    {
        // Every report reaches the order manager twice; an acknowledgement only after the next news of its
        // order, so a fill arrives before its acknowledgement and the acknowledgement arrives late, twice.
        Wire(gatewayOrders: orders => Props.Create(() => new ScramblingOrders(orders)));
        Step(Book(0, qty: 10m));

        Assert.IsType<ExecutionStarted>(Execute(Market("P", Side.Sell, 0.3m), new TwapAlgo(TimeSpan.FromSeconds(30), 3, SliceStyle.Aggressive), 0));
        Books(1, 40, qty: 10m);

        var algo = AlgoOf("P");
        Assert.Equal((AlgoStatus.Completed, 0.3m), (algo.Status, algo.Filled));
        foreach (var child in algo.Children)
        {
            var order = OrderOf(child.Id.Value)!;
            Assert.Equal((OrderStatus.Filled, child.Qty), (order.Status, order.FilledQty));
            Assert.Single(order.TradeIds);
            Assert.Equal("implicit", order.VenueOrderId); // the fill came first and accepted the order
        }
        var stats = OrderStats();
        Assert.True(stats.DuplicateReports >= 3 * algo.Children.Count, $"{stats.DuplicateReports} duplicates dropped");
        Assert.Equal(algo.Children.Count, (int)stats.Fills);
        Assert.Equal(-0.3m, PositionOf(Btc));
        Assert.Equal(-0.3m, VenuePosition(Btc));
    }

    [Fact]
    public void Cancelling_the_parent_cancels_its_working_child_and_sends_no_child_after()
    {
        Wire();
        Books(0, 0);
        Execute(Market("P", Side.Buy, 0.3m), new TwapAlgo(TimeSpan.FromSeconds(60), 3), 0);
        Assert.Equal(OrderStatus.Accepted, OrderOf("P-1")!.Status);

        Assert.Equal(new CancelResult(Id("P"), true, null), Ask<CancelResult>(Router, new CancelOrder(Id("P"), "operator", AtS(5))));
        Books(5, 70);

        var algo = AlgoOf("P");
        Assert.Equal((AlgoStatus.Cancelled, "operator", 0m), (algo.Status, algo.Reason, algo.Filled));
        Assert.Equal(OrderStatus.Cancelled, OrderOf("P-1")!.Status);
        Assert.Null(OrderOf("P-2"));
        Assert.Empty(ActiveAlgos());
        Assert.False(Ask<CancelResult>(Router, new CancelOrder(Id("P"), "again", AtS(71))).Sent);
    }

    [Fact]
    public void Cancel_all_stops_every_algorithm_and_cancelling_a_child_from_outside_cancels_its_parent()
    {
        Wire();
        Books(0, 0);
        Execute(Market("A", Side.Buy, 0.2m), new LimitAlgo(TimeSpan.FromSeconds(10)), 0);
        Execute(Market("B", Side.Sell, 0.2m), new IcebergAlgo(0.05m, TimeSpan.FromSeconds(10)), 0);
        Execute(Market("C", Side.Buy, 0.2m), new TwapAlgo(TimeSpan.FromSeconds(60), 4), 0);
        Assert.Equal(["A", "B", "C"], ActiveAlgos().Select(p => p.Value));

        Ask<CancelResult>(Router, new CancelOrder(Id("C-1"), "replaced by a new signal", AtS(1)));
        var all = Ask<CancelAllResult>(Router, new CancelAllOrders(null, "kill switch", AtS(1)));
        Assert.Null(all.Error);
        Books(2, 70);

        Assert.Empty(ActiveAlgos());
        Assert.Equal(AlgoStatus.Cancelled, AlgoOf("A").Status);
        Assert.Equal(AlgoStatus.Cancelled, AlgoOf("B").Status);
        Assert.Equal(("replaced by a new signal", 1), (AlgoOf("C").Reason, AlgoOf("C").Children.Count));
        Assert.Empty(Venue.OpenOrders);
        Assert.Equal(3L, OrderStats().Created);
    }

    [Fact]
    public void The_smart_router_records_its_choice_and_why()
    {
        Wire();
        Step(Book(0, qty: 5m));

        Execute(Market("S", Side.Buy, 0.05m), new SmartAlgo(Urgency.Normal), 0);

        var algo = AlgoOf("S");
        Assert.IsType<LimitAlgo>(algo.Spec);
        Assert.Contains("post-only limit", algo.Reason);
        Assert.Contains("0.01x the depth", algo.Reason);
        Assert.Equal((OrderType.Limit, TimeInForce.PostOnly), (algo.Children[0].Type, algo.Children[0].TimeInForce));
    }

    [Fact]
    public void Orders_without_an_algorithm_and_bad_algorithm_requests_keep_today_behaviour()
    {
        Wire();
        Step(Book(0));

        Assert.Equal(new ExecutionStarted(Id("m1")), Ask<object>(Router, new ExecuteOrder(Market("m1", Side.Buy, 0.01m), "test", null, AtS(0))));
        Assert.Equal(OrderStatus.Filled, OrderOf("m1")!.Status);
        Assert.Empty(ActiveAlgos());

        var tooLong = Assert.IsType<ExecutionFailed>(Execute(Market("a-parent-id-that-is-far-too-long-1", Side.Buy, 0.1m), new MarketAlgo(), 1));
        Assert.Contains("longer than", tooLong.Reason);
        var badSpec = Assert.IsType<ExecutionFailed>(Execute(Market("T", Side.Buy, 0.1m), new TwapAlgo(TimeSpan.Zero, 3), 1));
        Assert.Contains("TWAP", badSpec.Reason);
        Assert.Empty(ActiveAlgos());
    }
}
