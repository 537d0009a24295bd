namespace Hean.Core.Indicators;

/// <summary>
/// Average true range with Wilder smoothing (alpha = 1 / period). The true range needs the previous
/// close, so the first bar only primes it; the average is seeded with the mean of the first
/// <c>period</c> true ranges and first appears on bar period + 1 (index <c>period</c>).
/// </summary>
public sealed class Atr : IBarIndicator
{
    private double _previousClose = double.NaN;
    private double _seedSum;
    private int _ranges;

    public Atr(int period = 14)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Period = period;
    }

    public int Period { get; }
    public bool IsReady => _ranges >= Period;

    /// <summary>The average true range, NaN until <see cref="IsReady"/>.</summary>
    public double Value { get; private set; } = double.NaN;

    /// <summary>The last true range, NaN on the first bar.</summary>
    public double TrueRange { get; private set; } = double.NaN;

    /// <summary>max(high − low, |high − previous close|, |low − previous close|).</summary>
    public static double TrueRangeOf(double high, double low, double previousClose) =>
        Math.Max(high - low, Math.Max(Math.Abs(high - previousClose), Math.Abs(low - previousClose)));

    public void Update(double high, double low, double close)
    {
        InputGuard.HighLowClose(high, low, close, "ATR");
        if (double.IsNaN(_previousClose))
        {
            _previousClose = close;
            return;
        }

        var tr = TrueRangeOf(high, low, _previousClose);
        _previousClose = close;
        TrueRange = tr;
        if (_ranges < Period)
        {
            _seedSum += tr;
            if (++_ranges == Period) Value = _seedSum / Period;
            return;
        }
        Value = (Value * (Period - 1) + tr) / Period;
    }

    int IBarIndicator.OutputCount => 1;
    void IBarIndicator.Update(in OhlcvBar bar) => Update(bar.High, bar.Low, bar.Close);
    double IBarIndicator.Output(int index) => InputGuard.Single(index, Value);
}
