using Akka.Actor;
using Akka.Persistence;
using Hean.Actors.Common;

namespace Hean.Actors.Tests.Execution;

/// <summary>Writes events under a persistence id, to set up the journal a crash at a chosen moment would leave behind.</summary>
internal sealed class JournalWriter : ReceivePersistentActor
{
    public sealed record Write(IReadOnlyList<object> Events);

    private readonly string _persistenceId;

    public override string PersistenceId => _persistenceId;

    public JournalWriter(string persistenceId)
    {
        _persistenceId = persistenceId;
        Command<Write>(m =>
        {
            var left = m.Events.Count;
            var sender = Sender;
            PersistAll(m.Events, _ =>
            {
                if (--left == 0) sender.Tell(Synced.Instance);
            });
        });
    }
}
