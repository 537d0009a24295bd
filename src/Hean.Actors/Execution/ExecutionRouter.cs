using Akka.Actor;
using Akka.Event;
using Hean.Actors.Common;
using Hean.Actors.Persistence;
using Hean.Core.Domain;
using Hean.Core.Orders;
using static Hean.Actors.Execution.AlgoProtocol;
using static Hean.Actors.Execution.ExecutionProtocol;

namespace Hean.Actors.Execution;

/// <summary>
/// Takes approved orders to the venue: the parent of the execution entities (<see cref="ExecutionEntity"/>, one per
/// symbol, persistence id "execution-{SYMBOL}", each owning its symbol's running algorithms), a child-per-entity parent
/// as a shard region would be on a cluster. It routes every message that carries a symbol (<see cref="IWithSymbol"/>)
/// to that symbol's entity, creating it on demand, and remembers which entities exist in its own small journal
/// "execution-index", so that after a restart it starts them all again (and they resume their algorithms), whatever
/// SYMBOLS says now. Market time reaches the entities with running algorithms one after the other in symbol order, and
/// the answer comes when all are done, so a backtest stays deterministic. What has no symbol (an operator's cancel by
/// id, cancel-all, the queries) it answers across its entities. It decides nothing about orders.
/// </summary>
public sealed class ExecutionRouter : SymbolEntityParent<ExecutionEntityStarted>
{
    public const string Id = "execution-index";

    private readonly IActorRef _orders;
    private readonly IActorRef _gateway;
    private readonly HeanTimeouts _timeouts;
    private readonly ExecutionSettings _settings;
    // The entities that may have running algorithms, ticked on market time: every entity as it starts and every one
    // given an algorithm; one leaves when its tick answers that nothing runs there any more.
    private readonly SortedSet<string> _active = new(StringComparer.Ordinal);

    public override string PersistenceId => Id;

    public ExecutionRouter(IActorRef orders, IActorRef gateway, HeanTimeouts timeouts, ExecutionSettings? settings = null) : base("execution", timeouts.Ask)
    {
        _orders = orders;
        _gateway = gateway;
        _timeouts = timeouts;
        _settings = settings ?? ExecutionSettings.Default;

        Recover<ExecutionLayoutMigrated>(_ => { });

        Command<ExecuteOrder>(m =>
        {
            if (m.Algo is not null) _active.Add(m.Symbol.Value);
            Route(m.Symbol, m);
        });
        Command<CancelOrder>(m =>
        {
            if (m.Symbol is { } symbol) (Existing(symbol.Value) ?? _gateway).Forward(m);
            else ByOwner(m, m.ClientOrderId);
        });
        // No algorithm takes amends: the order's entity (when there is one) hands it to the venue as it is.
        Command<AmendOrder>(m => (m.Symbol is { } symbol ? Existing(symbol.Value) ?? _gateway : _gateway).Forward(m));
        // Most of the time nothing runs: answer at once, without an async step.
        Command<MarketTimeAdvanced>(m => Sender.Tell(new MarketTimeHandled(m.Time, 0)), _ => _active.Count == 0);
        CommandAsync<MarketTimeAdvanced>(Tick);
        CommandAsync<CancelAllOrders>(CancelAll);
        Command<GetAlgo>(m =>
        {
            if (m.Symbol is { } symbol)
            {
                if (Existing(symbol.Value) is { } entity) entity.Forward(m);
                else Sender.Tell(new AlgoView(null));
                return;
            }
            Gather<AlgoView>(m).ContinueWith(t => (object)(t.Result.FirstOrDefault(v => v.State is not null) ?? new AlgoView(null)),
                TaskContinuationOptions.OnlyOnRanToCompletion).PipeTo(Sender);
        });
        Command<GetActiveAlgos>(m =>
        {
            if (m.Symbol is { } symbol)
            {
                if (Existing(symbol.Value) is { } entity) entity.Forward(m);
                else Sender.Tell(new ActiveAlgos([]));
                return;
            }
            Gather<ActiveAlgos>(m).ContinueWith(t => (object)new ActiveAlgos(t.Result.SelectMany(a => a.ParentIds)
                .OrderBy(id => id.Value, StringComparer.Ordinal).ToList()), TaskContinuationOptions.OnlyOnRanToCompletion).PipeTo(Sender);
        });
        Command<Sync>(q => Gather<Synced>(q).ContinueWith(_ => (object)Synced.Instance, TaskContinuationOptions.OnlyOnRanToCompletion).PipeTo(Sender));
        Command<Located>(m => (m.Entity ?? _gateway).Tell(m.Message, m.Sender));
    }

