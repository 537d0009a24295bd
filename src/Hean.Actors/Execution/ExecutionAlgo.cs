using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Hean.Actors.Common;
using Hean.Actors.Monitoring;
using Hean.Actors.Orders;
using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.Execution;
using Hean.Core.Orders;
using static Hean.Actors.Execution.AlgoProtocol;
using static Hean.Actors.Execution.ExecutionProtocol;

namespace Hean.Actors.Execution;

/// <summary>
/// One execution algorithm working one parent order (persistence id "algo-{parentId}"), a child of its
/// symbol's <see cref="ExecutionEntity"/>. The logic is <see cref="AlgoState"/>; this actor runs its steps one at a time:
/// <list type="number">
/// <item>gather: the order manager's view of the open children, the venue's quote;</item>
/// <item>decide: <see cref="AlgoState.Reconcile"/> then <see cref="AlgoState.Decide"/>, persisted;</item>
/// <item>act: register and place the children decided (same path as any order: order manager, then
/// gateway), send the cancels; then answer.</item>
/// </list>
/// Steps run on market time only (the entity's ticks); there is no timer. A child's id is persisted
/// before it is registered, and it is placed only while the order manager does not have it or has it
/// as never sent, so a restart at any point sends no child twice.
/// </summary>
public sealed class ExecutionAlgo : HeanPersistentActor
{
    private readonly ClientOrderId _parentId;
    private readonly Instrument _instrument;
    private readonly IActorRef _orders, _gateway;
    private readonly HeanTimeouts _timeouts;
    private readonly ExecutionSettings _settings;
    private readonly bool _resuming;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private AlgoState? _state;
    private bool _busy;
    private bool _recovered; // first step after recovery: send again the cancels a crash may have lost
    private bool _announced;
    private DateTime _lastTime;
    private long _lastSnapshotAt;
    private (IActorRef ReplyTo, Func<object> Answer)? _pending;

    public static string PersistenceIdOf(ClientOrderId parentId) => "algo-" + parentId.Value;

    public override string PersistenceId => PersistenceIdOf(_parentId);

    public ExecutionAlgo(ClientOrderId parentId, Instrument instrument, IActorRef orders, IActorRef gateway, HeanTimeouts timeouts,
        ExecutionSettings settings, bool resuming)
    {
        (_parentId, _instrument, _orders, _gateway, _timeouts, _settings, _resuming) =
            (parentId, instrument, orders, gateway, timeouts, settings, resuming);

        Recover<SnapshotOffer>(o =>
        {
            if (o.Snapshot is AlgoSnapshot s) _state = s.State;
        });
        Recover<IAlgoEvent>(e => _state = e is AlgoStarted started ? AlgoState.Start(started, _instrument) : _state?.Apply(e));
        Recover<RecoveryCompleted>(_ => Recovered());

        Command<GetAlgo>(_ => Sender.Tell(new AlgoView(_state)));
        Command<StopAlgo>(_ => Context.Stop(Self));
        Command<StartAlgo>(m =>
        {
            if (!Busy()) Start(m);
        });
        Command<AlgoTick>(m =>
        {
            if (Busy()) return;
            if (_state is not { IsFinished: false })
            {
                Sender.Tell(new AlgoTicked(_parentId, _state?.IsFinished ?? false));
                return;
            }
            Step(m.Time, Sender, () => new AlgoTicked(_parentId, _state!.IsFinished));
        });
        Command<CancelAlgo>(m =>
        {
            if (Busy()) return;
            if (_state is not { IsFinished: false } state)
            {
                Sender.Tell(new CancelResult(_parentId, false, "the algorithm is not running"));
                return;
            }
            var now = Max(m.Time ?? _lastTime, state.UpdatedAt);
            var replyTo = Sender;
            PersistEvents(state.Cancel(now, m.Reason), () => Step(now, replyTo, () => new CancelResult(_parentId, true, null)));
        });
        Command<MarketReady>(Started);
        Command<Gathered>(Decided);
        Command<StepDone>(_ => EndStep());
        Command<StepFailed>(f =>
        {
            _log.Warning("algo {0}: step at {1:O} failed: {2}", _parentId, f.Time, f.Cause.GetBaseException().Message);
            EndStep();
        });
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning("algo {0}: snapshot failed: {1}", _parentId, f.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning("algo {0}: deleting old snapshots failed: {1}", _parentId, f.Cause.Message));
    }

