namespace Hean.Core.Indicators;

/// <summary>
/// MACD: line = EMA(fast) − EMA(slow) of the closes, each EMA seeded by its own SMA from the first
/// value (first line on update <c>slow</c>); signal = EMA(signal) of the line, seeded by the SMA of
/// the first <c>signal</c> line values (first on update slow + signal − 1); histogram = line − signal.
/// </summary>
public sealed class Macd : IBarIndicator
{
    private readonly Ema _fast;
    private readonly Ema _slow;
    private readonly Ema _signal;

    public Macd(int fast = 12, int slow = 26, int signal = 9)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fast, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(signal, 1);
        if (slow <= fast) throw new ArgumentOutOfRangeException(nameof(slow), slow, $"slow period must be longer than fast period {fast}");
        _fast = new Ema(fast);
        _slow = new Ema(slow);
        _signal = new Ema(signal);
    }

    public int FastPeriod => _fast.Period;
    public int SlowPeriod => _slow.Period;
    public int SignalPeriod => _signal.Period;

    public bool IsReady => _signal.IsReady;

    public double Line { get; private set; } = double.NaN;
    public double Signal => _signal.Value;
    public double Histogram => _signal.IsReady ? Line - _signal.Value : double.NaN;

    public void Update(double close)
    {
        InputGuard.Finite(close, "MACD input");
        _fast.Update(close);
        _slow.Update(close);
        if (!_slow.IsReady) return;
        Line = _fast.Value - _slow.Value;
        _signal.Update(Line);
    }

    int IBarIndicator.OutputCount => 3;
    void IBarIndicator.Update(in OhlcvBar bar) => Update(bar.Close);

    double IBarIndicator.Output(int index) => index switch
    {
        0 => Line,
        1 => Signal,
        2 => Histogram,
        _ => throw new ArgumentOutOfRangeException(nameof(index), index, "MACD outputs: 0 line, 1 signal, 2 histogram"),
    };
}
