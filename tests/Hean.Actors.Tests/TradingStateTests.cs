using Akka.Actor;
using Akka.TestKit;
using Hean.Actors.Common;
using Hean.Actors.Persistence;
using Hean.Actors.Portfolio;
using Hean.Actors.Risk;
using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Hean.Core.Risk;
using Xunit;
using static Hean.Actors.Execution.ExecutionProtocol;
using static Hean.Actors.Risk.RiskProtocol;
using static Hean.Actors.Tests.Fixtures;

namespace Hean.Actors.Tests;

/// <summary>Trading states, error bursts, bad ticks and the flattening kill switch, on the SQLite journal.</summary>
public sealed class TradingStateTests : HeanActorTest
{
    private static readonly RiskLimits Limits = new(MaxPositionSize: 10_000m, MaxLeverage: 3m, DailyDrawdownLimit: 0.05m) { MaxConsecutiveErrors = 3 };
    private readonly TestProbe _execution;
    private readonly TestProbe _portfolio;

    public TradingStateTests() : base(PersistenceBackend.Sqlite)
    {
        _execution = CreateTestProbe("execution");
        _portfolio = CreateTestProbe("portfolio");
    }

    private IActorRef StartRisk() =>
        Sys.ActorOf(Props.Create(() => new RiskGovernor(Limits, _execution.Ref, HeanTimeouts.Default, 500, _portfolio.Ref)));

    private static PortfolioState LongBtc() =>
        PortfolioState.Start(100_000m).Apply(Fill("b1", "t1", Side.Buy, 50_000m, 0.1m, 0m));

    private object Review(IActorRef risk, OrderRequest order) => Ask<object>(risk, new ReviewOrder(order, 50_000m, LongBtc(), At(30)));

    [Fact]
    public void Halted_survives_a_restart_blocks_every_order_and_active_resumes()
    {
        var risk = StartRisk();
        var view = Ask<RiskView>(risk, new SetTradingState(TradingState.Halted, "exchange incident", "ops", At(1)));
        Assert.Equal(TradingState.Halted, view.State.EffectiveState);
        StopAndWait(risk);

        var restarted = StartRisk();
        Assert.Equal("halted", Assert.IsType<RiskProtocol.OrderRejected>(Review(restarted, Market("more", Side.Buy, 0.01m))).ReasonCode);
        Assert.Equal("halted", Assert.IsType<RiskProtocol.OrderRejected>(Review(restarted, Market("less", Side.Sell, 0.01m))).ReasonCode);

        Ask<RiskView>(restarted, new SetTradingState(TradingState.Reducing, "winding down", "ops", At(2)));
        Assert.Equal("reducing", Assert.IsType<RiskProtocol.OrderRejected>(Review(restarted, Market("more2", Side.Buy, 0.01m))).ReasonCode);
        Assert.IsType<OrderApproved>(Review(restarted, Market("less2", Side.Sell, 0.01m)));

        Ask<RiskView>(restarted, new SetTradingState(TradingState.Active, "incident over", "ops", At(3)));
        Assert.IsType<OrderApproved>(Review(restarted, Market("more3", Side.Buy, 0.01m)));
        _execution.ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // states do not cancel orders by themselves
    }

    [Fact]
    public void Consecutive_execution_errors_engage_the_kill_switch_and_a_success_resets_the_count()
    {
        var risk = StartRisk();
        risk.Tell(new ReportExecutionError("timeout", At(1)));
        risk.Tell(new ReportExecutionError("timeout", At(2)));
        risk.Tell(new ReportExecutionSuccess());
        risk.Tell(new ReportExecutionError("timeout", At(3)));
        risk.Tell(new ReportExecutionError("timeout", At(4)));
        Assert.Equal(2, Ask<RiskView>(risk, new GetRiskState()).ConsecutiveErrors);
        _execution.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        risk.Tell(new ReportExecutionError("venue refused: 10001", At(5)));
        _execution.ExpectMsg<CancelAllOrders>(Patience);
        _execution.Reply(new CancelAllResult(0, null));
        var state = Ask<RiskView>(risk, new GetRiskState()).State;
        Assert.True(state.KillSwitchEngaged);
        Assert.Contains("3 consecutive execution errors", state.KillSwitchReason);
        Assert.Contains("10001", state.KillSwitchReason);
    }

    [Fact]
    public void A_burst_of_execution_errors_is_not_forgotten_by_a_restart()
    {
        var risk = StartRisk();
        risk.Tell(new ReportExecutionError("timeout", At(1)));
        risk.Tell(new ReportExecutionError("timeout", At(2)));
        Assert.Equal(2, Ask<RiskView>(risk, new GetRiskState()).ConsecutiveErrors);
        Watch(risk);
        Sys.Stop(risk);
        ExpectTerminated(risk, Patience);

        var restarted = StartRisk();
        Assert.Equal(2, Ask<RiskView>(restarted, new GetRiskState()).ConsecutiveErrors);
        restarted.Tell(new ReportExecutionError("venue refused: 10001", At(3)));
        _execution.ExpectMsg<CancelAllOrders>(Patience);
        _execution.Reply(new CancelAllResult(0, null));
        Assert.Contains("3 consecutive execution errors", Ask<RiskView>(restarted, new GetRiskState()).State.KillSwitchReason);
    }

