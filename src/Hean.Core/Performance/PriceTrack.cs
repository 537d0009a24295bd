using Hean.Core.MarketData;

namespace Hean.Core.Performance;

/// <summary>A price at a time.</summary>
public readonly record struct PricePoint(DateTime Time, decimal Price);

/// <summary>
/// The price path of each symbol in a run, from trades and bar closes (book updates carry no traded price): the first price
/// exactly, then the last price of every <paramref name="bucket"/> of market time, so a long run stays small. Buy-and-hold is
/// measured from its first to its last point. Fed by <see cref="Follow"/> on the events as they go to either engine.
/// </summary>
public sealed class PriceTrack(TimeSpan bucket)
{
    private readonly SortedDictionary<string, List<PricePoint>> _paths = new(StringComparer.Ordinal);

    /// <summary>The symbols seen with a price, in order.</summary>
    public IEnumerable<string> Symbols => _paths.Keys;

    /// <summary>A symbol's path; empty when it had no price.</summary>
    public IReadOnlyList<PricePoint> PathOf(string symbol) => _paths.TryGetValue(symbol, out var path) ? path : [];

    /// <summary>The events unchanged, each observed as it passes.</summary>
    public IEnumerable<IMarketEvent> Follow(IEnumerable<IMarketEvent> events)
    {
        foreach (var e in events)
        {
            Observe(e);
            yield return e;
        }
    }

    public void Observe(IMarketEvent e)
    {
        PricePoint? point = e switch
        {
            Trade t => new PricePoint(t.Time, t.Price),
            Candle c => new PricePoint(c.CloseTime, c.Close),
            _ => null,
        };
        if (point is not { } p) return;
        if (!_paths.TryGetValue(e.Symbol.Value, out var path)) _paths[e.Symbol.Value] = path = [];
        // The first point stays; later ones replace the last point while it is in the same bucket.
        if (path.Count > 1 && SameBucket(path[^1].Time, p.Time)) path[^1] = p;
        else path.Add(p);
    }

    private bool SameBucket(DateTime a, DateTime b) => bucket > TimeSpan.Zero && a.Ticks / bucket.Ticks == b.Ticks / bucket.Ticks;
}
