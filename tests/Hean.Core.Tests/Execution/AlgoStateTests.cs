using Hean.Core.Domain;
using Hean.Core.Execution;
using Hean.Core.Orders;
using Xunit;
using static Hean.Core.Tests.Execution.AlgoFixtures;

namespace Hean.Core.Tests.Execution;

/// <summary>The decisions of every algorithm, driven by hand: quotes, the order manager's view of children, market time.</summary>
public sealed class AlgoStateTests
{
    private static readonly TwapAlgo Twap4 = new(TimeSpan.FromMinutes(4), 4);

    [Fact]
    public void Twap_posts_each_slice_at_the_touch_and_catches_up_what_a_cancel_left_unfilled()
    {
        var s = Start(Parent(1m), Twap4);
        Assert.Equal([0.25m, 0.25m, 0.25m, 0.25m], s.Plan.Select(p => p.Qty));

        (s, var events) = Decide(s, 0);
        var first = Assert.Single(Sent(events));
        Assert.Equal((new ClientOrderId("P-1"), OrderType.Limit, TimeInForce.PostOnly, 0.25m, (decimal?)49_990m),
            (first.ChildId, first.Type, first.TimeInForce, first.Qty, first.Price));

        s = Booked(s, "P-1", OrderStatus.PartiallyFilled, 0.1m);
        var due = (s.Plan[1].Due - T0).TotalSeconds;
        (s, events) = Decide(s, due);
        // The next slice is due: the resting child is cancelled first, and nothing new goes out while it may still fill.
        Assert.Equal("P-1", Assert.IsType<SliceCancelRequested>(Assert.Single(events)).ChildId.Value);
        (s, events) = Decide(s, due + 1);
        Assert.Empty(events);

        // The cancel raced a fill: 0.2 filled in the end.
        s = Booked(s, "P-1", OrderStatus.Cancelled, 0.2m);
        AssertNotOvercommitted(s);
        (s, events) = Decide(s, due + 2);

        var sent = Sent(events);
        Assert.Equal(2, sent.Count);
        Assert.Equal(("P-2", OrderType.Market, 0.05m), (sent[0].ChildId.Value, sent[0].Type, sent[0].Qty)); // behind schedule
        Assert.Equal(("P-3", OrderType.Limit, 0.25m), (sent[1].ChildId.Value, sent[1].Type, sent[1].Qty));
        Assert.Equal(0.5m, s.Unassigned);
        AssertNotOvercommitted(s);
    }

    [Fact]
    public void A_child_the_venue_closed_with_fills_not_yet_booked_stays_working_until_they_are_so_nothing_is_sent_twice()
    {
        var s = Start(Parent(0.4m), Twap4);
        (s, _) = Decide(s, 0);
        var due = (s.Plan[1].Due - T0).TotalSeconds;
        (s, _) = Decide(s, due); // slice 2 due: P-1 (0.1 at the touch) is cancelled
        // The venue cancelled P-1 after a print filled 0.04 of it; the cancel reached us before the fill did.
        s = Booked(s, "P-1", OrderStatus.Cancelled, 0m, venueFilled: 0.04m);
        Assert.True(s.Child(new ClientOrderId("P-1"))!.IsOpen);
        var (waiting, events) = Decide(s, due + 1);
        Assert.Empty(Sent(events)); // the 0.1 may not be sent again: 0.04 of it is already executed at the venue
        Assert.Equal(0m, waiting.Unassigned - (0.4m - 0.1m));

        // The fill arrives: the child closes with it, and only the real rest goes out.
        s = Booked(waiting, "P-1", OrderStatus.Cancelled, 0.04m, venueFilled: 0.04m);
        Assert.False(s.Child(new ClientOrderId("P-1"))!.IsOpen);
        (s, events) = Decide(s, due + 2);
        Assert.Equal(0.06m + 0.1m, Sent(events).Sum(e => e.Qty));
        AssertNotOvercommitted(s);
    }

