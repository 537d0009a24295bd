using Hean.Core.Exchange;
using Hean.Core.Orders;
using Xunit;
using static Hean.Core.Tests.Orders.OrderFixture;

namespace Hean.Core.Tests.Orders;

public sealed class OrderStateDecideTests
{
    public static TheoryData<OrderStatus> Statuses() => new(AllStatuses);

    [Theory]
    [InlineData(OrderStatus.New)]
    [InlineData(OrderStatus.Submitted)]
    public void Acceptance_of_an_unacknowledged_order_is_an_OrderAccepted(OrderStatus status)
    {
        var events = InStatus(status).Decide(AcceptedReport(9, "v-9"));
        Assert.Equal([new OrderAccepted(Id, At(9), "v-9")], events);
    }

    [Theory]
    [InlineData(OrderStatus.Accepted)]
    [InlineData(OrderStatus.PartiallyFilled)]
    [InlineData(OrderStatus.PendingCancel)]
    [InlineData(OrderStatus.Filled)]
    [InlineData(OrderStatus.Cancelled)]
    public void Acceptance_after_the_order_moved_on_is_old_news(OrderStatus status) =>
        Assert.Empty(InStatus(status).Decide(AcceptedReport(9, "v-9")));

    [Fact]
    public void Acceptance_of_an_order_closed_as_rejected_revives_it_the_venue_is_working_it()
    {
        var revived = Assert.IsType<OrderRevived>(Assert.Single(InStatus(OrderStatus.Rejected).Decide(AcceptedReport(9, "v-9"))));
        var after = InStatus(OrderStatus.Rejected).Apply(revived);
        Assert.Equal(OrderStatus.Accepted, after.Status);
        Assert.Empty(after.Decide(AcceptedReport(10, "v-9"))); // and then old news
    }

    [Fact]
    public void Acceptance_arriving_after_a_fill_gives_no_events()
    {
        // The fill came first (and implied the acceptance); the late ack adds nothing.
        var s = New();
        foreach (var e in s.Decide(FilledReport("t1", 0.4m, 0.6m))) s = s.Apply(e);
        Assert.Equal(OrderStatus.PartiallyFilled, s.Status);
        Assert.Empty(s.Decide(AcceptedReport(9)));
    }

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Reject_of_an_open_order_is_an_OrderRejected_and_of_a_terminal_one_nothing(OrderStatus status)
    {
        var events = InStatus(status).Decide(RejectedReport(9, "qty too small"));
        if (status.IsTerminal()) Assert.Empty(events);
        else Assert.Equal([new OrderRejected(Id, At(9), "qty too small")], events);
    }

    [Fact]
    public void A_cancel_saying_more_executed_than_booked_leaves_the_order_awaiting_those_fills_until_they_come()
    {
        var s = InStatus(OrderStatus.PendingCancel);
        var events = s.Decide(new OrderCancelledReport(Id, Btc, At(9), "cancelled", VenueFilledQty: 0.3m));
        Assert.Equal([new OrderCancelled(Id, At(9), "cancelled", 0.3m)], events);
        foreach (var e in events) s = s.Apply(e);
        Assert.Equal((OrderStatus.Cancelled, 0m, 0m, true), (s.Status, s.FilledQty, s.LeavesQty, s.AwaitingFills));

        foreach (var e in s.Decide(FilledReport("t-late", 0.1m, 0.9m))) s = s.Apply(e);
        Assert.Equal((OrderStatus.Cancelled, 0.1m, true), (s.Status, s.FilledQty, s.AwaitingFills));
        foreach (var e in s.Decide(FilledReport("t-late2", 0.2m, 0.7m))) s = s.Apply(e);
        Assert.Equal((OrderStatus.Cancelled, 0.3m, false), (s.Status, s.FilledQty, s.AwaitingFills));

        // Without the venue's quantity (a paper venue, which reports its fills first) nothing is awaited.
        var paper = InStatus(OrderStatus.Accepted);
        foreach (var e in paper.Decide(CancelledReport(9, "ioc remainder"))) paper = paper.Apply(e);
        Assert.False(paper.AwaitingFills);
    }

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Cancel_of_an_open_order_is_an_OrderCancelled_and_of_a_terminal_one_nothing(OrderStatus status)
    {
        var events = InStatus(status).Decide(CancelledReport(9, "ioc remainder"));
        if (status.IsTerminal()) Assert.Empty(events);
        else Assert.Equal([new OrderCancelled(Id, At(9), "ioc remainder")], events);
    }

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Cancel_rejected_returns_a_pending_cancel_to_working_and_changes_nothing_else(OrderStatus status)
    {
        var events = InStatus(status).Decide(CancelRejectedReport(9));
        if (status == OrderStatus.PendingCancel) Assert.Equal([new OrderCancelRejected(Id, At(9), "order not exists")], events);
        else Assert.Empty(events);
    }

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Amend_reports_apply_only_to_a_pending_amend(OrderStatus status)
    {
        var amended = InStatus(status).Decide(new OrderAmendedReport(Id, Btc, At(9), 0.9m, 49_100m));
        var refused = InStatus(status).Decide(new AmendRejectedReport(Id, Btc, At(9), "too late"));
        if (status == OrderStatus.PendingAmend)
        {
            Assert.Equal([new OrderAmended(Id, At(9), 0.9m, 49_100m)], amended);
            Assert.Equal([new OrderAmendRejected(Id, At(9), "too late")], refused);
        }
        else
        {
            Assert.Empty(amended);
            Assert.Empty(refused);
        }
    }

