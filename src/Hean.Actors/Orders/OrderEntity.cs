using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Hean.Actors.Common;
using Hean.Actors.Monitoring;
using Hean.Actors.Portfolio;
using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.Orders;
using static Hean.Actors.Orders.OrdersProtocol;

namespace Hean.Actors.Orders;

/// <summary>
/// The orders of one symbol, event-sourced (persistence id "orders-{SYMBOL}"), a child of the <see cref="OrderManager"/>:
/// every order is created (persisted) before it is sent, every venue report becomes events through
/// <see cref="OrderState.Decide"/> (duplicates and overfills are dropped and counted), and every accepted fill goes on
/// to the portfolio with this symbol's fill sequence number. A report for an order not registered yet (a fill
/// overtaking its acknowledgement and registration) is held for a while and applied once the order exists.
/// </summary>
public sealed class OrderEntity : HeanPersistentActor
{
    public const string Prefix = "orders-";

    private readonly Symbol _symbol;
    private readonly IActorRef _portfolio;
    private readonly int _snapshotEvery;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly SymbolOrders _book = new();
    private readonly Dictionary<ClientOrderId, (DateTime HeldAt, List<ExecutionReport> Reports)> _held = new();
    private long _duplicates, _overfills;
    // When each order went to the venue (wall clock), until the venue's first answer: order_to_ack latency.
    private readonly Dictionary<ClientOrderId, long> _sentAt = new();
    // Risk's exposure ledger (and whoever else follows every order): told of each persisted order event, in order.
    private readonly Dictionary<IActorRef, int> _exposureWatchers = new();

    /// <summary>How many unknown orders may have reports waiting, and for how long (wall clock), before they are dropped.</summary>
    private const int MaxHeldOrders = 256;
    private static readonly TimeSpan HoldFor = TimeSpan.FromSeconds(60);

    public override string PersistenceId { get; }

    public static string PersistenceIdOf(Symbol symbol) => Prefix + symbol.Value;

