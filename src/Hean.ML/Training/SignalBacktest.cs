namespace Hean.ML.Training;

/// <summary>
/// The result of trading a model's signal over a test window. Returns are sums of log returns
/// (≈ percentage for small values), fees included.
/// </summary>
/// <param name="Bars">Bars traded (each test row held to the next bar's close).</param>
/// <param name="ActiveBars">Bars with a long or short position.</param>
/// <param name="PositionChanges">Times the position changed (entry, exit, flip; a flip counts once but pays twice).</param>
/// <param name="NetReturn">Strategy log return after fees.</param>
/// <param name="GrossReturn">Strategy log return before fees.</param>
/// <param name="HitRate">Share of active bars whose return after that bar's fee was positive; NaN without active bars.</param>
/// <param name="BuyAndHold">Log return of holding long over the same bars, for comparison.</param>
public sealed record BacktestResult(int Bars, int ActiveBars, int PositionChanges, double NetReturn, double GrossReturn, double HitRate, double BuyAndHold);

/// <summary>
/// The simplest honest use of a signal: at each test bar's close take position sign(score)
/// (long / short / flat at 0), hold it to the next close, pay <c>feeRate</c> per unit of position
/// traded (flat→long 1, long→short 2, and closing out after the last bar).
/// </summary>
public static class SignalBacktest
{
    /// <param name="scores">The signal at each test bar.</param>
    /// <param name="closes">Close prices: closes[i] is the close of test bar i, and one more after the last (closes.Count = scores.Count + 1).</param>
    /// <param name="feeRate">Fee as a fraction of notional per side (5.5 bps = 0.00055).</param>
    public static BacktestResult Run(IReadOnlyList<double> scores, IReadOnlyList<double> closes, double feeRate)
    {
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(closes);
        if (closes.Count != scores.Count + 1) throw new ArgumentException($"need {scores.Count + 1} closes for {scores.Count} bars, got {closes.Count}");
        if (!(feeRate >= 0 && feeRate < 1)) throw new ArgumentOutOfRangeException(nameof(feeRate), feeRate, "the fee must be in [0, 1)");
        var previous = 0;
        int active = 0, changes = 0, hits = 0;
        double gross = 0, fees = 0;
        for (var i = 0; i < scores.Count; i++)
        {
            var position = Math.Sign(double.IsNaN(scores[i]) ? 0 : scores[i]);
            var fee = feeRate * Math.Abs(position - previous);
            if (i == scores.Count - 1) fee += feeRate * Math.Abs(position);
            if (position != previous) changes++;
            var pnl = position * Math.Log(closes[i + 1] / closes[i]);
            gross += pnl;
            fees += fee;
            if (position != 0)
            {
                active++;
                if (pnl - fee > 0) hits++;
            }
            previous = position;
        }
        var buyAndHold = scores.Count == 0 ? 0 : Math.Log(closes[^1] / closes[0]);
        return new BacktestResult(scores.Count, active, changes, gross - fees, gross, active == 0 ? double.NaN : (double)hits / active, buyAndHold);
    }
}
