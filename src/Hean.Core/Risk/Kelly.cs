namespace Hean.Core.Risk;

/// <summary>Win/loss statistics of realized round trips, over a rolling window.</summary>
public sealed class TradeStatistics(int window = 100)
{
    private readonly Queue<decimal> _pnls = new();

    public int Count => _pnls.Count;

    public void Clear() => _pnls.Clear();

    /// <summary>The PnLs in the window, oldest first (what a snapshot keeps).</summary>
    public IReadOnlyList<decimal> Values => _pnls.ToArray();
    public int Window { get; } = window > 0 ? window : throw new ArgumentOutOfRangeException(nameof(window), window, "window must be positive");

    /// <summary>Adds the PnL (after fees) of one closed trade; zero counts as a loss (it paid fees for nothing).</summary>
    public void Add(decimal pnl)
    {
        _pnls.Enqueue(pnl);
        while (_pnls.Count > Window) _pnls.Dequeue();
    }

    public double WinRate
    {
        get
        {
            if (Count == 0) return 0;
            var wins = 0;
            foreach (var p in _pnls)
                if (p > 0) wins++;
            return (double)wins / Count;
        }
    }

    /// <summary>Average win divided by average loss (b in Kelly's formula); 0 when there are no losses or no wins.</summary>
    public double PayoffRatio
    {
        get
        {
            var (winSum, wins, lossSum, losses) = Sums();
            if (wins == 0 || losses == 0) return 0;
            var avgLoss = (double)-(lossSum / losses);
            return avgLoss <= 0 ? 0 : (double)(winSum / wins) / avgLoss;
        }
    }

    /// <summary>The mean PnL of the winning trades; 0 without one.</summary>
    public decimal AverageWin
    {
        get
        {
            var s = Sums();
            return s.Wins > 0 ? s.WinSum / s.Wins : 0m;
        }
    }

    /// <summary>The mean PnL of the losing trades, as a loss (zero or negative); 0 without one.</summary>
    public decimal AverageLoss
    {
        get
        {
            var s = Sums();
            return s.Losses > 0 ? s.LossSum / s.Losses : 0m;
        }
    }

    /// <summary>What the winners made over what the losers lost; null when nothing was lost (no ratio to give).</summary>
    public double? ProfitFactor
    {
        get
        {
            var s = Sums();
            return s.LossSum < 0 ? (double)(s.WinSum / -s.LossSum) : null;
        }
    }

    // Sums in order, divided by the count: what Enumerable.Average does for decimals, without its lists.
    private (decimal WinSum, int Wins, decimal LossSum, int Losses) Sums()
    {
        decimal winSum = 0, lossSum = 0;
        int wins = 0, losses = 0;
        foreach (var p in _pnls)
        {
            if (p > 0) { winSum += p; wins++; }
            else { lossSum += p; losses++; }
        }
        return (winSum, wins, lossSum, losses);
    }

    public IReadOnlyList<decimal> Pnls => _pnls.ToList();
}

/// <summary>
/// Fractional Kelly: f* = p − (1 − p) / b from the rolling win rate p and payoff ratio b, scaled by
/// <see cref="Fraction"/> and capped at <see cref="Cap"/>. The result is the share of equity to
/// put into one position (its notional). Zero when the edge is negative. While fewer than
/// <see cref="MinTrades"/> trades are known, <see cref="SmallSample"/> decides: <c>Zero</c> (no bet
/// without evidence) or <c>Bootstrap</c> (no estimate, null: the sizer uses the smaller of the hard
/// limit and the volatility target). The statistics are the strategy's own round trips, signal to
/// signal, so a Kelly of zero does not stop the sample it would recover from.
/// </summary>
public sealed record KellySizing(double Fraction, double Cap, int MinTrades)
{
    public static KellySizing Default { get; } = new(0.25, 0.5, 30);

    /// <summary>What Kelly says while the sample is smaller than <see cref="MinTrades"/> (KELLY_SMALL_SAMPLE).</summary>
    public KellySmallSample SmallSample { get; init; } = KellySmallSample.Bootstrap;

    public static double FullKelly(double winRate, double payoffRatio) =>
        payoffRatio <= 0 ? (winRate >= 1 ? 1 : 0) : winRate - (1 - winRate) / payoffRatio;

    public double? ShareOfEquity(TradeStatistics stats)
    {
        if (stats.Count < MinTrades) return SmallSample == KellySmallSample.Zero ? 0 : null;
        var full = FullKelly(stats.WinRate, stats.PayoffRatio);
        if (full <= 0 || double.IsNaN(full)) return 0;
        return Math.Min(full * Fraction, Cap);
    }
}

/// <summary>KELLY_SMALL_SAMPLE: <c>zero</c> sizes nothing until the sample is large enough; <c>bootstrap</c> leaves Kelly out of the minimum until then.</summary>
public enum KellySmallSample { Bootstrap, Zero }

/// <summary>
/// Volatility targeting: a position of equity × targetVol / realizedVol has the target's
/// annualized volatility. Realized volatility from log returns, annualized by the bar length.
/// </summary>
public static class VolatilityTarget
{
    public static double Annualized(IReadOnlyList<decimal> closes, TimeSpan bar)
    {
        if (closes.Count < 3 || bar <= TimeSpan.Zero) return double.NaN;
        var returns = new double[closes.Count - 1];
        for (var i = 1; i < closes.Count; i++)
        {
            if (closes[i - 1] <= 0 || closes[i] <= 0) return double.NaN;
            returns[i - 1] = Math.Log((double)(closes[i] / closes[i - 1]));
        }
        var mean = returns.Average();
        var variance = returns.Sum(r => (r - mean) * (r - mean)) / (returns.Length - 1);
        return Math.Sqrt(variance * (365.25 * 86400 / bar.TotalSeconds));
    }

    /// <summary>The notional with the target volatility, or null when volatility is unknown or zero.</summary>
    public static decimal? Notional(decimal equity, double targetVol, double realizedVol)
    {
        if (equity <= 0 || targetVol <= 0 || !(realizedVol > 0) || double.IsInfinity(realizedVol)) return null;
        return equity * (decimal)(targetVol / realizedVol);
    }
}
