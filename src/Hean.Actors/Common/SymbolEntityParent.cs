using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Hean.Core.Domain;

namespace Hean.Actors.Common;

/// <summary>
/// A child-per-entity parent, as a shard region would be on a cluster: one persistent child per symbol, created on the
/// symbol's first message, and an index of its own (events <typeparamref name="TStarted"/>, the entities it ever started, like a
/// region's remembered entities), so that after a restart every entity starts again whatever SYMBOLS says now. An entity
/// that stops (its journal failed) starts again after 1 s, or at once when a message is for it. The order manager and the
/// execution router are its two kinds; what each answers across its entities stays in the subclass.
/// </summary>
public abstract class SymbolEntityParent<TStarted> : HeanPersistentActor, IWithTimers where TStarted : IWithSymbol
{
    private readonly SortedSet<string> _known = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Child> _entities = new(StringComparer.Ordinal);
    private readonly Dictionary<IActorRef, Child> _byRef = new();
    // Barriers (Sync) still waiting for an entity's answer, in the order they came.
    private readonly List<Barrier> _barriers = new();
    private readonly TimeSpan _ask;

    public ITimerScheduler Timers { get; set; } = null!;

    /// <param name="kind">How the log names an entity ("order", "execution").</param>
    /// <param name="ask">How long <see cref="Gather{T}"/> waits for each entity.</param>
    protected SymbolEntityParent(string kind, TimeSpan ask)
    {
        _ask = ask;
        Recover<TStarted>(e => _known.Add(e.Symbol.Value));
        Recover<RecoveryCompleted>(_ =>
        {
            foreach (var symbol in _known) Entity(symbol);
            if (_known.Count > 0) Log.Info("{0} entities started: {1}", kind, string.Join(", ", _known));
        });
        Command<RestartEntity>(m =>
        {
            if (_known.Contains(m.Symbol)) Entity(m.Symbol);
        });
        Command<Terminated>(t =>
        {
            if (OnTerminated(t.ActorRef)) return;
            if (!_byRef.Remove(t.ActorRef, out var child)) return;
            // Its journal failed: it comes back after a pause (or at once when a message is for it), recovered.
            _entities.Remove(child.Symbol);
            Log.Warning("{0} entity {1} stopped; it starts again in 1 s", kind, child.Symbol);
            Timers.StartSingleTimer("restart-" + child.Symbol, new RestartEntity(child.Symbol), TimeSpan.FromSeconds(1));
            // What it had not handled is lost with it: a barrier waiting for it is not answered (its asker times out),
            // as when the barrier asked it and never heard back.
            var dropped = _barriers.RemoveAll(b => b.Waits(child));
            if (dropped > 0) Log.Warning("{0} barrier(s) not answered: {1} entity {2} stopped before it synced", dropped, kind, child.Symbol);
        });
        // An entity's answer to a barrier (Sync) this parent sent it: answers come in the order the barriers were sent.
        Command<Synced>(_ =>
        {
            if (!_byRef.TryGetValue(Sender, out var child)) return;
            child.SyncsAnswered++;
            for (var i = 0; i < _barriers.Count; i++)
            {
                if (!_barriers[i].Done) continue;
                _barriers[i].Asker.Tell(Synced.Instance);
                _barriers.RemoveAt(i--);
            }
        });
    }

    /// <summary>The symbols whose entity was ever started, in ordinal order.</summary>
    protected IReadOnlyCollection<string> Known => _known;

    protected bool IsKnown(string symbol) => _known.Contains(symbol);

    /// <summary>The props and child name of a symbol's entity.</summary>
    protected abstract (Props Props, string Name) EntityOf(Symbol symbol);

    /// <summary>The index event that remembers a symbol's entity.</summary>
    protected abstract TStarted Started(Symbol symbol);

    /// <summary>An entity was created (at start, on demand, or again after it stopped).</summary>
    protected virtual void OnEntityCreated(string symbol, IActorRef entity) { }

    /// <summary>Another watched actor than an entity ended; true when the subclass took it.</summary>
    protected virtual bool OnTerminated(IActorRef actor) => false;

