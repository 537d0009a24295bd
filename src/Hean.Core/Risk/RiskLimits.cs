namespace Hean.Core.Risk;

/// <summary>
/// Hard limits. The seed's three (MAX_POSITION_SIZE, MAX_LEVERAGE, DAILY_DRAWDOWN_LIMIT) are
/// positional; the rest have defaults a professional desk would start from. MaxPositionSize is
/// the largest absolute notional per symbol in USDT.
/// </summary>
public sealed record RiskLimits(decimal MaxPositionSize, decimal MaxLeverage, decimal DailyDrawdownLimit)
{
    public static RiskLimits Default { get; } = new(10_000m, 3m, 0.05m);

    /// <summary>MAX_ORDER_NOTIONAL: largest notional of one order (USDT); null means twice MAX_POSITION_SIZE (a full flip).</summary>
    public decimal? MaxOrderNotional { get; init; }

    /// <summary>MAX_CONCENTRATION: largest notional in one symbol as a share of equity (null: only MAX_LEVERAGE bounds it).</summary>
    public decimal? MaxConcentration { get; init; }

    /// <summary>MAX_OPEN_ORDERS: orders working at the venue at once.</summary>
    public int MaxOpenOrders { get; init; } = 20;

    /// <summary>MAX_ORDERS_PER_SECOND: submits and amends per second.</summary>
    public int MaxOrdersPerSecond { get; init; } = 5;

    /// <summary>PRICE_BAND: a limit price farther than this from the mid is a fat finger.</summary>
    public decimal PriceBand { get; init; } = 0.05m;

    /// <summary>PEAK_DRAWDOWN_LIMIT: loss from the highest equity that engages the kill switch.</summary>
    public decimal PeakDrawdownLimit { get; init; } = 0.15m;

    /// <summary>REDUCE_AT: share of the daily limit at which trading goes REDUCING by rule.</summary>
    public decimal ReduceAtShareOfDailyLimit { get; init; } = 0.8m;

    /// <summary>MAX_CONSECUTIVE_ERRORS: execution errors in a row that engage the kill switch.</summary>
    public int MaxConsecutiveErrors { get; init; } = 5;

    /// <summary>BAD_TICK_JUMP: an equity move larger than this in one observation needs a second one to confirm it.</summary>
    public decimal BadTickJump { get; init; } = 0.10m;

    /// <summary>VAR_BUDGET: optional 1-day VaR99 ceiling (USDT) for the portfolio after an order.</summary>
    public decimal? VarBudget { get; init; }

    public decimal OrderNotionalLimit => MaxOrderNotional ?? 2 * MaxPositionSize;

    /// <summary>Every problem with these limits, each naming its setting; empty when valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (MaxPositionSize <= 0) problems.Add($"MAX_POSITION_SIZE must be positive (USDT), got {MaxPositionSize}");
        if (MaxLeverage <= 0 || MaxLeverage > 100) problems.Add($"MAX_LEVERAGE must be in (0, 100], got {MaxLeverage}");
        if (DailyDrawdownLimit <= 0 || DailyDrawdownLimit >= 1) problems.Add($"DAILY_DRAWDOWN_LIMIT must be a fraction in (0, 1), got {DailyDrawdownLimit}");
        if (MaxOrderNotional is <= 0) problems.Add($"MAX_ORDER_NOTIONAL must be positive (USDT), got {MaxOrderNotional}");
        if (MaxConcentration is <= 0) problems.Add($"MAX_CONCENTRATION must be positive, got {MaxConcentration}");
        if (MaxOpenOrders < 1) problems.Add($"MAX_OPEN_ORDERS must be at least 1, got {MaxOpenOrders}");
        if (MaxOrdersPerSecond < 1) problems.Add($"MAX_ORDERS_PER_SECOND must be at least 1, got {MaxOrdersPerSecond}");
        if (PriceBand is <= 0 or >= 1) problems.Add($"PRICE_BAND must be a fraction in (0, 1), got {PriceBand}");
        if (PeakDrawdownLimit is <= 0 or >= 1) problems.Add($"PEAK_DRAWDOWN_LIMIT must be a fraction in (0, 1), got {PeakDrawdownLimit}");
        if (ReduceAtShareOfDailyLimit is <= 0 or > 1) problems.Add($"REDUCE_AT must be in (0, 1], got {ReduceAtShareOfDailyLimit}");
        if (MaxConsecutiveErrors < 1) problems.Add($"MAX_CONSECUTIVE_ERRORS must be at least 1, got {MaxConsecutiveErrors}");
        if (BadTickJump is <= 0 or >= 1) problems.Add($"BAD_TICK_JUMP must be a fraction in (0, 1), got {BadTickJump}");
        if (VarBudget is <= 0) problems.Add($"VAR_BUDGET must be positive (USDT), got {VarBudget}");
        return problems;
    }
}

/// <summary>
/// ACTIVE trades normally; REDUCING accepts only orders that reduce exposure; HALTED accepts no new
/// orders at all (cancels always pass). Set by rules or by an operator, persisted.
/// </summary>
public enum TradingState { Active, Reducing, Halted }
