using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hean.Bybit.Recording;
using Hean.Bybit.Rest;
using Hean.Core.Domain;
using Symbol = Hean.Core.Domain.Symbol;
using Hean.Core.MarketData;
using Hean.Core.MarketData.Replay;
using Hean.Host.Configuration;

namespace Hean.Host.Commands;

/// <summary>What <c>hean data inspect</c> reports about one symbol of a file.</summary>
public sealed record SymbolInspection(
    string Symbol,
    DateTime? First,
    DateTime? Last,
    long Messages,
    long Trades,
    long BookUpdates,
    long Snapshots,
    long Candles,
    long Gaps,
    long Resyncs,
    long Stale,
    long Unsynced,
    long DuplicateTrades,
    long Late,
    long TickerChecks,
    long TickerMismatches,
    decimal? BestBid,
    decimal? BestAsk,
    int? BidLevels,
    int? AskLevels);

/// <summary>What <c>hean data inspect</c> reports about a file.</summary>
public sealed record DataInspection(string File, string Format, long Lines, long Ignored, long Reconnects, IReadOnlyList<SymbolInspection> Symbols);

/// <summary>Reads a whole file the way a backtest would and says what is in it.</summary>
public static class DataInspector
{
    public static DataInspection Inspect(string path, Symbol? symbol = null) => Inspect([path], symbol);

    /// <summary>Several files are one continuous stream (a capture window split over files); they must share a format.</summary>
    public static DataInspection Inspect(IReadOnlyList<string> paths, Symbol? symbol = null)
    {
        var path = paths[0];
        var format = MarketDataFiles.Detect(path);
        foreach (var other in paths.Skip(1))
        {
            var f = MarketDataFiles.Detect(other);
            if (f != format) throw new MarketDataFormatException(other, 0, $"is a {Name(f)}, not a {Name(format)} like {path}");
            if (format is MarketDataFormat.OhlcvCsv or MarketDataFormat.TradesCsv)
                throw new ArgumentException("several files are read as one stream only for Binance captures and Bybit recordings");
        }
        var stats = new ReplayStats();
        switch (format)
        {
            case MarketDataFormat.BinanceCapture:
                foreach (var _ in BinanceCaptureReader.Read(paths, stats)) { }
                break;
            case MarketDataFormat.BybitRecording:
                foreach (var _ in BybitRecordingReader.Read(paths, stats)) { }
                break;
            case MarketDataFormat.OhlcvCsv:
                CountCsv(OhlcvCsvReader.ReadAll(path, symbol ?? new Symbol("UNNAMED")), stats);
                break;
            case MarketDataFormat.TradesCsv:
                CountCsv(TradesCsvReader.Read(path, symbol), stats);
                break;
        }
        var symbols = stats.Symbols.Where(s => symbol is null || format is MarketDataFormat.OhlcvCsv || s.Symbol == symbol).Select(s => new SymbolInspection(
            s.Symbol.Value, s.First, s.Last, s.Messages, s.Trades, s.BookUpdates, s.Snapshots, s.Candles, s.Gaps, s.Resyncs, s.Stale, s.Unsynced,
            s.DuplicateTrades, s.Late, s.TickerChecks, s.TickerMismatches,
            s.Book?.BestBid?.Price, s.Book?.BestAsk?.Price, s.Book?.BidLevels, s.Book?.AskLevels)).ToList();
        if (symbol is { } wanted && symbols.Count == 0)
            throw new MarketDataFormatException(path, 0, $"no events of {wanted} in the file (it has {string.Join(", ", stats.Symbols.Select(s => s.Symbol))})");
        return new DataInspection(string.Join(" + ", paths), Name(format), stats.Lines, stats.Ignored, stats.Reconnects, symbols);
    }

    /// <summary>CSV files: bars missing from the bar grid, or jumps in trade ids, count as gaps.</summary>
    private static void CountCsv(IEnumerable<IMarketEvent> events, ReplayStats stats)
    {
        var lastTradeId = new Dictionary<Symbol, long>();
        var lastBar = new Dictionary<Symbol, Candle>();
        SymbolReplayStats? s = null;
        foreach (var e in events)
        {
            // Files hold one symbol or a few in runs: the stats are looked up only when the symbol changes.
            if (s is null || s.Symbol != e.Symbol) s = stats.For(e.Symbol);
            s.Messages++;
            s.Saw(e.Time);
            stats.Lines++;
            switch (e)
            {
                case Trade t:
                    s.Trades++;
                    if (lastTradeId.TryGetValue(t.Symbol, out var id) && t.TradeId != id + 1) s.Gaps++;
                    lastTradeId[t.Symbol] = t.TradeId;
                    break;
                case Candle c:
                    s.Candles++;
                    if (lastBar.TryGetValue(c.Symbol, out var prev) && c.Time != prev.CloseTime) s.Gaps++;
                    lastBar[c.Symbol] = c;
                    s.Last = c.CloseTime;
                    break;
            }
        }
        stats.Lines++; // the header
    }

