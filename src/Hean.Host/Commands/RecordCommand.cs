using System.CommandLine;
using System.Globalization;
using Hean.Bybit.Recording;
using Hean.Bybit.WebSocket;
using Hean.Core.Domain;
using Symbol = Hean.Core.Domain.Symbol;
using Hean.Host.Configuration;

namespace Hean.Host.Commands;

/// <summary>
/// <c>hean record</c>: live Bybit public streams (orderbook, publicTrade) to a gzip JSON-lines file that
/// <c>hean data inspect</c> and <c>hean backtest --data</c> replay. Ends after --duration or on Ctrl-C, closing the
/// gzip stream so the file is complete.
/// </summary>
public static class RecordCommand
{
    public static readonly int[] Depths = [1, 50, 200, 500];

    public static Command Create()
    {
        var symbols = new Option<string>("--symbols") { Description = "comma-separated, e.g. BTCUSDT,ETHUSDT", Required = true };
        var depth = new Option<int>("--depth") { Description = "order-book depth: 1, 50, 200 or 500", DefaultValueFactory = _ => 50 };
        var output = new Option<string>("--out") { Description = "file to write (gzip JSON lines, e.g. btc.jsonl.gz)", Required = true };
        var duration = new Option<string?>("--duration") { Description = "stop after this long (e.g. 30s, 1h); default: until Ctrl-C" };
        var url = new Option<string?>("--url") { Description = "public WebSocket URL; default BYBIT_WS_PUBLIC_URL, else Bybit linear (testnet with BYBIT_TESTNET=true)" };
        var cmd = new Command("record", "record live Bybit order books and trades to a file for replay") { symbols, depth, output, duration, url };
        cmd.SetAction(async (r, ct) => await Program.Guard(async () =>
        {
            var list = (r.GetValue(symbols) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(s => new Symbol(s)).Distinct().ToList();
            if (list.Count == 0) throw new ArgumentException("--symbols needs at least one symbol");
            var d = r.GetValue(depth);
            if (!Depths.Contains(d)) throw new ArgumentException($"--depth must be one of {string.Join(", ", Depths)}, got {d}");
            TimeSpan? limit = r.GetValue(duration) is { } text ? Durations.Parse(text) : null;
            if (limit is { } l && l <= TimeSpan.Zero) throw new ArgumentException("--duration must be positive");
            var path = r.GetValue(output)!;
            var dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
            if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"--out: no such directory {dir}");
            var wsUrl = PublicUrl(r.GetValue(url));
            var topics = list.SelectMany(s => new[] { BybitTopics.OrderBook(d, s.Value), BybitTopics.Trades(s.Value) }).ToList();
            return await RunAsync(new BybitStreamOptions(wsUrl), topics, path, limit, ct);
        }));
        return cmd;
    }

    public static async Task<int> RunAsync(BybitStreamOptions options, IReadOnlyList<string> topics, string path, TimeSpan? duration, CancellationToken ct)
    {
        var recorder = new BybitRecorder(options, topics, path);
        Console.WriteLine($"recording {string.Join(", ", topics)} from {options.Url} to {path}{(duration is { } d ? $" for {d}" : " until Ctrl-C")}");
        var started = System.Diagnostics.Stopwatch.StartNew();
        recorder.Start();
        try
        {
            await CommandProgress.RunAsync("record", async report =>
            {
                // Until the duration is over (or Ctrl-C), what has been written so far, once a second.
                while (duration is not { } limit || started.Elapsed < limit)
                {
                    var left = duration is { } d ? d - started.Elapsed : TimeSpan.MaxValue;
                    await Task.Delay(left < TimeSpan.FromSeconds(1) ? (left > TimeSpan.Zero ? left : TimeSpan.Zero) : TimeSpan.FromSeconds(1), ct);
                    report(new ProgressUpdate(string.Create(CultureInfo.InvariantCulture,
                        $"{recorder.Stats.Written:N0} messages in {started.Elapsed.TotalSeconds:0} s over {recorder.Connections} connections"),
                        duration is { } total ? started.Elapsed / total : null));
                }
                return true;
            });
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C: stop and close the file below.
        }
        finally
        {
            await recorder.StopAsync();
        }
        var s = recorder.Stats;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"recorded {s.Written} messages in {started.Elapsed.TotalSeconds:0.0} s over {recorder.Connections} connections; " +
            $"book gaps {s.Gaps} (resubscribed {s.Resyncs}), refused {s.Malformed}; file {path} ({new FileInfo(path).Length} bytes) is complete"));
        if (recorder.Connections == 0)
        {
            await Console.Error.WriteLineAsync($"failed: never connected to {options.Url}: {recorder.Stream.LastError}");
            return Program.Failed;
        }
        return Program.Ok;
    }

    private static Uri PublicUrl(string? option)
    {
        var c = HeanSettings.LoadConfiguration();
        var testnet = bool.TryParse(c["BYBIT_TESTNET"], out var t) && t;
        var raw = option ?? (string.IsNullOrWhiteSpace(c["BYBIT_WS_PUBLIC_URL"])
            ? testnet ? "wss://stream-testnet.bybit.com/v5/public/linear" : "wss://stream.bybit.com/v5/public/linear"
            : c["BYBIT_WS_PUBLIC_URL"]!.Trim());
        return Uri.TryCreate(raw, UriKind.Absolute, out var uri) && uri.Scheme is "ws" or "wss"
            ? uri
            : throw new ArgumentException($"WebSocket URL '{raw}' is not a ws(s) URL");
    }
}
