using Akka.Persistence.Query;
using Hean.Core.Orders;
using Hean.Core.Portfolio;

namespace Hean.Actors.History;

/// <summary>A change the projection makes to the history store for one journal event.</summary>
public abstract record HistoryChange(string PersistenceId, long SequenceNr)
{
    public sealed record AddFill(FillRow Row) : HistoryChange(Row.PersistenceId, Row.SequenceNr);

    public sealed record AddOrder(OrderRow Row) : HistoryChange(Row.PersistenceId, Row.SequenceNr);

    /// <summary>A later event of an order: its status, what filled, and why it ended.</summary>
    public sealed record UpdateOrder(string Pid, long Seq, string ClientOrderId, DateTime Time, string? Status, decimal FilledQty, string? Reason)
        : HistoryChange(Pid, Seq);

    public sealed record AddPnl(PnlRow Row) : HistoryChange(Row.PersistenceId, Row.SequenceNr);
}

/// <summary>Pure mapping of journal events to history changes (no I/O: tested without a database).</summary>
public static class HistoryProjector
{
    public static HistoryChange? Project(EventEnvelope e, decimal initialCapital) => Project(e.PersistenceId, e.SequenceNr, e.Event, initialCapital);

    public static HistoryChange? Project(string pid, long seq, object evt, decimal initialCapital) => evt switch
    {
        FillBooked { Fill: var f } => new HistoryChange.AddFill(new FillRow(pid, seq, f.Time, f.Symbol.Value, Name(f.Side),
            f.ClientOrderId.Value, f.TradeId, f.Price, f.Qty, f.Fee, Name(f.Liquidity))),
        OrderCreated c => new HistoryChange.AddOrder(new OrderRow(pid, seq, c.ClientOrderId.Value, c.Time, c.Request.Symbol.Value,
            Name(c.Request.Side), Name(c.Request.Type), c.Request.Qty, c.Request.Price, c.Origin, "created", c.Time, 0m, null)),
        OrderSubmitted s => new HistoryChange.UpdateOrder(pid, seq, s.ClientOrderId.Value, s.Time, "submitted", 0m, null),
        OrderAccepted a => new HistoryChange.UpdateOrder(pid, seq, a.ClientOrderId.Value, a.Time, "accepted", 0m, null),
        OrderRejected r => new HistoryChange.UpdateOrder(pid, seq, r.ClientOrderId.Value, r.Time, "rejected", 0m, r.Reason),
        OrderFilled f => new HistoryChange.UpdateOrder(pid, seq, f.ClientOrderId.Value, f.Time, null, f.Fill.Qty, null),
        OrderCancelRequested c => new HistoryChange.UpdateOrder(pid, seq, c.ClientOrderId.Value, c.Time, "pending_cancel", 0m, c.Reason),
        OrderCancelled c => new HistoryChange.UpdateOrder(pid, seq, c.ClientOrderId.Value, c.Time, "cancelled", 0m, c.Reason),
        EquitySampled s => new HistoryChange.AddPnl(new PnlRow(pid, seq, s.Time, s.Equity, s.Equity - initialCapital,
            string.Join(",", s.Marks.OrderBy(m => m.Key, StringComparer.Ordinal).Select(m => $"{m.Key}={m.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)}")))),
        _ => null,
    };

    /// <summary>The order after an update (a fill without a status sets filled or partially filled; terminal states stay).</summary>
    public static OrderRow Apply(OrderRow order, HistoryChange.UpdateOrder u)
    {
        var filled = order.FilledQty + u.FilledQty;
        var status = u.Status ?? (filled >= order.Qty ? "filled" : "partially_filled");
        // A late cancel request does not reopen a filled order; a fill after a cancel request is still a fill.
        if (order.Status is "filled" or "rejected" or "cancelled" && u.Status is "pending_cancel" or "submitted" or "accepted") status = order.Status;
        if (order.Status == "pending_cancel" && u.Status is "submitted" or "accepted") status = order.Status;
        return order with { SequenceNr = u.SequenceNr, Status = status, Updated = u.Time, FilledQty = filled, Reason = u.Reason ?? order.Reason };
    }

    private static string Name<T>(T value) where T : struct, Enum => value.ToString().ToLowerInvariant();
}
