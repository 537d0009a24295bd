namespace Hean.Core.Indicators;

/// <summary>
/// Realized volatility over the last <c>period</c> bars: sqrt(Σ r²) of the log returns
/// r = ln(close / previous close) (per window, not annualized; zero-mean, as realized volatility
/// is defined); first at index <c>period</c>. Closes must be positive.
/// </summary>
public sealed class RealizedVolatility : IBarIndicator
{
    private readonly RollingWindow _squares;
    private double _previousClose = double.NaN;

    public RealizedVolatility(int period = 20)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Period = period;
        _squares = new RollingWindow(period);
    }

    public int Period { get; }
    public bool IsReady => _squares.IsFull;
    public double Value => _squares.IsFull ? Math.Sqrt(Math.Max(0.0, _squares.Sum)) : double.NaN;

    public void Update(double close)
    {
        if (!(close > 0) || double.IsPositiveInfinity(close))
            throw new ArgumentOutOfRangeException(nameof(close), close, "realized volatility needs positive finite closes");
        if (!double.IsNaN(_previousClose))
        {
            var r = Math.Log(close / _previousClose);
            _squares.Push(r * r);
        }
        _previousClose = close;
    }

    int IBarIndicator.OutputCount => 1;
    void IBarIndicator.Update(in OhlcvBar bar) => Update(bar.Close);
    double IBarIndicator.Output(int index) => InputGuard.Single(index, Value);
}
