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

public sealed record OrderFilled(Fill Fill) : IOrderEvent
{
    public ClientOrderId ClientOrderId => Fill.ClientOrderId;
    public DateTime Time => Fill.Time;
}

public sealed record OrderCancelRequested(ClientOrderId ClientOrderId, DateTime Time, string Reason) : IOrderEvent;

public sealed record OrderCancelled(ClientOrderId ClientOrderId, DateTime Time, string Reason) : IOrderEvent;
