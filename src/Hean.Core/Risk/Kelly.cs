namespace Hean.Core.Risk;

/// <summary>Win/loss statistics of realized round trips, over a rolling window.</summary>
public sealed class TradeStatistics(int window = 100)
{
    // The window's PnLs oldest first from _start, wrapping around; the array grows (doubling) until it holds a whole window.
    // A ring of its own, not a Queue: the sums walk it at every signal's round trip, and a queue's enumerator over decimals
    // was a call per item that ReadyToRun code could not inline (the same sums, in the same order).
    private decimal[] _ring = new decimal[Math.Min(Math.Max(window, 1), 16)];
    private int _start, _count;
    // The sums of the window as Sums() last made them: read at every signal (Kelly), changed only when a trade closes.
    private (decimal WinSum, int Wins, decimal LossSum, int Losses)? _sums;

    public int Count => _count;

    public void Clear()
    {
        (_start, _count) = (0, 0);
        _sums = null;
    }

    /// <summary>The PnLs in the window, oldest first (what a snapshot keeps).</summary>
    public IReadOnlyList<decimal> Values => InOrder();

    private decimal[] InOrder()
    {
        var values = new decimal[_count];
        var first = Math.Min(_count, _ring.Length - _start);
        Array.Copy(_ring, _start, values, 0, first);
        Array.Copy(_ring, 0, values, first, _count - first);
        return values;
    }
    public int Window { get; } = window > 0 ? window : throw new ArgumentOutOfRangeException(nameof(window), window, "window must be positive");

    /// <summary>Adds the PnL (after fees) of one closed trade; zero counts as a loss (it paid fees for nothing).</summary>
    public void Add(decimal pnl)
    {
        _sums = null;
        if (_count == Window)
        {
            // Full: the newest takes the oldest's place.
            _ring[_start] = pnl;
            _start = (_start + 1) % _ring.Length;
            return;
        }
        if (_count == _ring.Length)
        {
            var larger = new decimal[(int)Math.Min((long)_ring.Length * 2, Window)];
            InOrder().CopyTo(larger, 0);
            (_ring, _start) = (larger, 0);
        }
        _ring[(_start + _count) % _ring.Length] = pnl;
        _count++;
    }

    public double WinRate
    {
        get
        {
            if (Count == 0) return 0;
            return (double)Sums().Wins / Count;
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

    // Sums in order, divided by the count: what Enumerable.Average does for decimals, without its lists. Made once per window.
    private (decimal WinSum, int Wins, decimal LossSum, int Losses) Sums() => _sums ??= SumWindow();

    private (decimal WinSum, int Wins, decimal LossSum, int Losses) SumWindow()
    {
        decimal winSum = 0, lossSum = 0;
        int wins = 0, losses = 0;
        // Oldest first: from the start to the end of the array, then from its beginning.
        var first = Math.Min(_count, _ring.Length - _start);
        for (var i = 0; i < _count; i++)
        {
            var p = _ring[i < first ? _start + i : i - first];
            if (p > 0) { winSum += p; wins++; }
            else { lossSum += p; losses++; }
        }
        return (winSum, wins, lossSum, losses);
    }

    public IReadOnlyList<decimal> Pnls => new List<decimal>(InOrder()); // a list, as snapshots have always held
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
            returns[i - 1] = LogReturn(closes[i - 1], closes[i]);
        }
        return FromReturns(returns, bar);
    }

    /// <summary>The notional with the target volatility, or null when volatility is unknown or zero.</summary>
    public static decimal? Notional(decimal equity, double targetVol, double realizedVol)
    {
        if (equity <= 0 || targetVol <= 0 || !(realizedVol > 0) || double.IsInfinity(realizedVol)) return null;
        return equity * (decimal)(targetVol / realizedVol);
    }

    /// <summary>The log return from one close to the next.</summary>
    public static double LogReturn(decimal previous, decimal close) => Math.Log((double)(close / previous));

    /// <summary>Annualized volatility of log returns (at least two), summed in their order, the mean first.</summary>
    public static double FromReturns(ReadOnlySpan<double> returns, TimeSpan bar)
    {
        var sum = 0d;
        foreach (var r in returns) sum += r;
        var mean = sum / returns.Length;
        var squares = 0d;
        foreach (var r in returns) squares += (r - mean) * (r - mean);
        var variance = squares / (returns.Length - 1);
        return Math.Sqrt(variance * (365.25 * 86400 / bar.TotalSeconds));
    }
}

/// <summary>
/// The last closes of one series and the realized volatility of their log returns, as <see cref="VolatilityTarget.Annualized"/>
/// computes it over them: each return is computed once, when a volatility first needs it, not at every signal again.
/// </summary>
public sealed class RollingVolatility
{
    private readonly decimal[] _closes;
    private readonly double[] _returns; // the return into the close at the same index
    private readonly bool[] _known;
    private long _added;

    public RollingVolatility(int closes)
    {
        if (closes < 3) throw new ArgumentOutOfRangeException(nameof(closes), closes, "at least three closes");
        (_closes, _returns, _known) = (new decimal[closes], new double[closes], new bool[closes]);
    }

    /// <summary>How many closes it holds (at most the capacity).</summary>
    public int Count => (int)Math.Min(_added, _closes.Length);

    public void Add(decimal close)
    {
        var i = (int)(_added % _closes.Length);
        _closes[i] = close;
        _known[i] = false;
        _added++;
    }

    /// <summary>NaN under three closes, or when one of them is not positive.</summary>
    public double Annualized(TimeSpan bar)
    {
        var n = Count;
        if (n < 3 || bar <= TimeSpan.Zero) return double.NaN;
        Span<double> returns = stackalloc double[n - 1];
        var capacity = _closes.Length;
        for (var k = 1; k < n; k++)
        {
            var i = (int)((_added - n + k) % capacity);
            if (!_known[i])
            {
                var previous = _closes[(i + capacity - 1) % capacity];
                var close = _closes[i];
                _returns[i] = previous <= 0 || close <= 0 ? double.NaN : VolatilityTarget.LogReturn(previous, close);
                _known[i] = true;
            }
            if (double.IsNaN(_returns[i])) return double.NaN;
            returns[k - 1] = _returns[i];
        }
        return VolatilityTarget.FromReturns(returns, bar);
    }
}
