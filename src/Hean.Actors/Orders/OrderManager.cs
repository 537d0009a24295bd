using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Hean.Actors.Common;
using Hean.Actors.Monitoring;
using Hean.Actors.Portfolio;
using Hean.Core.Exchange;
using Hean.Core.Orders;
using static Hean.Actors.Orders.OrdersProtocol;

namespace Hean.Actors.Orders;

/// <summary>
/// Our orders, event-sourced: every order is created (persisted) before it is sent, every venue
/// report becomes events through <see cref="OrderState.Decide"/> (duplicates and overfills are
/// dropped and counted), and every accepted fill goes on to the portfolio. A report for an order not registered yet
/// (a fill overtaking its acknowledgement and registration) is held for a while and applied once the order exists.
/// </summary>
public sealed class OrderManager : HeanPersistentActor
{
    public const string Id = "orders";
    private const int KeepClosedOrders = 500;
    private const int KeepFills = 10_000; // for the portfolio to catch up on fills it missed

    private readonly IActorRef _portfolio;
    private readonly int _snapshotEvery;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private readonly Dictionary<ClientOrderId, OrderState> _orders = new();
    private readonly LinkedList<ClientOrderId> _closed = new();
    private readonly HashSet<ClientOrderId> _everCreated = new();
    private readonly LinkedList<Fill> _recentFills = new();
    private readonly Dictionary<ClientOrderId, (DateTime HeldAt, List<ExecutionReport> Reports)> _held = new();
    private long _created, _filled, _cancelled, _rejected, _fills, _duplicates, _overfills;
    // When each order went to the venue (wall clock), until the venue's first answer: order_to_ack latency.
    private readonly Dictionary<ClientOrderId, long> _sentAt = new();
    // Risk's exposure ledger (and whoever else follows every order): told of each persisted order event, in order.
    private readonly HashSet<IActorRef> _exposureWatchers = new();

    /// <summary>How many unknown orders may have reports waiting, and for how long (wall clock), before they are dropped.</summary>
    private const int MaxHeldOrders = 256;
    private static readonly TimeSpan HoldFor = TimeSpan.FromSeconds(60);

    public override string PersistenceId => Id;

