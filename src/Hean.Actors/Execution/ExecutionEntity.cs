using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Hean.Actors.Common;
using Hean.Actors.Orders;
using Hean.Core.Domain;
using Hean.Core.Execution;
using Hean.Core.Orders;
using static Hean.Actors.Execution.AlgoProtocol;
using static Hean.Actors.Execution.ExecutionProtocol;

namespace Hean.Actors.Execution;

/// <summary>
/// The execution of one symbol (persistence id "execution-{SYMBOL}"), a child of the <see cref="ExecutionRouter"/>. An
/// order without an algorithm is registered with the order manager (persisted, with its client order id) and then sent
/// through the gateway, as it is. An order with an algorithm becomes the parent of an <see cref="ExecutionAlgo"/> child
/// actor (persistent "algo-{parentId}"), which sends child orders the same way. The entity persists which of its
/// symbol's algorithms run and starts them again after a restart; each one recovers from its own journal. Market time
/// reaches the algorithms only through <see cref="TickAlgos"/>, one algorithm after the other in parent id order.
/// </summary>
public sealed class ExecutionEntity : HeanPersistentActor
{
    public const string Prefix = "execution-";
    private const int KeepFinished = 200;
    private const int SnapshotEvery = 200;

    private readonly Symbol _symbol;
    private readonly IActorRef _orders;
    private readonly IActorRef _gateway;
    private readonly HeanTimeouts _timeouts;
    private readonly ExecutionSettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    private readonly SortedDictionary<string, Running> _running = new(StringComparer.Ordinal);
    private readonly LinkedList<AlgoState> _finished = new();
    // Algorithms that ended, by parent id (from the journal too), so that their final state can be read after a restart.
    private readonly Dictionary<string, Symbol> _ended = new(StringComparer.Ordinal);
    private readonly Queue<string> _endedOrder = new();
    private long _views;
    private long _started;

    public override string PersistenceId { get; }

    public static string PersistenceIdOf(Symbol symbol) => Prefix + symbol.Value;

    public ExecutionEntity(Symbol symbol, IActorRef orders, IActorRef gateway, HeanTimeouts timeouts, ExecutionSettings settings)
    {
        _symbol = symbol;
        _orders = orders;
        _gateway = gateway;
        _timeouts = timeouts;
        _settings = settings;
        PersistenceId = PersistenceIdOf(symbol);

        Recover<SnapshotOffer>(o =>
        {
            if (o.Snapshot is not RouterSnapshot s) return;
            _running.Clear();
            foreach (var r in s.Running) _running[r.ParentId.Value] = new Running(r, null);
        });
        // Written once by the journal layout migration, as the first event: this symbol's part of the old router.
        Recover<AlgosImported>(e =>
        {
            foreach (var r in e.Running) _running[r.ParentId.Value] = new Running(r, null);
            foreach (var r in e.Ended) Ended(r.ParentId, r.Symbol);
        });
        Recover<AlgoRegistered>(e => _running[e.ParentId.Value] = new Running(e, null));
        Recover<AlgoEnded>(e =>
        {
            if (_running.Remove(e.ParentId.Value, out var r)) Ended(e.ParentId, r.Registered.Symbol);
        });
        Recover<RecoveryCompleted>(_ =>
        {
            foreach (var key in _running.Keys.ToList()) _running[key] = _running[key] with { Actor = StartChild(_running[key].Registered, resuming: true) };
            if (_running.Count > 0) _log.Info("execution of {0}: {1} algorithms resumed ({2})", _symbol, _running.Count, string.Join(", ", _running.Keys));
        });

        Command<ExecuteOrder>(StartAlgo, m => m.Algo is not null);
        CommandAsync<ExecuteOrder>(m => ExecuteDirect(m, Sender));
        // Most of the time nothing runs: answer at once, without an async step.
        Command<TickAlgos>(_ => Sender.Tell(new AlgosTicked(_symbol, 0, 0)), _ => _running.Count == 0);
        CommandAsync<TickAlgos>(Tick);
        Command<AlgoFinished>(Finished);
        Command<Terminated>(t =>
        {
            // Stopped without finishing (its journal failed): started again on the next market tick.
            foreach (var (key, r) in _running.Where(x => Equals(x.Value.Actor, t.ActorRef)).ToList())
                _running[key] = r with { Actor = null };
        });
        Command<CancelOrder>(m =>
        {
            if (RunningFor(m.ClientOrderId) is { Actor: { } algo })
                algo.Forward(new CancelAlgo(m.Reason, m.Time));
            else
                _gateway.Forward(m);
        });
        Command<AmendOrder>(m => _gateway.Forward(m));
        Command<FindOwner>(m => Sender.Tell(new OwnsOrder(_symbol, RunningFor(m.ClientOrderId) is not null)));
        CommandAsync<CancelAlgos>(CancelAll);
        Command<GetAlgo>(m =>
        {
            if (_running.GetValueOrDefault(m.ParentId.Value) is { Actor: { } algo }) algo.Forward(m);
            else if (_finished.FirstOrDefault(s => s.ParentId == m.ParentId) is { } done) Sender.Tell(new AlgoView(done));
            else if (_ended.TryGetValue(m.ParentId.Value, out var symbol) && _settings.Catalog.TryGet(symbol, out var instrument))
            {
                // Ended before this start: a short-lived reader recovers its final state from its journal and answers.
                var (orders, gateway, timeouts, settings, id) = (_orders, _gateway, _timeouts, _settings, m.ParentId);
                var view = Context.ActorOf(Props.Create(() => new ExecutionAlgo(id, instrument, orders, gateway, timeouts, settings, false)),
                    $"view-{id.Value}-{++_views}");
                view.Forward(m);
                view.Tell(StopAlgo.Instance);
            }
            else Sender.Tell(new AlgoView(null));
        });
        Command<GetActiveAlgos>(_ => Sender.Tell(new ActiveAlgos(_running.Values.Select(r => r.Registered.ParentId).ToList())));
        Command<Sync>(_ => Sender.Tell(Synced.Instance));
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning("execution snapshot of {0} failed: {1}", _symbol, f.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning("deleting old execution snapshots of {0} failed: {1}", _symbol, f.Cause.Message));
    }

