using Hean.Core.Domain;

namespace Hean.Core.MarketData.Replay;

/// <summary>
/// Reads OHLCV bars from CSV (plain or gzip) with a header row. Columns are found by name,
/// case-insensitively:
/// <list type="bullet">
/// <item>time: open_time_ms, timestamp_ms, time_ms, open_time, timestamp, time, date, datetime,
/// open_time_utc, timestamp_utc (epoch s/ms/µs/ns or ISO-8601 UTC);</item>
/// <item>open, high, low, close, or bid_open…bid_close with ask_open…ask_close (quote bars: the
/// candle is the mid, (bid + ask) / 2 per field, whose high/low bound the true mid's range);</item>
/// <item>volume (optional, 0 when absent): volume, else the first volume_* column that is not in
/// quote currency (usd, usdt, quote), else the first volume_* column.</item>
/// </list>
/// The time is taken as the bar's open time. Rows must be strictly increasing in time, with
/// positive prices, low ≤ open, close ≤ high and volume ≥ 0; the first bad row throws
/// <see cref="MarketDataFormatException"/>.
/// </summary>
public static class OhlcvCsvReader
{
    private static readonly string[] TimeColumns =
        ["open_time_ms", "timestamp_ms", "time_ms", "open_time", "timestamp", "time", "date", "datetime", "open_time_utc", "timestamp_utc"];

    /// <summary>
    /// All bars of the file, validated. Without <paramref name="interval"/> it is the most common
    /// gap between consecutive rows of the first <see cref="IntervalSampleRows"/> (the shortest on a tie), which needs at least two rows.
    /// </summary>
    public static IReadOnlyList<Candle> ReadAll(string path, Symbol symbol, TimeSpan? interval = null)
    {
        if (interval is { } given && given <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(interval), given, "interval must be positive");
        // The same rule as Stream (the first IntervalSampleRows bars), so both backtest engines see the same candles.
        return Opened(path, symbol, interval).ToArray();
    }