    private bool Busy()
    {
        if (!_busy) return false;
        Stash.Stash();
        return true;
    }

    private void Recovered()
    {
        if (_state is null)
        {
            if (!_resuming) return; // a new algorithm: StartAlgo follows
            _log.Warning("algo {0}: registered but never started (stopped before its start was persisted); dropped", _parentId);
            Finish();
            return;
        }
        _lastTime = _state.UpdatedAt;
        _lastSnapshotAt = LastSequenceNr;
        if (_state.IsFinished)
        {
            if (_resuming) Finish();
            return;
        }
        _recovered = true;
        _log.Info("algo {0} ({1}) resumed: {2} of {3} filled, {4} working, {5} children sent", _parentId, _state.Spec.Name,
            _state.Filled, _state.Parent.Qty, _state.Working, _state.Children.Count);
    }

    private void Start(StartAlgo m)
    {
        var id = m.Order.Order.ClientOrderId;
        if (_state is not null)
        {
            Sender.Tell(new ExecutionFailed(id, $"client order id {id} was used before by an algorithm"));
            Finish(keepState: false);
            return;
        }
        _busy = true;
        var replyTo = Sender;
        _gateway.Ask<MarketView>(new GetMarketConditions(m.Order.Order.Symbol), _timeouts.Ask)
            .PipeTo(Self, success: v => new MarketReady(m, v, replyTo), failure: e => new MarketReady(m, null, replyTo, e.GetBaseException().Message));
    }

    private void Started(MarketReady r)
    {
        var m = r.Start.Order;
        var order = m.Order;
        var requested = m.Algo ?? new MarketAlgo();
        string? failure = r.Error;
        RoutingDecision? routing = null;
        var mid = m.ArrivalPrice ?? r.View?.Quote.Mid;
        if (failure is null && (mid is not { } arrival || arrival <= 0)) failure = "no market price to measure the execution against";
        if (failure is null && requested is SmartAlgo smart)
        {
            if (r.View?.Quote is { Mid: not null } quote)
                routing = SmartRouter.Choose(order, _instrument, quote, r.View.Conditions, smart.Urgency, _settings.TakerFeeRate, _settings.MakerFeeRate);
            else
                failure = "the smart router needs a quote";
        }
        var spec = routing?.Spec ?? requested;
        failure ??= AlgoState.Validate(order, spec, _instrument);
        if (failure is not null)
        {
            r.ReplyTo.Tell(new ExecutionFailed(order.ClientOrderId, failure));
            _busy = false;
            Finish(keepState: false);
            return;
        }
        var started = new AlgoStarted(order, requested, spec, mid!.Value, m.Time, AlgoState.PlanFor(order, spec, m.Time, _instrument), m.Origin,
            routing?.Reason, routing?.Numbers);
        Persist(started, e =>
        {
            _state = AlgoState.Start(e, _instrument);
            _lastTime = e.Time;
            HeanMetrics.AlgoChoices.WithLabels(e.Requested.Name, e.Spec.Name).Inc();
            _log.Info($"algo {spec.Name} {order.ClientOrderId}: {order.Side} {order.Qty} {order.Symbol}, arrival mid {e.ArrivalMid}, " +
                $"{e.Plan.Count} planned slices{(e.Reasoning is null ? "" : "; smart router: " + e.Reasoning)}");
            Step(e.Time, r.ReplyTo, () => new ExecutionStarted(order.ClientOrderId));
        });
    }

    private void Step(DateTime now, IActorRef replyTo, Func<object> answer)
    {
        _busy = true;
        _pending = (replyTo, answer);
        _lastTime = Max(_lastTime, now);
        var state = _state!;
        Gather(now, state.OpenChildren.Select(c => c.Id).ToList(), state.Parent.Symbol)
            .PipeTo(Self, failure: e => new StepFailed(now, e));
    }

