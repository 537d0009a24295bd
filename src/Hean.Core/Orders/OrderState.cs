using System.Collections.Immutable;
using Hean.Core.Domain;
using Hean.Core.Exchange;

namespace Hean.Core.Orders;

public sealed class InvalidOrderTransitionException(ClientOrderId id, OrderStatus from, string what)
    : InvalidOperationException($"order {id}: cannot {what} when {from}");

/// <summary>
/// One order as a fold over its events. Transitions that make no sense throw; what a venue may
/// legitimately send twice or out of order is handled in <see cref="Decide"/>, not here.
/// </summary>
public sealed record OrderState(
    OrderRequest Request,
    OrderStatus Status,
    decimal FilledQty,
    decimal AvgFillPrice,
    decimal Fees,
    string? VenueOrderId,
    string Origin,
    decimal? ArrivalPrice,
    DateTime CreatedAt,
    DateTime UpdatedAt,
    string? Reason,
    ImmutableHashSet<string> TradeIds)
{
    public ClientOrderId Id => Request.ClientOrderId;
    public Symbol Symbol => Request.Symbol;
    public decimal LeavesQty => Status.IsTerminal() ? 0m : Request.Qty - FilledQty;

    /// <summary>Working state without a pending request: Accepted, or PartiallyFilled once something filled.</summary>
    private OrderStatus Working => FilledQty > 0 ? OrderStatus.PartiallyFilled : OrderStatus.Accepted;

    /// <summary>The venue's total executed quantity when it closed the order (null: not said, or not closed).</summary>
    public decimal? VenueFilledQty { get; init; }

    /// <summary>
    /// Cancelled at the venue with more executed there than booked here: fills are still on their way (an execution
    /// push can trail the order push, a cancel response can overtake both). Until they are booked the unfilled rest
    /// is not free: an algorithm that sent it again would overfill its parent.
    /// </summary>
    public bool AwaitingFills => Status == OrderStatus.Cancelled && VenueFilledQty is { } venue && venue > FilledQty;

    /// <summary>The change asked for while PendingAmend.</summary>
    public OrderAmendRequested? PendingAmendment { get; init; }

    public static OrderState Create(OrderCreated e) =>
        new(e.Request, OrderStatus.New, 0m, 0m, 0m, null, e.Origin, e.ArrivalPrice, e.Time, e.Time, null,
            ImmutableHashSet<string>.Empty) { SignalPrice = e.SignalPrice };

    /// <summary>The price the strategy decided at, when the order came from a signal.</summary>
    public decimal? SignalPrice { get; init; }

    /// <summary>
    /// What a fill cost against trading at the reference price with no fee (USDT; negative when it did
    /// better): the gap between expected and realized PnL that the fill contributes.
    /// </summary>
    public static decimal ExecutionCost(Fill fill, decimal reference) =>
        (fill.Price - reference) * fill.Qty * fill.Side.Sign() + fill.Fee;

    /// <summary>Cost of a fill against a reference price in basis points: positive when we paid more (bought higher, sold lower).</summary>
    public static double SlippageBps(Fill fill, decimal reference) =>
        reference <= 0 ? 0 : (double)((fill.Price - reference) / reference * fill.Side.Sign() * 10_000m);

    public OrderState Apply(IOrderEvent e) => e switch
    {
        OrderSubmitted s => Status == OrderStatus.New
            ? this with { Status = OrderStatus.Submitted, UpdatedAt = s.Time }
            : throw new InvalidOrderTransitionException(Id, Status, "submit"),
        OrderAccepted a => Status is OrderStatus.New or OrderStatus.Submitted
            ? this with { Status = OrderStatus.Accepted, VenueOrderId = a.VenueOrderId, UpdatedAt = a.Time }
            : Status is OrderStatus.Accepted or OrderStatus.PartiallyFilled or OrderStatus.PendingCancel or OrderStatus.PendingAmend
                ? this with { VenueOrderId = a.VenueOrderId }
                : throw new InvalidOrderTransitionException(Id, Status, "accept"),
        OrderRejected r => Status.IsTerminal()
            ? throw new InvalidOrderTransitionException(Id, Status, "reject")
            : this with { Status = OrderStatus.Rejected, Reason = r.Reason, UpdatedAt = r.Time },
        OrderRevived r => Status == OrderStatus.Rejected
            ? this with { Status = OrderStatus.Accepted, Reason = r.Reason, UpdatedAt = r.Time }
            : throw new InvalidOrderTransitionException(Id, Status, "revive"),
        OrderFilled f => ApplyFill(f.Fill),
        OrderCancelRequested c => Status.IsTerminal()
            ? throw new InvalidOrderTransitionException(Id, Status, "request cancel")
            : this with { Status = OrderStatus.PendingCancel, Reason = c.Reason, UpdatedAt = c.Time },
        OrderCancelRejected c => Status == OrderStatus.PendingCancel
            ? this with { Status = Working, Reason = c.Reason, UpdatedAt = c.Time }
            : throw new InvalidOrderTransitionException(Id, Status, "reject a cancel"),
        OrderAmendRequested a => Status is OrderStatus.Accepted or OrderStatus.PartiallyFilled
            ? this with { Status = OrderStatus.PendingAmend, PendingAmendment = a, UpdatedAt = a.Time }
            : throw new InvalidOrderTransitionException(Id, Status, "request an amend"),
        OrderAmended a => Status == OrderStatus.PendingAmend && a.Qty >= FilledQty
            ? this with
            {
                Request = Request with { Qty = a.Qty, Price = a.Price ?? Request.Price },
                Status = a.Qty == FilledQty ? OrderStatus.Filled : Working,
                PendingAmendment = null,
                UpdatedAt = a.Time,
            }
            : throw new InvalidOrderTransitionException(Id, Status, "amend"),
        OrderAmendRejected r => Status == OrderStatus.PendingAmend
            ? this with { Status = Working, PendingAmendment = null, Reason = r.Reason, UpdatedAt = r.Time }
            : throw new InvalidOrderTransitionException(Id, Status, "reject an amend"),
        OrderCancelled c => Status.IsTerminal()
            ? throw new InvalidOrderTransitionException(Id, Status, "cancel")
            : this with { Status = OrderStatus.Cancelled, Reason = c.Reason, UpdatedAt = c.Time, VenueFilledQty = c.VenueFilledQty },
        OrderCreated => throw new InvalidOrderTransitionException(Id, Status, "create again"),
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "unknown order event")
    };

    private OrderState ApplyFill(Fill fill)
    {
        if (Status.IsTerminal() && Status != OrderStatus.Cancelled)
            throw new InvalidOrderTransitionException(Id, Status, "fill");
        if (TradeIds.Contains(fill.TradeId))
            throw new InvalidOrderTransitionException(Id, Status, $"apply trade {fill.TradeId} twice");
        var filled = FilledQty + fill.Qty;
        if (filled > Request.Qty)
            throw new InvalidOrderTransitionException(Id, Status, $"fill {fill.Qty} beyond the order quantity {Request.Qty} (filled {FilledQty})");
        var avg = (AvgFillPrice * FilledQty + fill.Price * fill.Qty) / filled;
        // A fill racing a cancel is real: the venue filled before it cancelled. Keep Cancelled then.
        var status = Status == OrderStatus.Cancelled ? OrderStatus.Cancelled
            : filled == Request.Qty ? OrderStatus.Filled
            : Status is OrderStatus.PendingCancel or OrderStatus.PendingAmend ? Status
            : OrderStatus.PartiallyFilled;
        return this with
        {
            Status = status,
            FilledQty = filled,
            AvgFillPrice = avg,
            Fees = Fees + fill.Fee,
            UpdatedAt = fill.Time,
            TradeIds = TradeIds.Add(fill.TradeId),
        };
    }

    /// <summary>
    /// The events a venue report means for this order: none for duplicates and for news we already
    /// have (an acceptance after a fill, a second cancel) and for fills without quantity, a clamp
    /// against overfills.
    /// </summary>
    public IReadOnlyList<IOrderEvent> Decide(ExecutionReport report) => report switch
    {
        OrderAcceptedReport a when Status is OrderStatus.New or OrderStatus.Submitted =>
            [new OrderAccepted(Id, a.Time, a.VenueOrderId)],
        // The venue reports working an order we had taken as never placed: it exists after all.
        OrderAcceptedReport a when Status == OrderStatus.Rejected =>
            [new OrderRevived(Id, a.Time, $"working at the venue after it was closed as rejected ({Reason})")],
        OrderAcceptedReport => [],
        OrderRejectedReport r when !Status.IsTerminal() => [new OrderRejected(Id, r.Time, r.Reason)],
        OrderRejectedReport => [],
        OrderFilledReport f when f.Fill.Qty <= 0 => [], // nothing to book, and Apply could not fold it
        OrderFilledReport f when TradeIds.Contains(f.Fill.TradeId) => [],
        OrderFilledReport f when FilledQty + f.Fill.Qty > Request.Qty => [],
        OrderFilledReport f when Status == OrderStatus.Filled => [],
        // The venue filled an order we had taken as never placed: it exists, the fill is real, book it.
        OrderFilledReport f when Status == OrderStatus.Rejected =>
            [new OrderRevived(Id, f.Time, $"filled at the venue after it was closed as rejected ({Reason})"), new OrderFilled(f.Fill)],
        OrderFilledReport f => Status is OrderStatus.New or OrderStatus.Submitted
            ? [new OrderAccepted(Id, f.Time, VenueOrderId ?? "implicit"), new OrderFilled(f.Fill)]
            : [new OrderFilled(f.Fill)],
        OrderCancelledReport c when !Status.IsTerminal() => [new OrderCancelled(Id, c.Time, c.Reason, c.VenueFilledQty)],
        OrderCancelledReport => [],
        CancelRejectedReport c when Status == OrderStatus.PendingCancel => [new OrderCancelRejected(Id, c.Time, c.Reason)],
        CancelRejectedReport => [],
        OrderAmendedReport a when Status == OrderStatus.PendingAmend && a.Qty >= FilledQty => [new OrderAmended(Id, a.Time, a.Qty, a.Price)],
        OrderAmendedReport => [],
        AmendRejectedReport r when Status == OrderStatus.PendingAmend => [new OrderAmendRejected(Id, r.Time, r.Reason)],
        AmendRejectedReport => [],
        _ => []
    };

    /// <summary>
    /// The events of asking to cancel or amend: none when the order is not working at the venue (closed, never sent,
    /// or another request pending).
    /// </summary>
    public IReadOnlyList<IOrderEvent> RequestCancel(DateTime time, string reason) =>
        Status is OrderStatus.Accepted or OrderStatus.PartiallyFilled ? [new OrderCancelRequested(Id, time, reason)] : [];

    public IReadOnlyList<IOrderEvent> RequestAmend(DateTime time, decimal? qty, decimal? price) =>
        Status is OrderStatus.Accepted or OrderStatus.PartiallyFilled && Request.Type == OrderType.Limit && (qty is null || qty > FilledQty)
            ? [new OrderAmendRequested(Id, time, qty, price)]
            : [];

    /// <summary>True when a fill report would exceed the order quantity: an overfill the venue must not do.</summary>
    public bool IsOverfill(OrderFilledReport f) => !TradeIds.Contains(f.Fill.TradeId) && FilledQty + f.Fill.Qty > Request.Qty;
}
