using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Hean.Actors.Common;
using Hean.Actors.Execution;
using Hean.Actors.Monitoring;
using Hean.Actors.Orders;
using Hean.Actors.Portfolio;
using Hean.Actors.Risk;
using Hean.Core.Domain;
using Hean.Core.Execution;
using Hean.Core.Orders;
using Hean.Core.Risk;
using Hean.Core.Trading;
using static Hean.Actors.Instruments.InstrumentProtocol;

namespace Hean.Actors.Instruments;

/// <summary>
/// One tradable symbol: turns the strategy's signals into an order toward the target position
/// (ORDER_REQUEST) sized by the smallest of the hard limit, fractional Kelly and the volatility
/// target, has risk review it with everything the checks need, and sends it through the execution
/// router. Signals are handled one at a time; the answer comes when the order is with the venue. What the rules learn
/// (the round trips behind Kelly, the client order id counter) is written by its child <see cref="InstrumentJournal"/>
/// (persistence id <c>instrument-SYMBOL</c>) without holding the order back, and read back from it before the first
/// signal after a start.
/// </summary>
public sealed class InstrumentActor : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    private readonly InstrumentRules _rules;
    private readonly IActorRef _portfolio, _orders, _risk, _execution;
    private readonly HeanTimeouts _timeouts;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef _journal = ActorRefs.Nobody;

    public IStash Stash { get; set; } = null!;
    public ITimerScheduler Timers { get; set; } = null!;

    public InstrumentActor(Instrument instrument, InstrumentSettings settings,
        IActorRef portfolio, IActorRef orders, IActorRef risk, IActorRef execution, HeanTimeouts timeouts)
    {
        _rules = new InstrumentRules(instrument, settings);
        (_portfolio, _orders, _risk, _execution, _timeouts) = (portfolio, orders, risk, execution, timeouts);
        Receive<InstrumentJournal.Recovered>(m =>
        {
            _rules.Restore(m.Memory);
            Become(Ready);
            Stash.UnstashAll();
        });
        JournalUpkeep();
        ReceiveAny(_ => Stash.Stash());
    }

    protected override void PreStart() => StartJournal();

    private void StartJournal()
    {
        _journal = Context.ActorOf(Props.Create(() => new InstrumentJournal(_rules.Instrument, _rules.Settings)), "journal");
        Context.Watch(_journal);
    }

    /// <summary>
    /// In both behaviours: a failed write or recovery stops the journal, and it starts again a second later from what it
    /// has (this actor's rules keep what they know; before the first recovery, signals wait).
    /// </summary>
    private void JournalUpkeep()
    {
        Receive<Terminated>(t =>
        {
            if (!t.ActorRef.Equals(_journal)) return;
            _log.Warning("the journal of {0} stopped: starting it again in 1 s", _rules.Instrument.Symbol);
            Timers.StartSingleTimer("journal", RestartJournal.Instance, TimeSpan.FromSeconds(1));
        });
        Receive<RestartJournal>(_ => StartJournal());
    }

    private sealed record RestartJournal
    {
        public static RestartJournal Instance { get; } = new();
    }

    private void Ready()
    {
        Receive<InstrumentJournal.Recovered>(_ => { }); // a restarted journal: these rules are ahead of it
        JournalUpkeep();
        ReceiveAsync<HandleSignal>(async m =>
        {
            var sender = Sender;
            string outcome;
            try
            {
                outcome = await Handle(m);
            }
            catch (Exception e)
            {
                outcome = "failed: " + e.GetBaseException().Message;
                _log.Error("signal for {0} failed: {1}", _rules.Instrument.Symbol, e.GetBaseException().Message);
                _risk.Tell(new RiskProtocol.ReportExecutionError(outcome, m.Signal.Time));
            }
            sender.Tell(new SignalHandled(outcome));
        });
    }

    private async Task<string> Handle(HandleSignal m)
    {
        var signal = m.Signal;
        HeanMetrics.Signals.WithLabels(signal.Symbol.Value, signal.Direction.ToString().ToLowerInvariant()).Inc();

        // A new signal replaces whatever we still have working in this symbol.
        var working = await _orders.Ask<OrdersProtocol.OpenOrders>(new OrdersProtocol.GetOpenOrders(), _timeouts.Ask);
        var open = working.Orders.Where(o => o.Symbol == _rules.Instrument.Symbol).ToList();
        foreach (var o in open)
            await _execution.Ask<ExecutionProtocol.CancelResult>(new ExecutionProtocol.CancelOrder(o.Id, "replaced by a new signal", signal.Time, o.Symbol), _timeouts.Ask);
        // Whatever the venue has not confirmed cancelled yet may still fill: the rules count it as if it will.
        if (open.Count > 0)
        {
            await _orders.Ask<Synced>(Sync.Instance, _timeouts.Ask);
            working = await _orders.Ask<OrdersProtocol.OpenOrders>(new OrdersProtocol.GetOpenOrders(), _timeouts.Ask);
        }

        var view = await _portfolio.Ask<PortfolioProtocol.PortfolioView>(new PortfolioProtocol.GetPortfolio(), _timeouts.Ask);
        var decision = _rules.Decide(signal, m.BestBid, m.BestAsk, view.State, working.Orders);
        // Written once the order is on its way (the journal's writes queue behind each other, and the order's own write
        // should not wait for this one): a crash before the write loses this signal's round trip, never an order.
        var recorded = _rules.Recorded(signal);
        try
        {
            return await Send(decision, m);
        }
        finally
        {
            _journal.Tell(recorded);
        }
    }

    private async Task<string> Send(InstrumentDecision decision, HandleSignal m)
    {
        var signal = m.Signal;
        if (decision is not InstrumentDecision.Send send) return "at target";
        var (request, context, sizing, mid, algo) = (send.Request, send.Context, send.Sizing, send.Mid, send.Algo);
        var (side, qty) = (request.Side, request.Qty);
        var review = await _risk.Ask(new RiskProtocol.ReviewOrder(context, sizing), _timeouts.Ask);
        if (review is RiskProtocol.OrderRejected rejected) return $"rejected by risk: {rejected.ReasonCode}";

        var result = await _execution.Ask(new ExecutionProtocol.ExecuteOrder(request, signal.Strategy, mid, signal.Time, signal.ReferencePrice, algo, m.SignalAt), _timeouts.Ask);
        switch (result)
        {
            case ExecutionProtocol.ExecutionStarted:
                _risk.Tell(new RiskProtocol.ReportExecutionSuccess());
                return $"sent {side} {qty} {_rules.Instrument.Symbol} ({request.ClientOrderId}), sized by {sizing.Basis}";
            case ExecutionProtocol.ExecutionFailed f:
                _risk.Tell(new RiskProtocol.ReleaseReservation(request.ClientOrderId));
                _risk.Tell(new RiskProtocol.ReportExecutionError($"{request.ClientOrderId}: {f.Reason}", signal.Time));
                return $"not sent: {f.Reason}";
            default:
                return "unexpected answer " + result.GetType().Name;
        }
    }
}

