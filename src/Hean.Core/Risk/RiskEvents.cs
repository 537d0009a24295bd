using Hean.Core.Orders;

namespace Hean.Core.Risk;

/// <summary>A persisted change of the risk governor's state.</summary>
public interface IRiskEvent
{
    DateTime Time { get; }
}

public sealed record OrderRequestApproved(ClientOrderId ClientOrderId, DateTime Time, decimal Notional, decimal LeverageAfter) : IRiskEvent;

public sealed record OrderRequestRejected(ClientOrderId ClientOrderId, DateTime Time, string ReasonCode, string Detail) : IRiskEvent;

/// <summary>A new UTC trading day began at this equity; the daily drawdown is measured from it.</summary>
public sealed record TradingDayStarted(DateOnly Day, DateTime Time, decimal Equity) : IRiskEvent;

public sealed record EquityPeaked(DateTime Time, decimal Equity) : IRiskEvent;

public sealed record KillSwitchEngaged(DateTime Time, string Reason, string By, decimal Equity) : IRiskEvent;

public sealed record KillSwitchReleased(DateTime Time, string By) : IRiskEvent;