    private async Task ExecuteDirect(ExecuteOrder m, IActorRef sender)
    {
        var id = m.Order.ClientOrderId;
        try
        {
            // Created and Submitted in one journal write: the gateway sends it without another.
            var registered = await _orders.Ask(new OrdersProtocol.RegisterOrder(
                new OrderCreated(m.Order, m.Time, m.Origin, m.ArrivalPrice) { SignalPrice = m.SignalPrice }, Submitting: true), _timeouts.Ask);
            if (registered is OrdersProtocol.OrderRefused refused)
            {
                sender.Tell(new ExecutionFailed(id, refused.Reason));
                return;
            }
            var placed = await _gateway.Ask<PlaceResult>(new PlaceOrder(m.Order, m.Time, Submitted: true, m.SignalAt), _timeouts.Ask);
            sender.Tell(placed.Sent ? new ExecutionStarted(id) : new ExecutionFailed(id, placed.Error ?? "not sent"));
        }
        catch (Exception e)
        {
            // The order is persisted; whether the venue has it is unknown. It stays in flight for reconciliation.
            _log.Warning("order {0}: outcome unknown after {1}", id, e.GetBaseException().Message);
            sender.Tell(new ExecutionFailed(id, "outcome unknown: " + e.GetBaseException().Message));
        }
    }

    private void StartAlgo(ExecuteOrder m)
    {
        var id = m.Order.ClientOrderId;
        if (!_settings.Catalog.TryGet(m.Order.Symbol, out var instrument))
        {
            Sender.Tell(new ExecutionFailed(id, $"unknown symbol {m.Order.Symbol}"));
            return;
        }
        if (AlgoState.Validate(m.Order, m.Algo!, instrument) is { } invalid)
        {
            Sender.Tell(new ExecutionFailed(id, invalid));
            return;
        }
        if (_running.ContainsKey(id.Value))
        {
            Sender.Tell(new ExecutionFailed(id, $"an algorithm is already working {id}"));
            return;
        }
        Persist(new AlgoRegistered(id, m.Order.Symbol, m.Time), e =>
        {
            var child = StartChild(e, resuming: false);
            _running[id.Value] = new Running(e, child);
            child.Forward(new AlgoProtocol.StartAlgo(m));
            MaybeSnapshot();
        });
    }

