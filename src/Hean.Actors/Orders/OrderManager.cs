using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Hean.Actors.Common;
using Hean.Actors.Portfolio;
using Hean.Core.Domain;
using Hean.Core.Orders;
using static Hean.Actors.Orders.OrdersProtocol;

namespace Hean.Actors.Orders;

/// <summary>
/// The parent of the order entities (<see cref="OrderEntity"/>, one per symbol, persistence id "orders-{SYMBOL}"), a
/// child-per-entity parent as a shard region would be on a cluster: it routes every message that carries a symbol
/// (<see cref="IWithSymbol"/>) to that symbol's entity, creating it on demand, and remembers which entities have state
/// in its own small journal "orders-index", so that after a restart it starts them all again, whatever SYMBOLS says now.
/// The queries without a symbol (all open orders, statistics, the last fill, risk's exposure watch, the portfolio's
/// catch-up) it answers by asking every entity. It decides nothing about orders.
/// </summary>
public sealed class OrderManager : HeanPersistentActor, IWithTimers
{
    public const string Id = "orders-index";

    private readonly IActorRef _portfolio;
    private readonly int _snapshotEvery;
    private readonly TimeSpan _ask;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly SortedSet<string> _known = new(StringComparer.Ordinal);
    private readonly Dictionary<string, IActorRef> _entities = new(StringComparer.Ordinal);
    // Risk's ledger: each entity started later is asked to report to it too.
    private readonly Dictionary<IActorRef, int> _exposureWatchers = new();
    private OrderStats? _legacy; // what the global order manager of an older version counted beyond its entities' parts

    public override string PersistenceId => Id;

    public ITimerScheduler Timers { get; set; } = null!;

    public OrderManager(IActorRef portfolio, int snapshotEvery = 200, TimeSpan? ask = null)
    {
        _portfolio = portfolio;
        _snapshotEvery = snapshotEvery;
        _ask = ask ?? TimeSpan.FromSeconds(30);

        Recover<OrderEntityStarted>(e => _known.Add(e.Symbol.Value));
        Recover<Persistence.JournalLayoutMigrated>(e => _legacy = e.LegacyOrders);
        Recover<RecoveryCompleted>(_ =>
        {
            foreach (var symbol in _known) Entity(symbol);
            if (_known.Count > 0) _log.Info("order entities started: {0}", string.Join(", ", _known));
        });

        Command<RegisterOrder>(m => Route(m.Symbol, m));
        Command<MarkSubmitted>(m => Route(m.Symbol, m));
        Command<ApplyReport>(m => Route(m.Symbol, m));
        Command<RequestCancel>(m => ByOrder(m, () => new RequestResult(m.ClientOrderId, false, null)));
        Command<RequestAmend>(m => ByOrder(m, () => new RequestResult(m.ClientOrderId, false, null)));
        Command<GetOrder>(m => ByOrder(m, () => new OrderView(null)));
        Command<Located>(m =>
        {
            if (m.Entity is { } entity) entity.Tell(m.Message, m.Sender);
            else m.Sender.Tell(m.NotFound());
        });
        Command<GetOpenOrders>(q =>
        {
            if (q.Symbol is { } symbol)
            {
                if (Existing(symbol.Value) is { } entity) entity.Forward(q);
                else Sender.Tell(new OpenOrders([]));
                return;
            }
            Gather<OpenOrders>(q).ContinueWith(t => (object)new OpenOrders(t.Result.SelectMany(o => o.Orders)
                    .OrderBy(o => o.CreatedAt).ThenBy(o => o.Id.Value, StringComparer.Ordinal).ToList()), TaskContinuationOptions.OnlyOnRanToCompletion)
                .PipeTo(Sender);
        });
        Command<GetOrdersAwaitingFills>(q => Gather<OpenOrders>(q)
            .ContinueWith(t => (object)new OpenOrders(t.Result.SelectMany(o => o.Orders).OrderBy(o => o.CreatedAt).ToList()), TaskContinuationOptions.OnlyOnRanToCompletion)
            .PipeTo(Sender));
        Command<GetLastFill>(q => Gather<LastFill>(q)
            .ContinueWith(t => (object)(t.Result.Where(f => f.Time is not null).MaxBy(f => f.Time) ?? new LastFill(null, null)), TaskContinuationOptions.OnlyOnRanToCompletion)
            .PipeTo(Sender));
        Command<GetOrderStats>(q =>
        {
            var legacy = _legacy;
            Gather<OrderStats>(q).ContinueWith(t => (object)Sum(t.Result.Append(legacy ?? new OrderStats(0, 0, 0, 0, 0, 0, 0, 0))),
                TaskContinuationOptions.OnlyOnRanToCompletion).PipeTo(Sender);
        });
        Command<PortfolioProtocol.ResendFills>(m =>
        {
            foreach (var symbol in _known)
            {
                var entity = Entity(symbol);
                if (m.AfterSeq.TryGetValue(symbol, out var after)) entity.Tell(new EntityResendFills(after, Sender));
                else if (m.AllSymbols) entity.Tell(new EntityResendFills(0, Sender));
            }
        });
        Command<WatchExposure>(m =>
        {
            if (!_exposureWatchers.ContainsKey(Sender)) Context.Watch(Sender);
            _exposureWatchers[Sender] = m.Attachment;
            foreach (var symbol in _known)
                Entity(symbol).Tell(new EntityWatchExposure(Sender, m.AfterSeq.GetValueOrDefault(symbol), m.Attachment));
            Sender.Tell(new ExposureWatch(m.Attachment, _known.Select(s => new Symbol(s)).ToList()));
        });
        Command<Sync>(q => Gather<Synced>(q).ContinueWith(_ => (object)Synced.Instance, TaskContinuationOptions.OnlyOnRanToCompletion).PipeTo(Sender));
        Command<RestartEntity>(m =>
        {
            if (_known.Contains(m.Symbol)) Entity(m.Symbol);
        });
        Command<Terminated>(t =>
        {
            if (_exposureWatchers.Remove(t.ActorRef)) return;
            foreach (var (symbol, entity) in _entities.Where(e => Equals(e.Value, t.ActorRef)).ToList())
            {
                // Its journal failed: it comes back after a pause (or at once when a message is for it), recovered.
                _entities.Remove(symbol);
                _log.Warning("order entity {0} stopped; it starts again in 1 s", symbol);
                Timers.StartSingleTimer("restart-" + symbol, new RestartEntity(symbol), TimeSpan.FromSeconds(1));
            }
        });
    }