    /// <summary>
    /// Streams the bars without holding the file in memory. Rows are validated as they are read, so
    /// a bad row throws after the bars before it have been yielded.
    /// </summary>
    public static IEnumerable<Candle> Read(string path, Symbol symbol, TimeSpan interval)
    {
        if (interval <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), interval, "interval must be positive");
        return Opened(path, symbol, interval);
    }

    /// <summary>How many bars <see cref="Stream"/> reads ahead to infer the interval.</summary>
    public const int IntervalSampleRows = 10_000;

    /// <summary>
    /// Streams the bars with the interval inferred from the first <see cref="IntervalSampleRows"/> (the most common gap, the
    /// shortest on a tie): a file of any length costs the memory of that sample, not of the file.
    /// </summary>
    public static IEnumerable<Candle> Stream(string path, Symbol symbol) => Opened(path, symbol, interval: null);

    /// <summary>
    /// The file opened and its header read; without an interval, the first <see cref="IntervalSampleRows"/> bars read too
    /// (into an array of their own: the shared pool of a struct type of ours was code the JIT compiled in every process) to infer it. The bars come from one reading of the file: the sample's, then the rest as it
    /// comes. A file without a data row is an error.
    /// </summary>
    private static IEnumerable<Candle> Opened(string path, Symbol symbol, TimeSpan? interval)
    {
        var csv = CsvFile.Open(path);
        try
        {
            var layout = Layout.Resolve(csv);
            if (interval is { } given) return Bars(csv, layout, new Sample(null, 0), symbol, given);
            var sample = new Bar[IntervalSampleRows];
            var count = 0;
            while (count < IntervalSampleRows && TryNext(csv, layout, count > 0 ? sample[count - 1].Time : null, out sample[count])) count++;
            if (count == 0) throw csv.Error("no data rows after the header");
            var inferred = InferInterval(sample.AsSpan(0, count)) ?? throw csv.Error("one bar cannot tell the bar interval (the most frequent gap between bars): the file needs at least two bars", line: 0);
            return Bars(csv, layout, new Sample(sample, count), symbol, inferred);
        }
        catch
        {
            csv.Dispose();
            throw;
        }
    }

    /// <summary>The bars read to infer the interval; let go of once they are handed on (an iterator keeps its arguments).</summary>
    private sealed class Sample(Bar[]? bars, int count)
    {
        public Bar[]? Bars { get; set; } = bars;
        public int Count { get; } = count;
    }

    /// <summary>The bars already read (the sample, let go of after), then the rest of the file; closes it.</summary>
    private static IEnumerable<Candle> Bars(CsvFile csv, Layout layout, Sample sample, Symbol symbol, TimeSpan interval)
    {
        try
        {
            DateTime? previous = null;
            for (var i = 0; i < sample.Count; i++)
            {
                var bar = sample.Bars![i];
                previous = bar.Time;
                yield return bar.ToCandle(symbol, interval);
            }
            sample.Bars = null;
            while (TryNext(csv, layout, previous, out var bar))
            {
                previous = bar.Time;
                yield return bar.ToCandle(symbol, interval);
            }
            if (previous is null) throw csv.Error("no data rows after the header");
        }
        finally
        {
            csv.Dispose();
        }
    }

    /// <summary>True when the header has a time column and open/high/low/close (or bid/ask bar) columns.</summary>
    internal static bool Recognizes(CsvFile csv) =>
        csv.Find(TimeColumns) >= 0 &&
        ((csv.Has("open") && csv.Has("high") && csv.Has("low") && csv.Has("close")) ||
         (csv.Has("bid_open") && csv.Has("ask_open")));

    internal const string FormatDescription =
        "OHLCV: a time column (open_time_ms, timestamp_ms, timestamp, time, date, …) with open, high, low, close and optional volume, or bid_/ask_ open/high/low/close quote bars";

    private static bool TryNext(CsvFile csv, Layout layout, DateTime? previous, out Bar bar)
    {
        if (!csv.ReadRow())
        {
            bar = default;
            return false;
        }
        var time = csv.Time(layout.Time);
        var open = layout.Price(csv, 0);
        var high = layout.Price(csv, 1);
        var low = layout.Price(csv, 2);
        var close = layout.Price(csv, 3);
        var volume = layout.Volume >= 0 ? csv.Quantity(layout.Volume, zeroAllowed: true) : 0m;

        if (previous is { } p && time <= p)
            throw csv.Error(time == p
                ? $"duplicate bar time {time:O}"
                : $"time goes backwards: {time:O} after {p:O}");
        if (low <= 0) throw csv.Error($"low {low} must be positive");
        if (high < low) throw csv.Error($"high {high} is below low {low}");
        if (open < low || open > high) throw csv.Error($"open {open} is outside low {low} … high {high}");
        if (close < low || close > high) throw csv.Error($"close {close} is outside low {low} … high {high}");
        if (volume < 0) throw csv.Error($"volume {volume} is negative");
        bar = new Bar(time, open, high, low, close, volume);
        return true;
    }

    private static TimeSpan? InferInterval(ReadOnlySpan<Bar> bars)
    {
        if (bars.Length < 2) return null;
        var counts = new Dictionary<long, int>();
        for (var i = 1; i < bars.Length; i++)
        {
            var gap = (bars[i].Time - bars[i - 1].Time).Ticks;
            counts[gap] = counts.GetValueOrDefault(gap) + 1;
        }
        // The most frequent gap, the shortest of equally frequent ones.
        var (best, most) = (0L, 0);
        foreach (var (gap, n) in counts)
            if (n > most || (n == most && gap < best)) (best, most) = (gap, n);
        return TimeSpan.FromTicks(best);
    }

    private readonly record struct Bar(DateTime Time, decimal Open, decimal High, decimal Low, decimal Close, decimal Volume)
    {
        public Candle ToCandle(Symbol symbol, TimeSpan interval) => new(symbol, Time, interval, Open, High, Low, Close, Volume);
    }

    /// <summary>Column indexes of one file. Prices: one column each, or a bid and an ask column averaged.</summary>
    private sealed class Layout
    {
        private static readonly string[] Fields = ["open", "high", "low", "close"];
        private readonly int[] _price = new int[4];
        private readonly int[] _ask = [-1, -1, -1, -1];

        public int Time { get; private init; }
        public int Volume { get; private init; }

        public static Layout Resolve(CsvFile csv)
        {
            var layout = new Layout
            {
                Time = csv.Require("time", TimeColumns),
                Volume = FindVolume(csv),
            };
            var quoteBars = !csv.Has("open") && csv.Has("bid_open");
            for (var i = 0; i < Fields.Length; i++)
            {
                if (quoteBars)
                {
                    layout._price[i] = csv.Require($"bid_{Fields[i]}", $"bid_{Fields[i]}");
                    layout._ask[i] = csv.Require($"ask_{Fields[i]}", $"ask_{Fields[i]}");
                }
                else
                {
                    layout._price[i] = csv.Require(Fields[i], Fields[i]);
                }
            }
            return layout;
        }

        public decimal Price(CsvFile csv, int field)
        {
            var value = csv.Price(_price[field]);
            return _ask[field] < 0 ? value : (value + csv.Price(_ask[field])) / 2m;
        }

        private static int FindVolume(CsvFile csv)
        {
            var exact = csv.Find("volume", "vol");
            if (exact >= 0) return exact;
            var first = -1;
            for (var i = 0; i < csv.Header.Length; i++)
            {
                var name = csv.Header[i].ToLowerInvariant();
                if (!name.StartsWith("volume_")) continue;
                if (first < 0) first = i;
                var unit = name["volume_".Length..];
                if (unit is not ("usd" or "usdt" or "usdc" or "quote")) return i;
            }
            return first;
        }
    }
}
