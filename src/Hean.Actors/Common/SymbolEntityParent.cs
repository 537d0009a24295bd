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
    private readonly Dictionary<string, IActorRef> _entities = new(StringComparer.Ordinal);
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
            foreach (var (symbol, entity) in _entities.Where(e => Equals(e.Value, t.ActorRef)).ToList())
            {
                // Its journal failed: it comes back after a pause (or at once when a message is for it), recovered.
                _entities.Remove(symbol);
                Log.Warning("{0} entity {1} stopped; it starts again in 1 s", kind, symbol);
                Timers.StartSingleTimer("restart-" + symbol, new RestartEntity(symbol), TimeSpan.FromSeconds(1));
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

    /// <summary>The symbol's entity, started again if it had stopped.</summary>
    protected IActorRef Entity(string symbol)
    {
        if (_entities.TryGetValue(symbol, out var entity)) return entity;
        var (props, name) = EntityOf(new Symbol(symbol));
        entity = Context.ActorOf(props, name);
        Context.Watch(entity);
        _entities[symbol] = entity;
        OnEntityCreated(symbol, entity);
        return entity;
    }

    /// <summary>Every entity in the index, started again if it had stopped.</summary>
    protected List<IActorRef> All() => _known.Select(Entity).ToList();

    /// <summary>Asks every entity in the index; the answers in symbol order.</summary>
    protected Task<T[]> Gather<T>(object query)
    {
        var ask = _ask;
        return Task.WhenAll(All().Select(e => e.Ask<T>(query, ask)));
    }

    private sealed record RestartEntity(string Symbol);
}
