namespace Hean.Core.Indicators;

/// <summary>
/// Slow stochastic oscillator (TA-Lib parameter order): raw %K = 100·(close − lowest low) /
/// (highest high − lowest low) over <c>period</c> bars; %K = SMA(kSmoothing) of raw %K;
/// %D = SMA(dPeriod) of %K. %K first appears at index period + kSmoothing − 2, %D at
/// period + kSmoothing + dPeriod − 3. When the range is 0 (flat window) raw %K is 50, the neutral
/// reading, rather than TA-Lib's 0, so a flat market never looks oversold.
/// </summary>
public sealed class Stochastic : IBarIndicator
{
    private readonly RollingExtremum _highest;
    private readonly RollingExtremum _lowest;
    private readonly RollingWindow _k;
    private readonly RollingWindow _d;

    public Stochastic(int period = 14, int kSmoothing = 3, int dPeriod = 3)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(kSmoothing, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(dPeriod, 1);
        Period = period;
        _highest = new RollingExtremum(period, max: true);
        _lowest = new RollingExtremum(period, max: false);
        _k = new RollingWindow(kSmoothing);
        _d = new RollingWindow(dPeriod);
    }

    public int Period { get; }
    public int KSmoothing => _k.Capacity;
    public int DPeriod => _d.Capacity;
    public bool IsReady => _d.IsFull;

    public double K { get; private set; } = double.NaN;
    public double D { get; private set; } = double.NaN;

    public void Update(double high, double low, double close)
    {
        InputGuard.HighLowClose(high, low, close, "Stochastic");
        _highest.Push(high);
        _lowest.Push(low);
        if (!_highest.IsFull) return;

        var hh = _highest.Value;
        var ll = _lowest.Value;
        _k.Push(hh > ll ? 100.0 * (close - ll) / (hh - ll) : 50.0);
        if (!_k.IsFull) return;
        K = _k.Mean;
        _d.Push(K);
        if (_d.IsFull) D = _d.Mean;
    }

    int IBarIndicator.OutputCount => 2;
    void IBarIndicator.Update(in OhlcvBar bar) => Update(bar.High, bar.Low, bar.Close);

    double IBarIndicator.Output(int index) => index switch
    {
        0 => K,
        1 => D,
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "Stochastic outputs: 0 %K, 1 %D"),
    };
}