    public OrderEntity(Symbol symbol, IActorRef portfolio, int snapshotEvery = 200)
    {
        _symbol = symbol;
        _portfolio = portfolio;
        _snapshotEvery = snapshotEvery;
        PersistenceId = PersistenceIdOf(symbol);

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is SymbolOrdersState s) _book.Load(s);
        });
        // Written once by the journal layout migration, as the first event: the state the global order manager had.
        Recover<OrdersImported>(e => _book.Load(e.State));
        Recover<IOrderEvent>(e => Apply(e, recovering: true));
        Recover<RecoveryCompleted>(_ =>
        {
            if (_book.Created > 0) _log.Info("orders of {0} recovered: {1} open, {2} created in total", _symbol, _book.OpenCount, _book.Created);
            // A new entity has nobody to tell; one that recovered state (a restart) makes its watchers ask again.
            if (LastSequenceNr > 0) Context.System.EventStream.Publish(new OrdersRecovered(_symbol));
        });

        Command<RegisterOrder>(Handle);
        Command<MarkSubmitted>(m =>
        {
            if (_book.Get(m.ClientOrderId) is { Status: OrderStatus.New })
                PersistAndApply([new OrderSubmitted(m.ClientOrderId, m.Time)], () => Sender.Tell(Synced.Instance));
            else
                Sender.Tell(Synced.Instance);
        });
        Command<ApplyReport>(r => Handle(r.Report));
        Command<RequestCancel>(m => Request(m.ClientOrderId, o => o.RequestCancel(m.Time, m.Reason)));
        Command<RequestAmend>(m => Request(m.ClientOrderId, o => o.RequestAmend(m.Time, m.Qty, m.Price)));
        Command<GetOpenOrders>(q => Sender.Tell(new OpenOrders(_book.Open(q.Symbol))));
        Command<GetOrdersAwaitingFills>(_ => Sender.Tell(new OpenOrders(_book.AwaitingFills())));
        Command<GetOrder>(q => Sender.Tell(new OrderView(_book.Get(q.ClientOrderId))));
        Command<GetLastFill>(_ => Sender.Tell(_book.LastFill is { } last ? new LastFill(last.Time, last.TradeId) : new LastFill(null, null)));
        Command<GetOrderStats>(_ => Sender.Tell(Stats()));
        Command<EntityResendFills>(m => ResendFills(m.AfterSeq, m.ReplyTo));
        // The portfolio answers a gap to whoever sent the fill, and this entity sent it: its symbol's fills after the gap.
        Command<PortfolioProtocol.ResendFills>(m =>
        {
            if (m.AfterSeq.TryGetValue(_symbol.Value, out var after)) ResendFills(after, Sender);
            else if (m.AllSymbols) ResendFills(0, Sender);
        });
        Command<EntityWatchExposure>(m =>
        {
            if (!_exposureWatchers.ContainsKey(m.Watcher)) Context.Watch(m.Watcher);
            _exposureWatchers[m.Watcher] = m.Attachment;
            var (fills, complete) = _book.FillsAfter(m.AfterSeq);
            m.Watcher.Tell(new ExposureSnapshot(_symbol, m.Attachment, m.AfterSeq, _book.Working(),
                fills.Select(f => new PortfolioProtocol.BookFill(f.Fill, f.Seq)).ToList(), complete, _book.Fills));
        });
        Command<Terminated>(t => _exposureWatchers.Remove(t.ActorRef));
        Command<Sync>(_ => Sender.Tell(Synced.Instance));
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning("orders snapshot of {0} failed: {1}", _symbol, f.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning("deleting old order snapshots of {0} failed: {1}", _symbol, f.Cause.Message));
    }

    private void Handle(RegisterOrder m)
    {
        var id = m.Created.ClientOrderId;
        if (_book.WasCreated(id))
        {
            Sender.Tell(new OrderRefused(id, $"client order id {id} was used before"));
            return;
        }
        var sender = Sender;
        // Submitting: the order goes to the venue next; Created and Submitted are one write, so it waits for exactly one.
        IReadOnlyList<IOrderEvent> events = m.Submitting ? [m.Created, new OrderSubmitted(id, m.Created.Time)] : [m.Created];
        PersistAndApply(events, () =>
        {
            sender.Tell(new OrderRegistered(id));
            // Reports that arrived before the order existed here (a fill before the acknowledgement) apply now, one after
            // the other: each is decided on the state the ones before it made (their events are applied in callbacks).
            if (_held.Remove(id, out var held)) HandleInTurn(new Queue<ExecutionReport>(held.Reports));
        });
    }

    private void HandleInTurn(Queue<ExecutionReport> reports)
    {
        if (reports.TryDequeue(out var next)) Handle(next, () => HandleInTurn(reports));
    }

    /// <param name="then">Runs once the report's events are applied (at once when it has none).</param>
    private void Handle(ExecutionReport report, Action? then = null)
    {
        if (_book.Get(report.ClientOrderId) is not { } order)
        {
            if (_book.WasCreated(report.ClientOrderId))
            {
                // Ours, closed long ago and no longer in memory: nothing to change.
                HeanMetrics.ReportsDropped.WithLabels("unknown_order").Inc();
                then?.Invoke();
                return;
            }
            // Not (yet) ours: a fill may overtake the registration of its order. Held for a while, never booked
            // unless the order is registered; an unknown order must never move our books.
            Hold(report);
            then?.Invoke();
            return;
        }
        if (report is OrderFilledReport f && order.IsOverfill(f))
        {
            _overfills++;
            HeanMetrics.ReportsDropped.WithLabels("overfill").Inc();
            _log.Error("overfill refused for {0}: fill {1} on top of {2} of {3}", order.Id, f.Fill.Qty, order.FilledQty, order.Request.Qty);
            then?.Invoke();
            return;
        }
        var events = order.Decide(report);
        if (events.Count == 0)
        {
            _duplicates++;
            HeanMetrics.ReportsDropped.WithLabels("duplicate").Inc();
            then?.Invoke();
            return;
        }
        PersistAndApply(events, then);
    }

    private void Request(ClientOrderId id, Func<OrderState, IReadOnlyList<IOrderEvent>> decide)
    {
        var sender = Sender;
        var order = _book.Get(id);
        var events = order is not null ? decide(order) : [];
        if (events.Count == 0)
        {
            sender.Tell(new RequestResult(id, false, order));
            return;
        }
        PersistAndApply(events, () => sender.Tell(new RequestResult(id, true, _book.Get(id))));
    }

    private void Hold(ExecutionReport report)
    {
        var now = DateTime.UtcNow;
        foreach (var expired in _held.Where(h => now - h.Value.HeldAt > HoldFor).Select(h => h.Key).ToList())
        {
            _held.Remove(expired);
            HeanMetrics.ReportsDropped.WithLabels("unknown_order").Inc();
            _log.Warning("reports for unknown order {0} dropped after {1}", expired, HoldFor);
        }
        if (!_held.TryGetValue(report.ClientOrderId, out var held))
        {
            if (_held.Count >= MaxHeldOrders)
            {
                HeanMetrics.ReportsDropped.WithLabels("unknown_order").Inc();
                _log.Warning("report for unknown order {0} ignored (too many unknown orders held): {1}", report.ClientOrderId, report.GetType().Name);
                return;
            }
            _held[report.ClientOrderId] = held = (now, []);
        }
        if (held.Reports.Count < 1000) held.Reports.Add(report);
        HeanMetrics.ReportsDropped.WithLabels("held").Inc();
        _log.Info("report for unknown order {0} held until it is registered: {1}", report.ClientOrderId, report.GetType().Name);
    }

    private void PersistAndApply(IReadOnlyList<IOrderEvent> events, Action? then)
    {
        var remaining = events.Count;
        PersistAll(events, e =>
        {
            var order = Apply(e, recovering: false);
            LogLifecycle(e);
            if (e is OrderFilled filled) _portfolio.Tell(new PortfolioProtocol.BookFill(filled.Fill, _book.Fills));
            if (_exposureWatchers.Count > 0 && order is not null)
            {
                foreach (var (watcher, attachment) in _exposureWatchers)
                    watcher.Tell(e is OrderFilled f ? new ExposureChanged(order, f.Fill, _book.Fills, attachment) : new ExposureChanged(order, null, 0, attachment));
            }
            // Projections (status display, backtest report, event bus) follow the lifecycle here.
            Context.System.EventStream.Publish(e);
            if (--remaining == 0)
            {
                then?.Invoke();
                if (LastSequenceNr % _snapshotEvery == 0) SaveSnapshot(_book.Snapshot());
            }
        });
    }

    /// <summary>Applies an event to the fold, with the metrics of a live one; answers the order after it.</summary>
    private OrderState? Apply(IOrderEvent e, bool recovering)
    {
        var (before, after) = _book.Apply(e);
        if (recovering || after is null) return after;
        if (e is OrderCreated c)
        {
            HeanMetrics.OrdersTotal.WithLabels(c.Request.Symbol.Value, c.Request.Side.ToString().ToLowerInvariant(), c.Request.Type.ToString().ToLowerInvariant()).Inc();
            return after;
        }
        MeasureAck(e);
        if (e is OrderRevived) _log.Warning("order {0} revived: {1}", after.Id, after.Reason);
        if (e is OrderFilled f)
        {
            PostTrade(after, f.Fill);
            HeanMetrics.FillsTotal.WithLabels(f.Fill.Symbol.Value, f.Fill.Liquidity.ToString().ToLowerInvariant()).Inc();
        }
        if (before is not null && !before.Status.IsTerminal() && after.Status.IsTerminal() && after.Status != OrderStatus.Rejected)
            HeanMetrics.FillRatio.WithLabels(after.Symbol.Value, after.Request.Type.ToString().ToLowerInvariant())
                .Observe((double)(after.FilledQty / after.Request.Qty));
        return after;
    }

    /// <summary>Every order and fill at INFO, one line each, named as the original architecture's events name them.</summary>
    private void LogLifecycle(IOrderEvent e)
    {
        if (!_log.IsInfoEnabled) return;
        switch (e)
        {
            case OrderCreated c:
                _log.Info("ORDER_CREATED {0}", $"{c.ClientOrderId} {c.Request.Symbol} {c.Request.Side} {c.Request.Qty} {c.Request.Type}{(c.Request.Price is { } p ? " @ " + p : "")} ({c.Origin})");
                break;
            case OrderFilled f:
                _log.Info("ORDER_FILLED {0}", $"{f.ClientOrderId} {f.Fill.Symbol} {f.Fill.Side} {f.Fill.Qty} @ {f.Fill.Price} fee {f.Fill.Fee} ({f.Fill.Liquidity})");
                break;
            case OrderCancelled x:
                _log.Info("ORDER_CANCELLED {0}: {1}", x.ClientOrderId, x.Reason);
                break;
            case OrderRejected x:
                _log.Info("ORDER_REJECTED {0} by the venue: {1}", x.ClientOrderId, x.Reason);
                break;
        }
    }

    /// <summary>order_to_ack: wall time from the order's submission to the venue's first answer (accepted, rejected or a fill).</summary>
    private void MeasureAck(IOrderEvent e)
    {
        switch (e)
        {
            case OrderSubmitted s:
                _sentAt[s.ClientOrderId] = System.Diagnostics.Stopwatch.GetTimestamp();
                break;
            case OrderAccepted or OrderRejected or OrderFilled or OrderCancelled when _sentAt.Remove(e.ClientOrderId, out var sent):
                if (e is not OrderCancelled)
                    HeanMetrics.Latency.WithLabels("order_to_ack").Observe(System.Diagnostics.Stopwatch.GetElapsedTime(sent).TotalSeconds);
                break;
        }
    }

    /// <summary>Post-trade: slippage of each fill against the arrival mid and the signal's price.</summary>
    private static void PostTrade(OrderState order, Fill fill)
    {
        if (order.ArrivalPrice is { } arrival)
        {
            HeanMetrics.SlippageBps.WithLabels(fill.Symbol.Value, "arrival").Observe(OrderState.SlippageBps(fill, arrival));
            // Expected PnL trades at the arrival mid without fees; what the fill cost beyond that is realized − expected.
            var cost = OrderState.ExecutionCost(fill, arrival);
            HeanMetrics.ExecutionCost.WithLabels(fill.Symbol.Value, cost >= 0 ? "cost" : "improvement").Inc((double)Math.Abs(cost));
        }
        if (order.SignalPrice is { } signal)
            HeanMetrics.SlippageBps.WithLabels(fill.Symbol.Value, "signal").Observe(OrderState.SlippageBps(fill, signal));
    }

    private void ResendFills(long afterSeq, IActorRef replyTo)
    {
        var (fills, complete) = _book.FillsAfter(afterSeq);
        replyTo.Tell(new PortfolioProtocol.FillsSince(_symbol, fills.Select(f => new PortfolioProtocol.BookFill(f.Fill, f.Seq)).ToList(), complete), Self);
    }

    private OrderStats Stats() => new(_book.Created, _book.Filled, _book.Cancelled, _book.Rejected, _book.Fills, _duplicates, _overfills, _book.OpenCount);
}