    [Fact]
    public void Engaging_with_flatten_cancels_then_closes_every_position_with_reduce_only_market_orders()
    {
        var risk = StartRisk();
        risk.Tell(new EngageKillSwitch("operator test", "ops", At(10), Flatten: true), TestActor);

        _execution.ExpectMsg<CancelAllOrders>(Patience);
        _execution.Reply(new CancelAllResult(2, null));
        _portfolio.ExpectMsg<PortfolioProtocol.GetPortfolio>(Patience);
        var state = PortfolioState.Start(100_000m)
            .Apply(Fill("b1", "t1", Side.Buy, 50_000m, 0.1m, 0m))
            .Apply(Fill("e1", "t2", Side.Sell, 3_000m, 2m, 0m, symbol: Eth));
        _portfolio.Reply(new PortfolioProtocol.PortfolioView(state, []));

        var first = _execution.ExpectMsg<ExecuteOrder>(Patience);
        _execution.Reply(new ExecutionStarted(first.Order.ClientOrderId));
        var second = _execution.ExpectMsg<ExecuteOrder>(Patience);
        _execution.Reply(new ExecutionStarted(second.Order.ClientOrderId));

        var orders = new[] { first.Order, second.Order }.OrderBy(o => o.Symbol.Value).ToList();
        Assert.Equal((Btc, Side.Sell, 0.1m, OrderType.Market, true), (orders[0].Symbol, orders[0].Side, orders[0].Qty, orders[0].Type, orders[0].ReduceOnly));
        Assert.Equal((Eth, Side.Buy, 2m, OrderType.Market, true), (orders[1].Symbol, orders[1].Side, orders[1].Qty, orders[1].Type, orders[1].ReduceOnly));
        Assert.All(orders, o => Assert.StartsWith("KS-", o.ClientOrderId.Value));
        Assert.Equal("kill-switch", first.Origin);
        Assert.True(ExpectMsg<RiskView>(Patience).State.KillSwitchEngaged);
    }

    [Fact]
    public void A_single_bad_equity_tick_does_not_engage_the_kill_switch_but_a_confirmed_loss_does()
    {
        var risk = StartRisk();
        Assert.False(Ask<EquityObserved>(risk, new ObserveEquity(At(0), 100_000m)).KillSwitchEngaged);
        Assert.False(Ask<EquityObserved>(risk, new ObserveEquity(At(1), 50_000m)).KillSwitchEngaged);  // one bad print
        Assert.False(Ask<EquityObserved>(risk, new ObserveEquity(At(2), 99_900m)).KillSwitchEngaged);  // reverted
        Assert.Equal(1, Ask<RiskView>(risk, new GetRiskState()).DiscardedTicks);
        _execution.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        Assert.False(Ask<EquityObserved>(risk, new ObserveEquity(At(3), 80_000m)).KillSwitchEngaged); // held
        risk.Tell(new ObserveEquity(At(4), 79_000m), TestActor);                                       // confirmed
        _execution.ExpectMsg<CancelAllOrders>(Patience);
        _execution.Reply(new CancelAllResult(0, null));
        Assert.True(ExpectMsg<EquityObserved>(Patience).KillSwitchEngaged);
    }

    [Fact]
    public void Release_measures_drawdown_from_the_equity_at_release()
    {
        var risk = StartRisk();
        Ask<EquityObserved>(risk, new ObserveEquity(At(0), 100_000m));
        risk.Tell(new ObserveEquity(At(1), 94_000m), TestActor); // -6 %: engages
        _execution.ExpectMsg<CancelAllOrders>(Patience);
        _execution.Reply(new CancelAllResult(0, null));
        ExpectMsg<EquityObserved>(Patience);

        var released = Ask<RiskView>(risk, new ReleaseKillSwitch("ops", At(2)));
        Assert.False(released.State.KillSwitchEngaged);
        Assert.Equal(94_000m, released.State.DayStartEquity);
        Assert.Equal(TradingState.Active, released.State.EffectiveState);
        // Still 94 000 on the same day: no second engage.
        Assert.False(Ask<EquityObserved>(risk, new ObserveEquity(At(3), 94_000m)).KillSwitchEngaged);
        _execution.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void Leverage_past_the_limit_in_an_equity_observation_stops_new_exposure_until_it_is_back_under()
    {
        var risk = StartRisk();
        Ask<EquityObserved>(risk, new ObserveEquity(At(0), 100_000m, 250_000m));
        Ask<EquityObserved>(risk, new ObserveEquity(At(1), 100_000m, 310_000m)); // 3.1x > MAX_LEVERAGE 3
        Assert.Equal(TradingState.Reducing, Ask<RiskView>(risk, new GetRiskState()).State.EffectiveState);
        Assert.Equal("reducing", Assert.IsType<RiskProtocol.OrderRejected>(Review(risk, Market("more", Side.Buy, 0.01m))).ReasonCode);
        Assert.IsType<OrderApproved>(Review(risk, Market("less", Side.Sell, 0.01m)));

        Ask<EquityObserved>(risk, new ObserveEquity(At(2), 100_000m, 200_000m));
        Assert.Equal(TradingState.Active, Ask<RiskView>(risk, new GetRiskState()).State.EffectiveState);
        _execution.ExpectNoMsg(TimeSpan.FromMilliseconds(100)); // no kill switch, no cancels
    }
}
