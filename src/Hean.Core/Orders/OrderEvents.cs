using Hean.Core.Domain;

namespace Hean.Core.Orders;

/// <summary>A persisted change of one of our orders.</summary>
public interface IOrderEvent
{
    ClientOrderId ClientOrderId { get; }
    DateTime Time { get; }
}

/// <summary>The order exists on our side; written before the first send. ArrivalPrice is the mid when decided.</summary>
public sealed record OrderCreated(OrderRequest Request, DateTime Time, string Origin, decimal? ArrivalPrice) : IOrderEvent
{
    public ClientOrderId ClientOrderId => Request.ClientOrderId;

    /// <summary>The price the strategy decided at (for slippage against the signal).</summary>
    public decimal? SignalPrice { get; init; }
}

public sealed record OrderSubmitted(ClientOrderId ClientOrderId, DateTime Time) : IOrderEvent;

public sealed record OrderAccepted(ClientOrderId ClientOrderId, DateTime Time, string VenueOrderId) : IOrderEvent;

public sealed record OrderRejected(ClientOrderId ClientOrderId, DateTime Time, string Reason) : IOrderEvent;

/// <summary>
/// A fill arrived for an order we had closed as rejected (taken as never placed): the venue had it after all. The
/// order is working again, so the fill is booked and positions keep agreeing with the venue's.
/// </summary>
public sealed record OrderRevived(ClientOrderId ClientOrderId, DateTime Time, string Reason) : IOrderEvent;

public sealed record OrderFilled(Fill Fill) : IOrderEvent
{
    public ClientOrderId ClientOrderId => Fill.ClientOrderId;
    public DateTime Time => Fill.Time;
}

public sealed record OrderCancelRequested(ClientOrderId ClientOrderId, DateTime Time, string Reason) : IOrderEvent;

/// <summary>
/// The order is closed at the venue. <see cref="VenueFilledQty"/> is what the venue says it executed in total (Bybit's
/// cumExecQty), when it says: fills still on their way are awaited (<see cref="OrderState.AwaitingFills"/>) before the
/// unfilled rest counts as free. Null when the venue did not say (a paper venue reports its fills first).
/// </summary>
public sealed record OrderCancelled(ClientOrderId ClientOrderId, DateTime Time, string Reason, decimal? VenueFilledQty = null) : IOrderEvent;

/// <summary>The venue refused the cancel and the order is still working there: back to its working state.</summary>
public sealed record OrderCancelRejected(ClientOrderId ClientOrderId, DateTime Time, string Reason) : IOrderEvent;

/// <summary>A change of quantity and/or price was sent (PendingAmend until the venue answers).</summary>
public sealed record OrderAmendRequested(ClientOrderId ClientOrderId, DateTime Time, decimal? Qty, decimal? Price) : IOrderEvent;

/// <summary>The venue took the change: the order now rests with this total quantity and price.</summary>
public sealed record OrderAmended(ClientOrderId ClientOrderId, DateTime Time, decimal Qty, decimal? Price) : IOrderEvent;

/// <summary>The venue refused the change; the order keeps its terms.</summary>
public sealed record OrderAmendRejected(ClientOrderId ClientOrderId, DateTime Time, string Reason) : IOrderEvent;
