namespace Hean.Core.Indicators;

/// <summary>
/// Volume-weighted average of the typical price (high + low + close) / 3 since an anchor:
/// cumulative from the first bar, from a fixed start time, or per session (restarting at every
/// multiple of the session length on the UTC clock, so 1d sessions start at midnight UTC).
/// Undefined (NaN) while no volume has traded since the anchor.
/// </summary>
public sealed class Vwap : IBarIndicator
{
    private readonly long _sessionTicks;
    private readonly DateTime _start;
    private long _session = long.MinValue;
    private DateTime _lastTime = DateTime.MinValue;
    private double _priceVolume;
    private double _volume;

    /// <summary>Cumulative VWAP from the first bar.</summary>
    public Vwap() : this(0, DateTime.MinValue)
    {
    }

    private Vwap(long sessionTicks, DateTime start)
    {
        _sessionTicks = sessionTicks;
        _start = start;
    }

    /// <summary>VWAP that restarts at every session boundary (a positive length; 1d starts at midnight UTC).</summary>
    public static Vwap Session(TimeSpan length)
    {
        if (length <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(length), length, "session length must be positive");
        return new Vwap(length.Ticks, DateTime.MinValue);
    }

    /// <summary>VWAP from <paramref name="start"/> on; bars that open earlier are ignored.</summary>
    public static Vwap AnchoredAt(DateTime start) => new(0, start);

    /// <summary>Session length, or null for a cumulative or anchored VWAP.</summary>
    public TimeSpan? SessionLength => _sessionTicks > 0 ? TimeSpan.FromTicks(_sessionTicks) : null;

    public bool IsReady => _volume > 0;
    public double Value => _volume > 0 ? _priceVolume / _volume : double.NaN;

    public void Update(in OhlcvBar bar)
    {
        InputGuard.HighLowClose(bar.High, bar.Low, bar.Close, "VWAP");
        InputGuard.Volume(bar.Volume, "VWAP");
        if (bar.Time < _lastTime)
            throw new ArgumentOutOfRangeException(nameof(bar), bar.Time, $"VWAP bars must come in time order: {bar.Time:O} after {_lastTime:O}");
        _lastTime = bar.Time;
        if (bar.Time < _start) return;
        if (_sessionTicks > 0)
        {
            var session = bar.Time.Ticks / _sessionTicks;
            if (session != _session)
            {
                _session = session;
                _priceVolume = 0;
                _volume = 0;
            }
        }
        _priceVolume += bar.TypicalPrice * bar.Volume;
        _volume += bar.Volume;
    }

    int IBarIndicator.OutputCount => 1;
    void IBarIndicator.Update(in OhlcvBar bar) => Update(bar);
    double IBarIndicator.Output(int index) => InputGuard.Single(index, Value);
}
