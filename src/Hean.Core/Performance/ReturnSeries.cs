using Hean.Core.Portfolio;

namespace Hean.Core.Performance;

/// <summary>
/// Returns of an equity curve on a regular grid (the last value carried forward, so flat periods count as zero returns),
/// and the ratios annualised from them (risk-free rate 0, 365.25 days a year: crypto trades every day). An annualised
/// ratio needs at least <see cref="MinSamples"/> returns — 30 hours on the hourly grid of a backtest; below that it is
/// null ("n/a"): six hourly returns would be scaled by √8766 ≈ 94 into a number that means nothing.
/// </summary>
public sealed record ReturnSeries(IReadOnlyList<double> Returns, TimeSpan Step)
{
    public const int MinSamples = 30;

    /// <summary>The grid of a backtest's ratios.</summary>
    public static readonly TimeSpan Hourly = TimeSpan.FromHours(1);

    private const double DaysPerYear = 365.25;

    public double PeriodsPerYear => DaysPerYear * 86_400 / Step.TotalSeconds;

    /// <summary>Enough returns to annualise.</summary>
    public bool IsLongEnough => Returns.Count >= MinSamples;

    /// <summary>
    /// The returns from <paramref name="from"/> to <paramref name="to"/> every <paramref name="step"/>, the equity starting at
    /// <paramref name="initialEquity"/>; a period that starts at zero equity or below has no return.
    /// </summary>
    public static ReturnSeries Of(IReadOnlyList<EquitySampled> samples, decimal initialEquity, DateTime? from, DateTime? to, TimeSpan step)
    {
        var returns = new List<double>();
        if (from is not { } start || to is not { } end || step <= TimeSpan.Zero || end <= start) return new ReturnSeries(returns, step);
        var previous = initialEquity;
        var current = initialEquity;
        var i = 0;
        for (var t = start + step; t <= end; t += step)
        {
            while (i < samples.Count && samples[i].Time <= t) current = samples[i++].Equity;
            if (previous > 0) returns.Add((double)(current / previous - 1m));
            previous = current;
        }
        return new ReturnSeries(returns, step);
    }

    /// <summary>The mean return: the sum in order over the count (loops, not LINQ: a command computes these once).</summary>
    private double Mean
    {
        get
        {
            var sum = 0.0;
            for (var i = 0; i < Returns.Count; i++) sum += Returns[i];
            return sum / Returns.Count;
        }
    }

    /// <summary>Annualised mean over standard deviation (sample, n − 1); null when too short or without variation.</summary>
    public double? Sharpe
    {
        get
        {
            if (!IsLongEnough) return null;
            var mean = Mean;
            var squares = 0.0;
            for (var i = 0; i < Returns.Count; i++) squares += (Returns[i] - mean) * (Returns[i] - mean);
            var sd = Math.Sqrt(squares / (Returns.Count - 1));
            // Equal returns leave rounding noise, not variation: a deviation a billionth of the mean is none.
            return sd <= Math.Abs(mean) * 1e-9 ? null : mean / sd * Math.Sqrt(PeriodsPerYear);
        }
    }

    /// <summary>
    /// Annualised mean over downside deviation (√ of the mean of min(r, 0)² over all returns, target 0); null when too short
    /// or no return was negative.
    /// </summary>
    public double? Sortino
    {
        get
        {
            if (!IsLongEnough) return null;
            var squares = 0.0;
            for (var i = 0; i < Returns.Count; i++) squares += Returns[i] < 0 ? Returns[i] * Returns[i] : 0;
            var downside = Math.Sqrt(squares / Returns.Count);
            return downside == 0 ? null : Mean / downside * Math.Sqrt(PeriodsPerYear);
        }
    }

    /// <summary>The compound growth of the returns as a yearly rate; null when too short.</summary>
    public double? AnnualisedReturn
    {
        get
        {
            if (!IsLongEnough) return null;
            var growth = 1.0;
            for (var i = 0; i < Returns.Count; i++) growth *= 1 + Returns[i];
            return growth <= 0 ? -1 : Math.Pow(growth, PeriodsPerYear / Returns.Count) - 1;
        }
    }

    /// <summary>Annualised return over the maximum drawdown; null when too short or nothing was lost.</summary>
    public double? Calmar(decimal maxDrawdown) => AnnualisedReturn is { } annual && maxDrawdown > 0 ? annual / (double)maxDrawdown : null;
}
