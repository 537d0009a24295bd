using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Hean.Actors.Common;
using Hean.Actors.Execution;
using Hean.Actors.Monitoring;
using Hean.Actors.Orders;
using Hean.Actors.Portfolio;
using Hean.Core.Domain;
using Hean.Core.Portfolio;
using ClientOrderId = Hean.Core.Orders.ClientOrderId;
using OrderRequest = Hean.Core.Orders.OrderRequest;
using OrderType = Hean.Core.Orders.OrderType;
using TimeInForce = Hean.Core.Orders.TimeInForce;
using Hean.Core.Risk;
using static Hean.Actors.Risk.RiskProtocol;

namespace Hean.Actors.Risk;

/// <summary>
/// Pre-trade checks, trading states and the kill switch, event-sourced: every decision is persisted
/// with its reason and numbers, and an engaged kill switch or a HALTED state survives restarts until
/// an operator changes it. Engaging the kill switch cancels every open order (and, when asked,
/// flattens every position) before the engaging command is answered. With the order manager and the portfolio it keeps
/// its own exposure ledger (<see cref="ExposureLedger"/>): positions from the portfolio's booked fills and the order
/// manager's fills after them, and every working order from the order manager's reports; each approval reserves its
/// order at once. Reviews wait until the ledger has its starting point.
/// </summary>
public sealed class RiskGovernor : HeanPersistentActor, IWithTimers
{
    public const string Id = "risk-governor";

    private readonly RiskLimits _limits;
    private readonly IActorRef _execution;
    private readonly IActorRef? _portfolio;
    private readonly IActorRef? _orders;
    private readonly HeanTimeouts _timeouts;
    private readonly int _snapshotEvery;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly PreTradeReview _review = new();
    private readonly BadTickGuard _ticks;
    private RiskState _state = RiskState.Initial;
    private DateTime _lastTime;
    // False while the ledger's starting point is fetched: reviews wait. The portfolio's part, once it is here.
    private bool _ledgerReady = true;
    private int _attachment;
    private HashSet<Symbol> _watched = new(); // the order entities whose snapshot came for this attachment
    private IReadOnlyList<Symbol>? _expected; // the entities the order manager asked
    // Decisions answered and not yet given to the journal (see Handle(ReviewOrder)).
    private readonly List<IRiskEvent> _unwritten = new();

    public override string PersistenceId => Id;
    public ITimerScheduler Timers { get; set; } = null!;

