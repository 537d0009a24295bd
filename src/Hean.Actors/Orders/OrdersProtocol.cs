using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.Orders;

namespace Hean.Actors.Orders;

/// <summary>Messages of the order manager (persistence id "orders").</summary>
public static class OrdersProtocol
{
    /// <summary>
    /// Persist a new order before it is sent. Answer: <see cref="OrderRegistered"/> or <see cref="OrderRefused"/>. With
    /// <paramref name="Submitting"/> the order is about to go to the venue: OrderCreated and OrderSubmitted are written in one
    /// write (one AtomicWrite), so the venue call waits for exactly one journal write and the gateway sends it without a
    /// <see cref="MarkSubmitted"/>. After a crash such an order counts as maybe at the venue, and reconciliation looks it up
    /// by its client order id before anything else happens to it: it is never sent twice.
    /// </summary>
    public sealed record RegisterOrder(OrderCreated Created, bool Submitting = false);
    public sealed record OrderRegistered(ClientOrderId ClientOrderId);
    public sealed record OrderRefused(ClientOrderId ClientOrderId, string Reason);

    /// <summary>The gateway is about to send the order. Answer: <see cref="Common.Synced"/> once persisted.</summary>
    public sealed record MarkSubmitted(ClientOrderId ClientOrderId, DateTime Time);

    /// <summary>
    /// A cancel or an amend is about to be sent: persisted as PendingCancel / PendingAmend first. Answer:
    /// <see cref="RequestResult"/> (Accepted false: the order is not working at the venue, nothing was persisted).
    /// </summary>
    public sealed record RequestCancel(ClientOrderId ClientOrderId, DateTime Time, string Reason);
    public sealed record RequestAmend(ClientOrderId ClientOrderId, DateTime Time, decimal? Qty, decimal? Price);
    public sealed record RequestResult(ClientOrderId ClientOrderId, bool Accepted, OrderState? Order);

    /// <summary>What the venue said about one of our orders.</summary>
    public sealed record ApplyReport(ExecutionReport Report);

    public sealed record GetOpenOrders(Symbol? Symbol = null);
    public sealed record OpenOrders(IReadOnlyList<OrderState> Orders);

    /// <summary>Orders the venue closed with more executed than booked here (<see cref="OrderState.AwaitingFills"/>), answered as <see cref="OpenOrders"/>.</summary>
    public sealed record GetOrdersAwaitingFills;

    /// <summary>
    /// Risk's exposure ledger asks to follow the orders: answered with an <see cref="ExposureSnapshot"/> (what is working,
    /// the fills after <paramref name="AfterSeq"/>), then one <see cref="ExposureChanged"/> per persisted order event, in
    /// order, to the same sender until it stops. A restarted order manager starts over with nobody watching.
    /// </summary>
    public sealed record WatchExposure(long AfterSeq);

    /// <summary>Complete is false when fills older than the order manager keeps were asked for.</summary>
    public sealed record ExposureSnapshot(long AfterSeq, IReadOnlyList<OrderState> Working, IReadOnlyList<Portfolio.PortfolioProtocol.BookFill> FillsSince,
        bool Complete, long FillSeq);

    /// <summary>An order after one of its events; with the fill and its sequence number when the event was a fill.</summary>
    public sealed record ExposureChanged(OrderState Order, Fill? Fill, long FillSeq);

    /// <summary>Published on the event stream when the order manager has recovered: whoever watches it must ask again.</summary>
    public sealed record OrdersRecovered;

    /// <summary>
    /// The latest fill in our books (of the last 10 000 kept, recovered from the journal): where a venue gateway resumes
    /// its execution catch-up after a restart. Answered as <see cref="LastFill"/> (null time: no fill yet).
    /// </summary>
    public sealed record GetLastFill;
    public sealed record LastFill(DateTime? Time, string? TradeId);

    public sealed record GetOrder(ClientOrderId ClientOrderId);
    public sealed record OrderView(OrderState? Order);

    public sealed record GetOrderStats;
    public sealed record OrderStats(long Created, long Filled, long Cancelled, long Rejected, long Fills, long DuplicateReports, long Overfills, int Open);

    /// <summary>Snapshot of the order manager: open orders, the most recent closed ones, counters.</summary>
    public sealed record OrdersSnapshot(IReadOnlyList<OrderState> Orders, long Created, long Filled, long Cancelled, long Rejected, long Fills,
        IReadOnlyList<Fill>? RecentFills = null);
}
