using Hean.Core.Domain;
using Hean.Core.Execution;
using Hean.Core.Orders;

namespace Hean.Actors.Execution;

/// <summary>
/// Messages between the execution router (the parent, index "execution-index"), its per-symbol entities
/// (<see cref="ExecutionEntity"/>, "execution-{SYMBOL}") and their algorithms, and what they persist.
/// </summary>
public static class AlgoProtocol
{
    /// <summary>Start on this parent order. Answer (to the original sender): ExecutionStarted or ExecutionFailed.</summary>
    public sealed record StartAlgo(ExecutionProtocol.ExecuteOrder Order);

    /// <summary>Decide at this market time. Answer: <see cref="AlgoTicked"/>.</summary>
    public sealed record AlgoTick(DateTime Time);
    public sealed record AlgoTicked(ClientOrderId ParentId, bool Finished);

    /// <summary>Send no new child, cancel the working ones, end. Answer: ExecutionProtocol.CancelResult.</summary>
    public sealed record CancelAlgo(string Reason, DateTime? Time);

    /// <summary>To the router: the algorithm ended (or never started, State null) and stops.</summary>
    public sealed record AlgoFinished(ClientOrderId ParentId, AlgoState? State);

    /// <summary>
    /// Stop after what is already in the mailbox (and, unlike PoisonPill, after recovery: a persistent actor stashes
    /// commands while it recovers, while a PoisonPill would stop it at once and drop them).
    /// </summary>
    public sealed record StopAlgo
    {
        public static StopAlgo Instance { get; } = new();
    }

    // The router to an entity.

    /// <summary>Let the running algorithms decide at this market time, one after the other in parent id order. Answer: <see cref="AlgosTicked"/>.</summary>
    public sealed record TickAlgos(DateTime Time);
    /// <summary><paramref name="Algos"/>: how many decided; <paramref name="Running"/>: how many still run after it.</summary>
    public sealed record AlgosTicked(Symbol Symbol, int Algos, int Running) : IWithSymbol;

    /// <summary>Cancel every running algorithm (cancel-all, the kill switch). Answer: <see cref="AlgosCancelled"/> once each has answered.</summary>
    public sealed record CancelAlgos(string Reason, DateTime? Time);
    public sealed record AlgosCancelled(Symbol Symbol, int Cancelled) : IWithSymbol;

    /// <summary>Does a running algorithm own this order id (its parent or one of its children)? Answer: <see cref="OwnsOrder"/>.</summary>
    public sealed record FindOwner(ClientOrderId ClientOrderId);
    public sealed record OwnsOrder(Symbol Symbol, bool Owns) : IWithSymbol;

    // Persisted by an entity (persistence id "execution-{SYMBOL}"): which algorithms of the symbol run, to start them
    // again after a restart. Before the entities, the router wrote the same events for every symbol in "execution-router".

    public sealed record AlgoRegistered(ClientOrderId ParentId, Symbol Symbol, DateTime Time);
    public sealed record AlgoEnded(ClientOrderId ParentId, DateTime Time);
    public sealed record RouterSnapshot(IReadOnlyList<AlgoRegistered> Running);

    /// <summary>
    /// The first event of an entity migrated from the router of older versions ("execution-router", the journal layout
    /// migration): the symbol's algorithms that were running there, and those that had ended (their final state stays
    /// readable through GetAlgo).
    /// </summary>
    public sealed record AlgosImported(IReadOnlyList<AlgoRegistered> Running, IReadOnlyList<AlgoRegistered> Ended, DateTime At);

    /// <summary>The index "execution-index" (like a shard region's remembered entities): an execution entity exists for this symbol.</summary>
    public sealed record ExecutionEntityStarted(Symbol Symbol) : IWithSymbol;

    /// <summary>Snapshot of one algorithm (persistence id "algo-{parentId}").</summary>
    public sealed record AlgoSnapshot(AlgoState State);
}
