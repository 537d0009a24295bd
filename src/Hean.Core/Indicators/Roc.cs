namespace Hean.Core.Indicators;

/// <summary>
/// Rate of change in percent: 100·(close − close <c>period</c> bars ago) / that close; first at
/// index <c>period</c>. Undefined (NaN) when the earlier close is 0.
/// </summary>
public sealed class Roc : IBarIndicator
{
    private readonly RollingWindow _closes;

    public Roc(int period = 14)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Period = period;
        _closes = new RollingWindow(period + 1);
    }

    public int Period { get; }
    public bool IsReady => _closes.IsFull;
    public double Value { get; private set; } = double.NaN;

    public void Update(double close)
    {
        InputGuard.Finite(close, "ROC input");
        _closes.Push(close);
        if (!_closes.IsFull) return;
        var then = _closes.Oldest;
        Value = then != 0 ? 100.0 * (close - then) / then : double.NaN;
    }

    int IBarIndicator.OutputCount => 1;
    void IBarIndicator.Update(in OhlcvBar bar) => Update(bar.Close);
    double IBarIndicator.Output(int index) => InputGuard.Single(index, Value);
}