    [Fact]
    public void Twap_crosses_whatever_is_left_at_the_horizon_and_then_completes_with_no_further_child()
    {
        var s = Start(Parent(1m), Twap4);
        (s, _) = Decide(s, 0);
        s = Booked(s, "P-1", OrderStatus.Filled, 0.25m);
        for (var k = 1; k < 4; k++)
        {
            var due = (s.Plan[k].Due - T0).TotalSeconds;
            (s, var events) = Decide(s, due);
            Assert.Equal(k + 1, Assert.Single(Sent(events)).N);
            if (k < 3) s = Booked(s, $"P-{k + 1}", OrderStatus.Filled, 0.25m);
        }
        // The last slice rests unfilled until the horizon: cancelled, then crossed.
        (s, var atEnd) = Decide(s, 240);
        Assert.IsType<SliceCancelRequested>(Assert.Single(atEnd));
        s = Booked(s, "P-4", OrderStatus.Cancelled, 0.1m, atSeconds: 240);
        (s, atEnd) = Decide(s, 240.5);
        var cross = Assert.Single(Sent(atEnd));
        Assert.Equal((OrderType.Market, TimeInForce.ImmediateOrCancel, 0.15m), (cross.Type, cross.TimeInForce, cross.Qty));

        s = Booked(s, "P-5", OrderStatus.Filled, 0.15m, 50_010m, atSeconds: 241);
        (s, var done) = Decide(s, 241);
        var completed = Assert.IsType<AlgoCompleted>(Assert.Single(done));
        Assert.Equal(AlgoStatus.Completed, s.Status);
        Assert.Equal(1m, completed.Quality.FilledQty);
        Assert.Equal(241.0, completed.Quality.TimeToFillSeconds);
        Assert.Equal(s.Children.Sum(c => c.Filled), s.Parent.Qty);

        Assert.Empty(s.Decide(At(300), Quote()));
        Assert.Empty(s.Decide(At(10_000), Quote(40_000m, 40_001m)));
    }

    [Fact]
    public void Aggressive_twap_crosses_each_slice_with_what_is_behind()
    {
        var s = Start(Parent(0.9m, Side.Sell), new TwapAlgo(TimeSpan.FromMinutes(3), 3, SliceStyle.Aggressive));
        (s, var events) = Decide(s, 0);
        Assert.Equal((OrderType.Market, 0.3m), (Assert.Single(Sent(events)).Type, Sent(events)[0].Qty));
        // The book took only 0.1 of it.
        s = Booked(s, "P-1", OrderStatus.Cancelled, 0.1m);
        (s, events) = Decide(s, 1);
        Assert.Equal(0.2m, Assert.Single(Sent(events)).Qty); // sent again within the slice
        s = Booked(s, "P-2", OrderStatus.Filled, 0.2m);
        (s, events) = Decide(s, (s.Plan[1].Due - T0).TotalSeconds);
        Assert.Equal(0.3m, Assert.Single(Sent(events)).Qty);
    }

    [Fact]
    public void Vwap_follows_its_plan()
    {
        var shares = new double[60];
        shares[0] = 3;
        shares[1] = 1;
        var s = Start(Parent(2m), new VwapAlgo(TimeSpan.FromMinutes(2), 2, new VolumeProfile(TimeSpan.FromHours(1), shares)));

        (s, var events) = Decide(s, 0);

        Assert.Equal(1.5m, Assert.Single(Sent(events)).Qty);
        Assert.Equal(0.5m, s.Plan[1].Qty);
    }

    [Fact]
    public void Market_sends_again_what_the_book_could_not_take_and_respects_a_parent_limit()
    {
        var s = Start(Parent(1m), new MarketAlgo());
        (s, var events) = Decide(s, 0);
        Assert.Equal((OrderType.Market, 1m), (Assert.Single(Sent(events)).Type, Sent(events)[0].Qty));
        (s, events) = Decide(s, 0.1);
        Assert.Empty(events); // in flight

        s = Booked(s, "P-1", OrderStatus.Cancelled, 0.4m);
        (s, events) = Decide(s, 0.2);
        Assert.Equal(0.6m, Assert.Single(Sent(events)).Qty);

        var limited = Start(Parent(1m, limit: 50_005m), new MarketAlgo());
        (_, events) = Decide(limited, 0);
        var child = Assert.Single(Sent(events));
        Assert.Equal((OrderType.Limit, TimeInForce.ImmediateOrCancel, (decimal?)50_005m), (child.Type, child.TimeInForce, child.Price));
    }