    private async Task<Gathered> Gather(DateTime now, IReadOnlyList<ClientOrderId> children, Symbol symbol)
    {
        var known = new Dictionary<ClientOrderId, OrderState>();
        foreach (var id in children)
        {
            var view = await _orders.Ask<OrdersProtocol.OrderView>(new OrdersProtocol.GetOrder(id, symbol), _timeouts.Ask);
            if (view.Order is { } o) known[id] = o;
        }
        var quote = await _gateway.Ask<MarketQuote>(new GetQuote(symbol), _timeouts.Ask);
        return new Gathered(now, known, quote);
    }

    private void Decided(Gathered g)
    {
        var state = _state!;
        var events = new List<IAlgoEvent>(state.Reconcile(g.Known));
        // A child cancelled before it ever reached the order manager will never be heard of: close it here.
        foreach (var c in state.OpenChildren.Where(c => c.CancelRequested && !g.Known.ContainsKey(c.Id)))
            events.Add(new SliceClosed(_parentId, c.Id, OrderStatus.Cancelled, g.Now, "cancelled before it was sent"));
        var reconciled = events.Aggregate(state, (s, e) => s.Apply(e));
        events.AddRange(reconciled.Decide(g.Now, g.Quote));
        var resendCancels = _recovered;
        _recovered = false;
        PersistEvents(events, () => Act(g, events, resendCancels));
    }

    /// <summary>Persists the events (applying each as it is written), then runs <paramref name="then"/>; at once when there are none.</summary>
    private void PersistEvents(IReadOnlyList<IAlgoEvent> events, Action then)
    {
        if (events.Count == 0)
        {
            then();
            return;
        }
        var remaining = events.Count;
        PersistAll(events, e =>
        {
            _state = _state!.Apply(e);
            if (--remaining > 0) return;
            if (LastSequenceNr - _lastSnapshotAt >= _settings.SnapshotEvery)
            {
                _lastSnapshotAt = LastSequenceNr;
                SaveSnapshot(new AlgoSnapshot(_state));
            }
            then();
        });
    }

    private void Act(Gathered g, IReadOnlyList<IAlgoEvent> events, bool resendCancels)
    {
        var state = _state!;
        // Open children the order manager does not have (decided just now, or before a crash) or has never sent.
        var place = state.OpenChildren
            .Where(c => !c.CancelRequested && (!g.Known.TryGetValue(c.Id, out var o) || o.Status == OrderStatus.New))
            .Select(c => (Child: c, Registered: g.Known.ContainsKey(c.Id)))
            .ToList();
        var cancels = events.OfType<SliceCancelRequested>().Select(c => (c.ChildId, c.Reason)).ToList();
        if (resendCancels)
            cancels.AddRange(state.OpenChildren.Where(c => c.CancelRequested && cancels.All(x => x.ChildId != c.Id)).Select(c => (c.Id, "cancel again after a restart")));
        // A child the order manager never heard of never reached the venue either: the next step closes it here.
        cancels.RemoveAll(c => !g.Known.ContainsKey(c.ChildId));
        // A child registered but never sent cannot be at the venue: the order manager closes it here.
        var unsent = cancels.Where(c => g.Known.TryGetValue(c.ChildId, out var o) && o.Status == OrderStatus.New).Select(c => c.ChildId).ToHashSet();
        RunEffects(state, g, place, cancels.Where(c => !unsent.Contains(c.ChildId)).ToList(), unsent)
            .PipeTo(Self, success: () => StepDone.Instance, failure: e => new StepFailed(g.Now, e));
    }

