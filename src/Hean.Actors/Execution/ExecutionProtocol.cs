using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Core.Orders;

namespace Hean.Actors.Execution;

/// <summary>Messages of the execution router and the exchange gateway.</summary>
public static class ExecutionProtocol
{
    /// <summary>Register and send an approved order. Answer: <see cref="ExecutionStarted"/> or <see cref="ExecutionFailed"/>.</summary>
    public sealed record ExecuteOrder(OrderRequest Order, string Origin, decimal? ArrivalPrice, DateTime Time, decimal? SignalPrice = null);
    public sealed record ExecutionStarted(ClientOrderId ClientOrderId);
    public sealed record ExecutionFailed(ClientOrderId ClientOrderId, string Reason);

    /// <summary>Answer: <see cref="CancelResult"/>.</summary>
    public sealed record CancelOrder(ClientOrderId ClientOrderId, string Reason, DateTime? Time = null);
    public sealed record CancelResult(ClientOrderId ClientOrderId, bool Sent, string? Error);

    /// <summary>Answer: <see cref="CancelAllResult"/>.</summary>
    public sealed record CancelAllOrders(Symbol? Symbol, string Reason, DateTime? Time = null);
    public sealed record CancelAllResult(int Cancelled, string? Error);

    // Gateway only.

    /// <summary>Market data for the simulated venue. Answer: <see cref="MarketDataApplied"/> once matched.</summary>
    public sealed record ApplyMarketData(IReadOnlyList<IMarketEvent> Events);
    public sealed record MarketDataApplied(int Events, int Reports);

    /// <summary>Send an order that the order manager has registered. Answer: <see cref="PlaceResult"/>.</summary>
    public sealed record PlaceOrder(OrderRequest Order, DateTime Time);
    public sealed record PlaceResult(ClientOrderId ClientOrderId, bool Sent, string? Error);

    public sealed record GetVenueState;
    public sealed record VenueState(IReadOnlyList<OrderRequest> OpenOrders, IReadOnlyDictionary<string, decimal> Positions, DateTime LastMarketTime);

    public sealed record GetCircuitState;
    public sealed record CircuitState(string State, int Failures);
}
