using Hean.Core.Domain;

namespace Hean.Core.Risk;

/// <summary>Value at risk and expected shortfall (CVaR) of a loss distribution, as positive losses.</summary>
public sealed record VarResult(double Var95, double Var99, double CVar95, double CVar99, int Paths)
{
    /// <summary>From simulated portfolio PnLs (negative = loss).</summary>
    public static VarResult FromPnls(double[] pnls)
    {
        if (pnls.Length == 0) throw new ArgumentException("no simulated PnL");
        var sorted = (double[])pnls.Clone();
        Array.Sort(sorted);
        return new VarResult(Loss(sorted, 0.95), Loss(sorted, 0.99), Shortfall(sorted, 0.95), Shortfall(sorted, 0.99), sorted.Length);
    }

    // The loss exceeded with probability 1 − confidence (lower empirical quantile).
    private static double Loss(double[] sorted, double confidence)
    {
        var index = (int)Math.Floor((1 - confidence) * sorted.Length);
        return Math.Max(0, -sorted[Math.Clamp(index, 0, sorted.Length - 1)]);
    }

    // The mean loss in the worst 1 − confidence of outcomes.
    private static double Shortfall(double[] sorted, double confidence)
    {
        var n = Math.Max(1, (int)Math.Floor((1 - confidence) * sorted.Length));
        var sum = 0.0;
        for (var i = 0; i < n; i++) sum += sorted[i];
        return Math.Max(0, -sum / n);
    }
}

/// <summary>
/// Monte Carlo VaR of a portfolio of linear positions over a horizon, from the joint history of the
/// assets' returns (rows are dates, columns assets, so correlation is kept). Historical simulation
/// uses each observed horizon return once; bootstrap draws <c>paths</c> horizons of daily rows with
/// replacement from a seeded generator, so a report is reproducible.
/// </summary>
public static class MonteCarloVar
{
    /// <summary>PnL of the positions (notional per asset, signed) under one vector of simple returns.</summary>
    public static double PnlOf(IReadOnlyList<double> notionals, IReadOnlyList<double> returns)
    {
        var pnl = 0.0;
        for (var j = 0; j < notionals.Count; j++) pnl += notionals[j] * returns[j];
        return pnl;
    }

    public static VarResult Historical(IReadOnlyList<double> notionals, IReadOnlyList<double[]> returns)
    {
        Validate(notionals, returns);
        return VarResult.FromPnls(returns.Select(r => PnlOf(notionals, r)).ToArray());
    }

    public static VarResult Bootstrap(IReadOnlyList<double> notionals, IReadOnlyList<double[]> returns, int paths, int horizonDays, ulong seed)
    {
        Validate(notionals, returns);
        if (paths < 1) throw new ArgumentOutOfRangeException(nameof(paths), paths, "at least one path");
        if (horizonDays < 1) throw new ArgumentOutOfRangeException(nameof(horizonDays), horizonDays, "horizon of at least one day");
        var rng = new SplitMix64(seed);
        var pnls = new double[paths];
        var compounded = new double[notionals.Count];
        for (var p = 0; p < paths; p++)
        {
            Array.Fill(compounded, 1.0);
            for (var d = 0; d < horizonDays; d++)
            {
                var row = returns[(int)(rng.Next() % (ulong)returns.Count)];
                for (var j = 0; j < compounded.Length; j++) compounded[j] *= 1 + row[j];
            }
            var pnl = 0.0;
            for (var j = 0; j < compounded.Length; j++) pnl += notionals[j] * (compounded[j] - 1);
            pnls[p] = pnl;
        }
        return VarResult.FromPnls(pnls);
    }

    /// <summary>Parametric (normal) VaR of one position: z × σ × |notional| (for checking the simulation).</summary>
    public static double NormalVar(double notional, double dailySigma, double confidence) =>
        Math.Abs(notional) * dailySigma * InverseNormal(confidence);

    /// <summary>Acklam's rational approximation of the standard normal quantile (relative error &lt; 1.2e-9).</summary>
    public static double InverseNormal(double p)
    {
        if (p is <= 0 or >= 1) throw new ArgumentOutOfRangeException(nameof(p), p, "probability in (0, 1)");
        double[] a = [-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02, 1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00];
        double[] b = [-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02, 6.680131188771972e+01, -1.328068155288572e+01];
        double[] c = [-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00, -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00];
        double[] d = [7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00];
        const double low = 0.02425;
        if (p < low)
        {
            var q = Math.Sqrt(-2 * Math.Log(p));
            return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        if (p > 1 - low)
        {
            var q = Math.Sqrt(-2 * Math.Log(1 - p));
            return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
        }
        var r = p - 0.5;
        var s = r * r;
        return (((((a[0] * s + a[1]) * s + a[2]) * s + a[3]) * s + a[4]) * s + a[5]) * r / (((((b[0] * s + b[1]) * s + b[2]) * s + b[3]) * s + b[4]) * s + 1);
    }

    private static void Validate(IReadOnlyList<double> notionals, IReadOnlyList<double[]> returns)
    {
        if (returns.Count == 0) throw new ArgumentException("no return history");
        if (returns.Any(r => r.Length != notionals.Count))
            throw new ArgumentException($"every return row needs {notionals.Count} columns, one per position");
    }
}

/// <summary>The stress scenarios of the risk report, each as a loss in USDT (positive = loss).</summary>
public sealed record StressResult(string Scenario, double Loss, string Detail);

public static class StressTests
{
    /// <summary>
    /// −20% gap in every asset; volatility ×3 (VaR99 of the bootstrap with returns scaled by 3);
    /// liquidity halved (the cost of closing everything when the half spread doubles);
    /// correlation to 1 (the sum of the assets' stand-alone VaR99, which no diversification reduces).
    /// </summary>
    public static IReadOnlyList<StressResult> Run(IReadOnlyList<double> notionals, IReadOnlyList<double[]> dailyReturns,
        IReadOnlyList<double> halfSpreadFractions, int paths, ulong seed)
    {
        var results = new List<StressResult>();
        var gap = -MonteCarloVar.PnlOf(notionals, notionals.Select(n => n >= 0 ? -0.20 : 0.20).ToArray());
        // A gap against every position (down for longs, up for shorts) is the worst single move.
        results.Add(new StressResult("gap_20pct", gap, "every price moves 20% against its position"));

        var scaled = dailyReturns.Select(r => r.Select(x => x * 3).ToArray()).ToList();
        var vol3 = MonteCarloVar.Bootstrap(notionals, scaled, paths, 1, seed);
        results.Add(new StressResult("volatility_x3", vol3.Var99, $"1-day VaR99 with returns ×3 ({paths} paths)"));

        var liquidity = notionals.Select((n, j) => Math.Abs(n) * halfSpreadFractions[j] * 2).Sum();
        results.Add(new StressResult("liquidity_halved", liquidity, "closing every position when the half spread doubles"));

        var standalone = notionals.Select((n, j) =>
        {
            var single = new double[notionals.Count];
            single[j] = n;
            return MonteCarloVar.Bootstrap(single, dailyReturns, paths, 1, seed).Var99;
        }).Sum();
        results.Add(new StressResult("correlation_1", standalone, "sum of stand-alone 1-day VaR99: no diversification"));
        return results;
    }
}
