using Hean.Core.Domain;
using Hean.Core.Indicators;
using Hean.Core.MarketData;

namespace Hean.Benchmarks;

internal static class BenchmarkData
{
    public const int Bars = 1024;
    public static readonly Symbol Symbol = new("BTCUSDT");
    public static readonly DateTime Time = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>A random walk. All bars carry the same time, so the array can be replayed in a loop
    /// (VWAP refuses time that goes backwards).</summary>
    public static OhlcvBar[] Walk()
    {
        var random = new Random(42);
        var bars = new OhlcvBar[Bars];
        var close = 100.0;
        for (var i = 0; i < bars.Length; i++)
        {
            var open = close;
            close = open * (1 + (random.NextDouble() - 0.5) / 50);
            bars[i] = new OhlcvBar(Time, open, Math.Max(open, close) * 1.002, Math.Min(open, close) * 0.998, close, 1 + random.NextDouble() * 100);
        }
        return bars;
    }

    /// <summary>A book of 50 levels a side, 0.01 apart around 100.</summary>
    public static OrderBook Book()
    {
        var bids = Enumerable.Range(0, 50).Select(i => new BookLevel(99.99m - i * 0.01m, 1m + i % 7)).ToArray();
        var asks = Enumerable.Range(0, 50).Select(i => new BookLevel(100.01m + i * 0.01m, 1m + i % 5)).ToArray();
        var book = new OrderBook(Symbol);
        book.Apply(new BookUpdate(Symbol, Time, 1, 0, true, bids, asks));
        return book;
    }
}
