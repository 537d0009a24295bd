namespace Hean.Core.Indicators;

/// <summary>
/// Linearly weighted moving average: weights 1 … period from the oldest to the newest value,
/// divided by period·(period+1)/2; first value on the period-th update. O(1): when the window
/// slides every weight drops by one, so the weighted sum loses the plain sum and gains
/// period × the new value. Both sums are recomputed exactly once per period updates (no drift).
/// </summary>
public sealed class Wma : IBarIndicator
{
    private readonly double[] _ring;
    private readonly double _divisor;
    private int _oldest;
    private int _count;
    private int _sinceExact;
    private double _sum;
    private double _weighted;

    public Wma(int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Period = period;
        _ring = new double[period];
        _divisor = period * (period + 1) / 2.0;
    }

    public int Period { get; }
    public bool IsReady => _count == Period;

    /// <summary>The current average, NaN until <see cref="IsReady"/>.</summary>
    public double Value => IsReady ? _weighted / _divisor : double.NaN;

    public void Update(double x)
    {
        InputGuard.Finite(x, "WMA input");
        if (_count < Period)
        {
            _ring[_count] = x;
            _sum += x;
            _weighted += ++_count * x;
            return;
        }

        _weighted += Period * x - _sum;
        _sum += x - _ring[_oldest];
        _ring[_oldest] = x;
        if (++_oldest == Period) _oldest = 0;
        if (++_sinceExact == Period) Recompute();
    }

    private void Recompute()
    {
        _sinceExact = 0;
        double sum = 0, weighted = 0;
        for (var age = 0; age < Period; age++)
        {
            var i = _oldest + age;
            var x = _ring[i >= Period ? i - Period : i];
            sum += x;
            weighted += (age + 1) * x;
        }
        _sum = sum;
        _weighted = weighted;
    }

    int IBarIndicator.OutputCount => 1;
    void IBarIndicator.Update(in OhlcvBar bar) => Update(bar.Close);
    double IBarIndicator.Output(int index) => InputGuard.Single(index, Value);
}
