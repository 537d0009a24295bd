namespace Hean.Core.Indicators;

/// <summary>
/// Exponential moving average, alpha = 2 / (period + 1), seeded with the simple mean of the first
/// <c>period</c> values (TA-Lib convention): the first value appears on the period-th update.
/// Incremental and allocation-free.
/// </summary>
public sealed class Ema : IBarIndicator
{
    private readonly double _alpha;
    private double _seedSum;
    private int _count;

    public Ema(int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Period = period;
        _alpha = 2.0 / (period + 1);
    }

    public int Period { get; }

    /// <summary>True once <see cref="Period"/> values have been seen.</summary>
    public bool IsReady => _count >= Period;

    /// <summary>The current average, NaN until <see cref="IsReady"/>.</summary>
    public double Value { get; private set; } = double.NaN;

    public void Update(double x)
    {
        if (!double.IsFinite(x)) throw new ArgumentOutOfRangeException(nameof(x), x, "EMA input must be a finite number");
        if (_count < Period)
        {
            _seedSum += x;
            if (++_count == Period) Value = _seedSum / Period;
            return;
        }
        Value += _alpha * (x - Value);
    }

    int IBarIndicator.OutputCount => 1;
    void IBarIndicator.Update(in OhlcvBar bar) => Update(bar.Close);
    double IBarIndicator.Output(int index) => InputGuard.Single(index, Value);
}