    [Fact]
    public void Limit_reprices_only_after_the_timeout_and_only_when_the_touch_moved()
    {
        var s = Start(Parent(0.5m), new LimitAlgo(TimeSpan.FromSeconds(10)));
        (s, var events) = Decide(s, 0);
        Assert.Equal(49_990m, Assert.Single(Sent(events)).Price);

        Assert.Empty(Decide(s, 5, Quote(49_995m, 50_005m)).Events);   // moved, but not long enough
        Assert.Empty(Decide(s, 15, Quote(49_990m, 50_005m)).Events);  // long enough, but still at the touch
        (s, events) = Decide(s, 15, Quote(49_995m, 50_005m));
        Assert.IsType<SliceCancelRequested>(Assert.Single(events));

        s = Booked(s, "P-1", OrderStatus.Cancelled, 0.1m);
        (s, events) = Decide(s, 16, Quote(49_995m, 50_005m));
        var repriced = Assert.Single(Sent(events));
        Assert.Equal(("P-2", 0.4m, (decimal?)49_995m, TimeInForce.PostOnly), (repriced.ChildId.Value, repriced.Qty, repriced.Price, repriced.TimeInForce));
    }

    [Fact]
    public void A_post_only_child_that_would_cross_is_posted_again_and_does_not_count_as_a_failure()
    {
        var s = Start(Parent(0.5m), new LimitAlgo(TimeSpan.FromSeconds(10)));
        for (var i = 1; i <= 2 * AlgoState.MaxConsecutiveRejections; i++)
        {
            (s, var events) = Decide(s, i);
            Assert.Single(Sent(events));
            s = Booked(s, $"P-{i}", OrderStatus.Rejected, 0m, atSeconds: i, reason: Hean.Core.Exchange.SimulatedExchangeReasons.PostOnlyWouldCross);
        }
        Assert.Equal(AlgoStatus.Running, s.Status);
        Assert.Null(s.RetryAt); // no back-off either: the touch moved, and the next child goes at once
    }

    [Fact]
    public void A_twap_whose_children_are_refused_backs_off_exponentially_and_stops_with_the_reason_instead_of_spinning()
    {
        // The venue (or the gateway's breaker) refuses every child, post-only ones included: 20 s of market time in 100 ms
        // steps once sent 210 children. Now: a child, then waits of 1, 2, 4, 8 s, and a stop after the fifth refusal.
        var s = Start(Parent(1m), new TwapAlgo(TimeSpan.FromMinutes(10), 10));
        var sentAt = new List<double>();
        for (var step = 0; step <= 600 && !s.IsFinished; step++)
        {
            var t = step * 0.1;
            (s, var events) = Decide(s, t);
            foreach (var child in Sent(events))
            {
                sentAt.Add(Math.Round(t, 1));
                s = Booked(s, child.ChildId.Value, OrderStatus.Rejected, 0m, atSeconds: t, reason: "circuit breaker open: venue unavailable");
            }
        }
        Assert.Equal([0, 1, 3, 7, 15], sentAt);
        Assert.Equal(AlgoStatus.Cancelled, s.Status);
        Assert.Contains("5 child orders rejected in a row, the last: circuit breaker open", s.Reason);
        Assert.Equal(TimeSpan.FromSeconds(30), AlgoState.Backoff(10)); // capped
    }

    [Fact]
    public void Repeated_rejections_of_crossing_children_cancel_the_algorithm()
    {
        var s = Start(Parent(0.5m), new MarketAlgo());
        for (var i = 1; i <= AlgoState.MaxConsecutiveRejections; i++)
        {
            (s, var events) = Decide(s, i * 60); // past every back-off
            Assert.Single(Sent(events));
            s = Booked(s, $"P-{i}", OrderStatus.Rejected, 0m, atSeconds: i * 60);
        }

        var (after, last) = Decide(s, 600);

        Assert.IsType<AlgoCancelRequested>(last[0]);
        var cancelled = Assert.IsType<AlgoCancelled>(last[1]);
        Assert.Contains("rejected", cancelled.Reason);
        Assert.Equal(AlgoStatus.Cancelled, after.Status);
        Assert.Empty(Sent(last));
    }

