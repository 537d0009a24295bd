using Xunit;

namespace Hean.Host.Tests;

/// <summary>Bad input ends with a clear message, exit code 2, and nothing persisted.</summary>
public sealed class CommandLineTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hean-cli-").FullName;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private Dictionary<string, string> Env(params (string Key, string Value)[] extra)
    {
        var env = new Dictionary<string, string> { ["HEAN_DATA_DIR"] = Path.Combine(_dir, ".hean") };
        foreach (var (k, v) in extra) env[k] = v;
        return env;
    }

    private bool JournalExists => File.Exists(Path.Combine(_dir, ".hean", "journal.db"));

    [Fact]
    public async Task Negative_limit_is_refused_naming_the_setting_and_nothing_is_persisted()
    {
        var (code, _, err) = await HeanProcess.RunAsync(_dir, Env(("MAX_POSITION_SIZE", "-5"), ("MAX_LEVERAGE", "abc"), ("KELLY_SMALL_SAMPLE", "maybe")), Timeout,
            "run", "--duration", "5s", "--http-port", "0");
        Assert.Equal(2, code);
        Assert.Contains("MAX_POSITION_SIZE=-5", err);
        Assert.Contains("MAX_LEVERAGE=abc", err);
        Assert.Contains("KELLY_SMALL_SAMPLE=maybe: must be bootstrap or zero", err);
        Assert.False(JournalExists);
    }

    [Fact]
    public async Task A_backtest_stopped_by_a_signal_says_it_was_cancelled_and_fails_at_once()
    {
        // 4,000 hours of synthetic market: minutes of work, stopped after a few seconds (the kernel runs on the command's
        // own thread, so its stop is the backtest's, not the command line library's). SIGTERM, as a service manager or
        // `timeout` stops it: a SIGINT is ignored by a process started from a background shell job (as the test script
        // may be), so it would test the caller's shell; Ctrl+C takes the same handler.
        const string signal = "TERM";
        await using var process = HeanProcess.Start(_dir, Env(), "backtest", "--seed", "42", "--duration", "4000h");
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(process.HasExited, process.StdErr);
        using (var kill = System.Diagnostics.Process.Start("kill", [$"-{signal}", process.Pid.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await kill!.WaitForExitAsync();
        var stopped = System.Diagnostics.Stopwatch.StartNew();
        await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.True(stopped.Elapsed < TimeSpan.FromSeconds(10), $"took {stopped.Elapsed} to stop");
        Assert.Equal(1, process.ExitCode); // not 128 + the signal: the run ended itself
        Assert.Contains("cancelled", process.StdErr);
        Assert.DoesNotContain("fingerprint", process.StdOut);
    }

    [Fact]
    public async Task Unknown_symbol_is_refused_with_the_known_ones()
    {
        var (code, _, err) = await HeanProcess.RunAsync(_dir, Env(), Timeout, "backtest", "--symbol", "DOGEUSDT", "--duration", "10m");
        Assert.Equal(2, code);
        Assert.Contains("unknown symbol 'DOGEUSDT'", err);
        Assert.Contains("BTCUSDT", err);

        var (code2, _, err2) = await HeanProcess.RunAsync(_dir, Env(("HEAN_SYMBOLS", "BTCUSDT,NOPEUSDT")), Timeout, "run", "--duration", "5s", "--http-port", "0");
        Assert.Equal(2, code2);
        Assert.Contains("HEAN_SYMBOLS", err2);
        Assert.False(JournalExists);
    }

    [Fact]
    public async Task Malformed_data_file_is_refused_with_file_and_line()
    {
        var file = Path.Combine(_dir, "bad.csv");
        await File.WriteAllTextAsync(file,
            "timestamp,open,high,low,close,volume\n" +
            "2024-01-01T00:00:00Z,100,101,99,100.5,10\n" +
            "2024-01-01T00:01:00Z,100.5,abc,99,100,12\n");
        var (code, _, err) = await HeanProcess.RunAsync(_dir, Env(), Timeout, "backtest", "--data", file, "--symbol", "BTCUSDT");
        Assert.Equal(2, code);
        Assert.Contains("bad.csv", err);
        Assert.Contains("line 3", err);
    }

    [Fact]
    public async Task Missing_data_file_and_bad_duration_are_clear_errors()
    {
        var (code, _, err) = await HeanProcess.RunAsync(_dir, Env(), Timeout, "backtest", "--data", Path.Combine(_dir, "nope.csv"), "--symbol", "BTCUSDT");
        Assert.Equal(2, code);
        Assert.Contains("not found", err);

        var (code2, _, err2) = await HeanProcess.RunAsync(_dir, Env(), Timeout, "backtest", "--duration", "soon");
        Assert.Equal(2, code2);
        Assert.Contains("'soon' is not a duration", err2);

        // A folder where a file was meant, and a bar file of one row: each says what is wrong and what would do.
        var (code3, _, err3) = await HeanProcess.RunAsync(_dir, Env(), Timeout, "backtest", "--data", _dir, "--symbol", "BTCUSDT");
        Assert.Equal(2, code3);
        Assert.Contains("is a folder: name a data file in it", err3);
        var oneBar = Path.Combine(_dir, "one-bar.csv");
        await File.WriteAllTextAsync(oneBar, "time,open,high,low,close\n2024-01-01T00:00:00Z,100,101,99,100.5\n");
        var (code4, _, err4) = await HeanProcess.RunAsync(_dir, Env(), Timeout, "backtest", "--data", oneBar, "--symbol", "BTCUSDT");
        Assert.Equal(2, code4);
        Assert.Contains("the file needs at least two bars", err4);
        var (code5, _, err5) = await HeanProcess.RunAsync(_dir, Env(), Timeout, "data", "inspect", _dir);
        Assert.Equal(2, code5);
        Assert.Contains("is a folder", err5);
    }

    [Fact]
    public async Task Misspelled_option_or_command_is_bad_input_with_exit_code_2()
    {
        var (code, _, err) = await HeanProcess.RunAsync(_dir, Env(), Timeout, "backtest", "--duraton", "10m");
        Assert.Equal(2, code);
        Assert.Contains("--duraton", err);

        var (code2, _, err2) = await HeanProcess.RunAsync(_dir, Env(), Timeout, "bactest");
        Assert.Equal(2, code2);
        Assert.Contains("bactest", err2);

        var (code3, _, err3) = await HeanProcess.RunAsync(_dir, Env(), Timeout, "run", "--testnet", "--duration", "5s", "--http-port", "0");
        Assert.Equal(2, code3);
        Assert.Contains("--testnet needs --exchange bybit", err3);

        var (code4, _, err4) = await HeanProcess.RunAsync(_dir, Env(), Timeout, "run", "--exchange", "binance", "--duration", "5s", "--http-port", "0");
        Assert.Equal(2, code4);
        Assert.Contains("EXCHANGE=binance", err4);
        Assert.False(JournalExists);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    [Fact]
    public async Task Run_takes_its_symbols_and_starting_capital_from_the_command_line_with_the_settings_checks()
    {
        var dir = _dir;
        var env = new Dictionary<string, string> { ["HEAN_DATA_DIR"] = Path.Combine(dir, ".hean") };
        var (code, stdout, err) = await HeanProcess.RunAsync(dir, env, TimeSpan.FromSeconds(90),
            "run", "--duration", "6s", "--speed", "20", "--http-port", "0", "--symbols", "ETHUSDT", "--capital", "5000");
        Assert.True(code == 0, err);
        Assert.Contains("(start 5000.00)", stdout);
        Assert.DoesNotContain("BTCUSDT", stdout);
        (code, _, err) = await HeanProcess.RunAsync(dir, env, TimeSpan.FromSeconds(60), "run", "--duration", "5s", "--symbols", "NOPE", "--capital", "-1");
        Assert.Equal(2, code);
        Assert.Contains("HEAN_SYMBOLS=NOPE: unknown symbol NOPE", err);
        Assert.Contains("INITIAL_CAPITAL=-1: must be positive", err);
    }

    [Fact]
    public async Task Help_marks_the_options_a_command_cannot_do_without_and_a_missing_one_points_to_that_help()
    {
        foreach (var (command, required, optional) in new (string[], string[], string[])[]
                 {
                     (["train"], ["--data", "--model"], ["--model-dir"]),
                     (["model", "list"], [], ["--model-dir"]),
                     (["run"], [], ["--model-dir", "--data-dir"]),
                     (["features"], ["--data", "--indicators"], ["--out"]),
                     (["model", "bench"], ["--data"], ["--rounds"]),
                     (["order", "submit"], ["--symbol", "--side", "--qty"], ["--price"]),
                     (["backtest"], [], ["--data", "--symbol", "--model-dir"]), // without --data: the synthetic market
                 })
        {
            var (code, help, err) = await HeanProcess.RunAsync(_dir, Env(), Timeout, [.. command, "--help"]);
            Assert.True(code == 0, err);
            foreach (var option in required) Assert.Matches($@"\n\s+{option}(, --[a-z-]+)* <[a-z-]+> \(REQUIRED\)", help);
            foreach (var option in optional) Assert.Matches($@"\n\s+{option} <[a-z-]+>(?! \(REQUIRED\))", help);
            // One name for the model folder: the former ones (train --out, model --dir) are taken but not shown.
            Assert.DoesNotMatch(@"\n\s+--dir ", help);
            if (command[0] == "train") Assert.DoesNotContain("--out", help);
        }

        var (missing, _, missingErr) = await HeanProcess.RunAsync(_dir, Env(), Timeout, "train", "--data", "bars.csv");
        Assert.Equal(2, missing);
        Assert.Contains("error: Option '--model' is required", missingErr);
        Assert.Contains("see: hean train --help", missingErr);
    }

    [Fact]
    public async Task Every_command_finds_the_data_folder_where_run_does_even_from_appsettings_json()
    {
        await File.WriteAllTextAsync(Path.Combine(_dir, "appsettings.json"), """{ "HEAN_DATA_DIR": "state" }""");
        var noDataDir = new Dictionary<string, string>();
        var (code, stdout, err) = await HeanProcess.RunAsync(_dir, noDataDir, Timeout, "token", "rotate");
        Assert.True(code == 0, err);
        Assert.True(File.Exists(Path.Combine(_dir, "state", "api-token")));
        (code, stdout, err) = await HeanProcess.RunAsync(_dir, noDataDir, Timeout, "model", "list");
        Assert.True(code == 0, err);
        Assert.Contains(Path.Combine(_dir, "state", "models"), stdout);
    }

    [Fact]
    public async Task A_backtest_too_short_to_warm_up_says_why_nothing_traded()
    {
        var dir = _dir;
        await File.WriteAllTextAsync(Path.Combine(dir, "short.csv"), "open_time_ms,open,high,low,close,volume\n" +
            string.Concat(Enumerable.Range(0, 20).Select(i => $"{1_700_000_000_000L + i * 60_000L},100,101,99,100.5,1\n")));
        var (code, stdout, err) = await HeanProcess.RunAsync(dir, new Dictionary<string, string> { ["HEAN_DATA_DIR"] = Path.Combine(dir, ".hean") },
            TimeSpan.FromSeconds(60), "backtest", "--data", "short.csv", "--symbol", "BTCUSDT");
        Assert.Equal(0, code);
        Assert.Contains("0 fills", stdout);
        Assert.Contains("(of no fills)", stdout);
        Assert.Contains("warning: nothing traded: no signal: the strategy needs at least 27 closed 1m candles before its first one, and this data spans about 19 (19m)", err);
    }

    [Fact]
    public async Task Absurd_values_in_files_and_arguments_are_refused_with_exit_2_naming_the_problem_never_a_stack_trace()
    {
        var dir = _dir;
        // A time of 26 digits, prices that overflow a notional, gzip magic with garbage behind it.
        await File.WriteAllTextAsync(Path.Combine(dir, "big.csv"), "open_time_ms,open,high,low,close,volume\n99999999999999999999999999,1,2,0.5,1.5,10\n");
        await File.WriteAllTextAsync(Path.Combine(dir, "mixed.csv"),
            "open_time_ms,open,high,low,close,volume\n1700000000000,1,2,0.0000000000000000000000000001,1.5,10\n1700000060000,1,79000000000000000000000000000,1,1.5,10\n");
        await File.WriteAllBytesAsync(Path.Combine(dir, "bad.csv.gz"), [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3, .. "garbagegarbage"u8.ToArray()]);
        // What a killed recorder leaves: gzip flushed but never closed (no final block, no trailer): once read as complete.
        var cut = new MemoryStream();
        var gz = new System.IO.Compression.GZipStream(cut, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true);
        gz.Write(System.Text.Encoding.UTF8.GetBytes("open_time_ms,open,high,low,close,volume\n" +
            string.Concat(Enumerable.Range(0, 500).Select(i => $"{1_700_000_000_000L + i * 60_000L},100,101,99,100.5,1\n"))));
        gz.Flush();
        await File.WriteAllBytesAsync(Path.Combine(dir, "cut.csv.gz"), cut.ToArray());
        // One line of 5 M characters (a 200 MB one took 2 GB and was echoed whole to stderr), with a terminal escape.
        await File.WriteAllTextAsync(Path.Combine(dir, "endless.csv"), "\u001b[2J" + new string('x', 5_000_000));
        foreach (var (args, expected) in new (string[], string)[]
                 {
                     (["data", "inspect", "big.csv"], "outside the market times"),
                     (["backtest", "--data", "big.csv", "--symbol", "BTCUSDT"], "outside the market times"),
                     (["backtest", "--data", "mixed.csv", "--symbol", "BTCUSDT"], "not a positive price"),
                     (["risk", "report", "--data", "mixed.csv:BTCUSDT"], "not a positive price"),
                     (["risk", "report", "--data", "bad.csv.gz:BTCUSDT"], "the gzip data is damaged"),
                     (["features", "--data", "bad.csv.gz", "--indicators", "sma:20"], "the gzip data is damaged"),
                     (["train", "--model", "fasttree-trend", "--data", "bad.csv.gz", "--symbol", "BTCUSDT", "--out", "m"], "the gzip data is damaged"),
                     (["features", "--data", "big.csv", "--indicators", "sma:20"], "outside the market times"),
                     (["train", "--model", "fasttree-trend", "--data", "big.csv", "--symbol", "BTCUSDT", "--out", "m"], "outside the market times"),
                     (["backtest", "--data", "cut.csv.gz", "--symbol", "BTCUSDT"], "the gzip file is cut short"),
                     (["data", "inspect", "cut.csv.gz"], "the gzip file is cut short"),
                     (["features", "--data", "cut.csv.gz", "--indicators", "sma:20"], "the gzip file is cut short"),
                     (["data", "inspect", "endless.csv"], "a line longer than 4,194,304 characters"),
                     (["backtest", "--duration", "1e20d"], "longer than 3650 days"),
                     (["backtest", "--checkpoint", "1e20d"], "longer than 3650 days"),
                     (["run", "--duration", "1e20d"], "longer than 3650 days"),
                     (["order", "submit", "--symbol", "BTCUSDT", "--side", "buy", "--qty", "1", "--algo", "twap", "--horizon", "1e20d"], "longer than 3650 days"),
                     (["order", "submit", "--symbol", "BTCUSDT", "--side", "buy", "--qty", "79228162514264337593543950335"], "largest quantity"),
                 })
        {
            var (code, _, err) = await HeanProcess.RunAsync(dir, new Dictionary<string, string> { ["HEAN_DATA_DIR"] = Path.Combine(dir, ".hean") },
                TimeSpan.FromSeconds(60), args);
            Assert.True(code == 2, $"hean {string.Join(' ', args)} exited {code}: {err}");
            Assert.Contains(expected, err);
            Assert.StartsWith("error:", err.TrimStart());
            Assert.DoesNotContain("   at ", err);
            Assert.DoesNotContain('\u001b', err);
            Assert.True(err.Length < 2000, $"hean {string.Join(' ', args)} wrote {err.Length} characters to stderr");
        }
    }
}
