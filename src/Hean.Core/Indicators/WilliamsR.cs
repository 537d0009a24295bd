namespace Hean.Core.Indicators;

/// <summary>
/// Williams %R = −100·(highest high − close) / (highest high − lowest low) over <c>period</c> bars,
/// in [−100, 0]; first on the period-th bar. A flat window reads −50 (neutral), not undefined.
/// </summary>
public sealed class WilliamsR : IBarIndicator
{
    private readonly RollingExtremum _highest;
    private readonly RollingExtremum _lowest;

    public WilliamsR(int period = 14)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Period = period;
        _highest = new RollingExtremum(period, max: true);
        _lowest = new RollingExtremum(period, max: false);
    }

    public int Period { get; }
    public bool IsReady => _highest.IsFull;
    public double Value { get; private set; } = double.NaN;

    public void Update(double high, double low, double close)
    {
        InputGuard.HighLowClose(high, low, close, "Williams %R");
        _highest.Push(high);
        _lowest.Push(low);
        if (!_highest.IsFull) return;
        var hh = _highest.Value;
        var ll = _lowest.Value;
        Value = hh > ll ? -100.0 * (hh - close) / (hh - ll) : -50.0;
    }

    int IBarIndicator.OutputCount => 1;
    void IBarIndicator.Update(in OhlcvBar bar) => Update(bar.High, bar.Low, bar.Close);
    double IBarIndicator.Output(int index) => InputGuard.Single(index, Value);
}