    [Fact]
    public void Iceberg_shows_the_visible_part_and_refills_when_it_is_done()
    {
        var s = Start(Parent(0.35m, limit: 50_000m), new IcebergAlgo(0.1m, TimeSpan.FromSeconds(10)));
        var shown = new List<decimal>();
        for (var i = 1; s.Status == AlgoStatus.Running; i++)
        {
            (s, var events) = Decide(s, i);
            if (s.IsFinished) break;
            var child = Assert.Single(Sent(events));
            Assert.Equal((OrderType.Limit, TimeInForce.GoodTillCancel, (decimal?)50_000m), (child.Type, child.TimeInForce, child.Price));
            Assert.Empty(Decide(s, i + 0.5).Events); // nothing more while it shows
            shown.Add(child.Qty);
            s = Booked(s, child.ChildId.Value, OrderStatus.Filled, child.Qty, 50_000m);
        }
        Assert.Equal([0.1m, 0.1m, 0.1m, 0.05m], shown);
        Assert.Equal(0.35m, s.Filled);
        Assert.Equal(AlgoStatus.Completed, s.Status);
    }

    [Fact]
    public void Cancelling_the_parent_cancels_the_working_children_and_sends_nothing_after()
    {
        var s = Start(Parent(1m), Twap4);
        (s, _) = Decide(s, 0);
        s = s.Cancel(At(5), "operator").Aggregate(s, (x, e) => x.Apply(e));
        Assert.Equal(AlgoStatus.Cancelling, s.Status);
        Assert.Empty(s.Cancel(At(6), "again"));

        (s, var events) = Decide(s, 5);
        Assert.IsType<SliceCancelRequested>(Assert.Single(events));
        (s, events) = Decide(s, (s.Plan[1].Due - T0).TotalSeconds);
        Assert.Empty(events); // the next slice is due, but the parent is being cancelled

        s = Booked(s, "P-1", OrderStatus.Cancelled, 0.05m);
        (s, events) = Decide(s, 200);
        var cancelled = Assert.IsType<AlgoCancelled>(Assert.Single(events));
        Assert.Equal("operator", cancelled.Reason);
        Assert.Equal(0.05, cancelled.Quality.FillRate);
        Assert.Empty(Decide(s, 300).Events);
        Assert.Single(s.Children);
    }

    [Fact]
    public void Reconcile_counts_a_fill_once_whatever_order_and_how_often_the_updates_come()
    {
        var s = Start(Parent(1m), new LimitAlgo(TimeSpan.FromSeconds(10)));
        (s, _) = Decide(s, 0);
        s = Booked(s, "P-1", OrderStatus.PartiallyFilled, 0.3m, 49_990m, 0.5m);
        var again = Booked(s, "P-1", OrderStatus.PartiallyFilled, 0.3m, 49_990m, 0.5m);
        var older = again.Apply(new SliceFilled(s.ParentId, new ClientOrderId("P-1"), 0.1m, 49_980m, 0.1m, At(1)));

        Assert.Equal(s, again);
        Assert.Equal(s, older);
        Assert.Equal((0.3m, 0.5m, 0.7m), (older.Filled, older.Fees, older.Unassigned + older.Working));
    }

    [Fact]
    public void Without_a_price_nothing_is_sent_and_a_trades_only_market_posts_one_tick_inside_the_last_trade()
    {
        var s = Start(Parent(1m), new LimitAlgo(TimeSpan.FromSeconds(10)));
        Assert.Empty(s.Decide(T0, new MarketQuote(Btc.Symbol, T0, null, null, null)));

        var (_, events) = Decide(s, 0, new MarketQuote(Btc.Symbol, T0, null, null, 50_000.05m));
        Assert.Equal(49_999.9m, Assert.Single(Sent(events)).Price); // 50 000.05 - 0.1, floored to the tick
    }

    [Theory]
    [InlineData("a-parent-id-that-is-far-too-long-1", "longer than")]
    [InlineData("P", "lot size")]
    public void Invalid_parents_are_refused(string id, string expected)
    {
        var qty = id == "P" ? 1.0005m : 1m;
        Assert.Contains(expected, AlgoState.Validate(Parent(qty, id: id), new MarketAlgo(), Btc));
        Assert.Null(AlgoState.Validate(Parent(1m), new MarketAlgo(), Btc));
        Assert.NotNull(AlgoState.Validate(Parent(1m), new TwapAlgo(TimeSpan.Zero, 3), Btc));
        Assert.NotNull(AlgoState.Validate(Parent(1m), new IcebergAlgo(0.0001m, TimeSpan.FromSeconds(1)), Btc));
    }
}
