using Akka.Actor;
using Hean.Actors.Execution;
using Hean.Actors.Persistence;
using Hean.Core.Domain;
using Hean.Core.Execution;
using Hean.Core.Orders;
using Xunit;
using static Hean.Actors.Tests.Fixtures;

namespace Hean.Actors.Tests.Execution;

/// <summary>
/// The RL execution policy as one more algorithm of the router, on SQLite (every event through the serializer):
/// a parent completes on the simulated exchange, its decisions are persisted and survive a router restart.
/// </summary>
public sealed class RlAlgoExecutionTests() : AlgoTestKit(PersistenceBackend.Sqlite)
{
    /// <summary>Five states by elapsed fifth of the horizon: wait, post, then cross.</summary>
    internal static RlPolicy Scripted()
    {
        var space = new RlStateSpace(5, 1, [], [], []);
        RlAction[] best = [RlAction.Wait, RlAction.Post, RlAction.Cross, RlAction.Cross, RlAction.Cross];
        var q = new double[space.Count * RlPolicy.Actions];
        for (var s = 0; s < space.Count; s++)
            for (var a = 0; a < RlPolicy.Actions; a++)
                q[s * RlPolicy.Actions + a] = a == (int)best[s] ? -1 : -10;
        return new RlPolicy(RlPolicy.CurrentFormat, space, q, Enumerable.Repeat(1, q.Length).ToArray());
    }

    /// <summary>A fresh SQLite journal can take seconds to open on a busy machine: wait for it longer than one ask.</summary>
    private void AwaitRecovered()
    {
        var patience = TimeSpan.FromSeconds(60);
        Gateway.Ask<ExecutionProtocol.VenueState>(new ExecutionProtocol.GetVenueState(), patience).GetAwaiter().GetResult();
        Router.Ask<ExecutionProtocol.ActiveAlgos>(new ExecutionProtocol.GetActiveAlgos(), patience).GetAwaiter().GetResult();
        Orders.Ask<Hean.Actors.Orders.OrdersProtocol.OrderStats>(new Hean.Actors.Orders.OrdersProtocol.GetOrderStats(), patience).GetAwaiter().GetResult();
    }

    [Fact]
    public void A_parent_worked_by_the_rl_policy_completes_its_decisions_are_persisted_and_a_restarted_router_continues_it()
    {
        Wire();
        AwaitRecovered();
        Step(Book(0, qty: 10m));
        var spec = new RlAlgo(TimeSpan.FromSeconds(50), 5, Scripted());
        Assert.IsType<ExecutionProtocol.ExecutionStarted>(Execute(Market("R", Side.Buy, 0.5m), spec, 0));
        Books(1, 12, qty: 10m);

        var posted = AlgoOf("R");
        Assert.Equal(1, posted.RlPeriodDecided); // period 1 decided (post), period 0 waited
        var child = Assert.Single(posted.Children);
        Assert.Equal((OrderType.Limit, TimeInForce.PostOnly, 0.125m, 49_990m), (child.Type, child.TimeInForce, child.Qty, child.Price));

        // A new router on the same journal: the algorithm resumes with its policy and its decisions.
        StopAndWait(Router);
        Router = StartRouter();
        AwaitRecovered();
        var resumed = AlgoOf("R");
        Assert.Equal(1, resumed.RlPeriodDecided);
        Assert.Equal(Scripted().Q, Assert.IsType<RlAlgo>(resumed.Spec).Policy.Q);
        Assert.Equal(posted.Children.Select(c => (c.Id, c.Qty, c.Price)), resumed.Children.Select(c => (c.Id, c.Qty, c.Price)));

        Books(13, 60, qty: 10m);
        var done = AlgoOf("R");
        Assert.Equal((AlgoStatus.Completed, 0.5m), (done.Status, done.Filled));
        // The post never filled (nobody traded) and was cancelled at the next period; three periods crossed the rest.
        Assert.Equal(["R-1", "R-2", "R-3", "R-4"], done.Children.Select(c => c.Id.Value));
        Assert.Equal(OrderStatus.Cancelled, OrderOf("R-1")!.Status);
        // Each slice is what remains over the periods left, on the lot: 0.5 / 3, then 0.334 / 2, then the rest.
        Assert.Equal([0.166m, 0.167m, 0.167m], done.Children.Skip(1).Select(c => c.Filled));
        Assert.All(done.Children.Skip(1), c => Assert.Equal((OrderType.Market, OrderStatus.Filled), (c.Type, OrderOf(c.Id.Value)!.Status)));
        Assert.Equal(0.5m, done.Children.Skip(1).Sum(c => c.Filled));
        Assert.Equal(4, done.RlPeriodDecided);
        Assert.Equal("rl:R", OrderOf("R-2")!.Origin);
        Assert.Equal(0.5m, PositionOf(Btc));
        Assert.Equal(0.5m, VenuePosition(Btc));
        Assert.Empty(ActiveAlgos());
        Assert.InRange(done.Quality!.ShortfallBps, 6.49, 6.51); // crossed at 50 000 against the 49 995 mid: 1 bp + the 5.5 bp taker fee
    }

}

public sealed class RlAlgoValidationTests() : AlgoTestKit(PersistenceBackend.InMemory)
{
    [Fact]
    public void A_policy_that_does_not_fit_its_state_space_is_refused_before_anything_is_sent()
    {
        Wire();
        Step(Book(0, qty: 10m));
        var broken = RlAlgoExecutionTests.Scripted() with { Q = [1, 2, 3] };
        var answer = Execute(Market("B", Side.Buy, 0.5m), new RlAlgo(TimeSpan.FromSeconds(50), 5, broken), 0);
        Assert.Contains("Q-table has 3 values", Assert.IsType<ExecutionProtocol.ExecutionFailed>(answer).Reason);
        Assert.Null(OrderOf("B-1"));
    }
}
