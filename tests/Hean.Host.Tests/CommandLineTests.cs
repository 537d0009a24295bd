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
}
