using Hean.Core.Domain;

namespace Hean.Core.MarketData.Replay;

/// <summary>The formats of recorded market data HEAN reads.</summary>
public enum MarketDataFormat
{
    OhlcvCsv,
    TradesCsv,
    BinanceCapture,
    BybitRecording,
}

/// <summary>Opens a recorded market data file whatever its format, recognised by its content (not its name).</summary>
public static class MarketDataFiles
{
    /// <summary>A data file that exists, or the error that says what is there instead (nothing, or a folder).</summary>
    /// <exception cref="FileNotFoundException">No such file.</exception>
    public static void RequireFile(string path)
    {
        if (File.Exists(path)) return;
        throw new FileNotFoundException(Directory.Exists(path)
            ? $"{path} is a folder: name a data file in it"
            : $"data file not found: {path}", path);
    }

    public static string SupportedFormats =>
        $"{OhlcvCsvReader.FormatDescription}; {TradesCsvReader.FormatDescription}; {BinanceCaptureReader.FormatDescription}; " +
        "Bybit recording: JSON lines of V5 WebSocket messages (what hean record writes)";

    /// <summary>
    /// The file's format, told by its first non-blank line: a Binance capture line (<c>&lt;digits&gt; {…}</c>), a JSON
    /// object (a Bybit recording), else a CSV header naming OHLCV or trade columns.
    /// </summary>
    /// <exception cref="MarketDataFormatException">Empty, unreadable or of no known format.</exception>
    public static MarketDataFormat Detect(string path)
    {
        RequireFile(path);
        var first = TextLines.FirstLine(path) ?? throw new MarketDataFormatException(path, 0, "empty file");
        if (BinanceCaptureReader.Recognizes(first)) return MarketDataFormat.BinanceCapture;
        if (first.TrimStart().StartsWith('{')) return MarketDataFormat.BybitRecording;
        using var csv = CsvFile.Open(path);
        if (OhlcvCsvReader.Recognizes(csv)) return MarketDataFormat.OhlcvCsv;
        if (TradesCsvReader.Recognizes(csv)) return MarketDataFormat.TradesCsv;
        throw csv.Error($"unknown format (first line: {DisplayText.Printable(first, 80)}); supported formats: {SupportedFormats}", line: 1);
    }

    /// <summary>
    /// The file's events, fully read and validated: candles for an OHLCV file (which needs
    /// <paramref name="symbol"/>, as bars carry none), trades for a trades file (symbol from its
    /// column, else <paramref name="symbol"/>), book updates and trades of a Binance capture.
    /// A Bybit recording needs the Bybit parser: read it with Hean.Bybit's BybitRecordingReader.
    /// </summary>
    /// <exception cref="MarketDataFormatException">Unknown format or a bad row.</exception>
    public static IReadOnlyList<IMarketEvent> Open(string path, Symbol? symbol = null)
    {
        // Detect read the header once and names the format (or refused the file): no second look at it here.
        return Detect(path) switch
        {
            MarketDataFormat.BinanceCapture => BinanceCaptureReader.Read([path]).ToList(),
            MarketDataFormat.BybitRecording =>
                throw new MarketDataFormatException(path, 0, "a Bybit recording is read with Hean.Bybit.Recording.BybitRecordingReader"),
            MarketDataFormat.OhlcvCsv => OhlcvCsvReader.ReadAll(path,
                symbol ?? throw new MarketDataFormatException(path, 1, "an OHLCV file has no symbol column: pass the symbol")),
            _ => TradesCsvReader.ReadAll(path, symbol),
        };
    }
}
