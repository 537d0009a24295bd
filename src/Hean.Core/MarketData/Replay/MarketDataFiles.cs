using Hean.Core.Domain;

namespace Hean.Core.MarketData.Replay;

/// <summary>Opens a recorded market data file whatever its format, recognised by its header.</summary>
public static class MarketDataFiles
{
    /// <summary>
    /// The file's events, fully read and validated: candles for an OHLCV file (which needs
    /// <paramref name="symbol"/>, as bars carry none), trades for a trades file (symbol from its
    /// column, else <paramref name="symbol"/>).
    /// </summary>
    /// <exception cref="MarketDataFormatException">Unknown format or a bad row.</exception>
    public static IReadOnlyList<IMarketEvent> Open(string path, Symbol? symbol = null)
    {
        bool trades, ohlcv;
        using (var csv = CsvFile.Open(path))
        {
            trades = TradesCsvReader.Recognizes(csv);
            ohlcv = OhlcvCsvReader.Recognizes(csv);
            if (!trades && !ohlcv)
                throw csv.Error(
                    $"unknown format (header: {string.Join(", ", csv.Header)}); supported formats: {OhlcvCsvReader.FormatDescription}; {TradesCsvReader.FormatDescription}",
                    line: 1);
            if (ohlcv && symbol is null)
                throw csv.Error("an OHLCV file has no symbol column: pass the symbol", line: 1);
        }

        return ohlcv
            ? OhlcvCsvReader.ReadAll(path, symbol!.Value)
            : TradesCsvReader.ReadAll(path, symbol);
    }
}
