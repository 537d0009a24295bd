using Hean.Bybit.Recording;
using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Core.MarketData.Replay;
using Hean.Core.MarketData.Synthetic;

namespace Hean.Host.Hosting;

/// <summary>Where market data comes from: the seeded synthetic market or a recorded file.</summary>
public static class MarketSources
{
    public static SyntheticMarketOptions Synthetic(IReadOnlyList<Symbol> symbols, DateTime start, ulong seed,
        IReadOnlyDictionary<string, decimal>? startPrices = null)
    {
        var defaults = SyntheticMarketOptions.Default(start);
        var specs = symbols.Select(s =>
        {
            var spec = defaults.Symbols.FirstOrDefault(x => x.Symbol == s)
                       ?? new SymbolSpec(s, InstrumentCatalog.Default.Get(s).TickSize * 10_000m, 0.7) { FactorLoading = 0.7 };
            return startPrices is not null && startPrices.TryGetValue(s.Value, out var p) && p > 0 ? spec with { StartPrice = p } : spec;
        }).ToList();
        return defaults with { Symbols = specs, Seed = seed };
    }

    /// <summary>
    /// Reads a recorded file (OHLCV or trades CSV, Binance capture, Bybit recording; told by content); throws
    /// MarketDataFormatException on bad data.
    /// </summary>
    public static IReadOnlyList<IMarketEvent> File(string path, Symbol? symbol)
    {
        if (!System.IO.File.Exists(path)) throw new FileNotFoundException($"data file not found: {path}", path);
        var events = MarketDataFiles.Detect(path) == MarketDataFormat.BybitRecording
            ? BybitRecordingReader.Read([path]).ToList()
            : MarketDataFiles.Open(path, symbol);
        if (events.Count == 0) throw new MarketDataFormatException(path, 0, "no market events in the file");
        foreach (var s in events.Select(e => e.Symbol).Distinct())
            InstrumentCatalog.Default.Get(s);
        if (symbol is not { } only) return events;
        var selected = events.Where(e => e.Symbol == only).ToList();
        return selected.Count > 0
            ? selected
            : throw new MarketDataFormatException(path, 0, $"no events of {only} in the file (it has {string.Join(", ", events.Select(e => e.Symbol).Distinct())})");
    }
}
