using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Core.MarketData.Replay;
using Hean.Core.MarketData.Synthetic;

namespace Hean.ML.Rl;

/// <summary>One continuous stretch of market data: the files it came from (empty for synthetic data) and its events in time order.</summary>
public sealed record RlDataSet(string Name, IReadOnlyList<string> Files, IReadOnlyList<IMarketEvent> Events);

/// <summary>
/// The data the agent is trained and tested on. <see cref="TestFrom"/> set: the test episodes are the part of the
/// last training set from that time on (one capture cut in two); otherwise <see cref="Test"/> is a set of its own.
/// </summary>
public sealed record RlDataSplit(IReadOnlyList<RlDataSet> Train, RlDataSet Test, DateTime? TestFrom);

/// <summary>
/// Reads the <c>--data</c> of <c>hean train --model rl-execution</c>: <c>SET[,SET…]</c> where a set is one file or
/// files that continue each other joined by <c>+</c> (a capture window split over two files). Binance captures
/// (<c>*_ws.gz</c>, book and trades) and trades CSVs are read. With two sets or more the last one is held out for the
/// test; with one, its last <see cref="HeldOutShare"/> of time is. <c>synthetic</c> is a synthetic BTCUSDT book instead
/// (training and test from different seeds), for a clone without the data.
/// </summary>
public static class RlData
{
    public const double HeldOutShare = 0.4;
    public const string Synthetic = "synthetic";

    public static RlDataSplit Load(string spec, ulong seed)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(spec);
        if (spec.Trim() == Synthetic)
            return new RlDataSplit([SyntheticSet("synthetic-train", seed, TimeSpan.FromMinutes(20))], SyntheticSet("synthetic-test", seed + 1, TimeSpan.FromMinutes(10)), null);
        var sets = spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
            .Select(s => Read(s.Split('+', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
            .ToList();
        if (sets.Count == 0) throw new ArgumentException("--data names no file");
        if (sets.Count > 1) return new RlDataSplit(sets[..^1], sets[^1], null);
        var only = sets[0];
        var (first, last) = (only.Events[0].Time, only.Events[^1].Time);
        var split = first + TimeSpan.FromSeconds(Math.Round((last - first).TotalSeconds * (1 - HeldOutShare)));
        return new RlDataSplit([only], only, split);
    }

    /// <summary>The symbol with the most events: the one the episodes trade.</summary>
    public static Symbol MainSymbol(IEnumerable<IMarketEvent> events)
    {
        var counts = events.GroupBy(e => e.Symbol).Select(g => (Symbol: g.Key, Count: g.Count())).ToList();
        if (counts.Count == 0) throw new ArgumentException("the data has no market events");
        return counts.OrderByDescending(c => c.Count).ThenBy(c => c.Symbol.Value, StringComparer.Ordinal).First().Symbol;
    }

    private static RlDataSet Read(IReadOnlyList<string> files)
    {
        foreach (var f in files)
            if (!File.Exists(f)) throw new FileNotFoundException($"data file {f} does not exist", f);
        List<IMarketEvent> events;
        if (BinanceCaptureReader.Recognizes(TextLines.FirstLine(files[0])))
            events = BinanceCaptureReader.Read(files).ToList();
        else
        {
            events = [];
            foreach (var f in files)
            {
                var read = MarketDataFiles.Open(f, new Symbol("UNKNOWN"));
                if (read.Any(e => e is Candle))
                    throw new ArgumentException($"{f} holds candles: the execution agent needs a book or trades (a Binance capture or a trades CSV)");
                events.AddRange(read);
            }
            events = events.OrderBy(e => e.Time).ToList(); // stable: same-time events keep their file order
        }
        if (events.Count == 0) throw new ArgumentException($"{string.Join("+", files)} holds no market events");
        return new RlDataSet(string.Join("+", files.Select(Path.GetFileName)), files.Select(Path.GetFullPath).ToList(), events);
    }

    private static RlDataSet SyntheticSet(string name, ulong seed, TimeSpan length)
    {
        var options = SyntheticMarketOptions.Default(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc)) with { Seed = seed };
        options = options with { Symbols = [options.Symbols[0]] };
        return new RlDataSet(name, [], new SyntheticMarket(options).Generate(length).ToList());
    }
}
