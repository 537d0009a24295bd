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
    public static IReadOnlyList<IMarketEvent> File(string path, Symbol? symbol) => Stream(path, symbol, []).ToList();

    /// <summary>
    /// Streams a recorded file (told by content) without holding it: the same events as <see cref="File"/>, with the same
    /// checks made as they pass (a symbol HEAN does not know, no events at all, none of <paramref name="symbol"/>). The
    /// symbols seen, in order of first appearance, are added to <paramref name="symbols"/>.
    /// </summary>
    public static IEnumerable<IMarketEvent> Stream(string path, Symbol? symbol, List<Symbol> symbols)
    {
        MarketDataFiles.RequireFile(path);
        return Checked(path, symbol, symbols);

        static IEnumerable<IMarketEvent> Open(string path, Symbol? symbol) => MarketDataFiles.Detect(path) switch
        {
            MarketDataFormat.BybitRecording => BybitRecordingReader.Read([path]),
            MarketDataFormat.BinanceCapture => BinanceCaptureReader.Read([path]),
            MarketDataFormat.OhlcvCsv => OhlcvCsvReader.Stream(path,
                symbol ?? throw new MarketDataFormatException(path, 1, "an OHLCV file has no symbol column: pass the symbol")),
            _ => TradesCsvReader.Read(path, symbol),
        };

        // The format is told when reading starts (for a backtest, on the thread that reads ahead, while the command loads
        // its settings); a file of no known format fails there, before the first event.
        static IEnumerable<IMarketEvent> Checked(string path, Symbol? only, List<Symbol> symbols)
        {
            var any = false;
            var seen = new HashSet<Symbol>();
            Symbol? previous = null;
            foreach (var e in Open(path, only))
            {
                any = true;
                // Files hold one symbol or a few in runs: the set is asked only when the symbol changes.
                if (e.Symbol != previous)
                {
                    previous = e.Symbol;
                    if (seen.Add(e.Symbol))
                    {
                        InstrumentCatalog.Default.Get(e.Symbol);
                        if (only is null || e.Symbol == only) symbols.Add(e.Symbol);
                    }
                }
                if (only is { } o && e.Symbol != o) continue;
                yield return e;
            }
            if (!any) throw new MarketDataFormatException(path, 0, "no market events in the file");
            if (only is { } wanted && !seen.Contains(wanted))
                throw new MarketDataFormatException(path, 0, $"no events of {wanted} in the file (it has {string.Join(", ", seen)})");
        }
    }
}
