namespace Hean.Core.Execution;

/// <summary>
/// Running statistics of one symbol on market time, for the smart router: exponentially weighted
/// variance of log returns per second and traded volume per second (both with <see cref="HalfLife"/>),
/// and the volume profile by minute of the hour. Irregular event times are weighted by elapsed time.
/// </summary>
public sealed class MarketActivity
{
    /// <summary>The band around the touch in which book depth counts as available.</summary>
    public const decimal DepthBandBps = 10m;

    /// <summary>Resting quantity on each side within <see cref="DepthBandBps"/> of its touch; nulls without a live book.</summary>
    public static (decimal? Bid, decimal? Ask) DepthNearTouch(Hean.Core.MarketData.OrderBook? book)
    {
        if (book is not { IsInitialized: true }) return (null, null);
        var band = DepthBandBps / 10_000m;
        return (book.BestBid is { } bid ? book.DepthWithin(Hean.Core.Domain.Side.Buy, bid.Price * (1 - band)) : null,
            book.BestAsk is { } ask ? book.DepthWithin(Hean.Core.Domain.Side.Sell, ask.Price * (1 + band)) : null);
    }

    /// <summary>Minimum history before the profile is offered: this many distinct hours.</summary>
    public const int ProfileMinPeriods = 3;

    public static readonly TimeSpan HalfLife = TimeSpan.FromMinutes(5);

    private readonly double _tau = HalfLife.TotalSeconds / Math.Log(2);
    private readonly VolumeProfileBuilder _profile = new(TimeSpan.FromHours(1), 60);
    private DateTime? _lastPriceTime, _lastVolumeTime, _firstTime;
    private double _lastLogPrice;
    private double _squaredReturns, _elapsed, _volume;

    public void OnPrice(DateTime time, decimal price)
    {
        if (price <= 0) return;
        _firstTime ??= time;
        var logPrice = Math.Log((double)price);
        if (_lastPriceTime is { } previous)
        {
            var dt = (time - previous).TotalSeconds;
            if (dt <= 0)
            {
                // Same instant: the move counts with the next step in time.
                return;
            }
            var decay = Math.Exp(-dt / _tau);
            var r = logPrice - _lastLogPrice;
            _squaredReturns = _squaredReturns * decay + r * r;
            _elapsed = _elapsed * decay + dt;
        }
        _lastPriceTime = time;
        _lastLogPrice = logPrice;
    }

    public void OnVolume(DateTime time, decimal qty)
    {
        if (qty <= 0) return;
        _firstTime ??= time;
        if (_lastVolumeTime is { } previous && time > previous)
            _volume *= Math.Exp(-(time - previous).TotalSeconds / _tau);
        _volume += (double)qty;
        _lastVolumeTime = time;
        _profile.Add(time, qty);
    }

    /// <summary>Standard deviation of the log price per √second, in basis points; null before two prices apart in time.</summary>
    public double? VolatilityBpsPerSqrtSecond => _elapsed > 0 ? Math.Sqrt(_squaredReturns / _elapsed) * 10_000 : null;

    /// <summary>Volume per second; null until a minute of history (the estimate starts low while it warms up).</summary>
    public double? VolumePerSecond(DateTime now) =>
        _firstTime is { } first && _lastVolumeTime is { } last && (now - first).TotalSeconds >= 60
            ? _volume * Math.Exp(-Math.Max(0, (now - last).TotalSeconds) / _tau) / _tau
            : null;

    public VolumeProfile? Profile => _profile.PeriodsObserved >= ProfileMinPeriods ? _profile.Build() : null;
}
