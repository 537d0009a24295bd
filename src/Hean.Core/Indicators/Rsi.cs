namespace Hean.Core.Indicators;

/// <summary>
/// Relative strength index with Wilder smoothing (alpha = 1 / period), TA-Lib convention: the
/// average gain and loss are seeded with the simple mean of the first <c>period</c> changes, so the
/// first value appears after period + 1 inputs. Incremental and allocation-free.
/// When prices did not move at all over the seed window (no gains, no losses) the value is 50,
/// the neutral reading, rather than TA-Lib's 0, so a flat market never looks oversold.
/// </summary>
public sealed class Rsi : IBarIndicator
{
    private double _previous = double.NaN;
    private double _avgGain;
    private double _avgLoss;
    private int _changes;

    public Rsi(int period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Period = period;
    }

    public int Period { get; }

    /// <summary>True once <see cref="Period"/> price changes (period + 1 inputs) have been seen.</summary>
    public bool IsReady => _changes >= Period;

    /// <summary>The current RSI in [0, 100], NaN until <see cref="IsReady"/>.</summary>
    public double Value { get; private set; } = double.NaN;

    public void Update(double x)
    {
        if (!double.IsFinite(x)) throw new ArgumentOutOfRangeException(nameof(x), x, "RSI input must be a finite number");
        if (double.IsNaN(_previous))
        {
            _previous = x;
            return;
        }

        var change = x - _previous;
        _previous = x;
        var gain = change > 0 ? change : 0.0;
        var loss = change < 0 ? -change : 0.0;

        if (_changes < Period)
        {
            _avgGain += gain;
            _avgLoss += loss;
            if (++_changes < Period) return;
            _avgGain /= Period;
            _avgLoss /= Period;
        }
        else
        {
            _avgGain = (_avgGain * (Period - 1) + gain) / Period;
            _avgLoss = (_avgLoss * (Period - 1) + loss) / Period;
        }

        var total = _avgGain + _avgLoss;
        Value = total == 0 ? 50.0 : 100.0 * _avgGain / total;
    }

    int IBarIndicator.OutputCount => 1;
    void IBarIndicator.Update(in OhlcvBar bar) => Update(bar.Close);
    double IBarIndicator.Output(int index) => InputGuard.Single(index, Value);
}
