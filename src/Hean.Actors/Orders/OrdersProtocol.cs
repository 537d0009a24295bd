using Akka.Actor;
using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.Orders;

namespace Hean.Actors.Orders;

/// <summary>
/// Messages of the order manager: the parent <c>/user/orders</c> (its index "orders-index") and its per-symbol entities
/// (persistence id "orders-{SYMBOL}"). A message for one symbol's orders carries its routing key (<see cref="IWithSymbol"/>);
/// the queries without one are answered by the parent across its entities.
/// </summary>
public static class OrdersProtocol
{
    /// <summary>
    /// Persist a new order before it is sent. Answer: <see cref="OrderRegistered"/> or <see cref="OrderRefused"/>. With
    /// <paramref name="Submitting"/> the order is about to go to the venue: OrderCreated and OrderSubmitted are written in one
    /// write (one AtomicWrite), so the venue call waits for exactly one journal write and the gateway sends it without a
    /// <see cref="MarkSubmitted"/>. After a crash such an order counts as maybe at the venue, and reconciliation looks it up
    /// by its client order id before anything else happens to it: it is never sent twice.
    /// </summary>
    public sealed record RegisterOrder(OrderCreated Created, bool Submitting = false) : IWithSymbol
    {
        public Symbol Symbol => Created.Request.Symbol;
    }
    public sealed record OrderRegistered(ClientOrderId ClientOrderId);
    public sealed record OrderRefused(ClientOrderId ClientOrderId, string Reason);

    /// <summary>The gateway is about to send the order. Answer: <see cref="Common.Synced"/> once persisted.</summary>
    public sealed record MarkSubmitted(ClientOrderId ClientOrderId, Symbol Symbol, DateTime Time) : IWithSymbol;

    /// <summary>
    /// A cancel or an amend is about to be sent: persisted as PendingCancel / PendingAmend first. Answer:
    /// <see cref="RequestResult"/> (Accepted false: the order is not working at the venue, nothing was persisted).
    /// Without a symbol (an operator's cancel by id) the parent finds the entity that has the order.
    /// </summary>
    public sealed record RequestCancel(ClientOrderId ClientOrderId, DateTime Time, string Reason, Symbol? Symbol = null) : IMaybeWithSymbol;
    public sealed record RequestAmend(ClientOrderId ClientOrderId, DateTime Time, decimal? Qty, decimal? Price, Symbol? Symbol = null) : IMaybeWithSymbol;
    public sealed record RequestResult(ClientOrderId ClientOrderId, bool Accepted, OrderState? Order);

    /// <summary>What the venue said about one of our orders.</summary>
    public sealed record ApplyReport(ExecutionReport Report) : IWithSymbol
    {
        public Symbol Symbol => Report.Symbol;
    }

    /// <summary>Open orders of one symbol (its entity answers) or of all (the parent asks every entity).</summary>
    public sealed record GetOpenOrders(Symbol? Symbol = null);
    public sealed record OpenOrders(IReadOnlyList<OrderState> Orders);

    /// <summary>Orders the venue closed with more executed than booked here (<see cref="OrderState.AwaitingFills"/>), answered as <see cref="OpenOrders"/>.</summary>
    public sealed record GetOrdersAwaitingFills;

    /// <summary>
    /// Risk's exposure ledger asks to follow the orders, from the fills the portfolio booked (per symbol, <paramref name="AfterSeq"/>;
    /// a symbol missing: none). The parent answers <see cref="ExposureWatch"/> with the symbols it asked; each entity answers
    /// with an <see cref="ExposureSnapshot"/> (what is working, its fills after that number), then one
    /// <see cref="ExposureChanged"/> per persisted order event, in order, to the same watcher until it stops. An entity
    /// started later is asked from fill 0. A restarted entity starts over with nobody watching (it publishes
    /// <see cref="OrdersRecovered"/>). <paramref name="Attachment"/> comes back in every answer.
    /// </summary>
    public sealed record WatchExposure(IReadOnlyDictionary<string, long> AfterSeq, int Attachment = 0);
    public sealed record ExposureWatch(int Attachment, IReadOnlyList<Symbol> Symbols);

    /// <summary>One entity's part: Complete is false when fills older than the entity keeps were asked for.</summary>
    public sealed record ExposureSnapshot(Symbol Symbol, int Attachment, long AfterSeq, IReadOnlyList<OrderState> Working,
        IReadOnlyList<Portfolio.PortfolioProtocol.BookFill> FillsSince, bool Complete, long FillSeq) : IWithSymbol;

    /// <summary>An order after one of its events; with the fill and its (per-symbol) sequence number when the event was a fill.</summary>
    public sealed record ExposureChanged(OrderState Order, Fill? Fill, long FillSeq, int Attachment = 0) : IWithSymbol
    {
        public Symbol Symbol => Order.Symbol;
    }

    /// <summary>Published on the event stream when an order entity has recovered: whoever watches it must ask again.</summary>
    public sealed record OrdersRecovered(Symbol? Symbol = null);

    /// <summary>
    /// The latest fill in our books (of the last 10 000 kept per symbol, recovered from the journal): where a venue gateway
    /// resumes its execution catch-up after a restart. Answered as <see cref="LastFill"/> (null time: no fill yet).
    /// </summary>
    public sealed record GetLastFill;
    public sealed record LastFill(DateTime? Time, string? TradeId);

    /// <summary>One order by id; without its symbol the parent asks every entity.</summary>
    public sealed record GetOrder(ClientOrderId ClientOrderId, Symbol? Symbol = null) : IMaybeWithSymbol;
    public sealed record OrderView(OrderState? Order);

    public sealed record GetOrderStats;
    public sealed record OrderStats(long Created, long Filled, long Cancelled, long Rejected, long Fills, long DuplicateReports, long Overfills, int Open);

    /// <summary>The parent to an entity: the portfolio asks for the fills after <paramref name="AfterSeq"/> (answer to <paramref name="ReplyTo"/>).</summary>
    public sealed record EntityResendFills(long AfterSeq, IActorRef ReplyTo);

    /// <summary>The parent to an entity: <paramref name="Watcher"/> follows this entity's orders from fill <paramref name="AfterSeq"/>.</summary>
    public sealed record EntityWatchExposure(IActorRef Watcher, long AfterSeq, int Attachment);

    /// <summary>
    /// The first event of an entity migrated from the global order manager of older versions (the journal layout
    /// migration): the part of that manager's state that concerns the symbol.
    /// </summary>
    public sealed record OrdersImported(SymbolOrdersState State, DateTime At);

    /// <summary>The index "orders-index" (like a shard region's remembered entities): an entity with state exists for this symbol.</summary>
    public sealed record OrderEntityStarted(Symbol Symbol) : IWithSymbol;

    /// <summary>A message for one entity found by order id, the symbol given when the sender knows it.</summary>
    public interface IMaybeWithSymbol
    {
        ClientOrderId ClientOrderId { get; }
        Symbol? Symbol { get; }
    }
}
