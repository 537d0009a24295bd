namespace Hean.Core.Indicators;

/// <summary>Simple moving average of the last <c>period</c> values; first value on the period-th update.</summary>
public sealed class Sma : IBarIndicator
{
    private readonly RollingWindow _window;

    public Sma(int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Period = period;
        _window = new RollingWindow(period);
    }

    public int Period { get; }
    public bool IsReady => _window.IsFull;

    /// <summary>The current average, NaN until <see cref="IsReady"/>.</summary>
    public double Value => _window.IsFull ? _window.Mean : double.NaN;

    public void Update(double x)
    {
        InputGuard.Finite(x, "SMA input");
        _window.Push(x);
    }

    int IBarIndicator.OutputCount => 1;
    void IBarIndicator.Update(in OhlcvBar bar) => Update(bar.Close);
    double IBarIndicator.Output(int index) => InputGuard.Single(index, Value);
}
