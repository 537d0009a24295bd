using Hean.Core.Orders;
using Xunit;
using static Hean.Core.Tests.Orders.OrderFixture;

namespace Hean.Core.Tests.Orders;

public sealed class OrderStateTransitionTests
{
    private static IOrderEvent EventNamed(string name) => name switch
    {
        "submit" => Submitted(20),
        "accept" => Accepted(20, "v-2"),
        "reject" => Rejected(20),
        "fill" => Filled("t-new", 0.100m, second: 20),
        "request cancel" => CancelRequested(20),
        "cancel" => Cancelled(20),
        "create again" => new OrderCreated(Request(), At(20), "test", null),
        "reject a cancel" => new OrderCancelRejected(Id, At(20), "too late"),
        "request an amend" => AmendRequested(20),
        "amend" => new OrderAmended(Id, At(20), 1.000m, 49_100m),
        "reject an amend" => new OrderAmendRejected(Id, At(20), "too late"),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    /// <summary>
    /// The whole table: every event in every status. The expected value is the status after the
    /// event, or "throws" when the transition is illegal.
    /// </summary>
    public static TheoryData<OrderStatus, string, string> Table()
    {
        var data = new TheoryData<OrderStatus, string, string>();
        foreach (var s in AllStatuses)
        {
            var terminal = s.IsTerminal();
            data.Add(s, "submit", s == OrderStatus.New ? "Submitted" : "throws");
            data.Add(s, "accept", s switch
            {
                OrderStatus.New or OrderStatus.Submitted => "Accepted",
                OrderStatus.Accepted or OrderStatus.PartiallyFilled or OrderStatus.PendingCancel or OrderStatus.PendingAmend => s.ToString(),
                _ => "throws",
            });
            data.Add(s, "reject", terminal ? "throws" : "Rejected");
            data.Add(s, "fill", s switch
            {
                OrderStatus.New or OrderStatus.Submitted or OrderStatus.Accepted or OrderStatus.PartiallyFilled => "PartiallyFilled",
                OrderStatus.PendingCancel => "PendingCancel",
                OrderStatus.PendingAmend => "PendingAmend",
                OrderStatus.Cancelled => "Cancelled", // a fill racing the cancel
                _ => "throws",
            });
            data.Add(s, "request cancel", terminal ? "throws" : "PendingCancel");
            data.Add(s, "cancel", terminal ? "throws" : "Cancelled");
            data.Add(s, "create again", "throws");
            // The fixture's pending orders were Accepted with nothing filled: that is what they go back to.
            data.Add(s, "reject a cancel", s == OrderStatus.PendingCancel ? "Accepted" : "throws");
            data.Add(s, "request an amend", s is OrderStatus.Accepted or OrderStatus.PartiallyFilled ? "PendingAmend" : "throws");
            data.Add(s, "amend", s == OrderStatus.PendingAmend ? "Accepted" : "throws");
            data.Add(s, "reject an amend", s == OrderStatus.PendingAmend ? "Accepted" : "throws");
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void Every_event_in_every_status(OrderStatus from, string eventName, string expected)
    {
        var state = InStatus(from);
        Assert.Equal(from, state.Status);
        var e = EventNamed(eventName);

        if (expected == "throws")
        {
            var ex = Assert.Throws<InvalidOrderTransitionException>(() => state.Apply(e));
            Assert.Equal($"order o-1: cannot {eventName} when {from}", ex.Message);
            Assert.IsAssignableFrom<InvalidOperationException>(ex);
        }
        else
        {
            Assert.Equal(expected, state.Apply(e).Status.ToString());
        }
    }

    [Fact]
    public void Table_covers_all_nine_statuses_and_eleven_events()
    {
        Assert.Equal(9, AllStatuses.Length);
        Assert.Equal(99, Table().Count());
    }

    [Fact]
    public void An_amend_changes_price_and_quantity_and_a_fill_while_pending_keeps_it_pending()
    {
        var pending = InStatus(OrderStatus.Accepted).Apply(AmendRequested(5, 0.800m, 49_200m));
        Assert.Equal((OrderStatus.PendingAmend, 0.800m, (decimal?)49_200m), (pending.Status, pending.PendingAmendment!.Qty, pending.PendingAmendment.Price));
        var filled = pending.Apply(Filled("t-a", 0.300m, second: 6));
        Assert.Equal((OrderStatus.PendingAmend, 0.300m), (filled.Status, filled.FilledQty));
        var amended = filled.Apply(new OrderAmended(Id, At(7), 0.800m, 49_200m));
        Assert.Equal((OrderStatus.PartiallyFilled, 0.800m, (decimal?)49_200m, 0.500m), (amended.Status, amended.Request.Qty, amended.Request.Price, amended.LeavesQty));
        Assert.Null(amended.PendingAmendment);
        // Amended down to exactly what has filled: done.
        Assert.Equal(OrderStatus.Filled, filled.Apply(new OrderAmended(Id, At(7), 0.300m, 49_200m)).Status);
        // Below what has filled: impossible.
        Assert.Throws<InvalidOrderTransitionException>(() => filled.Apply(new OrderAmended(Id, At(7), 0.200m, 49_200m)));
        var refused = filled.Apply(new OrderAmendRejected(Id, At(7), "too late"));
        Assert.Equal((OrderStatus.PartiallyFilled, 1.000m, (decimal?)50_000m), (refused.Status, refused.Request.Qty, refused.Request.Price));
    }

    [Fact]
    public void Create_starts_new_with_nothing_filled()
    {
        var s = New();
        Assert.Equal(OrderStatus.New, s.Status);
        Assert.Equal(Id, s.Id);
        Assert.Equal(Btc, s.Symbol);
        Assert.Equal(0m, s.FilledQty);
        Assert.Equal(0m, s.AvgFillPrice);
        Assert.Equal(0m, s.Fees);
        Assert.Null(s.VenueOrderId);
        Assert.Null(s.Reason);
        Assert.Equal("test", s.Origin);
        Assert.Equal(49_999.95m, s.ArrivalPrice);
        Assert.Equal(T0, s.CreatedAt);
        Assert.Equal(T0, s.UpdatedAt);
        Assert.Empty(s.TradeIds);
        Assert.Equal(1.000m, s.LeavesQty);
    }

    [Fact]
    public void Happy_path_new_submitted_accepted_partially_filled_filled()
    {
        var s = New();
        s = s.Apply(Submitted(1));
        Assert.Equal((OrderStatus.Submitted, At(1)), (s.Status, s.UpdatedAt));
        s = s.Apply(Accepted(2, "v-77"));
        Assert.Equal((OrderStatus.Accepted, "v-77", At(2)), (s.Status, s.VenueOrderId, s.UpdatedAt));
        s = s.Apply(Filled("t1", 0.400m, second: 3));
        Assert.Equal((OrderStatus.PartiallyFilled, 0.400m, 0.600m, At(3)), (s.Status, s.FilledQty, s.LeavesQty, s.UpdatedAt));
        s = s.Apply(Filled("t2", 0.600m, second: 4));
        Assert.Equal((OrderStatus.Filled, 1.000m, 0m, At(4)), (s.Status, s.FilledQty, s.LeavesQty, s.UpdatedAt));
        Assert.Equal(["t1", "t2"], s.TradeIds.Order());
        Assert.Equal(T0, s.CreatedAt);
    }

    [Fact]
    public void A_single_fill_of_the_whole_quantity_on_an_accepted_order_fills_it()
    {
        var s = InStatus(OrderStatus.Accepted).Apply(Filled("t1", 1.000m));
        Assert.Equal(OrderStatus.Filled, s.Status);
        Assert.Equal(0m, s.LeavesQty);
    }

    [Fact]
    public void Accept_again_while_working_keeps_the_status_and_the_time_but_takes_the_venue_id()
    {
        var partial = InStatus(OrderStatus.PartiallyFilled);
        var s = partial.Apply(Accepted(30, "v-new"));
        Assert.Equal(OrderStatus.PartiallyFilled, s.Status);
        Assert.Equal("v-new", s.VenueOrderId);
        Assert.Equal(partial.UpdatedAt, s.UpdatedAt);
    }

    [Fact]
    public void Reject_records_the_reason_and_the_time()
    {
        var s = InStatus(OrderStatus.Submitted).Apply(Rejected(9, "price out of band"));
        Assert.Equal((OrderStatus.Rejected, "price out of band", At(9)), (s.Status, s.Reason, s.UpdatedAt));
        Assert.Equal(0m, s.LeavesQty);
    }

    [Fact]
    public void Reject_of_a_partially_filled_order_keeps_what_was_filled()
    {
        var s = InStatus(OrderStatus.PartiallyFilled).Apply(Rejected(9));
        Assert.Equal(OrderStatus.Rejected, s.Status);
        Assert.Equal(0.300m, s.FilledQty);
        Assert.Equal(0m, s.LeavesQty);
    }

    [Fact]
    public void Cancel_path_through_pending_cancel()
    {
        var s = InStatus(OrderStatus.Accepted).Apply(CancelRequested(4, "signal flat"));
        Assert.Equal((OrderStatus.PendingCancel, "signal flat", At(4)), (s.Status, s.Reason, s.UpdatedAt));
        Assert.Equal(1.000m, s.LeavesQty); // still open until the venue confirms
        s = s.Apply(Cancelled(6, "cancelled by user"));
        Assert.Equal((OrderStatus.Cancelled, "cancelled by user", At(6)), (s.Status, s.Reason, s.UpdatedAt));
        Assert.Equal(0m, s.LeavesQty);
    }

    [Fact]
    public void Cancel_requested_twice_stays_pending_with_the_latest_reason()
    {
        var s = InStatus(OrderStatus.PendingCancel).Apply(CancelRequested(8, "retry"));
        Assert.Equal((OrderStatus.PendingCancel, "retry", At(8)), (s.Status, s.Reason, s.UpdatedAt));
    }

    [Fact]
    public void Direct_cancel_without_a_request_from_new_submitted_accepted_and_partially_filled()
    {
        foreach (var from in new[] { OrderStatus.New, OrderStatus.Submitted, OrderStatus.Accepted, OrderStatus.PartiallyFilled })
            Assert.Equal(OrderStatus.Cancelled, InStatus(from).Apply(Cancelled(20)).Status);
    }

    [Fact]
    public void Partial_fill_while_pending_cancel_stays_pending_and_a_full_fill_completes_it()
    {
        var pending = InStatus(OrderStatus.PendingCancel);
        var partial = pending.Apply(Filled("t1", 0.250m));
        Assert.Equal(OrderStatus.PendingCancel, partial.Status);
        Assert.Equal(0.750m, partial.LeavesQty);
        var full = partial.Apply(Filled("t2", 0.750m));
        Assert.Equal(OrderStatus.Filled, full.Status);
        Assert.Equal(0m, full.LeavesQty);
    }

    [Fact]
    public void A_fill_racing_a_cancel_is_kept_and_the_order_stays_cancelled()
    {
        var cancelled = InStatus(OrderStatus.Cancelled);
        var s = cancelled.Apply(Filled("late-1", 0.400m, 50_010.0m, 11.0m, second: 7));
        Assert.Equal(OrderStatus.Cancelled, s.Status);
        Assert.Equal(0.400m, s.FilledQty);
        Assert.Equal(50_010.0m, s.AvgFillPrice);
        Assert.Equal(11.0m, s.Fees);
        Assert.Equal(0m, s.LeavesQty);
        Assert.Equal(At(7), s.UpdatedAt);
        Assert.Equal("user cancel", s.Reason);

        // Even a late fill of everything that was left does not turn it into Filled.
        s = s.Apply(Filled("late-2", 0.600m, 50_000.0m, second: 8));
        Assert.Equal(OrderStatus.Cancelled, s.Status);
        Assert.Equal(1.000m, s.FilledQty);
        // (0.4 x 50010 + 0.6 x 50000) / 1.0 = (20004 + 30000) / 1 = 50004
        Assert.Equal(50_004m, s.AvgFillPrice);
    }

    [Fact]
    public void Fill_after_filled_throws()
    {
        var ex = Assert.Throws<InvalidOrderTransitionException>(() => InStatus(OrderStatus.Filled).Apply(Filled("t-more", 0.001m)));
        Assert.Equal("order o-1: cannot fill when Filled", ex.Message);
    }

    [Fact]
    public void Accept_after_rejected_throws()
    {
        var ex = Assert.Throws<InvalidOrderTransitionException>(() => InStatus(OrderStatus.Rejected).Apply(Accepted()));
        Assert.Equal("order o-1: cannot accept when Rejected", ex.Message);
    }

    [Fact]
    public void The_same_trade_id_twice_throws_and_names_the_trade()
    {
        var s = InStatus(OrderStatus.Accepted).Apply(Filled("t-42", 0.100m));
        var ex = Assert.Throws<InvalidOrderTransitionException>(() => s.Apply(Filled("t-42", 0.100m)));
        Assert.Equal("order o-1: cannot apply trade t-42 twice when PartiallyFilled", ex.Message);
    }

    [Fact]
    public void The_same_trade_id_twice_throws_even_on_a_cancelled_order()
    {
        var s = InStatus(OrderStatus.Cancelled).Apply(Filled("t-late", 0.100m));
        Assert.Throws<InvalidOrderTransitionException>(() => s.Apply(Filled("t-late", 0.100m)));
    }

    [Theory]
    [InlineData("0.699", "PartiallyFilled", "0.001")]  // just under the remaining 0.700
    [InlineData("0.700", "Filled", "0")]              // exactly the remainder
    public void Fill_up_to_the_order_quantity_is_accepted(string qty, string status, string leaves)
    {
        var s = InStatus(OrderStatus.PartiallyFilled).Apply(Filled("t2", decimal.Parse(qty)));
        Assert.Equal(status, s.Status.ToString());
        Assert.Equal(decimal.Parse(leaves), s.LeavesQty);
    }

    [Fact]
    public void Fill_one_lot_beyond_the_order_quantity_throws_and_says_how_much()
    {
        var s = InStatus(OrderStatus.PartiallyFilled); // 0.300 of 1.000 filled
        var ex = Assert.Throws<InvalidOrderTransitionException>(() => s.Apply(Filled("t2", 0.701m)));
        Assert.Equal("order o-1: cannot fill 0.701 beyond the order quantity 1.000 (filled 0.300) when PartiallyFilled", ex.Message);
    }

    [Fact]
    public void Fill_beyond_quantity_on_a_cancelled_order_throws_too()
    {
        var s = InStatus(OrderStatus.Cancelled).Apply(Filled("t1", 0.900m));
        Assert.Throws<InvalidOrderTransitionException>(() => s.Apply(Filled("t2", 0.101m)));
    }

    [Fact]
    public void Average_fill_price_over_three_partial_fills_and_fees_accumulate()
    {
        var s = InStatus(OrderStatus.Accepted);

        s = s.Apply(Filled("t1", 0.200m, 50_000.0m, 5.5m));
        Assert.Equal(50_000m, s.AvgFillPrice);
        Assert.Equal(5.5m, s.Fees);

        s = s.Apply(Filled("t2", 0.300m, 50_010.0m, 8.25165m));
        // (0.2 x 50000 + 0.3 x 50010) / 0.5 = (10000 + 15003) / 0.5 = 50006
        Assert.Equal(50_006m, s.AvgFillPrice);
        Assert.Equal(13.75165m, s.Fees); // 5.5 + 8.25165

        s = s.Apply(Filled("t3", 0.500m, 49_990.0m, 13.74725m));
        // (10000 + 15003 + 24995) / 1.0 = 49998
        Assert.Equal(49_998m, s.AvgFillPrice);
        Assert.Equal(27.4989m, s.Fees); // 13.75165 + 13.74725
        Assert.Equal(OrderStatus.Filled, s.Status);
        Assert.Equal(1.000m, s.FilledQty);
    }

    [Fact]
    public void Average_fill_price_with_a_repeating_decimal_is_the_vwap_to_28_digits()
    {
        var s = InStatus(OrderStatus.Accepted)
            .Apply(Filled("t1", 0.100m, 100.0m))
            .Apply(Filled("t2", 0.200m, 101.0m));
        // (10 + 20.2) / 0.3 = 100.666...
        Assert.Equal(100.6666666667m, Math.Round(s.AvgFillPrice, 10));
    }

    [Fact]
    public void Maker_rebates_are_negative_fees_and_reduce_the_total()
    {
        var s = InStatus(OrderStatus.Accepted)
            .Apply(Filled("t1", 0.5m, fee: 2.75m))
            .Apply(Filled("t2", 0.5m, fee: -0.5m));
        Assert.Equal(2.25m, s.Fees);
    }

    [Fact]
    public void Fill_on_a_new_order_before_any_ack_is_applied()
    {
        var s = New().Apply(Filled("t1", 0.3m));
        Assert.Equal(OrderStatus.PartiallyFilled, s.Status);
        Assert.Null(s.VenueOrderId);
    }

    [Fact]
    public void Unknown_event_type_is_rejected()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => New().Apply(new StrangeEvent(Id, T0)));
        Assert.Equal("e", ex.ParamName);
    }

    [Fact]
    public void LeavesQty_is_quantity_minus_filled_while_open_and_zero_when_terminal()
    {
        Assert.Equal(1.000m, InStatus(OrderStatus.New).LeavesQty);
        Assert.Equal(1.000m, InStatus(OrderStatus.Submitted).LeavesQty);
        Assert.Equal(1.000m, InStatus(OrderStatus.Accepted).LeavesQty);
        Assert.Equal(0.700m, InStatus(OrderStatus.PartiallyFilled).LeavesQty);
        Assert.Equal(1.000m, InStatus(OrderStatus.PendingCancel).LeavesQty);
        Assert.Equal(0m, InStatus(OrderStatus.Filled).LeavesQty);
        Assert.Equal(0m, InStatus(OrderStatus.Cancelled).LeavesQty);
        Assert.Equal(0m, InStatus(OrderStatus.Rejected).LeavesQty);
    }

    [Theory]
    [InlineData(OrderStatus.New, false)]
    [InlineData(OrderStatus.Submitted, false)]
    [InlineData(OrderStatus.Accepted, false)]
    [InlineData(OrderStatus.PartiallyFilled, false)]
    [InlineData(OrderStatus.PendingCancel, false)]
    [InlineData(OrderStatus.Filled, true)]
    [InlineData(OrderStatus.Cancelled, true)]
    [InlineData(OrderStatus.Rejected, true)]
    public void Terminal_and_open_are_complements(OrderStatus s, bool terminal)
    {
        Assert.Equal(terminal, s.IsTerminal());
        Assert.Equal(!terminal, s.IsOpen());
    }

    private sealed record StrangeEvent(ClientOrderId ClientOrderId, DateTime Time) : IOrderEvent;
}
