using Hean.Core.Domain;
using Hean.Core.Execution;
using Hean.Core.Orders;

namespace Hean.Actors.Execution;

/// <summary>Messages between the execution router and its algorithms, and what the two persist.</summary>
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

    // Persisted by the router (persistence id "execution-router"): which algorithms run, to start them again after a restart.

    public sealed record AlgoRegistered(ClientOrderId ParentId, Symbol Symbol, DateTime Time);
    public sealed record AlgoEnded(ClientOrderId ParentId, DateTime Time);
    public sealed record RouterSnapshot(IReadOnlyList<AlgoRegistered> Running);

    /// <summary>Snapshot of one algorithm (persistence id "algo-{parentId}").</summary>
    public sealed record AlgoSnapshot(AlgoState State);
}