    [Theory]
    [InlineData(OrderStatus.New)]
    [InlineData(OrderStatus.Submitted)]
    public void Fill_before_the_ack_implies_the_acceptance_first(OrderStatus status)
    {
        var report = FilledReport("t1", 0.25m, 0.75m, second: 9);
        var events = InStatus(status).Decide(report);
        Assert.Equal([new OrderAccepted(Id, At(9), "implicit"), new OrderFilled(report.Fill)], events);

        // Applying them in order is legal and ends partially filled with a placeholder venue id.
        var s = InStatus(status);
        foreach (var e in events) s = s.Apply(e);
        Assert.Equal((OrderStatus.PartiallyFilled, 0.25m, "implicit"), (s.Status, s.FilledQty, s.VenueOrderId));
    }

    [Theory]
    [InlineData(OrderStatus.Accepted)]
    [InlineData(OrderStatus.PartiallyFilled)]
    [InlineData(OrderStatus.PendingCancel)]
    [InlineData(OrderStatus.Cancelled)] // a fill that raced the cancel is real
    public void Fill_on_a_working_or_cancelled_order_is_just_an_OrderFilled(OrderStatus status)
    {
        var report = FilledReport("t-new", 0.1m, 0.6m);
        Assert.Equal([new OrderFilled(report.Fill)], InStatus(status).Decide(report));
        Assert.False(InStatus(status).IsOverfill(report));
    }

    [Fact]
    public void Fill_on_a_rejected_order_revives_it_the_venue_had_it_after_all()
    {
        // Taken as never placed (say, while the venue's order history lagged), then its fill arrives: dropping it
        // would leave a position at the venue that our books never see.
        var rejected = InStatus(OrderStatus.Rejected);
        var report = FilledReport("t-new", 0.1m, 0.9m);
        var events = rejected.Decide(report);
        Assert.Equal(2, events.Count);
        var revived = Assert.IsType<OrderRevived>(events[0]);
        Assert.Contains("closed as rejected", revived.Reason);
        Assert.Equal(new OrderFilled(report.Fill), events[1]);
        Assert.False(rejected.IsOverfill(report));

        var after = events.Aggregate(rejected, (s, e) => s.Apply(e));
        Assert.Equal((OrderStatus.PartiallyFilled, 0.1m), (after.Status, after.FilledQty));
        Assert.Empty(after.Decide(report)); // the same trade again: nothing
        Assert.Throws<InvalidOrderTransitionException>(() => InStatus(OrderStatus.Accepted).Apply(revived)); // only a rejected order revives
    }

    [Fact]
    public void Fill_on_a_filled_order_gives_nothing_and_is_an_overfill()
    {
        var report = FilledReport("t-new", 0.001m, 0m);
        Assert.Empty(InStatus(OrderStatus.Filled).Decide(report));
        Assert.True(InStatus(OrderStatus.Filled).IsOverfill(report));
    }

    [Theory]
    [InlineData(OrderStatus.PartiallyFilled, "t-part")]
    [InlineData(OrderStatus.Filled, "t-all")]
    public void A_duplicate_trade_id_gives_no_events_and_is_not_an_overfill(OrderStatus status, string tradeId)
    {
        var s = InStatus(status);
        var duplicate = FilledReport(tradeId, 0.300m, 0.7m);
        Assert.Empty(s.Decide(duplicate));
        Assert.False(s.IsOverfill(duplicate));
        // Even a duplicate with a quantity that would overfill is a duplicate first.
        var bigDuplicate = FilledReport(tradeId, 5m, 0m);
        Assert.Empty(s.Decide(bigDuplicate));
        Assert.False(s.IsOverfill(bigDuplicate));
    }

    [Fact]
    public void The_same_report_twice_gives_events_once()
    {
        var s = InStatus(OrderStatus.Accepted);
        var report = FilledReport("t1", 0.5m, 0.5m);
        var first = s.Decide(report);
        Assert.Single(first);
        s = s.Apply(first[0]);
        Assert.Empty(s.Decide(report));
        Assert.Equal(0.5m, s.FilledQty);
    }

    [Theory]
    [InlineData("0.699", false)] // just under the 0.700 remaining
    [InlineData("0.700", false)] // exactly the remainder
    [InlineData("0.701", true)]  // one lot over
    public void Overfill_boundary(string qty, bool overfill)
    {
        var s = InStatus(OrderStatus.PartiallyFilled); // 0.300 of 1.000 filled
        var report = FilledReport("t2", decimal.Parse(qty), 0m);
        Assert.Equal(overfill, s.IsOverfill(report));
        var events = s.Decide(report);
        if (overfill) Assert.Empty(events);
        else Assert.Equal([new OrderFilled(report.Fill)], events);
    }

