namespace Hean.Core.Indicators;

/// <summary>
/// Commodity channel index: (TP − SMA(TP)) / (0.015 · mean absolute deviation of TP around that
/// SMA) over <c>period</c> bars, TP = (high + low + close) / 3; first on the period-th bar. A flat
/// window reads 0. The one indicator here that is O(period) per update, not O(1): the deviation is
/// around the current mean, so every value in the window counts again (20 subtractions at the
/// usual period).
/// </summary>
public sealed class Cci : IBarIndicator
{
    private const double Lambert = 0.015;
    private readonly RollingWindow _window;

    public Cci(int period = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Period = period;
        _window = new RollingWindow(period);
    }

    public int Period { get; }
    public bool IsReady => _window.IsFull;
    public double Value { get; private set; } = double.NaN;

    public void Update(double high, double low, double close)
    {
        InputGuard.HighLowClose(high, low, close, "CCI");
        var tp = (high + low + close) / 3.0;
        _window.Push(tp);
        if (!_window.IsFull) return;
        if (_window.IsConstant)
        {
            Value = 0.0;
            return;
        }
        var mean = _window.Mean;
        var deviation = _window.MeanAbsoluteDeviation(mean);
        Value = deviation > 0 ? (tp - mean) / (Lambert * deviation) : 0.0;
    }

    int IBarIndicator.OutputCount => 1;
    void IBarIndicator.Update(in OhlcvBar bar) => Update(bar.High, bar.Low, bar.Close);
    double IBarIndicator.Output(int index) => InputGuard.Single(index, Value);
}
