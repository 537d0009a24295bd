using Akka.Actor;
using Akka.Persistence;

namespace Hean.Actors.Persistence;

/// <summary>
/// Reads one persistent stream for the journal layout migration (its latest snapshot, then its events, each handed to
/// <c>onEach</c> on this actor's thread), then, if <c>append</c> answers events for what was read (sequence number,
/// whether there was a snapshot), persists them in one atomic write; answers <see cref="Read"/> and stops.
/// </summary>
internal sealed class JournalReader : ReceivePersistentActor
{
    private readonly IActorRef _replyTo;

    public override string PersistenceId { get; }

    public JournalReader(string persistenceId, Action<object>? onEach, Func<long, bool, IReadOnlyList<object>?>? append, IActorRef replyTo)
    {
        PersistenceId = persistenceId;
        _replyTo = replyTo;
        var hadSnapshot = false;
        Recover<SnapshotOffer>(o =>
        {
            hadSnapshot = true;
            onEach?.Invoke(o.Snapshot);
        });
        Recover<RecoveryCompleted>(_ =>
        {
            var read = LastSequenceNr;
            if (append?.Invoke(read, hadSnapshot) is { Count: > 0 } events)
            {
                var remaining = events.Count;
                PersistAll(events, _ =>
                {
                    if (--remaining > 0) return;
                    replyTo.Tell(new Read(persistenceId, read, hadSnapshot, Written: true));
                    Context.Stop(Self);
                });
                return;
            }
            replyTo.Tell(new Read(persistenceId, read, hadSnapshot, Written: false));
            Context.Stop(Self);
        });
        Recover<object>(e => onEach?.Invoke(e));
        CommandAny(_ => { });
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        _replyTo.Tell(new Status.Failure(cause));
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        _replyTo.Tell(new Status.Failure(cause));
        base.OnPersistRejected(cause, @event, sequenceNr);
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        _replyTo.Tell(new Status.Failure(reason));
        base.OnRecoveryFailure(reason, message);
    }

    /// <param name="LastSequenceNr">The stream's last sequence number before anything was written.</param>
    public sealed record Read(string PersistenceId, long LastSequenceNr, bool HadSnapshot, bool Written);
}

/// <summary>Runs a <see cref="JournalReader"/> from outside any actor (the start of the trading components).</summary>
internal static class JournalStreams
{
    /// <summary>
    /// Reads (and maybe writes) one stream; fails when the journal does, or when it has read nothing for <paramref name="idle"/>
    /// (a stream of any length is read to its end while it makes progress).
    /// </summary>
    public static async Task<JournalReader.Read> Run(ActorSystem system, string persistenceId, Action<object>? onEach,
        Func<long, bool, IReadOnlyList<object>?>? append, TimeSpan idle)
    {
        var done = new TaskCompletionSource<JournalReader.Read>(TaskCreationOptions.RunContinuationsAsynchronously);
        var inbox = system.ActorOf(Props.Create(() => new Replier(done)));
        long read = 0;
        try
        {
            var counted = Counted(onEach, () => Interlocked.Increment(ref read));
            system.ActorOf(Props.Create(() => new JournalReader(persistenceId, counted, append, inbox)), "journal-layout-" + Guid.NewGuid().ToString("N"));
            var seen = -1L;
            while (true)
            {
                if (await Task.WhenAny(done.Task, Task.Delay(idle)) == done.Task) return await done.Task;
                var now = Interlocked.Read(ref read);
                if (now == seen)
                    throw new TimeoutException($"the journal gave nothing of '{persistenceId}' for {idle.TotalSeconds:0.#} s (after {now} entries read)");
                seen = now;
            }
        }
        finally
        {
            system.Stop(inbox);
        }
    }

    private static Action<object> Counted(Action<object>? onEach, Action count) => e =>
    {
        count();
        onEach?.Invoke(e);
    };

    private sealed class Replier : ReceiveActor
    {
        public Replier(TaskCompletionSource<JournalReader.Read> done)
        {
            Receive<JournalReader.Read>(r => done.TrySetResult(r));
            Receive<Status.Failure>(f => done.TrySetException(f.Cause));
        }
    }
}