    /// <summary>To the symbol's entity, created (and remembered in the index first) when it is the symbol's first message.</summary>
    protected void Route(Symbol symbol, object message)
    {
        if (_known.Contains(symbol.Value))
        {
            Entity(symbol.Value).Forward(message);
            return;
        }
        var sender = Sender;
        Persist(Started(symbol), e =>
        {
            _known.Add(e.Symbol.Value);
            Entity(e.Symbol.Value).Tell(message, sender);
        });
    }

    protected IActorRef? Existing(string symbol) => _known.Contains(symbol) ? Entity(symbol) : null;

    /// <summary>
    /// The symbol's entity, started again if it had stopped, for a message to it: the next barrier
    /// (<see cref="AnswerSync"/>) waits for it.
    /// </summary>
    protected IActorRef Entity(string symbol)
    {
        var child = ChildOf(symbol);
        child.Unsynced = true;
        return child.Ref;
    }

    /// <summary>A message to an entity taken earlier (from an answer): the next barrier waits for it.</summary>
    protected void Tell(IActorRef entity, object message, IActorRef sender)
    {
        if (_byRef.TryGetValue(entity, out var child)) child.Unsynced = true;
        entity.Tell(message, sender);
    }

    private Child ChildOf(string symbol)
    {
        if (_entities.TryGetValue(symbol, out var child)) return child;
        var (props, name) = EntityOf(new Symbol(symbol));
        var entity = Context.ActorOf(props, name);
        Context.Watch(entity);
        // New, or recovering: it has not synced yet.
        child = new Child(symbol, entity) { Unsynced = true };
        _entities[symbol] = child;
        _byRef[entity] = child;
        OnEntityCreated(symbol, entity);
        return child;
    }

    /// <summary>Every entity in the index, started again if it had stopped.</summary>
    protected List<IActorRef> All() => _known.Select(Entity).ToList();

    /// <summary>Asks every entity in the index; the answers in symbol order.</summary>
    protected Task<T[]> Gather<T>(object query)
    {
        var ask = _ask;
        return Task.WhenAll(All().Select(e => e.Ask<T>(query, ask)));
    }

    /// <summary>
    /// A barrier (<see cref="Sync"/>): answered once every entity has handled (and persisted) whatever this parent sent it
    /// before. Only the entities sent something since their last barrier are asked (each entity answers in its mailbox
    /// order, so that covers all it got); a barrier asked of an entity and not answered yet is waited for. When every
    /// entity is quiet the parent answers at once: in a backtest that is most bars, where asking each entity cost every
    /// checkpoint a round of asks. Only for entities that hear from nobody but this parent (their children's messages
    /// are not waited for). A stopped entity is started again (and synced once recovered).
    /// </summary>
    protected void AnswerSync()
    {
        Barrier? barrier = null;
        foreach (var symbol in _known)
        {
            var child = ChildOf(symbol);
            if (child.Unsynced)
            {
                child.Unsynced = false;
                child.SyncsSent++;
                child.Ref.Tell(Sync.Instance, Self);
            }
            if (child.SyncsSent > child.SyncsAnswered) (barrier ??= new Barrier(Sender)).WaitFor(child);
        }
        if (barrier is null) Sender.Tell(Synced.Instance);
        else _barriers.Add(barrier);
    }

    private sealed record RestartEntity(string Symbol);

    /// <summary>A live entity and how far it has synced.</summary>
    private sealed class Child(string symbol, IActorRef entity)
    {
        public string Symbol { get; } = symbol;
        public IActorRef Ref { get; } = entity;
        /// <summary>Sent something since its last barrier.</summary>
        public bool Unsynced { get; set; }
        public long SyncsSent { get; set; }
        public long SyncsAnswered { get; set; }
    }

    private sealed class Barrier(IActorRef asker)
    {
        private readonly List<(Child Child, long Sent)> _waits = new(1);

        public IActorRef Asker { get; } = asker;

        public void WaitFor(Child child) => _waits.Add((child, child.SyncsSent));

        public bool Waits(Child child) => _waits.Exists(w => ReferenceEquals(w.Child, child));

        public bool Done => _waits.TrueForAll(w => w.Child.SyncsAnswered >= w.Sent);
    }
}
