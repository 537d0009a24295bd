using Hean.Core.Orders;

namespace Hean.Core.Execution;

/// <summary>A persisted change of one execution algorithm (persistence id "algo-{parentId}").</summary>
public interface IAlgoEvent
{
    ClientOrderId ParentId { get; }
    DateTime Time { get; }
}

/// <summary>
/// The algorithm took a parent order. <see cref="Requested"/> is what the caller asked for,
/// <see cref="Spec"/> what runs (they differ for the smart router, whose reasons and numbers are kept);
/// the slice plan is persisted so that a restart follows the same plan whatever the code does later.
/// </summary>
public sealed record AlgoStarted(
    OrderRequest Parent,
    AlgoSpec Requested,
    AlgoSpec Spec,
    decimal ArrivalMid,
    DateTime Time,
    IReadOnlyList<PlannedSlice> Plan,
    string Origin,
    string? Reasoning = null,
    IReadOnlyDictionary<string, double>? Numbers = null) : IAlgoEvent
{
    public ClientOrderId ParentId => Parent.ClientOrderId;
}

/// <summary>
/// A child order is decided; persisted before it is registered with the order manager, so after a
/// crash the algorithm knows the id and sends that same order, never a second one. Child n is
/// "{parentId}-{n}"; <see cref="Slice"/> is the plan slice it works.
/// </summary>
public sealed record SliceSent(
    ClientOrderId ParentId,
    int N,
    ClientOrderId ChildId,
    int Slice,
    OrderType Type,
    TimeInForce TimeInForce,
    decimal Qty,
    decimal? Price,
    DateTime Time,
    string Why) : IAlgoEvent;

/// <summary>
/// A child's fills so far as the order manager has booked them: cumulative, so a repeated or late
/// report can never count twice (an update that is not larger changes nothing).
/// </summary>
public sealed record SliceFilled(ClientOrderId ParentId, ClientOrderId ChildId, decimal FilledQty, decimal AvgPrice, decimal Fees, DateTime Time)
    : IAlgoEvent;

/// <summary>The child reached a final state (filled, cancelled, rejected); its unfilled rest goes back to the parent.</summary>
public sealed record SliceClosed(ClientOrderId ParentId, ClientOrderId ChildId, OrderStatus Status, DateTime Time, string? Reason) : IAlgoEvent;

/// <summary>The algorithm asked the venue to cancel a child; it stays working (and may fill) until it is closed.</summary>
public sealed record SliceCancelRequested(ClientOrderId ParentId, ClientOrderId ChildId, DateTime Time, string Reason) : IAlgoEvent;

/// <summary>No new child from now on; the algorithm ends when its working children are closed.</summary>
public sealed record AlgoCancelRequested(ClientOrderId ParentId, DateTime Time, string Reason) : IAlgoEvent;

public sealed record AlgoCompleted(ClientOrderId ParentId, DateTime Time, ExecutionQuality Quality) : IAlgoEvent;

public sealed record AlgoCancelled(ClientOrderId ParentId, DateTime Time, string Reason, ExecutionQuality Quality) : IAlgoEvent;