    private IActorRef StartChild(AlgoRegistered registered, bool resuming)
    {
        var instrument = _settings.Catalog.Get(registered.Symbol);
        var (orders, gateway, timeouts, settings) = (_orders, _gateway, _timeouts, _settings);
        var child = Context.ActorOf(Props.Create(() => new ExecutionAlgo(registered.ParentId, instrument, orders, gateway, timeouts, settings, resuming)),
            $"algo-{registered.ParentId.Value}-{++_started}");
        Context.Watch(child);
        return child;
    }

    private async Task Tick(TickAlgos m)
    {
        var sender = Sender;
        var count = 0;
        foreach (var (key, running) in _running.ToList())
        {
            var algo = running.Actor;
            if (algo is null)
            {
                algo = StartChild(running.Registered, resuming: true);
                _running[key] = running with { Actor = algo };
            }
            try
            {
                await algo.Ask<AlgoTicked>(new AlgoTick(m.Time), _timeouts.Ask);
                count++;
            }
            catch (Exception e)
            {
                _log.Warning("algo {0} did not answer the tick at {1:O}: {2}", key, m.Time, e.GetBaseException().Message);
            }
        }
        sender.Tell(new AlgosTicked(_symbol, count, _running.Count));
    }

    /// <summary>Every running algorithm cancels (sends no child after it) before the router asks the venue to cancel everything.</summary>
    private async Task CancelAll(CancelAlgos m)
    {
        var sender = Sender;
        var cancelled = 0;
        foreach (var (key, running) in _running.ToList())
        {
            if (running.Actor is not { } algo) continue;
            try
            {
                if ((await algo.Ask<CancelResult>(new CancelAlgo(m.Reason, m.Time), _timeouts.Ask)).Sent) cancelled++;
            }
            catch (Exception e)
            {
                _log.Warning("algo {0} did not answer the cancel: {1}", key, e.GetBaseException().Message);
            }
        }
        sender.Tell(new AlgosCancelled(_symbol, cancelled));
    }

    private void Finished(AlgoFinished m)
    {
        if (m.State is { } state)
        {
            _finished.AddFirst(state);
            while (_finished.Count > KeepFinished) _finished.RemoveLast();
        }
        if (!_running.TryGetValue(m.ParentId.Value, out var running)) return;
        if (running.Actor is { } actor)
        {
            Context.Unwatch(actor);
            // In mailbox order, after whatever was forwarded to it before (a GetAlgo must still be answered).
            actor.Tell(StopAlgo.Instance);
        }
        Persist(new AlgoEnded(m.ParentId, m.State?.UpdatedAt ?? running.Registered.Time), e =>
        {
            _running.Remove(e.ParentId.Value);
            Ended(e.ParentId, running.Registered.Symbol);
            MaybeSnapshot();
        });
    }

    /// <summary>The running algorithm that owns this id: its parent, or the parent of a child "{parent}-{n}" (cancelling a child cancels the parent, or the algorithm would only send the quantity again).</summary>
    private Running? RunningFor(ClientOrderId id)
    {
        if (_running.TryGetValue(id.Value, out var r)) return r;
        var dash = id.Value.LastIndexOf('-');
        return dash > 0 && int.TryParse(id.Value.AsSpan(dash + 1), out _) && _running.TryGetValue(id.Value[..dash], out var parent) ? parent : null;
    }

    private void Ended(ClientOrderId parentId, Symbol symbol)
    {
        if (_ended.TryAdd(parentId.Value, symbol)) _endedOrder.Enqueue(parentId.Value);
        while (_endedOrder.Count > KeepFinished) _ended.Remove(_endedOrder.Dequeue());
    }

    private void MaybeSnapshot()
    {
        if (LastSequenceNr % SnapshotEvery == 0)
            SaveSnapshot(new RouterSnapshot(_running.Values.Select(r => r.Registered).ToList()));
    }

    private sealed record Running(AlgoRegistered Registered, IActorRef? Actor);
}