    protected override (Props Props, string Name) EntityOf(Symbol symbol)
    {
        var (orders, gateway, timeouts, settings) = (_orders, _gateway, _timeouts, _settings);
        return (Props.Create(() => new ExecutionEntity(symbol, orders, gateway, timeouts, settings)), ExecutionEntity.PersistenceIdOf(symbol));
    }

    protected override ExecutionEntityStarted Started(Symbol symbol) => new(symbol);

    // A (re)started entity resumes the algorithms its journal says run: ticked until it says none does.
    protected override void OnEntityCreated(string symbol, IActorRef entity) => _active.Add(symbol);

    /// <summary>
    /// One entity after the other, in symbol order (algorithms of different symbols never decide at the same time, so
    /// what they send reaches the order manager and the venue in the same order on every run); answers when all are done.
    /// </summary>
    private async Task Tick(MarketTimeAdvanced m)
    {
        var sender = Sender;
        var count = 0;
        foreach (var symbol in _active.Where(IsKnown).ToList())
        {
            try
            {
                var ticked = await Entity(symbol).Ask<AlgosTicked>(new TickAlgos(m.Time), _timeouts.Ask);
                count += ticked.Algos;
                if (ticked.Running == 0) _active.Remove(symbol);
            }
            catch (Exception e)
            {
                Log.Warning("execution entity {0} did not answer the tick at {1:O}: {2}", symbol, m.Time, e.GetBaseException().Message);
            }
        }
        sender.Tell(new MarketTimeHandled(m.Time, count));
    }

    private async Task CancelAll(CancelAllOrders m)
    {
        var sender = Sender;
        // Algorithms first, so that none sends a child after the venue cancelled everything.
        var symbols = _active.Where(s => IsKnown(s) && (m.Symbol is null || m.Symbol.Value.Value == s)).ToList();
        foreach (var symbol in symbols)
        {
            try
            {
                await Entity(symbol).Ask<AlgosCancelled>(new CancelAlgos(m.Reason, m.Time), _timeouts.Ask);
            }
            catch (Exception e)
            {
                Log.Warning("execution entity {0} did not answer the cancel: {1}", symbol, e.GetBaseException().Message);
            }
        }
        try
        {
            sender.Tell(await _gateway.Ask<CancelAllResult>(m, _timeouts.Ask));
        }
        catch (Exception e)
        {
            sender.Tell(new CancelAllResult(0, e.GetBaseException().Message));
        }
    }

    /// <summary>A cancel by order id without its symbol: to the entity whose algorithm owns the id, or else to the venue.</summary>
    private void ByOwner(object message, ClientOrderId id)
    {
        var (sender, ask, entities) = (Sender, _timeouts.Ask, _active.Where(IsKnown).Select(Entity).ToList());
        Task.WhenAll(entities.Select(async e => (Entity: e, Found: await e.Ask<OwnsOrder>(new FindOwner(id), ask))))
            // No algorithm owns the id (or the lookup failed): the venue takes the cancel as it is.
            .ContinueWith(t => new Located(message, sender, t.IsCompletedSuccessfully ? t.Result.FirstOrDefault(r => r.Found.Owns).Entity : null))
            .PipeTo(Self);
    }

    private sealed record Located(object Message, IActorRef Sender, IActorRef? Entity);
}
