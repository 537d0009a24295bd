using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Hean.Actors.Common;
using Hean.Actors.Execution;
using Hean.Actors.Monitoring;
using Hean.Core.Risk;
using static Hean.Actors.Risk.RiskProtocol;

namespace Hean.Actors.Risk;

/// <summary>
/// Pre-trade checks and the kill switch, event-sourced: every decision is persisted with its
/// reason, and an engaged kill switch survives restarts until an operator releases it.
/// Engaging it cancels every open order before the engaging command is answered.
/// </summary>
public sealed class RiskGovernor : ReceivePersistentActor
{
    public const string Id = "risk-governor";

    private readonly RiskLimits _limits;
    private readonly IActorRef _execution;
    private readonly HeanTimeouts _timeouts;
    private readonly int _snapshotEvery;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private RiskState _state = RiskState.Initial;
    private DateTime _lastTime;

    public override string PersistenceId => Id;

    public RiskGovernor(RiskLimits limits, IActorRef execution, HeanTimeouts timeouts, int snapshotEvery = 500)
    {
        _limits = limits;
        _execution = execution;
        _timeouts = timeouts;
        _snapshotEvery = snapshotEvery;

        Recover<SnapshotOffer>(o =>
        {
            if (o.Snapshot is RiskSnapshot s) _state = s.State;
        });
        Recover<IRiskEvent>(e => _state = _state.Apply(e));
        Recover<RecoveryCompleted>(_ =>
        {
            Publish();
            if (_state.KillSwitchEngaged)
            {
                _log.Warning("kill switch is ENGAGED (since {0:u}): {1}", _state.KillSwitchSince, _state.KillSwitchReason);
                // A crash may have come between engaging and cancelling: cancel again, it is idempotent.
                _execution.Tell(new ExecutionProtocol.CancelAllOrders(null, "kill switch engaged at restart: " + _state.KillSwitchReason));
            }
        });

        Command<ReviewOrder>(Handle);
        Command<ObserveEquity>(Handle);
        Command<EngageKillSwitch>(m =>
        {
            var time = m.Time ?? (_lastTime == default ? DateTime.UtcNow : _lastTime);
            if (_state.KillSwitchEngaged)
            {
                Sender.Tell(new RiskView(_state, _limits));
                return;
            }
            Engage(new KillSwitchEngaged(time, m.Reason, m.By, 0m), Sender, () => new RiskView(_state, _limits));
        });
        Command<ReleaseKillSwitch>(m =>
        {
            if (!_state.KillSwitchEngaged)
            {
                Sender.Tell(new RiskView(_state, _limits));
                return;
            }
            var sender = Sender;
            Persist(new KillSwitchReleased(m.Time ?? DateTime.UtcNow, m.By), e =>
            {
                _state = _state.Apply(e);
                _log.Warning("kill switch released by {0}", e.By);
                Publish();
                sender.Tell(new RiskView(_state, _limits));
            });
        });
        Command<GetRiskState>(_ => Sender.Tell(new RiskView(_state, _limits)));
        Command<Sync>(_ => Sender.Tell(Synced.Instance));
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning("risk snapshot failed: {0}", f.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }

    private void Handle(ReviewOrder m)
    {
        _lastTime = m.Time;
        var sender = Sender;
        var rejection = _state.Check(m.Order, m.Price, m.Portfolio, _limits);
        if (rejection is null)
        {
            var approved = new OrderRequestApproved(m.Order.ClientOrderId, m.Time, m.Order.Qty * m.Price,
                RiskState.LeverageAfter(m.Order, m.Price, m.Portfolio));
            Persist(approved, e =>
            {
                _state = _state.Apply(e);
                sender.Tell(new OrderApproved(e.ClientOrderId));
                MaybeSnapshot();
            });
            return;
        }
        var rejected = new OrderRequestRejected(m.Order.ClientOrderId, m.Time, rejection.ReasonCode, rejection.Detail);
        Persist(rejected, e =>
        {
            _state = _state.Apply(e);
            HeanMetrics.RiskRejections.WithLabels(e.ReasonCode).Inc();
            _log.Info("order {0} {1} {2} {3} rejected: {4} — {5}", m.Order.ClientOrderId, m.Order.Side, m.Order.Qty,
                m.Order.Symbol, e.ReasonCode, e.Detail);
            sender.Tell(new OrderRejected(e.ClientOrderId, e.ReasonCode, e.Detail));
            MaybeSnapshot();
        });
    }

    private void Handle(ObserveEquity m)
    {
        _lastTime = m.Time;
        var sender = Sender;
        var events = _state.OnEquity(m.Time, m.Equity, _limits);
        if (events.Count == 0)
        {
            sender.Tell(new EquityObserved(_state.KillSwitchEngaged, _state.DailyDrawdown(m.Equity)));
            return;
        }
        var engage = events.OfType<KillSwitchEngaged>().FirstOrDefault();
        var before = events.Where(e => e is not KillSwitchEngaged).ToList();
        PersistAll(before, e => _state = _state.Apply(e));
        if (engage is null)
        {
            DeferAsync(events[^1], _ => sender.Tell(new EquityObserved(_state.KillSwitchEngaged, _state.DailyDrawdown(m.Equity))));
            return;
        }
        Engage(engage, sender, () => new EquityObserved(true, _state.DailyDrawdown(m.Equity)));
    }

    private void Engage(KillSwitchEngaged engaged, IActorRef replyTo, Func<object> reply)
    {
        Persist(engaged, e =>
        {
            _state = _state.Apply(e);
            Publish();
            _log.Error("EMERGENCY_STOP: kill switch engaged by {0}: {1}", e.By, e.Reason);
            Context.System.EventStream.Publish(new EmergencyStop(e.Time, e.Reason, e.By));
            // Answer only when the venue has been told to cancel: the caller's next step must see no open orders.
            var answer = reply();
            var log = _log;
            _execution.Ask<ExecutionProtocol.CancelAllResult>(
                    new ExecutionProtocol.CancelAllOrders(null, "kill switch: " + e.Reason, e.Time), _timeouts.Ask)
                .ContinueWith(t =>
                {
                    if (!t.IsCompletedSuccessfully || t.Result.Error is not null)
                        log.Error("kill switch could not cancel all orders: {0}", t.Exception?.GetBaseException().Message ?? t.Result.Error);
                    return answer;
                })
                .PipeTo(replyTo);
        });
    }

    private void MaybeSnapshot()
    {
        if (LastSequenceNr % _snapshotEvery == 0) SaveSnapshot(new RiskSnapshot(_state));
    }

    private void Publish() => HeanMetrics.KillSwitch.Set(_state.KillSwitchEngaged ? 1 : 0);
}

/// <summary>Published on the event stream when the kill switch engages (EMERGENCY_STOP).</summary>
public sealed record EmergencyStop(DateTime Time, string Reason, string By);

public sealed record RiskSnapshot(RiskState State);
