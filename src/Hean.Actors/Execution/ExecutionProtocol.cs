using Hean.Core.Domain;
using Hean.Core.Execution;
using Hean.Core.MarketData;
using Hean.Core.Orders;

namespace Hean.Actors.Execution;

/// <summary>Messages of the execution router and the exchange gateway.</summary>
public static class ExecutionProtocol
{
    /// <summary>
    /// Register and send an approved order. Answer: <see cref="ExecutionStarted"/> or <see cref="ExecutionFailed"/>.
    /// Without <paramref name="Algo"/> the order goes to the venue as it is; with one, an execution algorithm
    /// (persistent child of the router) works it as the parent of child orders "{id}-{n}", and the answer
    /// comes once the algorithm has started and sent what is due at <paramref name="Time"/>.
    /// </summary>
    /// <param name="SignalAt">The <see cref="System.Diagnostics.Stopwatch"/> timestamp of the signal behind the order (signal_to_order).</param>
    public sealed record ExecuteOrder(OrderRequest Order, string Origin, decimal? ArrivalPrice, DateTime Time, decimal? SignalPrice = null,
        AlgoSpec? Algo = null, long? SignalAt = null) : IWithSymbol
    {
        public Symbol Symbol => Order.Symbol;
    }
    public sealed record ExecutionStarted(ClientOrderId ClientOrderId);
    public sealed record ExecutionFailed(ClientOrderId ClientOrderId, string Reason);

    /// <summary>
    /// Answer: <see cref="CancelResult"/>. With its <paramref name="Symbol"/> (when the sender knows it) it goes to that
    /// symbol's execution entity; without (an operator's cancel by id) the router finds the entity whose algorithm owns it.
    /// </summary>
    public sealed record CancelOrder(ClientOrderId ClientOrderId, string Reason, DateTime? Time = null, Symbol? Symbol = null);
    public sealed record CancelResult(ClientOrderId ClientOrderId, bool Sent, string? Error);

    /// <summary>
    /// Change a resting limit order: new total quantity and/or price. Answer: <see cref="AmendResult"/>. The order is
    /// PendingAmend until the venue answers; a refused amend leaves it as it was.
    /// </summary>
    public sealed record AmendOrder(ClientOrderId ClientOrderId, decimal? Qty, decimal? Price, DateTime? Time = null, Symbol? Symbol = null);
    public sealed record AmendResult(ClientOrderId ClientOrderId, bool Amended, string? Error);

    /// <summary>Answer: <see cref="CancelAllResult"/>.</summary>
    public sealed record CancelAllOrders(Symbol? Symbol, string Reason, DateTime? Time = null);
    public sealed record CancelAllResult(int Cancelled, string? Error);

    /// <summary>
    /// Market time moved on (the feed, after each batch reached the venue). The router hands it to the execution
    /// entities with running algorithms one after the other in symbol order, each lets its algorithms decide one after
    /// the other in parent id order, then the router answers <see cref="MarketTimeHandled"/> (Algos: how many decided).
    /// </summary>
    public sealed record MarketTimeAdvanced(DateTime Time);
    public sealed record MarketTimeHandled(DateTime Time, int Algos);

    /// <summary>An algorithm's state, running or recently finished. Answer: <see cref="AlgoView"/>. Without its symbol the router asks every entity.</summary>
    public sealed record GetAlgo(ClientOrderId ParentId, Symbol? Symbol = null);
    public sealed record AlgoView(AlgoState? State);

    /// <summary>Parent ids of the running algorithms (of one symbol, or of all), in ordinal order. Answer: <see cref="ActiveAlgos"/>.</summary>
    public sealed record GetActiveAlgos(Symbol? Symbol = null);
    public sealed record ActiveAlgos(IReadOnlyList<ClientOrderId> ParentIds);

    /// <summary>Published on the EventStream when an algorithm ends: its final state and quality (for reports and projections).</summary>
    public sealed record AlgoReport(AlgoState State);

    // Gateway only.

    /// <summary>The touch and last trade of a symbol at the venue. Answer: <see cref="MarketQuote"/>.</summary>
    public sealed record GetQuote(Symbol Symbol);

    /// <summary>Quote plus depth, volatility, volume and profile, for the smart router. Answer: <see cref="MarketView"/>.</summary>
    public sealed record GetMarketConditions(Symbol Symbol);
    public sealed record MarketView(MarketQuote Quote, MarketConditions Conditions);

    /// <summary>Market data for the simulated venue. Answer: <see cref="MarketDataApplied"/> once matched.</summary>
    public sealed record ApplyMarketData(IReadOnlyList<IMarketEvent> Events);
    public sealed record MarketDataApplied(int Events, int Reports);

    /// <summary>Send an order that the order manager has registered. Answer: <see cref="PlaceResult"/>.</summary>
    /// <summary>
    /// Send an order the order manager has registered. <paramref name="Submitted"/>: it is persisted as Submitted already
    /// (registered with <c>Submitting</c>), so the gateway sends it at once; otherwise the gateway marks it Submitted first.
    /// <paramref name="SignalAt"/>: the <see cref="System.Diagnostics.Stopwatch"/> timestamp of the signal behind it, for
    /// signal_to_order (observed when the order goes on the wire).
    /// </summary>
    public sealed record PlaceOrder(OrderRequest Order, DateTime Time, bool Submitted = false, long? SignalAt = null);
    public sealed record PlaceResult(ClientOrderId ClientOrderId, bool Sent, string? Error);

    public sealed record GetVenueState;
    public sealed record VenueState(IReadOnlyList<OrderRequest> OpenOrders, IReadOnlyDictionary<string, decimal> Positions, DateTime LastMarketTime);

    /// <summary>Answer: <see cref="CircuitState"/>. Problem: why the gateway refuses new orders (e.g. positions that disagree with the venue).</summary>
    public sealed record GetCircuitState;
    public sealed record CircuitState(string State, int Failures, string? Problem = null);

    /// <summary>Live venues: the state of reconciliation. Answer: <see cref="ReconciliationState"/>.</summary>
    public sealed record GetReconciliationState;
    public sealed record ReconciliationState(string? Problem, DateTime? LastExecutionTime, long CatchUps);
}
