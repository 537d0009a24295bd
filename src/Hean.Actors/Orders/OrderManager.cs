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
/// catch-up) it answers by asking every entity; a request by order id alone goes to the entity it routed that order to,
/// and only an order it has not seen since it started is looked for in every entity. It decides nothing about orders.
/// </summary>
public sealed class OrderManager : SymbolEntityParent<OrderEntityStarted>
{
    public const string Id = "orders-index";

    private readonly IActorRef _portfolio;
    private readonly int _snapshotEvery;
    private readonly TimeSpan _ask;
    // Risk's ledger: each entity started later is asked to report to it too.
    private readonly Dictionary<IActorRef, int> _exposureWatchers = new();
    private OrderStats? _legacy; // what the global order manager of an older version counted beyond its entities' parts
    // Which entity holds each order routed through here: a request by id alone goes to it, not to every entity. Orders from
    // before a restart, or beyond the last 100,000, are found by asking them all.
    private readonly RecentMap<ClientOrderId, Symbol> _symbolOf = new(100_000);

    public override string PersistenceId => Id;

    public OrderManager(IActorRef portfolio, int snapshotEvery = 200, TimeSpan? ask = null) : base("order", ask ?? TimeSpan.FromSeconds(30))
    {
        _portfolio = portfolio;
        _snapshotEvery = snapshotEvery;
        _ask = ask ?? TimeSpan.FromSeconds(30);

        Recover<Persistence.JournalLayoutMigrated>(e => _legacy = e.LegacyOrders);

        Command<RegisterOrder>(m =>
        {
            _symbolOf.Set(m.Created.ClientOrderId, m.Symbol);
            Route(m.Symbol, m);
        });
        Command<MarkSubmitted>(m => Route(m.Symbol, m));
        Command<ApplyReport>(m =>
        {
            _symbolOf.Set(m.Report.ClientOrderId, m.Symbol); // adopted orders too
            Route(m.Symbol, m);
        });
        Command<RequestCancel>(m => ByOrder(m, () => new RequestResult(m.ClientOrderId, false, null)));
        Command<RequestAmend>(m => ByOrder(m, () => new RequestResult(m.ClientOrderId, false, null)));
        Command<GetOrder>(m => ByOrder(m, () => new OrderView(null)));
        Command<Located>(m =>
        {
            if (m.Entity is { } entity) Tell(entity, m.Message, m.Sender);
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
            foreach (var symbol in Known)
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
            foreach (var symbol in Known)
                Entity(symbol).Tell(new EntityWatchExposure(Sender, m.AfterSeq.GetValueOrDefault(symbol), m.Attachment));
            Sender.Tell(new ExposureWatch(m.Attachment, Known.Select(s => new Symbol(s)).ToList()));
        });
        // Only the entities sent something since their last barrier are asked: in a backtest most bars ask none.
        Command<Sync>(_ => AnswerSync());
    }

    protected override (Props Props, string Name) EntityOf(Symbol symbol)
    {
        var (portfolio, snapshotEvery) = (_portfolio, _snapshotEvery);
        return (Props.Create(() => new OrderEntity(symbol, portfolio, snapshotEvery)), OrderEntity.PersistenceIdOf(symbol));
    }

    protected override OrderEntityStarted Started(Symbol symbol) => new(symbol);

    // Risk's ledger follows every entity, those started later too.
    protected override void OnEntityCreated(string symbol, IActorRef entity)
    {
        foreach (var (watcher, attachment) in _exposureWatchers) entity.Tell(new EntityWatchExposure(watcher, 0, attachment));
    }

    protected override bool OnTerminated(IActorRef actor) => _exposureWatchers.Remove(actor);

    /// <summary>A message by order id: to its symbol's entity, or, without a symbol, to the entity that has the order.</summary>
    private void ByOrder(IMaybeWithSymbol m, Func<object> notFound)
    {
        if ((m.Symbol ?? (_symbolOf.TryGet(m.ClientOrderId, out var known) ? known : null)) is { } symbol)
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

    private static OrderStats Sum(IEnumerable<OrderStats> parts) => parts.Aggregate(new OrderStats(0, 0, 0, 0, 0, 0, 0, 0), (a, b) => new OrderStats(
        a.Created + b.Created, a.Filled + b.Filled, a.Cancelled + b.Cancelled, a.Rejected + b.Rejected, a.Fills + b.Fills,
        a.DuplicateReports + b.DuplicateReports, a.Overfills + b.Overfills, a.Open + b.Open));

    private sealed record Located(object Message, IActorRef Sender, IActorRef? Entity, Func<object> NotFound);
}