    /// <summary>To the symbol's entity, created (and remembered in the index first) when it is the symbol's first message.</summary>
    private void Route(Symbol symbol, object message)
    {
        if (_known.Contains(symbol.Value))
        {
            Entity(symbol.Value).Forward(message);
            return;
        }
        var sender = Sender;
        Persist(new OrderEntityStarted(symbol), e =>
        {
            _known.Add(e.Symbol.Value);
            Entity(e.Symbol.Value).Tell(message, sender);
        });
    }

    private IActorRef? Existing(string symbol) => _known.Contains(symbol) ? Entity(symbol) : null;

    private IActorRef Entity(string symbol)
    {
        if (_entities.TryGetValue(symbol, out var entity)) return entity;
        var (s, portfolio, snapshotEvery) = (new Symbol(symbol), _portfolio, _snapshotEvery);
        entity = Context.ActorOf(Props.Create(() => new OrderEntity(s, portfolio, snapshotEvery)), OrderEntity.PersistenceIdOf(s));
        Context.Watch(entity);
        _entities[symbol] = entity;
        foreach (var (watcher, attachment) in _exposureWatchers) entity.Tell(new EntityWatchExposure(watcher, 0, attachment));
        return entity;
    }

    /// <summary>A message by order id: to its symbol's entity, or, without a symbol, to the entity that has the order.</summary>
    private void ByOrder(IMaybeWithSymbol m, Func<object> notFound)
    {
        if (m.Symbol is { } symbol)
        {
            if (Existing(symbol.Value) is { } entity) entity.Forward(m);
            else Sender.Tell(notFound());
            return;
        }
        var (sender, ask, entities) = (Sender, _ask, All());
        Task.WhenAll(entities.Select(async e => (Entity: e, View: await e.Ask<OrderView>(new GetOrder(m.ClientOrderId), ask))))
            .ContinueWith(t => new Located(m, sender, t.Result.FirstOrDefault(r => r.View.Order is not null).Entity, notFound), TaskContinuationOptions.OnlyOnRanToCompletion)
            .PipeTo(Self);
    }

    private Task<T[]> Gather<T>(object query)
    {
        var ask = _ask;
        return Task.WhenAll(All().Select(e => e.Ask<T>(query, ask)));
    }

    /// <summary>Every entity with state, started again if it had stopped.</summary>
    private List<IActorRef> All() => _known.Select(Entity).ToList();

    private static OrderStats Sum(IEnumerable<OrderStats> parts) => parts.Aggregate(new OrderStats(0, 0, 0, 0, 0, 0, 0, 0), (a, b) => new OrderStats(
        a.Created + b.Created, a.Filled + b.Filled, a.Cancelled + b.Cancelled, a.Rejected + b.Rejected, a.Fills + b.Fills,
        a.DuplicateReports + b.DuplicateReports, a.Overfills + b.Overfills, a.Open + b.Open));

    private sealed record Located(object Message, IActorRef Sender, IActorRef? Entity, Func<object> NotFound);
    private sealed record RestartEntity(string Symbol);
}
