using Akka.Actor;
using Akka.TestKit;
using Hean.Actors.Common;
using Hean.Actors.Persistence;
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

/// <summary>The risk governor on the SQLite journal, with a probe as the execution router.</summary>
public sealed class RiskGovernorTests : HeanActorTest
{
    private static readonly RiskLimits Limits = new(MaxPositionSize: 10_000m, MaxLeverage: 0.5m, DailyDrawdownLimit: 0.05m);
    private readonly TestProbe _execution;

    public RiskGovernorTests() : base(PersistenceBackend.Sqlite) => _execution = CreateTestProbe("execution");

    private IActorRef StartRisk(HeanTimeouts? timeouts = null) =>
        Sys.ActorOf(Props.Create(() => new RiskGovernor(Limits, _execution.Ref, timeouts ?? HeanTimeouts.Default, 500)));

    private object Review(IActorRef risk, OrderRequest order, decimal price, PortfolioState portfolio) =>
        Ask<object>(risk, new ReviewOrder(order, price, portfolio, At(30)));

    private static void AssertRejected(object answer, string reasonCode)
    {
        var rejected = Assert.IsType<RiskProtocol.OrderRejected>(answer);
        Assert.Equal(reasonCode, rejected.ReasonCode);
        Assert.False(string.IsNullOrWhiteSpace(rejected.Detail));
    }

    /// <summary>20 000 USDT with 3 ETH at 3 000: 9 000 of gross exposure, leverage 0.45.</summary>
    private static PortfolioState HoldingEth() =>
        PortfolioState.Start(20_000m).Apply(Fill("e1", "t1", Side.Buy, 3_000m, 3m, 0m, symbol: Eth));

    private static PortfolioState LongBtc() =>
        PortfolioState.Start(100_000m).Apply(Fill("b1", "t1", Side.Buy, 50_000m, 0.1m, 0m));

    [Fact]
    public void Orders_within_the_limits_are_approved_and_the_others_rejected_with_their_reason()
    {
        var risk = StartRisk();

        Assert.Equal(new OrderApproved(Id("ok")), Review(risk, Market("ok", Side.Buy, 0.02m), 50_000m, HoldingEth()));
        AssertRejected(Review(risk, Market("big", Side.Buy, 0.25m), 50_000m, HoldingEth()), "max_position");
        AssertRejected(Review(risk, Market("lev", Side.Buy, 0.04m), 50_000m, HoldingEth()), "max_leverage");

        var view = Ask<RiskView>(risk, new GetRiskState());
        Assert.Equal(1, view.State.Approved);
        Assert.Equal(2, view.State.Rejected);
        _execution.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void The_daily_drawdown_engages_the_kill_switch_cancels_everything_first_and_survives_a_restart()
    {
        var stops = CreateTestProbe();
        Sys.EventStream.Subscribe(stops.Ref, typeof(EmergencyStop));
        var risk = StartRisk();

        Assert.Equal(new EquityObserved(false, 0m), Ask<EquityObserved>(risk, new ObserveEquity(At(0), 100_000m)));
        var day = Ask<RiskView>(risk, new GetRiskState()).State;
        Assert.Equal(new DateOnly(2024, 3, 1), day.Day);
        Assert.Equal(100_000m, day.DayStartEquity);
        Assert.Equal(new EquityObserved(false, 0.04m), Ask<EquityObserved>(risk, new ObserveEquity(At(60), 96_000m)));
        _execution.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        risk.Tell(new ObserveEquity(At(120), 95_000m), TestActor);

        var cancel = _execution.ExpectMsg<CancelAllOrders>(Patience);
        Assert.Null(cancel.Symbol);
        Assert.Contains("kill switch", cancel.Reason);
        Assert.Equal(At(120), cancel.Time);
        var stop = stops.ExpectMsg<EmergencyStop>(Patience);
        Assert.Equal("risk-governor", stop.By);
        Assert.Contains("DAILY_DRAWDOWN_LIMIT", stop.Reason);
        ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // no answer while the venue has not confirmed the cancels
        _execution.Reply(new CancelAllResult(2, null));
        Assert.Equal(new EquityObserved(true, 0.05m), ExpectMsg<EquityObserved>(Patience));

        StopAndWait(risk);
        var restarted = StartRisk();

        // A crash may have come between engaging and cancelling: recovery cancels again.
        Assert.StartsWith("kill switch engaged at restart", _execution.ExpectMsg<CancelAllOrders>(Patience).Reason);
        var state = Ask<RiskView>(restarted, new GetRiskState()).State;
        Assert.True(state.KillSwitchEngaged);
        Assert.Equal(At(120), state.KillSwitchSince);
        Assert.Contains("DAILY_DRAWDOWN_LIMIT", state.KillSwitchReason);
        AssertRejected(Review(restarted, Market("more", Side.Buy, 0.01m), 50_000m, LongBtc()), "kill_switch");
        AssertRejected(Review(restarted, Market("flip", Side.Sell, 0.2m), 50_000m, LongBtc()), "kill_switch");
        Assert.IsType<OrderApproved>(Review(restarted, Market("less", Side.Sell, 0.05m), 50_000m, LongBtc()));
        // Still engaged: a further loss does not engage (and cancel) again.
        Assert.Equal(new EquityObserved(true, 0.06m), Ask<EquityObserved>(restarted, new ObserveEquity(At(150), 94_000m)));
        _execution.ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        var released = Ask<RiskView>(restarted, new ReleaseKillSwitch("operator", At(180)));
        Assert.False(released.State.KillSwitchEngaged);
        Assert.IsType<OrderApproved>(Review(restarted, Market("again", Side.Buy, 0.01m), 50_000m, LongBtc()));

        StopAndWait(restarted);
        Assert.False(Ask<RiskView>(StartRisk(), new GetRiskState()).State.KillSwitchEngaged);
        _execution.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
    }

    [Fact]
    public void The_kill_switch_still_answers_when_the_venue_never_confirms_the_cancels()
    {
        var risk = StartRisk(new HeanTimeouts(TimeSpan.FromMilliseconds(300)));
        Ask<EquityObserved>(risk, new ObserveEquity(At(0), 100_000m));

        risk.Tell(new ObserveEquity(At(10), 90_000m), TestActor);

        _execution.ExpectMsg<CancelAllOrders>(Patience);
        Assert.Equal(new EquityObserved(true, 0.1m), ExpectMsg<EquityObserved>(Patience));
        Assert.True(Ask<RiskView>(risk, new GetRiskState()).State.KillSwitchEngaged);
    }

    [Fact]
    public void An_operator_can_engage_the_kill_switch_and_engaging_twice_cancels_once()
    {
        var risk = StartRisk();

        risk.Tell(new EngageKillSwitch("manual stop", "operator", At(5)), TestActor);
        _execution.ExpectMsg<CancelAllOrders>(Patience);
        _execution.Reply(new CancelAllResult(0, null));
        var view = ExpectMsg<RiskView>(Patience);
        Assert.True(view.State.KillSwitchEngaged);
        Assert.Equal("manual stop", view.State.KillSwitchReason);

        Assert.True(Ask<RiskView>(risk, new EngageKillSwitch("again", "operator", At(6))).State.KillSwitchEngaged);
        _execution.ExpectNoMsg(TimeSpan.FromMilliseconds(100));
        Assert.Equal("manual stop", Ask<RiskView>(risk, new GetRiskState()).State.KillSwitchReason);
    }
}
