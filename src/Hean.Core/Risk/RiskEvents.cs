using Hean.Core.Orders;

namespace Hean.Core.Risk;

/// <summary>A persisted change of the risk governor's state.</summary>
public interface IRiskEvent
{
    DateTime Time { get; }
}

public sealed record OrderRequestApproved(ClientOrderId ClientOrderId, DateTime Time, decimal Notional, decimal LeverageAfter) : IRiskEvent
{
    /// <summary>How the size was chosen (absent for orders sized elsewhere, e.g. by an operator).</summary>
    public SizingDecision? Sizing { get; init; }
}

public sealed record OrderRequestRejected(ClientOrderId ClientOrderId, DateTime Time, string ReasonCode, string Detail) : IRiskEvent;

/// <summary>A new UTC trading day began at this equity; the daily drawdown is measured from it.</summary>
public sealed record TradingDayStarted(DateOnly Day, DateTime Time, decimal Equity) : IRiskEvent;

public sealed record EquityPeaked(DateTime Time, decimal Equity) : IRiskEvent;

public sealed record KillSwitchEngaged(DateTime Time, string Reason, string By, decimal Equity) : IRiskEvent;

public sealed record KillSwitchReleased(DateTime Time, string By) : IRiskEvent
{
    /// <summary>The equity the drawdown limits measure from after the release (the last trusted equity).</summary>
    public decimal? RebaseEquity { get; init; }
}

/// <summary>ACTIVE / REDUCING / HALTED, set by a rule ("risk-governor") or an operator.</summary>
public sealed record TradingStateChanged(DateTime Time, TradingState State, string Reason, string By) : IRiskEvent;

/// <summary>An execution step failed (venue refused, timed out, breaker open): one more in the burst MAX_CONSECUTIVE_ERRORS counts.</summary>
public sealed record ExecutionErrorRecorded(DateTime Time, string Detail) : IRiskEvent;

/// <summary>An execution step succeeded after errors: the burst is over.</summary>
public sealed record ExecutionErrorsCleared(DateTime Time) : IRiskEvent;
