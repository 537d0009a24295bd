using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Hean.Core.Risk;

namespace Hean.Actors.Risk;

/// <summary>Messages of the risk governor (persistence id "risk-governor").</summary>
public static class RiskProtocol
{
    /// <summary>Pre-trade check. Answer: <see cref="OrderApproved"/> or <see cref="OrderRejected"/>.</summary>
    public sealed record ReviewOrder(OrderRequest Order, decimal Price, PortfolioState Portfolio, DateTime Time);
    public sealed record OrderApproved(ClientOrderId ClientOrderId);
    public sealed record OrderRejected(ClientOrderId ClientOrderId, string ReasonCode, string Detail);

    /// <summary>Real-time check of the equity. Answer: <see cref="EquityObserved"/> after any kill-switch action.</summary>
    public sealed record ObserveEquity(DateTime Time, decimal Equity);
    public sealed record EquityObserved(bool KillSwitchEngaged, decimal DailyDrawdown);

    public sealed record EngageKillSwitch(string Reason, string By, DateTime? Time = null);
    public sealed record ReleaseKillSwitch(string By, DateTime? Time = null);

    public sealed record GetRiskState;
    public sealed record RiskView(RiskState State, RiskLimits Limits);
}