    public RiskGovernor(RiskLimits limits, IActorRef execution, HeanTimeouts timeouts, int snapshotEvery = 500, IActorRef? portfolio = null,
        IActorRef? orders = null)
    {
        _limits = limits;
        _execution = execution;
        _portfolio = portfolio;
        _orders = orders;
        _timeouts = timeouts;
        _snapshotEvery = snapshotEvery;
        _ticks = new BadTickGuard(limits.BadTickJump);
        HeanMetrics.DailyDrawdownLimit.Set((double)limits.DailyDrawdownLimit);

        Recover<SnapshotOffer>(o =>
        {
            if (o.Snapshot is RiskSnapshot s) _state = s.State;
        });
        Recover<IRiskEvent>(e => _state = _state.Apply(e));
        Recover<RecoveryCompleted>(_ =>
        {
            Publish();
            if (_state.TradingState != TradingState.Active)
                _log.Warning("trading is {0} (by {1}): {2}", _state.TradingState, _state.TradingStateBy, _state.TradingStateReason);
            if (_state.KillSwitchEngaged)
            {
                _log.Warning("kill switch is ENGAGED (since {0:u}): {1}", _state.KillSwitchSince, _state.KillSwitchReason);
                // A crash may have come between engaging and cancelling: cancel again, it is idempotent.
                _execution.Tell(new ExecutionProtocol.CancelAllOrders(null, "kill switch engaged at restart: " + _state.KillSwitchReason));
            }
            if (_orders is not null && _portfolio is not null)
            {
                // A restarted order manager forgets who follows it: the ledger starts over from it.
                Context.System.EventStream.Subscribe<OrdersProtocol.OrdersRecovered>(Self);
                AttachLedger();
            }
        });

        Command<ReviewOrder>(m =>
        {
            if (_ledgerReady) Handle(m);
            else Stash.Stash();
        });
        // Entities that recover together (a node's start: one per symbol) make one rebuild, not one each: reviews wait from
        // the first, and the ledger is rebuilt once, shortly after it, from every entity.
        Command<OrdersProtocol.OrdersRecovered>(_ =>
        {
            _ledgerReady = false;
            _attachment++; // a rebuild under way is out of date: its answers are ignored
            if (!Timers.IsTimerActive(AttachTimer)) Timers.StartSingleTimer(AttachTimer, AttachNow.Instance, RecoveriesTogether);
        });
        Command<AttachNow>(_ => AttachLedger());
        Command<LedgerBase>(m =>
        {
            if (m.Attachment != _attachment) return;
            // Positions as the portfolio booked them, then everything each order entity did after its last booked fill, in order.
            _review.Ledger.Reset(m.Portfolio.Positions.Values.Where(p => !p.IsFlat).Select(p => (p.Symbol, p.Qty, m.Portfolio.MarkOf(p.Symbol))),
                m.Portfolio.FillSeqs);
            (_watched, _expected) = (new HashSet<Symbol>(), null);
            _orders!.Tell(new OrdersProtocol.WatchExposure(m.Portfolio.FillSeqs, m.Attachment));
        });
        Command<LedgerFailed>(m =>
        {
            if (m.Attachment != _attachment) return;
            _log.Error("risk's exposure ledger could not read the portfolio ({0}); reviews wait, trying again in 1 s", m.Reason);
            Timers.StartSingleTimer(AttachTimer, AttachNow.Instance, TimeSpan.FromSeconds(1));
        });
        // Each order entity answers for its symbol, then tells each change after it; the order manager says which entities it asked.
        Command<OrdersProtocol.ExposureSnapshot>(m =>
        {
            if (m.Attachment != _attachment || _watched.Contains(m.Symbol)) return;
            var ledger = _review.Ledger;
            if (!m.Complete) _log.Warning("the orders of {0} no longer hold every fill after {1}: risk's positions may miss some until the portfolio catches up", m.Symbol, m.AfterSeq);
            foreach (var f in m.FillsSince) ledger.ApplyFill(f.Fill, f.Seq);
            foreach (var o in m.Working) ledger.Apply(o);
            _watched.Add(m.Symbol);
            LedgerReadyIfComplete();
        });
        Command<OrdersProtocol.ExposureWatch>(m =>
        {
            if (m.Attachment != _attachment) return;
            _expected = m.Symbols;
            LedgerReadyIfComplete();
        });
        // A change reaches risk after its entity's snapshot (one sender, in order); before it, the snapshot on its way holds it.
        Command<OrdersProtocol.ExposureChanged>(m =>
        {
            if (m.Attachment == _attachment && _watched.Contains(m.Symbol)) _review.Ledger.Apply(m.Order, m.Fill, m.FillSeq);
            // The order manager has written an order: an approval waiting behind it goes to the journal now.
            WriteDecisions();
        });
        Command<ReleaseReservation>(m =>
        {
            _review.Ledger.Release(m.ClientOrderId);
            WriteDecisions();
        });
        Command<WriteDecisionsNow>(_ => WriteDecisions());
        Command<ObserveEquity>(m =>
        {
            WriteDecisions();
            Handle(m);
        });
        Command<EngageKillSwitch>(m =>
        {
            WriteDecisions();
            var time = m.Time ?? Now();
            if (_state.KillSwitchEngaged && !m.Flatten)
            {
                Sender.Tell(View());
                return;
            }
            Engage(new KillSwitchEngaged(time, m.Reason, m.By, 0m), m.Flatten, Sender, View);
        });
        Command<ReleaseKillSwitch>(m =>
        {
            WriteDecisions();
            if (!_state.KillSwitchEngaged)
            {
                Sender.Tell(View());
                return;
            }
            var sender = Sender;
            Persist(new KillSwitchReleased(m.Time ?? Now(), m.By) { RebaseEquity = _ticks.LastTrusted }, e =>
            {
                _state = _state.Apply(e);
                _log.Warning("kill switch released by {0}", e.By);
                Publish();
                Context.System.EventStream.Publish(e);
                sender.Tell(View());
            });
        });
        Command<SetTradingState>(m =>
        {
            WriteDecisions();
            if (_state.TradingState == m.State && _state.TradingStateReason == m.Reason)
            {
                Sender.Tell(View());
                return;
            }
            var sender = Sender;
            Persist(new TradingStateChanged(m.Time ?? Now(), m.State, m.Reason, m.By), e =>
            {
                _state = _state.Apply(e);
                _log.Warning("trading state {0} set by {1}: {2}", e.State, e.By, e.Reason);
                Publish();
                Context.System.EventStream.Publish(e);
                sender.Tell(View());
            });
        });
        Command<ReportExecutionError>(m =>
        {
            WriteDecisions();
            HeanMetrics.Errors.WithLabels("execution").Inc();
            Persist(new ExecutionErrorRecorded(m.Time, m.Detail), e =>
            {
                _state = _state.Apply(e);
                if (_state.ErrorBurst(e.Time, e.Detail, _limits) is { } engage) Engage(engage, false, ActorRefs.Nobody, View);
            });
        });
        Command<ReportExecutionSuccess>(_ =>
        {
            WriteDecisions();
            if (_state.ConsecutiveErrors > 0) Persist(new ExecutionErrorsCleared(Now()), e => _state = _state.Apply(e));
        });
        // Both answered once every decision before them is written (reviews persist after answering): a view counts
        // what the journal holds.
        Command<GetRiskState>(_ =>
        {
            WriteDecisions();
            var sender = Sender;
            DeferAsync(Synced.Instance, _ => sender.Tell(View()));
        });
        Command<Sync>(_ =>
        {
            WriteDecisions();
            var sender = Sender;
            DeferAsync(Synced.Instance, synced => sender.Tell(synced));
        });
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning("risk snapshot failed: {0}", f.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    private DateTime Now() => _lastTime == default ? DateTime.UtcNow : _lastTime;

    private void LedgerReadyIfComplete()
    {
        if (_ledgerReady || _expected is null || !_expected.All(_watched.Contains)) return;
        _ledgerReady = true;
        var ledger = _review.Ledger;
        _log.Info("risk's exposure ledger ready: {0} positions, {1} working orders, {2} order entities", ledger.Positions.Count(), ledger.Working.Count, _watched.Count);
        Stash.UnstashAll();
    }

    private void AttachLedger()
    {
        if (_orders is null || _portfolio is null) return;
        var attachment = ++_attachment;
        _ledgerReady = false;
        _portfolio.Ask<PortfolioProtocol.PortfolioView>(new PortfolioProtocol.GetPortfolio(), _timeouts.Ask)
            .PipeTo(Self, success: v => new LedgerBase(attachment, v.State), failure: e => new LedgerFailed(attachment, e.GetBaseException().Message));
    }

    private const string AttachTimer = "attach-ledger";

    /// <summary>How long after an entity's recovery the ledger is rebuilt: the others recovering with it are in the same rebuild.</summary>
    private static readonly TimeSpan RecoveriesTogether = TimeSpan.FromMilliseconds(50);

    private sealed record AttachNow
    {
        public static AttachNow Instance { get; } = new();
    }

    private sealed record LedgerBase(int Attachment, PortfolioState Portfolio);
    private sealed record LedgerFailed(int Attachment, string Reason);

    private RiskView View() => new(_state, _limits, _state.ConsecutiveErrors, _ticks.Discarded);

    private void Handle(ReviewOrder m)
    {
        var c = m.Context;
        _lastTime = c.Time;
        var sender = Sender;
        Context.System.EventStream.Publish(new OrderRequested(c.Order, c.Price, c.Time));
        // The decision is answered at once and written after, without holding the order back: it is the record of what was
        // decided and why (the state it changes is the approved and rejected counts). What guards the account does not
        // depend on it: the reservation is in memory and rebuilt from the order manager at a start, and an approved order
        // reaches the venue only after the order manager has persisted it. An approval is even written after that order
        // (at the order manager's ExposureChanged, or with the next command that persists or reads, or within a second),
        // so the order's own journal write does not queue behind it. A crash before the write loses the record of a
        // decision, never an order.
        switch (_review.Review(_state, _limits, c, m.Sizing))
        {
            case OrderRequestApproved approved:
                sender.Tell(new OrderApproved(approved.ClientOrderId));
                Context.System.EventStream.Publish(approved);
                _unwritten.Add(approved);
                if (_orders is null || _portfolio is null) WriteDecisions(); // no order manager tells us when the order is written
                else if (!Timers.IsTimerActive("decisions")) Timers.StartSingleTimer("decisions", WriteDecisionsNow.Instance, TimeSpan.FromSeconds(1));
                break;
            case OrderRequestRejected rejected:
                sender.Tell(new OrderRejected(rejected.ClientOrderId, rejected.ReasonCode, rejected.Detail));
                HeanMetrics.RiskRejections.WithLabels(rejected.ReasonCode).Inc();
                Context.System.EventStream.Publish(rejected);
                _log.Info("ORDER_REJECTED {0} {1} {2} {3}: {4} — {5}", c.Order.ClientOrderId, c.Order.Side, c.Order.Qty,
                    c.Order.Symbol, rejected.ReasonCode, rejected.Detail);
                _unwritten.Add(rejected); // no order follows: written now, after any approval before it
                WriteDecisions();
                break;
        }
    }

    /// <summary>
    /// The decisions answered so far, in order, to the journal (PersistAllAsync: other commands are not held up; each is
    /// applied in its callback, so a snapshot never holds a decision written after it).
    /// </summary>
    private void WriteDecisions()
    {
        if (_unwritten.Count == 0) return;
        var decisions = _unwritten.ToList();
        _unwritten.Clear();
        Timers.Cancel("decisions");
        PersistAllAsync(decisions, e =>
        {
            _state = _state.Apply(e);
            MaybeSnapshot();
        });
    }

    private sealed record WriteDecisionsNow
    {
        public static WriteDecisionsNow Instance { get; } = new();
    }

    private void Handle(ObserveEquity m)
    {
        _lastTime = m.Time;
        var sender = Sender;
        if (_ticks.Observe(m.Equity) is not { } equity)
        {
            _log.Warning("equity {0:F2} jumped more than BAD_TICK_JUMP {1:P0} from {2:F2}: waiting for confirmation", m.Equity, _limits.BadTickJump, _ticks.LastTrusted);
            sender.Tell(new EquityObserved(_state.KillSwitchEngaged, _state.DailyDrawdown(_ticks.LastTrusted ?? m.Equity)));
            return;
        }
        var events = _state.OnEquity(m.Time, equity, _limits, m.GrossExposure);
        HeanMetrics.DailyDrawdown.Set((double)_state.DailyDrawdown(equity));
        if (events.Count == 0)
        {
            sender.Tell(new EquityObserved(_state.KillSwitchEngaged, _state.DailyDrawdown(equity)));
            return;
        }
        var engage = events.OfType<KillSwitchEngaged>().FirstOrDefault();
        var before = events.Where(e => e is not KillSwitchEngaged).ToList();
        if (before.Count > 0)
            PersistAll(before, e =>
            {
                _state = _state.Apply(e);
                if (e is TradingStateChanged t)
                {
                    _log.Warning("trading state {0} by rule: {1}", t.State, t.Reason);
                    Context.System.EventStream.Publish(t);
                }
                Publish();
            });
        if (engage is null)
        {
            DeferAsync(events[^1], _ => sender.Tell(new EquityObserved(_state.KillSwitchEngaged, _state.DailyDrawdown(equity))));
            return;
        }
        Engage(engage with { Equity = equity }, false, sender, () => new EquityObserved(true, _state.DailyDrawdown(equity)));
    }

    private void Engage(KillSwitchEngaged engaged, bool flatten, IActorRef replyTo, Func<object> reply)
    {
        void Act(KillSwitchEngaged e)
        {
            Publish();
            var answer = reply();
            var log = _log;
            var execution = _execution;
            var portfolio = _portfolio;
            var timeouts = _timeouts;
            // Answer only when the venue has been told to cancel (and to flatten): the caller's next
            // step must see no open orders.
            CancelAndFlatten(e, flatten, execution, portfolio, timeouts, log).PipeTo(replyTo, success: () => answer, failure: _ => answer);
        }

        if (_state.KillSwitchEngaged)
        {
            Act(engaged);
            return;
        }
        Persist(engaged, e =>
        {
            _state = _state.Apply(e);
            _log.Error("EMERGENCY_STOP: kill switch engaged by {0}: {1}", e.By, e.Reason);
            Context.System.EventStream.Publish(new EmergencyStop(e.Time, e.Reason, e.By));
            Act(e);
        });
    }

    private static async Task CancelAndFlatten(KillSwitchEngaged e, bool flatten, IActorRef execution, IActorRef? portfolio,
        HeanTimeouts timeouts, ILoggingAdapter log)
    {
        try
        {
            var cancelled = await execution.Ask<ExecutionProtocol.CancelAllResult>(
                new ExecutionProtocol.CancelAllOrders(null, "kill switch: " + e.Reason, e.Time), timeouts.Ask);
            if (cancelled.Error is not null) log.Error("kill switch could not cancel all orders: {0}", cancelled.Error);
            if (!flatten || portfolio is null) return;
            var view = await portfolio.Ask<PortfolioProtocol.PortfolioView>(new PortfolioProtocol.GetPortfolio(), timeouts.Ask);
            var n = 0;
            foreach (var p in view.State.Positions.Values.Where(p => !p.IsFlat))
            {
                var id = new ClientOrderId($"KS-{p.Symbol.Value}-{e.Time:yyMMddHHmmssfff}-{++n}");
                var order = new OrderRequest(id, p.Symbol, p.Qty > 0 ? Side.Sell : Side.Buy, OrderType.Market, Math.Abs(p.Qty), null,
                    TimeInForce.ImmediateOrCancel, ReduceOnly: true);
                var result = await execution.Ask(new ExecutionProtocol.ExecuteOrder(order, "kill-switch", view.State.MarkOf(p.Symbol), e.Time), timeouts.Ask);
                if (result is ExecutionProtocol.ExecutionFailed f) log.Error("kill switch could not flatten {0}: {1}", p.Symbol, f.Reason);
                else log.Warning("kill switch flattening {0} {1}", p.Symbol, p.Qty);
            }
        }
        catch (Exception ex)
        {
            log.Error("kill switch could not cancel or flatten: {0}", ex.GetBaseException().Message);
        }
    }

    private void MaybeSnapshot()
    {
        if (LastSequenceNr % _snapshotEvery == 0) SaveSnapshot(new RiskSnapshot(_state));
    }

    private void Publish()
    {
        HeanMetrics.KillSwitch.Set(_state.KillSwitchEngaged ? 1 : 0);
        foreach (var s in Enum.GetValues<TradingState>())
            HeanMetrics.TradingStateGauge.WithLabels(s.ToString().ToLowerInvariant()).Set(_state.EffectiveState == s ? 1 : 0);
    }
}

/// <summary>Published on the event stream when the kill switch engages (EMERGENCY_STOP).</summary>
public sealed record EmergencyStop(DateTime Time, string Reason, string By);

/// <summary>Published on the event stream when an order request reaches the pre-trade review (ORDER_REQUEST).</summary>
public sealed record OrderRequested(OrderRequest Order, decimal ReferencePrice, DateTime Time);

public sealed record RiskSnapshot(RiskState State);
