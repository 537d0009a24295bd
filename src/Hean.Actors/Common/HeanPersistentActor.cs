using Akka.Persistence;
using Hean.Actors.Monitoring;

namespace Hean.Actors.Common;

/// <summary>
/// The base of HEAN's event-sourced actors: a journal write that fails or is refused is counted in
/// hean_errors_total{component="journal"} (the alert HeanJournalWriteFailures) before Akka handles it as it would (a
/// failure stops the actor for its backoff supervisor, a refusal is logged and the actor goes on).
/// </summary>
public abstract class HeanPersistentActor : ReceivePersistentActor
{
    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        HeanMetrics.JournalFailed();
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        HeanMetrics.JournalFailed();
        base.OnPersistRejected(cause, @event, sequenceNr);
    }
}