    public static string Name(MarketDataFormat f) => f switch
    {
        MarketDataFormat.OhlcvCsv => "OHLCV CSV",
        MarketDataFormat.TradesCsv => "trades CSV",
        MarketDataFormat.BinanceCapture => "Binance capture",
        MarketDataFormat.BybitRecording => "Bybit recording",
        _ => f.ToString(),
    };

    public static string Text(DataInspection r)
    {
        var sb = new StringBuilder();
        var ic = CultureInfo.InvariantCulture;
        sb.Append(ic, $"{r.File}: {r.Format}, {r.Lines} lines");
        if (r.Ignored > 0) sb.Append(ic, $", {r.Ignored} messages of other streams ignored");
        if (r.Reconnects > 0) sb.Append(ic, $", {r.Reconnects} reconnects of the recorder");
        sb.Append('\n');
        foreach (var s in r.Symbols)
        {
            var span = s.First is { } f && s.Last is { } l ? $"{f:yyyy-MM-dd HH:mm:ss.fff} → {l:yyyy-MM-dd HH:mm:ss.fff} UTC ({Span(l - f)})" : "no events";
            sb.Append(ic, $"{s.Symbol}: {span}\n");
            sb.Append(ic, $"  messages {s.Messages}, trades {s.Trades}");
            if (s.Candles > 0) sb.Append(ic, $", candles {s.Candles}");
            if (s.BookUpdates > 0 || s.Snapshots > 0) sb.Append(ic, $", book updates {s.BookUpdates} ({s.Snapshots} snapshots)");
            sb.Append('\n');
            sb.Append(ic, $"  sequence gaps {s.Gaps}, resyncs {s.Resyncs}");
            if (s.Stale > 0) sb.Append(ic, $", stale {s.Stale}");
            if (s.Unsynced > 0) sb.Append(ic, $", dropped waiting for a snapshot {s.Unsynced}");
            if (s.DuplicateTrades > 0) sb.Append(ic, $", duplicate trades {s.DuplicateTrades}");
            if (s.Late > 0) sb.Append(ic, $", late {s.Late}");
            sb.Append('\n');
            if (s.TickerChecks > 0) sb.Append(ic, $"  best bid/ask checks {s.TickerChecks}, mismatches {s.TickerMismatches}\n");
            if (s.BidLevels is not null)
                sb.Append(ic, $"  final book: best bid {s.BestBid?.ToString(ic) ?? "-"}, best ask {s.BestAsk?.ToString(ic) ?? "-"}, {s.BidLevels} bid levels, {s.AskLevels} ask levels\n");
        }
        return sb.ToString();
    }

    private static string Span(TimeSpan t) =>
        t.TotalDays >= 1 ? $"{t.TotalDays:0.##} d" : t.TotalHours >= 1 ? $"{t.TotalHours:0.##} h" : t.TotalMinutes >= 1 ? $"{t.TotalMinutes:0.##} min" : $"{t.TotalSeconds:0.###} s";

    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };
}

/// <summary><c>hean data inspect</c> and <c>hean data download</c>.</summary>
public static class DataCommands
{
    public static Command Create()
    {
        var data = new Command("data", "recorded market data: inspect a file, download klines");
        data.Subcommands.Add(Inspect());
        data.Subcommands.Add(Download());
        return data;
    }

    private static Command Inspect()
    {
        var file = new Argument<string[]>("FILE") { Description = "OHLCV or trades CSV, Binance capture or Bybit recording (plain or gzip); several capture files are read as one stream", Arity = ArgumentArity.OneOrMore };
        var json = new Option<bool>("--json") { Description = "machine-readable output" };
        var symbol = new Option<string?>("--symbol") { Description = "only this symbol (the name of an OHLCV file's bars)" };
        var cmd = new Command("inspect", "detect a file's format and print per symbol its time span, counts, sequence gaps and resyncs, and the final book") { file, json, symbol };
        cmd.SetAction(async (r, ct) => await Program.Guard(() =>
        {
            var paths = r.GetValue(file)!;
            foreach (var path in paths) MarketDataFiles.RequireFile(path);
            Symbol? sym = r.GetValue(symbol) is { } s ? new Symbol(s) : null;
            var report = DataInspector.Inspect(paths, sym);
            StartupPhases.Mark("file read");
            Console.Write(r.GetValue(json) ? JsonSerializer.Serialize(report, DataInspector.Json) + "\n" : DataInspector.Text(report));
            StartupPhases.Mark("output");
            return Task.FromResult(Program.Ok);
        }));
        return cmd;
    }

