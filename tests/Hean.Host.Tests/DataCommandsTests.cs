using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Hean.Core.Domain;
using Hean.Core.MarketData.Replay;
using Hean.FakeBybit;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Host.Tests;

/// <summary>`hean data inspect`, `hean data download`, `hean record` and `hean backtest --data` on the new formats, through the real executable.</summary>
public sealed class DataCommandsTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);
    private readonly string _dir = Directory.CreateTempSubdirectory("hean-data-").FullName;
    private FakeBybitServer? _fake;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_fake is not null) await _fake.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { /* temp */ }
    }

    private async Task<(int Code, string Out, string Err)> Hean(params string[] args)
    {
        var result = await HeanProcess.RunAsync(_dir, new Dictionary<string, string> { ["HEAN_DATA_DIR"] = Path.Combine(_dir, ".hean") }, Timeout, args);
        output.WriteLine($"hean {string.Join(' ', args)} → {result.Code}\n{result.Out}{result.Err}");
        return result;
    }

    private string WriteGzip(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        using var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        gz.Write(Encoding.UTF8.GetBytes(text));
        return path;
    }

    /// <summary>A futures capture: snapshot, 300 diffs over 5 minutes (one of them lost), a trade every second.</summary>
    private string WriteCapture(bool withGap)
    {
        var sb = new StringBuilder();
        var local = 1_723_161_255_000_000_000L;
        var t0 = 1_723_161_256_000L;
        void Line(string json) => sb.Append(local += 1_000_000).Append(' ').Append(json).Append('\n');
        Line("""{"lastUpdateId":1000,"E":1723161256000,"T":1723161256000,"bids":[["100.0","1"],["99.9","2"]],"asks":[["100.1","1"],["100.2","2"]]}""");
        long u = 1000;
        for (var i = 0; i < 300; i++)
        {
            var e = t0 + i * 1000;
            var first = u + 1;
            var last = u + 3;
            var price = (99.0m + i % 7 / 10m).ToString("0.0", CultureInfo.InvariantCulture);
            if (!(withGap && i == 150))
                Line($$"""{"stream":"btcusdt@depth@0ms","data":{"e":"depthUpdate","E":{{e}},"T":{{e}},"s":"BTCUSDT","U":{{first}},"u":{{last}},"pu":{{u}},"b":[["{{price}}","{{i % 5}}"]],"a":[]""" + "}}");
            u = last;
            var p = (100.0m + i % 3 / 10m).ToString("0.0", CultureInfo.InvariantCulture);
            Line($$"""{"stream":"btcusdt@trade","data":{"e":"trade","E":{{e + 1}},"T":{{e}},"s":"BTCUSDT","t":{{5000 + i}},"p":"{{p}}","q":"0.010","X":"MARKET","m":{{(i % 2 == 0 ? "true" : "false")}}""" + "}}");
        }
        return WriteGzip(withGap ? "gap_ws.gz" : "capture_ws.gz", sb.ToString());
    }

    [Fact]
    public async Task Inspect_prints_span_counts_gaps_and_the_final_book_and_json_for_machines()
    {
        var capture = WriteCapture(withGap: true);
        var (code, stdout, err) = await Hean("data", "inspect", capture);
        Assert.True(code == 0, err);
        Assert.Contains("Binance capture", stdout);
        Assert.Contains("BTCUSDT: 2024-08-08 23:54:16.000 → 2024-08-08 23:59:15.000 UTC", stdout);
        Assert.Contains("trades 300", stdout);
        Assert.Contains("sequence gaps 1, resyncs 0", stdout);
        Assert.Contains("final book:", stdout);

        (code, stdout, err) = await Hean("data", "inspect", "--json", WriteCapture(withGap: false));
        Assert.True(code == 0, err);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("Binance capture", root.GetProperty("format").GetString());
        var s = Assert.Single(root.GetProperty("symbols").EnumerateArray());
        Assert.Equal("BTCUSDT", s.GetProperty("symbol").GetString());
        Assert.Equal(300, s.GetProperty("trades").GetInt64());
        Assert.Equal(301, s.GetProperty("bookUpdates").GetInt64());
        Assert.Equal(0, s.GetProperty("gaps").GetInt64());
        Assert.Equal(100.1m, s.GetProperty("bestAsk").GetDecimal());
        Assert.True(s.GetProperty("bestBid").GetDecimal() < 100.1m);
        Assert.True(s.GetProperty("bidLevels").GetInt32() >= 2);
    }

    [Fact]
    public async Task Bad_files_and_arguments_end_with_a_clear_error_and_exit_code_2()
    {
        var bad = WriteGzip("bad_ws.gz", "1723161255000000000 {\"lastUpdateId\":1,\"bids\":[],\"asks\":[]}\n1723161255000000001 {broken\n");
        var (code, _, err) = await Hean("data", "inspect", bad);
        Assert.Equal(2, code);
        Assert.Contains("error: ", err);
        Assert.Contains("line 2", err);

        (code, _, err) = await Hean("data", "inspect", Path.Combine(_dir, "missing.csv"));
        Assert.Equal(2, code);
        Assert.Contains("not found", err);

        (code, _, err) = await Hean("data", "download", "--symbol", "BTCUSDT", "--interval", "7m", "--from", "2024-01-01", "--to", "2024-01-02", "--out", Path.Combine(_dir, "x.csv"));
        Assert.Equal(2, code);
        Assert.Contains("--interval", err);

        (code, _, err) = await Hean("record", "--symbols", "BTCUSDT", "--depth", "3", "--out", Path.Combine(_dir, "x.jsonl.gz"));
        Assert.Equal(2, code);
        Assert.Contains("--depth", err);
    }

    [Fact]
    public async Task Backtest_accepts_a_binance_capture_as_data()
    {
        var (code, stdout, err) = await Hean("backtest", "--data", WriteCapture(withGap: false), "--out", Path.Combine(_dir, "report.json"));
        Assert.True(code == 0, err);
        Assert.Contains("backtest capture_ws.gz BTCUSDT: 601 events", stdout);
    }

    [Fact]
    public async Task Download_pages_through_klines_into_a_csv_the_ohlcv_reader_reads()
    {
        _fake = await FakeBybitServer.StartAsync();
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = -10; i < 2600; i++) // a little before the range, and past it
        {
            var open = 40_000m + i;
            _fake.Venue.PublishKline("BTCUSDT", "1", start.AddMinutes(i), open, open + 5, open - 5, open + 1, 2m + i % 3, confirm: true);
        }
        var csv = Path.Combine(_dir, "klines.csv");
        var (code, stdout, err) = await Hean("data", "download", "--symbol", "BTCUSDT", "--interval", "1m", "--from", "2024-01-01", "--to", "2024-01-02T12:00:00Z",
            "--out", csv, "--base-url", _fake.RestUrl.ToString());
        Assert.True(code == 0, err);
        Assert.Contains("2160 1m bars of BTCUSDT", stdout);
        Assert.Contains("3 pages", stdout);

        var bars = OhlcvCsvReader.ReadAll(csv, new Symbol("BTCUSDT"));
        Assert.Equal(2160, bars.Count);
        Assert.Equal(start, bars[0].Time);
        Assert.Equal(start.AddMinutes(2159), bars[^1].Time);
        Assert.All(bars.Zip(bars.Skip(1)), p => Assert.Equal(TimeSpan.FromMinutes(1), p.Item2.Time - p.Item1.Time));
        Assert.Equal(40_000m + 1000 + 1, bars[1000].Close);
        Assert.Equal(TimeSpan.FromMinutes(1), bars[0].Interval);
    }

    [Fact]
    public async Task Record_writes_live_books_and_trades_that_inspect_and_backtest_replay()
    {
        _fake = await FakeBybitServer.StartAsync();
        _fake.Venue.PublishBook("BTCUSDT", [(60_000.0m, 1m), (59_999.9m, 2m)], [(60_000.1m, 1m), (60_000.2m, 2m)]);
        _fake.Venue.PublishBook("ETHUSDT", [(3_000.00m, 1m)], [(3_000.01m, 1m)]);
        var file = Path.Combine(_dir, "live.jsonl.gz");
        using var stop = new CancellationTokenSource();
        var market = Task.Run(async () =>
        {
            var random = new Random(7);
            var i = 0;
            int? connectedAt = null;
            while (!stop.IsCancellationRequested)
            {
                // The recorder flushes its first line when it connects: drop that connection a little later.
                if (connectedAt is null && File.Exists(file) && new FileInfo(file).Length > 0) connectedAt = i;
                if (i == connectedAt + 30) _fake.Faults.DropWebSocketConnections(); // the recorder reconnects and resubscribes
                var bid = 59_990m + random.Next(0, 10) / 10m;
                _fake.Venue.PublishBookDelta("BTCUSDT", [(bid, random.Next(0, 4))], []);
                _fake.Venue.PublishTrade(i % 2 == 0 ? "BTCUSDT" : "ETHUSDT", i % 2 == 0 ? 60_000.1m : 3_000.01m, 0.01m, Side.Buy);
                i++;
                await Task.Delay(20);
            }
        });
        var (code, stdout, err) = await HeanProcess.RunAsync(_dir, new Dictionary<string, string> { ["BYBIT_WS_PUBLIC_URL"] = _fake.PublicWsUrl.ToString() },
            Timeout, "record", "--symbols", "BTCUSDT,ETHUSDT", "--depth", "50", "--out", file, "--duration", "4s");
        await stop.CancelAsync();
        await market;
        output.WriteLine(stdout + err);
        Assert.True(code == 0, err);
        Assert.Contains("is complete", stdout);

        (code, stdout, err) = await Hean("data", "inspect", "--json", file);
        Assert.True(code == 0, err);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("Bybit recording", root.GetProperty("format").GetString());
        Assert.True(root.GetProperty("reconnects").GetInt64() >= 1);
        var symbols = root.GetProperty("symbols").EnumerateArray().ToDictionary(s => s.GetProperty("symbol").GetString()!);
        Assert.Equal(["BTCUSDT", "ETHUSDT"], symbols.Keys.Order());
        var btc = symbols["BTCUSDT"];
        Assert.True(btc.GetProperty("trades").GetInt64() > 10);
        Assert.True(btc.GetProperty("snapshots").GetInt64() >= 2, "a snapshot per connection");
        Assert.True(btc.GetProperty("resyncs").GetInt64() >= 1);
        Assert.Equal(0, btc.GetProperty("gaps").GetInt64());
        Assert.Equal(60_000.1m, btc.GetProperty("bestAsk").GetDecimal());
        Assert.Equal(3_000.00m, symbols["ETHUSDT"].GetProperty("bestBid").GetDecimal());

        (code, stdout, err) = await Hean("backtest", "--data", file, "--symbol", "BTCUSDT");
        Assert.True(code == 0, err);
        Assert.Contains("backtest live.jsonl.gz BTCUSDT", stdout);
    }
    [Fact]
    public async Task An_interrupted_recording_leaves_a_complete_file()
    {
        _fake = await FakeBybitServer.StartAsync();
        _fake.Venue.PublishBook("BTCUSDT", [(60_000.0m, 1m)], [(60_000.1m, 1m)]);
        var file = Path.Combine(_dir, "interrupted.jsonl.gz");
        var psi = new System.Diagnostics.ProcessStartInfo("dotnet")
        {
            WorkingDirectory = _dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { HeanProcess.HeanDll, "record", "--symbols", "BTCUSDT", "--out", file, "--url", _fake.PublicWsUrl.ToString() })
            psi.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!(File.Exists(file) && new FileInfo(file).Length > 0)) // flushed when connected
        {
            Assert.True(DateTime.UtcNow < deadline, "the recorder never connected");
            await Task.Delay(50);
        }
        _fake.Venue.PublishTrade("BTCUSDT", 60_000.1m, 0.5m, Side.Buy);
        await Task.Delay(300); // let the trade arrive; the assertion below does not depend on it
        // SIGTERM (as a service manager stops it): a SIGINT is ignored by a process started from a background shell job,
        // so it would test the caller's shell rather than the recorder. Ctrl-C takes the same path in the command.
        using (var kill = System.Diagnostics.Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(cts.Token);
        output.WriteLine(await stdout + await stderr);
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("is complete", await stdout);

        var stats = new ReplayStats();
        var events = global::Hean.Bybit.Recording.BybitRecordingReader.Read([file], stats).ToList(); // a truncated gzip would throw
        Assert.Equal(1, stats.Of(new Symbol("BTCUSDT"))!.Snapshots);
        Assert.NotEmpty(events);
    }
}
