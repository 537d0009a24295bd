using Akka.Actor;
using Akka.TestKit;
using Hean.Actors.Common;
using Hean.Actors.Orders;
using Hean.Actors.Persistence;
using Hean.Actors.Portfolio;
using Hean.Core.Domain;
using Hean.Core.Orders;
using Xunit;
using static Hean.Actors.Orders.OrdersProtocol;
using static Hean.Actors.Tests.Fixtures;

namespace Hean.Actors.Tests;

/// <summary>
/// The barrier (Sync) of an entity parent asks only the entities it sent something since their last barrier, waits for a
/// barrier still on its way to a quiet one, and answers at once when every entity is quiet. The parent's entities here are
/// stand-ins that show each Sync to the test and answer it only when told to.
/// </summary>
public sealed class EntityBarrierTests() : HeanActorTest(PersistenceBackend.InMemory)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);

    private sealed record Work(Symbol Symbol) : IWithSymbol;

    /// <summary>An entity got a Sync from its parent; <see cref="Answer"/> to it answers the oldest one.</summary>
    private sealed record GotSync(string Symbol, IActorRef Entity);

    private sealed record Got(string Symbol, object Message);

    private sealed record Answer;

    private sealed class StandIn : ReceiveActor
    {
        private readonly Queue<IActorRef> _syncs = new();

        public StandIn(string symbol, IActorRef probe)
        {
            Receive<Sync>(_ =>
            {
                _syncs.Enqueue(Sender);
                probe.Tell(new GotSync(symbol, Self));
            });
            Receive<Answer>(_ => _syncs.Dequeue().Tell(Synced.Instance));
            ReceiveAny(m => probe.Tell(new Got(symbol, m)));
        }
    }

    private sealed class Parent : SymbolEntityParent<OrderEntityStarted>
    {
        private readonly IActorRef _probe;

        public override string PersistenceId => "barrier-test-index";

        public Parent(IActorRef probe) : base("test", TimeSpan.FromSeconds(5))
        {
            _probe = probe;
            Command<Work>(m => Route(m.Symbol, m));
            Command<Sync>(_ => AnswerSync());
        }

        protected override (Props Props, string Name) EntityOf(Symbol symbol)
        {
            var probe = _probe;
            return (Props.Create(() => new StandIn(symbol.Value, probe)), "entity-" + symbol.Value);
        }

        protected override OrderEntityStarted Started(Symbol symbol) => new(symbol);
    }

    private (IActorRef Parent, TestProbe Entities) StartParent()
    {
        var entities = CreateTestProbe();
        return (Sys.ActorOf(Props.Create(() => new Parent(entities.Ref))), entities);
    }

    private static GotSync ExpectSync(TestProbe entities, Symbol symbol) =>
        entities.ExpectMsg<GotSync>(s => s.Symbol == symbol.Value, Patience);

    /// <summary>The Syncs of several entities, by symbol (each entity tells on its own, in no fixed order).</summary>
    private static Dictionary<string, GotSync> ExpectSyncs(TestProbe entities, int count) =>
        entities.ReceiveN(count, Patience).Cast<GotSync>().ToDictionary(s => s.Symbol);

    [Fact]
    public void A_barrier_asks_only_the_entities_sent_something_since_their_last_barrier_and_answers_at_once_when_all_are_quiet()
    {
        var (parent, entities) = StartParent();
        parent.Tell(new Work(Eth));
        parent.Tell(new Work(Btc));
        Assert.Equal([Btc.Value, Eth.Value], entities.ReceiveN(2, Patience).Cast<Got>().Select(g => g.Symbol).Order());

        // Both had work: both are asked, and the barrier waits for the last answer.
        parent.Tell(Sync.Instance, TestActor);
        var syncs = ExpectSyncs(entities, 2);
        syncs[Btc.Value].Entity.Tell(new Answer());
        ExpectNoMsg(Quiet);
        syncs[Eth.Value].Entity.Tell(new Answer());
        ExpectMsg<Synced>(Patience);

        // Nothing since: answered by the parent, no entity asked.
        parent.Tell(Sync.Instance, TestActor);
        ExpectMsg<Synced>(Patience);
        entities.ExpectNoMsg(Quiet);

        // Work for one symbol again: only that entity is asked, and it is asked again (a quiet entity is not forgotten).
        parent.Tell(new Work(Eth));
        entities.ExpectMsg<Got>(g => g.Symbol == Eth.Value, Patience);
        parent.Tell(Sync.Instance, TestActor);
        ExpectSync(entities, Eth).Entity.Tell(new Answer());
        ExpectMsg<Synced>(Patience);
        entities.ExpectNoMsg(Quiet);
    }

    [Fact]
    public void A_barrier_waits_for_the_earlier_barrier_a_quiet_entity_has_not_answered_yet()
    {
        var (parent, entities) = StartParent();
        var first = CreateTestProbe();
        var second = CreateTestProbe();
        parent.Tell(new Work(Btc));
        entities.ExpectMsg<Got>(Patience);

        parent.Tell(Sync.Instance, first.Ref);
        var btc = ExpectSync(entities, Btc);
        // Nothing new for the entity, but it has not handled the work before the first barrier yet: the second waits too,
        // without asking it again.
        parent.Tell(Sync.Instance, second.Ref);
        second.ExpectNoMsg(Quiet);
        entities.ExpectNoMsg(TimeSpan.Zero);

        btc.Entity.Tell(new Answer());
        first.ExpectMsg<Synced>(Patience);
        second.ExpectMsg<Synced>(Patience);
    }

    [Fact]
    public void A_barrier_waiting_for_an_entity_that_stops_is_not_answered_and_the_entity_started_again_is_asked_at_the_next()
    {
        var (parent, entities) = StartParent();
        parent.Tell(new Work(Btc));
        entities.ExpectMsg<Got>(Patience);
        parent.Tell(Sync.Instance, TestActor);
        var stopped = ExpectSync(entities, Btc).Entity;

        // What it had not handled is lost with it: the barrier is never answered, as when an asked entity never answers.
        Watch(stopped);
        Sys.Stop(stopped);
        ExpectTerminated(stopped, Patience);
        ExpectNoMsg(Quiet);

        // Started again (a message or a barrier does it at once): new, it is asked before the barrier is answered. (Until
        // the parent has seen it stop, a barrier waits for the stopped one and is dropped with it: asked again.)
        GotSync? again = null;
        AwaitAssert(() =>
        {
            parent.Tell(Sync.Instance, TestActor);
            again = entities.ExpectMsg<GotSync>(TimeSpan.FromSeconds(1));
        }, Patience);
        Assert.NotEqual(stopped, again!.Entity);
        again.Entity.Tell(new Answer());
        ExpectMsg<Synced>(Patience);
    }

    [Fact]
    public void The_order_managers_barrier_after_a_fill_answers_once_the_fill_is_on_its_way_to_the_portfolio_and_at_once_after_it()
    {
        var portfolio = CreateTestProbe("portfolio");
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200, null)));
        orders.Tell(new RegisterOrder(Created(Limit("b1", Side.Buy, 0.002m, 49_000m))), TestActor);
        ExpectMsg<OrderRegistered>(Patience);
        orders.Tell(new ApplyReport(Accepted("b1")));
        orders.Tell(new ApplyReport(Filled(Fill("b1", "sim-1", Side.Buy, 49_000m, 0.002m, 0.0098m), 0m)));

        SyncWith(orders);
        // The entity tells the portfolio the fill before it answers the barrier: it is there already.
        Assert.True(portfolio.HasMessages);
        Assert.Equal("sim-1", portfolio.ExpectMsg<PortfolioProtocol.BookFill>(TimeSpan.Zero).Fill.TradeId);

        // Nothing since: answered by the parent itself; the order is still as the entity has it.
        SyncWith(orders);
        Assert.Equal(OrderStatus.Filled, Ask<OrderView>(orders, new GetOrder(Id("b1"), Btc)).Order!.Status);
        portfolio.ExpectNoMsg(Quiet);
    }
}