    [Fact]
    public void Overfill_on_a_new_order_gives_not_even_the_implied_acceptance()
    {
        var report = FilledReport("t1", 1.001m, 0m);
        Assert.Empty(New().Decide(report));
        Assert.True(New().IsOverfill(report));
    }

    /// <summary>
    /// A fill report without quantity carries nothing to book. Passing it on would persist an
    /// OrderFilled that Apply cannot fold (0 / 0 for the average of a first fill; a negative fill
    /// would shrink FilledQty), and the order manager persists before it applies, so the journal
    /// would fail again on every recovery.
    /// </summary>
    [Theory]
    [InlineData(OrderStatus.New, "0")]
    [InlineData(OrderStatus.Submitted, "0")]
    [InlineData(OrderStatus.Accepted, "0")]
    [InlineData(OrderStatus.PartiallyFilled, "0")]
    [InlineData(OrderStatus.Cancelled, "0")]
    [InlineData(OrderStatus.Accepted, "-0.1")]
    [InlineData(OrderStatus.PartiallyFilled, "-0.3")]
    public void A_fill_report_without_quantity_gives_no_events(OrderStatus status, string qty)
    {
        var s = InStatus(status);
        var report = FilledReport("t-empty", decimal.Parse(qty), s.LeavesQty);
        Assert.False(s.IsOverfill(report));
        Assert.Empty(s.Decide(report));
    }

    [Fact]
    public void Unknown_report_type_gives_nothing()
    {
        Assert.Empty(InStatus(OrderStatus.Accepted).Decide(new StrangeReport(Id, Btc, T0)));
    }

    /// <summary>
    /// Whatever a venue sends, in whatever order and however often, the events Decide returns are
    /// legal for Apply, the filled quantity never exceeds the order, and the state equals a fold
    /// over the distinct trades that were not overfills.
    /// </summary>
    [Fact]
    public void Random_report_streams_never_produce_an_illegal_event()
    {
        var rng = new Random(20240102);
        for (var run = 0; run < 500; run++)
        {
            var s = New();
            var sent = new List<OrderFilledReport>();
            var applied = new Dictionary<string, Fill>();
            for (var step = 0; step < 25; step++)
            {
                ExecutionReport report = rng.Next(10) switch
                {
                    0 => AcceptedReport(step, $"v-{run}"),
                    1 when rng.Next(4) == 0 => RejectedReport(step),
                    2 when rng.Next(3) == 0 => CancelledReport(step),
                    3 => CancelRejectedReport(step),
                    4 when sent.Count > 0 => sent[rng.Next(sent.Count)], // a resend
                    _ => FilledReport($"t{run}-{step}", rng.Next(20) == 0 ? 0m : rng.Next(1, 400) * 0.001m, 0m,
                        49_900.0m + rng.Next(0, 2_000) * 0.1m, rng.Next(0, 100) * 0.01m, step),
                };
                if (report is OrderFilledReport f && !sent.Contains(f)) sent.Add(f);

                var before = s;
                var overfill = report is OrderFilledReport r && s.IsOverfill(r);
                var events = s.Decide(report);
                if (overfill) Assert.Empty(events);
                foreach (var e in events)
                {
                    s = s.Apply(e); // throws if Decide ever proposes an illegal transition
                    if (e is OrderFilled of) applied.Add(of.Fill.TradeId, of.Fill);
                }
                if (before.Status.IsTerminal() && events.Count > 0)
                {
                    // Only late fills pass a terminal order: after a cancel, or reviving an order taken as rejected.
                    Assert.Contains(before.Status, new[] { OrderStatus.Cancelled, OrderStatus.Rejected });
                    if (before.Status == OrderStatus.Rejected) Assert.IsType<OrderRevived>(events[0]);
                }
                Assert.True(s.FilledQty <= s.Request.Qty);
            }

            Assert.Equal(applied.Values.Sum(f => f.Qty), s.FilledQty);
            Assert.Equal(applied.Values.Sum(f => f.Fee), s.Fees);
            Assert.Equal(applied.Keys.ToHashSet(), s.TradeIds.ToHashSet());
            if (s.FilledQty > 0)
            {
                var vwap = applied.Values.Sum(f => f.Qty * f.Price) / s.FilledQty;
                Assert.True(Math.Abs(vwap - s.AvgFillPrice) < 1e-18m, $"run {run}: avg {s.AvgFillPrice} vs vwap {vwap}");
            }
            if (s.FilledQty == s.Request.Qty && s.Status != OrderStatus.Cancelled)
                Assert.Equal(OrderStatus.Filled, s.Status);
        }
    }

    private sealed record StrangeReport(ClientOrderId ClientOrderId, Hean.Core.Domain.Symbol Symbol, DateTime Time)
        : ExecutionReport(ClientOrderId, Symbol, Time);
}