/// <summary>
/// The journal of one instrument (persistence id <c>instrument-SYMBOL</c>): every decided signal, and every 200 a
/// snapshot of the rules' memory. After recovering it tells its parent what the rules remembered.
/// </summary>
public sealed class InstrumentJournal : HeanPersistentActor
{
    private const int SnapshotEvery = 200;
    private readonly InstrumentRules _rules;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public sealed record Recovered(InstrumentMemory Memory);

    public override string PersistenceId { get; }

    public InstrumentJournal(Instrument instrument, InstrumentSettings settings)
    {
        _rules = new InstrumentRules(instrument, settings);
        PersistenceId = "instrument-" + instrument.Symbol.Value;
        Recover<SnapshotOffer>(o =>
        {
            if (o.Snapshot is InstrumentMemory memory) _rules.Restore(memory);
        });
        Recover<InstrumentSignalRecorded>(_rules.Replay);
        Recover<RecoveryCompleted>(_ => Context.Parent.Tell(new Recovered(_rules.Memory)));
        Command<InstrumentSignalRecorded>(e => PersistAsync(e, recorded =>
        {
            _rules.Replay(recorded);
            if (LastSequenceNr % SnapshotEvery == 0) SaveSnapshot(_rules.Memory);
        }));
        // Answered once every signal told before it is written.
        Command<Sync>(_ =>
        {
            var sender = Sender;
            DeferAsync(Synced.Instance, synced => sender.Tell(synced));
        });
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning("instrument snapshot failed: {0}", f.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(_ => { });
    }
}
