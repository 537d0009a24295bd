namespace Hean.Core.Indicators;

/// <summary>
/// Bollinger bands: middle = SMA(period), upper/lower = middle ± k·σ with σ the population standard
/// deviation (divide by n) of the same closes; %B = (close − lower) / (upper − lower);
/// width = (upper − lower) / middle. First values on the period-th update.
/// On a flat window (σ = 0) %B is 0.5, the close sitting on the middle band, rather than undefined.
/// </summary>
public sealed class BollingerBands : IBarIndicator
{
    private readonly RollingWindow _window;

    public BollingerBands(int period = 20, double k = 2.0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        if (!(k > 0) || !double.IsFinite(k)) throw new ArgumentOutOfRangeException(nameof(k), k, "band width k must be a positive number");
        Period = period;
        K = k;
        _window = new RollingWindow(period);
    }

    public int Period { get; }
    public double K { get; }
    public bool IsReady => _window.IsFull;

    public double Upper { get; private set; } = double.NaN;
    public double Middle { get; private set; } = double.NaN;
    public double Lower { get; private set; } = double.NaN;
    public double PercentB { get; private set; } = double.NaN;
    public double Width { get; private set; } = double.NaN;

    public void Update(double close)
    {
        InputGuard.Finite(close, "Bollinger input");
        _window.Push(close);
        if (!_window.IsFull) return;

        var middle = _window.Mean;
        var offset = K * Math.Sqrt(_window.PopulationVariance);
        Middle = middle;
        Upper = middle + offset;
        Lower = middle - offset;
        PercentB = offset > 0 ? (close - Lower) / (Upper - Lower) : 0.5;
        Width = middle != 0 ? (Upper - Lower) / middle : double.NaN;
    }

    int IBarIndicator.OutputCount => 5;
    void IBarIndicator.Update(in OhlcvBar bar) => Update(bar.Close);

    double IBarIndicator.Output(int index) => index switch
    {
        0 => Upper,
        1 => Middle,
        2 => Lower,
        3 => PercentB,
        4 => Width,
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "Bollinger outputs: 0 upper, 1 middle, 2 lower, 3 %B, 4 width"),
    };
}
