using Akka.Actor;
using Akka.Pattern;
using Akka.Persistence.TestKit;
using Hean.Actors.Common;
using Hean.Actors.Execution;
using Hean.Actors.Orders;
using Hean.Actors.Persistence;
using Hean.Actors.Portfolio;
using Hean.Core.Domain;
using Hean.Core.Execution;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Xunit;
using static Hean.Actors.Orders.OrdersProtocol;
using static Hean.Actors.Tests.Fixtures;

namespace Hean.Actors.Tests;

/// <summary>
/// A journal write fails: the persistent actor stops, the backoff supervisor (as the orchestrator
/// wires it) starts it again, it recovers what was persisted and carries on. Only what was never
/// acknowledged may be missing.
/// </summary>
public sealed class PersistFailureTests() : HeanActorTest(PersistenceBackend.InMemory, overrides: TestJournalConfig)
{
    private const string TestJournalConfig = """
        akka.persistence.journal {
          plugin = "akka.persistence.journal.test"
          test {
            class = "Akka.Persistence.TestKit.TestJournal, Akka.Persistence.TestKit"
            plugin-dispatcher = "akka.actor.default-dispatcher"
          }
        }
        """;

    private ITestJournal Journal => TestJournal.FromRef(Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null));

    /// <summary>The same supervision as Hosting.Components.Supervised, with short backoffs.</summary>
    private IActorRef Supervised(Props child, string name) =>
        Sys.ActorOf(BackoffSupervisor.Props(
            Backoff.OnStop(child, name, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), 0.2, -1)
                .WithAutoReset(TimeSpan.FromSeconds(30))), name + "-supervisor");

    private IActorRef CurrentChild(IActorRef supervisor) =>
        Ask<BackoffSupervisor.CurrentChild>(supervisor, BackoffSupervisor.GetCurrentChild.Instance).Ref;

    /// <summary>Waits until the supervisor runs a child other than <paramref name="stopped"/>.</summary>
    private IActorRef AwaitRestarted(IActorRef supervisor, IActorRef stopped)
    {
        IActorRef? current = null;
        AwaitCondition(() =>
        {
            current = CurrentChild(supervisor);
            return current is not null && !current.IsNobody() && !current.Equals(stopped);
        }, Patience);
        return current!;
    }

    [Fact]
    public async Task An_order_entity_stopped_by_a_failed_write_is_restarted_by_its_parent_and_loses_nothing_it_acknowledged()
    {
        var portfolio = CreateTestProbe("portfolio");
        var orders = Supervised(Props.Create(() => new OrderManager(portfolio.Ref, 200)), "orders");
        orders.Tell(new RegisterOrder(Created(Limit("kept", Side.Buy, 0.002m, 49_000m))), TestActor);
        ExpectMsg<OrderRegistered>(Patience);
        orders.Tell(new ApplyReport(Accepted("kept")));
        orders.Tell(new ApplyReport(Filled(Fill("kept", "sim-1", Side.Buy, 49_000m, 0.001m, 0.0098m), 0.001m)));
        portfolio.ExpectMsg<PortfolioProtocol.BookFill>(Patience);
        var parent = CurrentChild(orders);
        var first = await Sys.ActorSelection(parent.Path / OrderEntity.PersistenceIdOf(Btc)).ResolveOne(Patience);
        Watch(first);

        await Journal.OnWrite.Fail();
        orders.Tell(new RegisterOrder(Created(Limit("lost", Side.Sell, 0.001m, 51_000m), 2)), TestActor);

        ExpectTerminated(first, Patience);
        await Journal.OnWrite.Pass();
        ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // the failed registration was never acknowledged
        // The parent starts the entity again (after a pause, or at once for a message to it); it recovers from its journal.

        var kept = Ask<OrderView>(orders, new GetOrder(Id("kept"))).Order;
        Assert.NotNull(kept);
        Assert.Equal(OrderStatus.PartiallyFilled, kept.Status);
        Assert.Equal(0.001m, kept.FilledQty);
        Assert.Null(Ask<OrderView>(orders, new GetOrder(Id("lost"))).Order);
        Assert.Equal(new OrderStats(1, 0, 0, 0, 1, 0, 0, 1), Ask<OrderStats>(orders, new GetOrderStats()));

        // The restarted child takes new commands: the retry of the lost order and the rest of the fill.
        orders.Tell(new RegisterOrder(Created(Limit("lost", Side.Sell, 0.001m, 51_000m), 3)), TestActor);
        ExpectMsg<OrderRegistered>(Patience);
        orders.Tell(new ApplyReport(Filled(Fill("kept", "sim-1", Side.Buy, 49_000m, 0.001m, 0.0098m), 0.001m)));
        orders.Tell(new ApplyReport(Filled(Fill("kept", "sim-2", Side.Buy, 49_000m, 0.001m, 0.0098m, 4), 0m)));
        Assert.Equal("sim-2", portfolio.ExpectMsg<PortfolioProtocol.BookFill>(Patience).Fill.TradeId);
        Assert.Equal(OrderStatus.Filled, Ask<OrderView>(orders, new GetOrder(Id("kept"))).Order!.Status);
        Assert.Equal(new OrderStats(2, 1, 0, 0, 2, 1, 0, 1), Ask<OrderStats>(orders, new GetOrderStats()));
        Assert.Same(parent, CurrentChild(orders)); // only the entity stopped
        portfolio.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public async Task An_execution_entity_stopped_by_a_failed_write_is_restarted_by_its_parent_and_takes_the_next_algorithm()
    {
        var (orders, gateway) = (CreateTestProbe("orders"), CreateTestProbe("gateway"));
        var execution = Supervised(Props.Create(() => new ExecutionRouter(orders.Ref, gateway.Ref, HeanTimeouts.Default, null)), "execution");
        // A plain order creates BTCUSDT's entity (its index entry persisted); the order manager refuses it.
        execution.Tell(new ExecutionProtocol.ExecuteOrder(Market("plain", Side.Buy, 0.001m), "test", null, T0), TestActor);
        orders.ExpectMsg<RegisterOrder>(Patience);
        orders.Reply(new OrderRefused(Id("plain"), "test"));
        ExpectMsg<ExecutionProtocol.ExecutionFailed>(Patience);
        var parent = CurrentChild(execution);
        var first = await Sys.ActorSelection(parent.Path / ExecutionEntity.PersistenceIdOf(Btc)).ResolveOne(Patience);
        Watch(first);

        var twap = new TwapAlgo(TimeSpan.FromSeconds(60), 3);
        await Journal.OnWrite.Fail();
        execution.Tell(new ExecutionProtocol.ExecuteOrder(Market("lost", Side.Buy, 0.3m), "test", 50_000m, T0, Algo: twap), TestActor);

        ExpectTerminated(first, Patience);
        await Journal.OnWrite.Pass();
        ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // the algorithm whose registration failed was never acknowledged
        IActorRef? again = null;
        AwaitCondition(() =>
        {
            // The parent starts it again after a pause, recovered from its journal.
            var resolving = Sys.ActorSelection(parent.Path / ExecutionEntity.PersistenceIdOf(Btc)).ResolveOne(TimeSpan.FromSeconds(1));
            again = resolving.ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null).GetAwaiter().GetResult();
            return again is not null && !again.Equals(first);
        }, Patience);

        // The restarted entity takes the next algorithm: registered, its actor started (it asks the venue for the market).
        execution.Tell(new ExecutionProtocol.ExecuteOrder(Market("next", Side.Buy, 0.3m), "test", 50_000m, T0, Algo: twap), TestActor);
        Assert.Equal(Btc, gateway.ExpectMsg<ExecutionProtocol.GetMarketConditions>(Patience).Symbol);
        Assert.Equal(["next"], Ask<ExecutionProtocol.ActiveAlgos>(execution, new ExecutionProtocol.GetActiveAlgos()).ParentIds.Select(i => i.Value));
        Assert.Null(Ask<ExecutionProtocol.AlgoView>(execution, new ExecutionProtocol.GetAlgo(Id("lost"))).State);
        Assert.Same(parent, CurrentChild(execution)); // only the entity stopped
    }

    [Fact]
    public async Task Portfolio_stopped_by_a_failed_equity_sample_is_restarted_with_its_fills_and_samples_again()
    {
        var portfolio = Supervised(Props.Create(() => new PortfolioActor(100_000m, TimeSpan.FromSeconds(1), 500)), "portfolio");
        portfolio.Tell(new PortfolioProtocol.BookFill(Fill("b1", "sim-1", Side.Buy, 50_000m, 0.1m, 2.75m, 1), 1));
        var sampled = Ask<PortfolioProtocol.PortfolioView>(portfolio, new PortfolioProtocol.Checkpoint(At(2)));
        Assert.Single(sampled.RecentEquity);
        portfolio.Tell(new PortfolioProtocol.UpdateMarks([new PortfolioProtocol.MarkPrice(Btc, 50_500m, At(3))]));
        var first = CurrentChild(portfolio);
        Watch(first);

        await Journal.OnWrite.FailIf(p => p.Payload is EquitySampled);
        portfolio.Tell(new PortfolioProtocol.Checkpoint(At(4)), TestActor);

        ExpectTerminated(first, Patience);
        ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // the checkpoint was never answered
        await Journal.OnWrite.Pass();
        AwaitRestarted(portfolio, first);

        var recovered = Ask<PortfolioProtocol.PortfolioView>(portfolio, new PortfolioProtocol.GetPortfolio());
        Assert.Equal(new Position(Btc, 0.1m, 50_000m, 0m, 2.75m), recovered.State.PositionOf(Btc));
        Assert.Equal([At(2)], recovered.RecentEquity.Select(s => s.Time));
        Assert.Equal(99_997.25m, recovered.State.Equity); // the mark of the last sample; the unsampled one is gone

        portfolio.Tell(new PortfolioProtocol.UpdateMarks([new PortfolioProtocol.MarkPrice(Btc, 50_500m, At(5))]));
        var again = Ask<PortfolioProtocol.PortfolioView>(portfolio, new PortfolioProtocol.Checkpoint(At(5)));
        Assert.Equal([At(2), At(5)], again.RecentEquity.Select(s => s.Time));
        Assert.Equal(100_047.25m, again.RecentEquity[^1].Equity);
    }
}
