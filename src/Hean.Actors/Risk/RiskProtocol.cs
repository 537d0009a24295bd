using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Hean.Core.Risk;

namespace Hean.Actors.Risk;

/// <summary>Messages of the risk governor (persistence id "risk-governor").</summary>
public static class RiskProtocol
{
    /// <summary>Pre-trade check (ORDER_REQUEST). Answer: <see cref="OrderApproved"/> or <see cref="OrderRejected"/>.</summary>
    public sealed record ReviewOrder(PreTradeContext Context, SizingDecision? Sizing = null)
    {
        public ReviewOrder(OrderRequest order, decimal price, PortfolioState portfolio, DateTime time)
            : this(new PreTradeContext(order, price, portfolio, time))
        {
        }

        public OrderRequest Order => Context.Order;
    }
    public sealed record OrderApproved(ClientOrderId ClientOrderId);
    public sealed record OrderRejected(ClientOrderId ClientOrderId, string ReasonCode, string Detail);

    /// <summary>Real-time check of the equity. Answer: <see cref="EquityObserved"/> after any kill-switch action.</summary>
    public sealed record ObserveEquity(DateTime Time, decimal Equity, decimal? GrossExposure = null);
    public sealed record EquityObserved(bool KillSwitchEngaged, decimal DailyDrawdown);

    /// <summary>Engage: cancel every open order, and with Flatten close every position with reduce-only market orders.</summary>
    public sealed record EngageKillSwitch(string Reason, string By, DateTime? Time = null, bool Flatten = false);

    /// <summary>Operator or rule: ACTIVE / REDUCING / HALTED. Answer: <see cref="RiskView"/>.</summary>
    public sealed record SetTradingState(TradingState State, string Reason, string By, DateTime? Time = null);

    /// <summary>An execution step failed (venue refused, timed out, breaker open); a burst engages the kill switch.</summary>
    public sealed record ReportExecutionError(string Detail, DateTime Time);

    /// <summary>An execution step succeeded: the error burst is over.</summary>
    public sealed record ReportExecutionSuccess;
    /// <summary>An approved order that will not reach the order manager (execution refused it): its reservation goes.</summary>
    public sealed record ReleaseReservation(ClientOrderId ClientOrderId);

    public sealed record ReleaseKillSwitch(string By, DateTime? Time = null);

    public sealed record GetRiskState;
    public sealed record RiskView(RiskState State, RiskLimits Limits, int ConsecutiveErrors = 0, long DiscardedTicks = 0);
}
