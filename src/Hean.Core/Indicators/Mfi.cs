namespace Hean.Core.Indicators;

/// <summary>
/// Money flow index: raw flow = TP·volume, positive when TP rose from the previous bar, negative
/// when it fell, neither when unchanged; MFI = 100 − 100 / (1 + Σpositive / Σnegative) over the last
/// <c>period</c> flows, first at index <c>period</c>. Only positive flow reads 100; no flow at all
/// (zero volume or an unchanged TP throughout) reads 50, the neutral value.
/// </summary>
public sealed class Mfi : IBarIndicator
{
    private readonly RollingWindow _positive;
    private readonly RollingWindow _negative;
    private double _previousTp = double.NaN;

    public Mfi(int period = 14)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Period = period;
        _positive = new RollingWindow(period);
        _negative = new RollingWindow(period);
    }

    public int Period { get; }
    public bool IsReady => _positive.IsFull;
    public double Value { get; private set; } = double.NaN;

    public void Update(double high, double low, double close, double volume)
    {
        InputGuard.HighLowClose(high, low, close, "MFI");
        InputGuard.Volume(volume, "MFI");
        var tp = (high + low + close) / 3.0;
        if (double.IsNaN(_previousTp))
        {
            _previousTp = tp;
            return;
        }

        var flow = tp * volume;
        _positive.Push(tp > _previousTp ? flow : 0.0);
        _negative.Push(tp < _previousTp ? flow : 0.0);
        _previousTp = tp;
        if (!_positive.IsFull) return;

        var up = _positive.Sum;
        var down = _negative.Sum;
        Value = down > 0 ? 100.0 - 100.0 / (1.0 + up / down)
            : up > 0 ? 100.0
            : 50.0;
    }

    int IBarIndicator.OutputCount => 1;
    void IBarIndicator.Update(in OhlcvBar bar) => Update(bar.High, bar.Low, bar.Close, bar.Volume);
    double IBarIndicator.Output(int index) => InputGuard.Single(index, Value);
}