    public OrderManager(IActorRef portfolio, int snapshotEvery = 200)
    {
        _portfolio = portfolio;
        _snapshotEvery = snapshotEvery;

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is OrdersSnapshot s) LoadSnapshot(s);
        });
        Recover<IOrderEvent>(e => Apply(e, recovering: true));
        Recover<RecoveryCompleted>(_ =>
        {
            _log.Info("orders recovered: {0} open, {1} created in total", _orders.Values.Count(o => o.Status.IsOpen()), _created);
            Context.System.EventStream.Publish(new OrdersRecovered());
        });

        Command<RegisterOrder>(Handle);
        Command<MarkSubmitted>(m =>
        {
            if (_orders.TryGetValue(m.ClientOrderId, out var o) && o.Status == OrderStatus.New)
                PersistAndApply([new OrderSubmitted(m.ClientOrderId, m.Time)], () => Sender.Tell(Synced.Instance));
            else
                Sender.Tell(Synced.Instance);
        });
        Command<ApplyReport>(r => Handle(r.Report));
        Command<RequestCancel>(m => Request(m.ClientOrderId, o => o.RequestCancel(m.Time, m.Reason)));
        Command<RequestAmend>(m => Request(m.ClientOrderId, o => o.RequestAmend(m.Time, m.Qty, m.Price)));
        Command<GetOpenOrders>(q => Sender.Tell(new OpenOrders(
            _orders.Values.Where(o => o.Status.IsOpen() && (q.Symbol is null || o.Symbol == q.Symbol))
                .OrderBy(o => o.CreatedAt).ThenBy(o => o.Id.Value, StringComparer.Ordinal).ToList())));
        Command<GetOrdersAwaitingFills>(_ => Sender.Tell(new OpenOrders(_orders.Values.Where(o => o.AwaitingFills).OrderBy(o => o.CreatedAt).ToList())));
        Command<GetOrder>(q => Sender.Tell(new OrderView(_orders.GetValueOrDefault(q.ClientOrderId))));
        Command<GetLastFill>(_ => Sender.Tell(_recentFills.MaxBy(f => f.Time) is { } last ? new LastFill(last.Time, last.TradeId) : new LastFill(null, null)));
        Command<GetOrderStats>(_ => Sender.Tell(Stats()));
        Command<PortfolioProtocol.ResendFills>(m =>
        {
            var first = _fills - _recentFills.Count + 1; // seq of the oldest fill we still hold
            var fills = _recentFills.Select((f, i) => new PortfolioProtocol.BookFill(f, first + i)).Where(f => f.Seq > m.AfterSeq).ToList();
            Sender.Tell(new PortfolioProtocol.FillsSince(fills, m.AfterSeq >= first - 1));
        });
        Command<WatchExposure>(m =>
        {
            if (_exposureWatchers.Add(Sender)) Context.Watch(Sender);
            var first = _fills - _recentFills.Count + 1;
            var fills = _recentFills.Select((f, i) => new PortfolioProtocol.BookFill(f, first + i)).Where(f => f.Seq > m.AfterSeq).ToList();
            var working = _orders.Values.Where(o => o.Status.IsOpen() || o.AwaitingFills).OrderBy(o => o.CreatedAt).ToList();
            Sender.Tell(new ExposureSnapshot(m.AfterSeq, working, fills, m.AfterSeq >= first - 1, _fills));
        });
        Command<Terminated>(t => _exposureWatchers.Remove(t.ActorRef));
        Command<Sync>(_ => Sender.Tell(Synced.Instance));
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning("orders snapshot failed: {0}", f.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning("deleting old order snapshots failed: {0}", f.Cause.Message));
    }

    private void Handle(RegisterOrder m)
    {
        var id = m.Created.ClientOrderId;
        if (_everCreated.Contains(id))
        {
            Sender.Tell(new OrderRefused(id, $"client order id {id} was used before"));
            return;
        }
        var sender = Sender;
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
        if (!_orders.TryGetValue(report.ClientOrderId, out var order))
        {
            if (_everCreated.Contains(report.ClientOrderId))
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
        var events = _orders.TryGetValue(id, out var order) ? decide(order) : [];
        if (events.Count == 0)
        {
            sender.Tell(new RequestResult(id, false, order));
            return;
        }
        PersistAndApply(events, () => sender.Tell(new RequestResult(id, true, _orders.GetValueOrDefault(id))));
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
            Apply(e, recovering: false);
            LogLifecycle(e);
            if (e is OrderFilled filled) _portfolio.Tell(new PortfolioProtocol.BookFill(filled.Fill, _fills));
            if (_exposureWatchers.Count > 0 && _orders.TryGetValue(e.ClientOrderId, out var order))
            {
                var changed = e is OrderFilled f ? new ExposureChanged(order, f.Fill, _fills) : new ExposureChanged(order, null, 0);
                foreach (var watcher in _exposureWatchers) watcher.Tell(changed);
            }
            // Projections (status display, backtest report, event bus) follow the lifecycle here.
            Context.System.EventStream.Publish(e);
            if (--remaining == 0)
            {
                then?.Invoke();
                if (LastSequenceNr % _snapshotEvery == 0) SaveSnapshot(Snapshot());
            }
        });
    }

    private void Apply(IOrderEvent e, bool recovering)
    {
        if (e is OrderCreated c)
        {
            _orders[c.ClientOrderId] = OrderState.Create(c);
            _everCreated.Add(c.ClientOrderId);
            _created++;
            if (!recovering) HeanMetrics.OrdersTotal.WithLabels(c.Request.Symbol.Value, c.Request.Side.ToString().ToLowerInvariant(), c.Request.Type.ToString().ToLowerInvariant()).Inc();
            return;
        }
        if (!_orders.TryGetValue(e.ClientOrderId, out var before)) return;
        var after = before.Apply(e);
        _orders[e.ClientOrderId] = after;
        if (!recovering) MeasureAck(e);
        if (e is OrderRevived)
        {
            _rejected--; // counted as rejected when it was closed; it was not
            if (!recovering) _log.Warning("order {0} revived: {1}", after.Id, after.Reason);
        }
        if (e is OrderFilled f)
        {
            if (!recovering) PostTrade(after, f.Fill);
            _fills++;
            _recentFills.AddLast(f.Fill);
            while (_recentFills.Count > KeepFills) _recentFills.RemoveFirst();
            if (!recovering) HeanMetrics.FillsTotal.WithLabels(f.Fill.Symbol.Value, f.Fill.Liquidity.ToString().ToLowerInvariant()).Inc();
        }
        if (!before.Status.IsTerminal() && after.Status.IsTerminal())
        {
            switch (after.Status)
            {
                case OrderStatus.Filled: _filled++; break;
                case OrderStatus.Cancelled: _cancelled++; break;
                case OrderStatus.Rejected: _rejected++; break;
            }
            _closed.AddLast(after.Id);
            if (!recovering && after.Status != OrderStatus.Rejected)
                HeanMetrics.FillRatio.WithLabels(after.Symbol.Value, after.Request.Type.ToString().ToLowerInvariant())
                    .Observe((double)(after.FilledQty / after.Request.Qty));
            // Oldest closed orders leave memory, but not one still awaiting fills: those fills must find it.
            for (var turns = _closed.Count; _closed.Count > KeepClosedOrders && turns > 0; turns--)
            {
                var oldest = _closed.First!.Value;
                _closed.RemoveFirst();
                // An order still awaiting fills, or working again (revived), must stay: its fills must find it.
                if (_orders.TryGetValue(oldest, out var o) && (o.AwaitingFills || !o.Status.IsTerminal())) _closed.AddLast(oldest);
                else _orders.Remove(oldest);
            }
        }
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

    private OrderStats Stats() => new(_created, _filled, _cancelled, _rejected, _fills, _duplicates, _overfills,
        _orders.Values.Count(o => o.Status.IsOpen()));

    private OrdersSnapshot Snapshot() => new(
        _orders.Values.OrderBy(o => o.CreatedAt).ThenBy(o => o.Id.Value, StringComparer.Ordinal).ToList(),
        _created, _filled, _cancelled, _rejected, _fills, _recentFills.ToList());

    private void LoadSnapshot(OrdersSnapshot s)
    {
        _orders.Clear();
        _closed.Clear();
        foreach (var o in s.Orders)
        {
            _orders[o.Id] = o;
            _everCreated.Add(o.Id);
            if (o.Status.IsTerminal()) _closed.AddLast(o.Id);
        }
        (_created, _filled, _cancelled, _rejected, _fills) = (s.Created, s.Filled, s.Cancelled, s.Rejected, s.Fills);
        _recentFills.Clear();
        foreach (var f in s.RecentFills ?? []) _recentFills.AddLast(f);
    }
}
