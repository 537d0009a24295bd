using Hean.Core.Domain;

namespace Hean.Core.MarketData;

/// <summary>
/// Builds OHLCV bars from trades of one symbol. A trade belongs to the bar that starts at
/// floor(time / interval) * interval (UTC). A bar is returned when the first trade of a later bar
/// arrives; intervals without trades produce no bar (gaps are skipped, not zero-filled).
/// </summary>
public sealed class CandleAggregator
{
    private readonly long _intervalTicks;
    private bool _open;
    private long _bucketStart;
    private decimal _o, _h, _l, _c, _v;

    public CandleAggregator(Symbol symbol, TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), interval, "interval must be positive");
        Symbol = symbol;
        Interval = interval;
        _intervalTicks = interval.Ticks;
    }

    public Symbol Symbol { get; }
    public TimeSpan Interval { get; }

    /// <summary>Adds a trade; returns the previous bar when this trade opens a later one.</summary>
    /// <exception cref="ArgumentException">The trade is for another symbol, or belongs to a bar
    /// before the current one (trades must arrive in time order).</exception>
    public Candle? OnTrade(Trade t)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (t.Symbol != Symbol) throw new ArgumentException($"trade for {t.Symbol} given to the {Symbol} aggregator", nameof(t));

        var bucket = t.Time.Ticks - t.Time.Ticks % _intervalTicks;
        Candle? completed = null;
        if (_open)
        {
            if (bucket < _bucketStart)
                throw new ArgumentException($"trade {t.TradeId} at {t.Time:O} is before the current bar starting {new DateTime(_bucketStart, DateTimeKind.Utc):O}", nameof(t));
            if (bucket == _bucketStart)
            {
                if (t.Price > _h) _h = t.Price;
                if (t.Price < _l) _l = t.Price;
                _c = t.Price;
                _v += t.Qty;
                return null;
            }
            completed = Current();
        }

        _open = true;
        _bucketStart = bucket;
        _o = _h = _l = _c = t.Price;
        _v = t.Qty;
        return completed;
    }

    /// <summary>Returns the bar in progress (null when there is none) and starts afresh.</summary>
    public Candle? Flush()
    {
        if (!_open) return null;
        var bar = Current();
        _open = false;
        return bar;
    }

    private Candle Current() =>
        new(Symbol, new DateTime(_bucketStart, DateTimeKind.Utc), Interval, _o, _h, _l, _c, _v);
}
