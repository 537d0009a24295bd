using Hean.Core.MarketData;

namespace Hean.Actors.Events;

/// <summary>
/// TICK for the bus, sampled and aggregated: at most one per symbol per <c>every</c> of market time,
/// with the last trade price, the volume and the count of market events since the previous tick.
/// Not thread-safe: it lives in one stream stage.
/// </summary>
public sealed class TickSampler(TimeSpan every)
{
    public sealed record Tick(string Symbol, DateTime Time, decimal? Price, decimal Volume, long Trades, long Events);

    private sealed class Window
    {
        public DateTime? LastSent;
        public decimal? Price;
        public decimal Volume;
        public long Trades, Events;
    }

    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);

    /// <summary>A tick when this event closes the symbol's sampling interval; null otherwise.</summary>
    public Tick? Offer(IMarketEvent e)
    {
        if (!_windows.TryGetValue(e.Symbol.Value, out var w)) _windows[e.Symbol.Value] = w = new Window();
        w.Events++;
        switch (e)
        {
            case Trade t:
                w.Price = t.Price;
                w.Volume += t.Qty;
                w.Trades++;
                break;
            case Candle c:
                w.Price = c.Close;
                break;
        }
        if (w.LastSent is { } last && e.Time - last < every) return null;
        var tick = new Tick(e.Symbol.Value, e.Time, w.Price, w.Volume, w.Trades, w.Events);
        w.LastSent = e.Time;
        (w.Volume, w.Trades, w.Events) = (0m, 0, 0);
        return tick;
    }
}