    private async Task RunEffects(AlgoState state, Gathered g, IReadOnlyList<(ChildSlice Child, bool Registered)> place,
        IReadOnlyList<(ClientOrderId ChildId, string Reason)> cancels, IReadOnlySet<ClientOrderId> unsent)
    {
        foreach (var (child, registered) in place.OrderBy(p => p.Child.N))
        {
            try
            {
                await Place(state, child, registered, g);
            }
            catch (Exception e)
            {
                // Whether it got through is unknown; the next step finds out from the order manager.
                _log.Warning("algo {0}: placing {1} failed: {2}", _parentId, child.Id, e.GetBaseException().Message);
            }
        }
        foreach (var id in unsent)
            _orders.Tell(new OrdersProtocol.ApplyReport(new OrderCancelledReport(id, state.Parent.Symbol, g.Now, "cancelled by its algorithm before it was sent")));
        foreach (var (id, reason) in cancels)
        {
            try
            {
                var result = await _gateway.Ask<CancelResult>(new CancelOrder(id, reason, g.Now, state.Parent.Symbol), _timeouts.Ask);
                if (!result.Sent) _log.Debug("algo {0}: cancel of {1} not sent: {2}", _parentId, id, result.Error);
            }
            catch (Exception e)
            {
                _log.Warning("algo {0}: cancel of {1} failed: {2}", _parentId, id, e.GetBaseException().Message);
            }
        }
    }

    private async Task Place(AlgoState state, ChildSlice child, bool registered, Gathered g)
    {
        var request = state.ChildRequest(child);
        if (!registered)
        {
            var created = new OrderCreated(request, g.Now, $"{state.Spec.Name}:{_parentId}", g.Quote.Mid ?? state.ArrivalMid);
            var answer = await _orders.Ask(new OrdersProtocol.RegisterOrder(created), _timeouts.Ask);
            if (answer is OrdersProtocol.OrderRefused)
            {
                // Registered before a crash: send it only if it never left.
                var view = await _orders.Ask<OrdersProtocol.OrderView>(new OrdersProtocol.GetOrder(child.Id, request.Symbol), _timeouts.Ask);
                if (view.Order?.Status != OrderStatus.New) return;
            }
        }
        var placed = await _gateway.Ask<PlaceResult>(new PlaceOrder(request, g.Now), _timeouts.Ask);
        if (!placed.Sent) _log.Warning("algo {0}: child {1} not sent: {2}", _parentId, child.Id, placed.Error);
    }

    private void EndStep()
    {
        if (_pending is { } p)
        {
            p.ReplyTo.Tell(p.Answer());
            _pending = null;
        }
        _busy = false;
        if (_state is { IsFinished: true } && !_announced)
        {
            Report(_state);
            Finish();
            return;
        }
        Stash.UnstashAll();
    }

    private void Report(AlgoState s)
    {
        var q = s.Quality!;
        Context.System.EventStream.Publish(new AlgoReport(s));
        HeanMetrics.ExecutionShortfallBps.WithLabels(s.Spec.Name).Observe(q.ShortfallBps);
        if (s.Status == AlgoStatus.Completed) HeanMetrics.TimeToFillSeconds.WithLabels(s.Spec.Name).Observe(q.TimeToFillSeconds);
        _log.Info($"algo {s.Spec.Name} {_parentId} {s.Status.ToString().ToLowerInvariant()}: filled {q.FilledQty} of {q.ParentQty} at {q.AvgPrice} " +
            $"(arrival mid {q.ArrivalMid}), shortfall {q.ShortfallBps:F2} bps (price {q.PriceBps:F2}, fees {q.FeeBps:F2}, " +
            $"opportunity {q.OpportunityBps:F2}), {q.Children} children, {q.TimeToFillSeconds:F1} s{(s.Status == AlgoStatus.Cancelled ? "; " + s.Reason : "")}");
    }

    /// <summary>
    /// Tells the entity this algorithm is over. The entity stops it; until then it answers ticks at once, so
    /// a tick that crosses the news is never left waiting on a stopped actor.
    /// </summary>
    private void Finish(bool keepState = true)
    {
        _announced = true;
        Context.Parent.Tell(new AlgoFinished(_parentId, keepState ? _state : null));
        Stash.UnstashAll();
    }

    private static DateTime Max(DateTime a, DateTime b) => a > b ? a : b;

    private sealed record MarketReady(StartAlgo Start, MarketView? View, IActorRef ReplyTo, string? Error = null);

    private sealed record Gathered(DateTime Now, IReadOnlyDictionary<ClientOrderId, OrderState> Known, MarketQuote Quote);

    private sealed record StepDone
    {
        public static StepDone Instance { get; } = new();
    }

    private sealed record StepFailed(DateTime Time, Exception Cause);
}
