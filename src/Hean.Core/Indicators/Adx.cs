namespace Hean.Core.Indicators;

/// <summary>
/// Wilder's directional movement: +DI, −DI and ADX.
/// From the second bar: +DM = up move when it beats the down move and is positive (else 0), −DM
/// likewise, and the true range. TR, +DM and −DM are Wilder-smoothed (seeded with the mean of the
/// first <c>period</c> values), +DI = 100·+DM/TR and −DI = 100·−DM/TR first appear at index
/// <c>period</c>; DX = 100·|+DI − −DI| / (+DI + −DI); ADX is the Wilder average of DX seeded with
/// the mean of the first <c>period</c> DX values, first at index 2·period − 1.
/// With no range at all (TR = 0) both DIs are 0, and with no directional movement DX is 0.
/// </summary>
public sealed class Adx : IBarIndicator
{
    private double _previousHigh = double.NaN;
    private double _previousLow;
    private double _previousClose;
    private double _tr, _plusDm, _minusDm;
    private int _moves;
    private double _dxSum;
    private int _dxCount;

    public Adx(int period = 14)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        Period = period;
    }

    public int Period { get; }
    public bool IsReady => _dxCount >= Period;

    public double Value { get; private set; } = double.NaN;
    public double PlusDi { get; private set; } = double.NaN;
    public double MinusDi { get; private set; } = double.NaN;

    public void Update(double high, double low, double close)
    {
        InputGuard.HighLowClose(high, low, close, "ADX");
        if (double.IsNaN(_previousHigh))
        {
            (_previousHigh, _previousLow, _previousClose) = (high, low, close);
            return;
        }

        var tr = Atr.TrueRangeOf(high, low, _previousClose);
        var up = high - _previousHigh;
        var down = _previousLow - low;
        var plusDm = up > down && up > 0 ? up : 0.0;
        var minusDm = down > up && down > 0 ? down : 0.0;
        (_previousHigh, _previousLow, _previousClose) = (high, low, close);

        if (_moves < Period)
        {
            _tr += tr;
            _plusDm += plusDm;
            _minusDm += minusDm;
            if (++_moves < Period) return;
            _tr /= Period;
            _plusDm /= Period;
            _minusDm /= Period;
        }
        else
        {
            _tr = (_tr * (Period - 1) + tr) / Period;
            _plusDm = (_plusDm * (Period - 1) + plusDm) / Period;
            _minusDm = (_minusDm * (Period - 1) + minusDm) / Period;
        }

        PlusDi = _tr > 0 ? 100.0 * _plusDm / _tr : 0.0;
        MinusDi = _tr > 0 ? 100.0 * _minusDm / _tr : 0.0;
        var total = PlusDi + MinusDi;
        var dx = total > 0 ? 100.0 * Math.Abs(PlusDi - MinusDi) / total : 0.0;

        if (_dxCount < Period)
        {
            _dxSum += dx;
            if (++_dxCount == Period) Value = _dxSum / Period;
            return;
        }
        Value = (Value * (Period - 1) + dx) / Period;
    }

    int IBarIndicator.OutputCount => 3;
    void IBarIndicator.Update(in OhlcvBar bar) => Update(bar.High, bar.Low, bar.Close);

    double IBarIndicator.Output(int index) => index switch
    {
        0 => Value,
        1 => PlusDi,
        2 => MinusDi,
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "ADX outputs: 0 adx, 1 +DI, 2 −DI"),
    };
}