    private static Command Download()
    {
        var symbol = new Option<string>("--symbol") { Description = "e.g. BTCUSDT", Required = true };
        var interval = new Option<string>("--interval") { Description = "1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 12h, 1d, 1w (or Bybit's 1, 60, D, …)", DefaultValueFactory = _ => "1m" };
        var from = new Option<string>("--from") { Description = "first bar's open time, UTC (2024-01-01 or ISO-8601)", Required = true };
        var to = new Option<string>("--to") { Description = "end of the range, UTC, exclusive", Required = true };
        var output = new Option<string>("--out") { Description = "CSV to write (open_time_ms, open_time_utc, open, high, low, close, volume, turnover)", Required = true };
        var category = new Option<string>("--category") { Description = "linear, inverse or spot", DefaultValueFactory = _ => "linear" };
        var baseUrl = new Option<string?>("--base-url") { Description = "REST base URL; default BYBIT_REST_URL, else Bybit (testnet with BYBIT_TESTNET=true)" };
        var cmd = new Command("download", "download klines over REST (/v5/market/kline) into the OHLCV CSV that backtest and training read")
            { symbol, interval, from, to, output, category, baseUrl };
        cmd.SetAction(async (r, ct) => await Program.Guard(async () =>
        {
            var sym = new Symbol(r.GetValue(symbol)!);
            var bybitInterval = BybitIntervalName(r.GetValue(interval)!);
            var start = ParseTime(r.GetValue(from)!, "--from");
            var end = ParseTime(r.GetValue(to)!, "--to");
            if (end <= start) throw new ArgumentException($"--to ({end:O}) must be after --from ({start:O})");
            var cat = r.GetValue(category)!;
            if (cat is not ("linear" or "inverse" or "spot")) throw new ArgumentException($"--category must be linear, inverse or spot, got '{cat}'");
            var url = RestUrl(r.GetValue(baseUrl));
            var path = r.GetValue(output)!;
            var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
            if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"--out: no such directory {dir}");

            using var client = new BybitRestClient(new BybitRestOptions { BaseUrl = url, Category = cat });
            var downloader = new BybitKlineDownloader(client);
            IReadOnlyList<Bybit.Rest.Models.BybitKline> bars;
            try
            {
                var expected = Math.Max(1, (end - start) / Bybit.Rest.Models.BybitInterval.Parse(bybitInterval));
                bars = await CommandProgress.RunAsync("download", report => downloader.DownloadAsync(sym.Value, bybitInterval, start, end, ct,
                    n => report(new ProgressUpdate(string.Create(CultureInfo.InvariantCulture, $"{n:N0} of about {expected:N0} bars, {downloader.Pages} pages"),
                        n / expected))));
            }
            catch (BybitDownloadException e)
            {
                await Console.Error.WriteLineAsync("failed: " + e.Message);
                return Program.Failed;
            }
            var temp = path + ".part";
            await using (var w = new StreamWriter(temp, false, new UTF8Encoding(false)))
                BybitKlineDownloader.WriteCsv(bars, w);
            File.Move(temp, path, overwrite: true);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{bars.Count} {r.GetValue(interval)} bars of {sym} ({cat}) {start:yyyy-MM-dd HH:mm} → {end:yyyy-MM-dd HH:mm} UTC in {downloader.Pages} pages from {url}, written to {path}"));
            if (bars.Count == 0) await Console.Error.WriteLineAsync("warning: the venue returned no bars for this range");
            return Program.Ok;
        }));
        return cmd;
    }

    private static Uri RestUrl(string? option)
    {
        var c = HeanSettings.LoadConfiguration();
        var testnet = bool.TryParse(c["BYBIT_TESTNET"], out var t) && t;
        var raw = option ?? (string.IsNullOrWhiteSpace(c["BYBIT_REST_URL"]) ? testnet ? "https://api-testnet.bybit.com" : "https://api.bybit.com" : c["BYBIT_REST_URL"]!.Trim());
        return Uri.TryCreate(raw, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : throw new ArgumentException($"REST URL '{raw}' is not an http(s) URL");
    }

    /// <summary>1m → 1, 1h → 60, 1d → D, 1w → W; Bybit's own names pass through.</summary>
    public static string BybitIntervalName(string text)
    {
        var t = text.Trim();
        var name = t switch
        {
            "1d" or "D" => "D",
            "1w" or "W" => "W",
            _ when t.EndsWith('m') && int.TryParse(t[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var m) => m.ToString(CultureInfo.InvariantCulture),
            _ when t.EndsWith('h') && int.TryParse(t[..^1], NumberStyles.None, CultureInfo.InvariantCulture, out var h) => (h * 60).ToString(CultureInfo.InvariantCulture),
            _ => t,
        };
        return Bybit.Rest.Models.BybitInterval.TryParse(name, out _)
            ? name
            : throw new ArgumentException($"--interval '{text}' is not one Bybit has (1m, 3m, 5m, 15m, 30m, 1h, 2h, 4h, 6h, 12h, 1d, 1w)");
    }

    private static DateTime ParseTime(string text, string option) =>
        DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : throw new ArgumentException($"{option} '{text}' is not a date or time (e.g. 2024-01-01 or 2024-01-01T12:00:00Z)");
}
