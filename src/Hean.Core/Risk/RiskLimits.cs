namespace Hean.Core.Risk;

/// <summary>
/// Hard limits (the seed's MAX_POSITION_SIZE, MAX_LEVERAGE, DAILY_DRAWDOWN_LIMIT).
/// MaxPositionSize is the largest absolute notional per symbol in USDT.
/// </summary>
public sealed record RiskLimits(decimal MaxPositionSize, decimal MaxLeverage, decimal DailyDrawdownLimit)
{
    public static RiskLimits Default { get; } = new(10_000m, 3m, 0.05m);

    /// <summary>Every problem with these limits, each naming its setting; empty when valid.</summary>
    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (MaxPositionSize <= 0) problems.Add($"MAX_POSITION_SIZE must be positive (USDT), got {MaxPositionSize}");
        if (MaxLeverage <= 0 || MaxLeverage > 100) problems.Add($"MAX_LEVERAGE must be in (0, 100], got {MaxLeverage}");
        if (DailyDrawdownLimit <= 0 || DailyDrawdownLimit >= 1) problems.Add($"DAILY_DRAWDOWN_LIMIT must be a fraction in (0, 1), got {DailyDrawdownLimit}");
        return problems;
    }
}
