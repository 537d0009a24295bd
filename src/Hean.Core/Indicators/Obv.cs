namespace Hean.Core.Indicators;

/// <summary>
/// On-balance volume: 0 on the first bar, then + volume when the close rose, − volume when it fell,
/// unchanged when it did not move.
/// </summary>
public sealed class Obv : IBarIndicator
{
    private double _previousClose = double.NaN;

    public bool IsReady => !double.IsNaN(_previousClose);
    public double Value { get; private set; } = double.NaN;

    public void Update(double close, double volume)
    {
        InputGuard.Finite(close, "OBV close");
        InputGuard.Volume(volume, "OBV");
        if (double.IsNaN(_previousClose)) Value = 0.0;
        else if (close > _previousClose) Value += volume;
        else if (close < _previousClose) Value -= volume;
        _previousClose = close;
    }

    int IBarIndicator.OutputCount => 1;
    void IBarIndicator.Update(in OhlcvBar bar) => Update(bar.Close, bar.Volume);
    double IBarIndicator.Output(int index) => InputGuard.Single(index, Value);
}
