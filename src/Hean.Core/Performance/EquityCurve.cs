namespace Hean.Core.Performance;

/// <summary>A point of an equity curve.</summary>
public readonly record struct EquityPoint(DateTime Time, decimal Equity);

/// <summary>
/// The deepest fall of an equity curve: its depth as a fraction of the peak, when the peak and the trough were, and when
/// the equity was back at the peak (null: not by the end of the curve). Duration runs from the peak to the recovery, or
/// to the end of the curve when there was none.
/// </summary>
public sealed record Drawdown(decimal Depth, DateTime Peak, DateTime Trough, DateTime? Recovered, TimeSpan Duration)
{
    public static Drawdown None(DateTime at) => new(0m, at, at, at, TimeSpan.Zero);
}

/// <summary>Drawdowns of an equity curve: pure functions over its points in time order.</summary>
public static class EquityCurve
{
    /// <summary>How far below its running peak the equity is at each point, as a fraction of that peak (0 at a peak).</summary>
    public static IEnumerable<decimal> Underwater(IEnumerable<decimal> equity)
    {
        decimal peak = 0;
        foreach (var e in equity)
        {
            peak = Math.Max(peak, e);
            yield return peak > 0 ? (peak - e) / peak : 0m;
        }
    }

    /// <summary>Largest peak-to-trough fall of the equity curve, as a fraction of the peak.</summary>
    public static decimal MaxDrawdown(IEnumerable<decimal> equity) => Underwater(equity).DefaultIfEmpty(0m).Max();

    /// <summary>The deepest drawdown of the curve (the first of equal ones) and how long it lasted; <paramref name="end"/> closes an unrecovered one.</summary>
    public static Drawdown Deepest(ReadOnlySpan<EquityPoint> curve, DateTime end)
    {
        if (curve.Length == 0) return Drawdown.None(end);
        var peak = curve[0];
        var worst = Drawdown.None(curve[0].Time);
        var worstPeakEquity = 0m;
        foreach (var p in curve)
        {
            if (p.Equity >= peak.Equity)
            {
                peak = p;
                continue;
            }
            if (peak.Equity <= 0) continue;
            var depth = (peak.Equity - p.Equity) / peak.Equity;
            if (depth <= worst.Depth) continue;
            worst = new Drawdown(depth, peak.Time, p.Time, null, TimeSpan.Zero);
            worstPeakEquity = peak.Equity;
        }
        if (worst.Depth == 0) return worst;
        DateTime? recovered = null;
        foreach (var p in curve)
            if (p.Time > worst.Trough && p.Equity >= worstPeakEquity)
            {
                recovered = p.Time;
                break;
            }
        return worst with { Recovered = recovered, Duration = (recovered ?? end) - worst.Peak };
    }
}
