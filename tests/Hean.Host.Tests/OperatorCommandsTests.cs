using System.Globalization;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Hean.Host.Tests;

/// <summary>The operator commands against a real running node, and the offline risk report.</summary>
public sealed class OperatorCommandsTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hean-ops-").FullName;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private Dictionary<string, string> Env => new() { ["HEAN_DATA_DIR"] = Path.Combine(_dir, ".hean") };

    [Fact]
    public async Task Kill_switch_and_trading_state_through_the_command_line()
    {
        await using var node = HeanProcess.Start(_dir, Env, "run", "--http-port", "0", "--paused", "--seed", "5");
        var url = await node.AddressAsync(TimeSpan.FromSeconds(60));
        await Api.WaitForStateAsync(url, _ => true, TimeSpan.FromSeconds(60));

        var (code, output, err) = await HeanProcess.RunAsync(_dir, Env, Timeout, "killswitch", "engage", "--reason", "cli test", "--url", url, "--json");
        Assert.True(code == 0, err);
        Assert.True(JsonDocument.Parse(output).RootElement.GetProperty("kill_switch").GetBoolean());

        (code, output, err) = await HeanProcess.RunAsync(_dir, Env, Timeout, "trading-state", "halted", "--reason", "maintenance", "--url", url, "--json");
        Assert.True(code == 0, err);
        var risk = JsonDocument.Parse(output).RootElement;
        Assert.Equal("halted", risk.GetProperty("trading_state").GetString());
        Assert.Equal("maintenance", risk.GetProperty("trading_state_reason").GetString());

        (code, _, err) = await HeanProcess.RunAsync(_dir, Env, Timeout, "trading-state", "sideways", "--reason", "x", "--url", url);
        Assert.Equal(2, code);
        Assert.Contains("400", err);

        (code, output, _) = await HeanProcess.RunAsync(_dir, Env, Timeout, "risk", "status", "--url", url, "--json");
        Assert.Equal(0, code);
        risk = JsonDocument.Parse(output).RootElement;
        Assert.True(risk.GetProperty("kill_switch").GetBoolean());
        Assert.Equal(10000, risk.GetProperty("limits").GetProperty("max_position_size").GetDecimal());

        (code, output, _) = await HeanProcess.RunAsync(_dir, Env, Timeout, "killswitch", "release", "--url", url, "--json");
        Assert.Equal(0, code);
        Assert.False(JsonDocument.Parse(output).RootElement.GetProperty("kill_switch").GetBoolean());

        // The feed from the command line (the node started paused).
        (code, output, err) = await HeanProcess.RunAsync(_dir, Env, Timeout, "feed", "resume", "--url", url, "--json");
        Assert.True(code == 0, err);
        Assert.False(JsonDocument.Parse(output).RootElement.GetProperty("paused").GetBoolean());
        (code, output, err) = await HeanProcess.RunAsync(_dir, Env, Timeout, "feed", "pause", "--url", url, "--json");
        Assert.True(code == 0, err);
        Assert.True(JsonDocument.Parse(output).RootElement.GetProperty("paused").GetBoolean());

        // Cancel and amend from the command line reach the node's order endpoints (its answer names the order); a missing change is bad input.
        (code, output, err) = await HeanProcess.RunAsync(_dir, Env, Timeout, "order", "cancel", "no-such-order", "--reason", "cli test", "--url", url, "--json");
        Assert.Contains("\"no-such-order\"", output + err);
        (code, _, err) = await HeanProcess.RunAsync(_dir, Env, Timeout, "order", "cancel", "not an id!", "--url", url);
        Assert.Equal(2, code);
        Assert.Contains("400", err);
        (code, _, err) = await HeanProcess.RunAsync(_dir, Env, Timeout, "order", "amend", "no-such-order", "--url", url);
        Assert.Equal(2, code);
        Assert.Contains("give --price and/or --qty", err);

        // Without --json the same answers are tables: limits as money and percentages, times labelled wall or market time.
        (code, output, err) = await HeanProcess.RunAsync(_dir, Env, Timeout, "risk", "status", "--url", url);
        Assert.True(code == 0, err);
        Assert.DoesNotContain("{", output);
        foreach (var expected in new[] { "risk at wall time", "max position size (USDT)", "10,000.00", "daily drawdown limit", "5.00 %", "day (market time)" })
            Assert.Contains(expected, output);
        (code, output, err) = await HeanProcess.RunAsync(_dir, Env, Timeout, "state", "--url", url);
        Assert.True(code == 0, err);
        Assert.DoesNotContain("{", output);
        foreach (var expected in new[] { "state at wall time", "portfolio (USDT)", "initial cash", "100,000.00", "positions", "open orders", "last market time", "paused" })
            Assert.Contains(expected, output);
        (code, output, err) = await HeanProcess.RunAsync(_dir, Env, Timeout, "health", "--url", url);
        Assert.True(code == 0, err);
        Assert.Contains("market_data", output);
        Assert.DoesNotContain("{", output);

        var (noNode, _, noNodeErr) = await HeanProcess.RunAsync(_dir, Env, Timeout, "risk", "status", "--url", "http://127.0.0.1:1");
        Assert.Equal(1, noNode);
        Assert.Contains("no HEAN node answers", noNodeErr);
    }

    [Fact]
    public async Task Operator_orders_pass_the_pre_trade_review_like_any_other()
    {
        await using var node = HeanProcess.Start(_dir, Env, "run", "--http-port", "0", "--seed", "5");
        var url = await node.AddressAsync(TimeSpan.FromSeconds(60));
        await Api.WaitForStateAsync(url, _ => true, TimeSpan.FromSeconds(60));

        // 50 BTC is far over MAX_POSITION_SIZE (10,000 USDT): refused by the risk governor, with its reason, exit 2.
        var (code, _, err) = await HeanProcess.RunAsync(_dir, Env, Timeout,
            "order", "submit", "--symbol", "BTCUSDT", "--side", "buy", "--qty", "50", "--url", url);
        for (var i = 0; i < 30 && code == 2 && err.Contains("no price known", StringComparison.Ordinal); i++)
        {
            await Task.Delay(1000); // the first quotes arrive a moment after the start
            (code, _, err) = await HeanProcess.RunAsync(_dir, Env, Timeout,
                "order", "submit", "--symbol", "BTCUSDT", "--side", "buy", "--qty", "50", "--url", url);
        }
        Assert.Equal(2, code);
        Assert.Contains("rejected by risk", err);
        Assert.Contains("422", err);

        // A small one passes the same review and starts.
        var (ok, output, okErr) = await HeanProcess.RunAsync(_dir, Env, Timeout,
            "order", "submit", "--symbol", "BTCUSDT", "--side", "buy", "--qty", "0.001", "--url", url);
        Assert.True(ok == 0, okErr);
        Assert.Contains("started", output);
    }

    [Fact]
    public async Task Risk_report_on_candles_the_test_writes()
    {
        // 200 days of a deterministic zig-zag walk: daily returns between -3 % and +3 %.
        var csv = new StringBuilder("timestamp,open,high,low,close,volume\n");
        var price = 50_000m;
        var t0 = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < 200; i++)
        {
            var r = (decimal)(Math.Sin(i * 1.7) * 0.03);
            var next = Math.Round(price * (1 + r), 1);
            csv.Append(CultureInfo.InvariantCulture, $"{t0.AddDays(i):yyyy-MM-ddTHH:mm:ssZ},{price},{Math.Max(price, next)},{Math.Min(price, next)},{next},100\n");
            price = next;
        }
        var file = Path.Combine(_dir, "btc_1d.csv");
        await File.WriteAllTextAsync(file, csv.ToString());

        var (code, output, err) = await HeanProcess.RunAsync(_dir, Env, Timeout,
            "risk", "report", "--data", file + ":BTCUSDT", "--notional", "BTCUSDT=100000", "--paths", "5000", "--seed", "3");
        Assert.True(code == 0, err);
        Assert.Contains("historical", output);
        Assert.Contains("bootstrap (5000 paths)", output);
        foreach (var scenario in new[] { "gap_20pct", "volatility_x3", "liquidity_halved", "correlation_1" }) Assert.Contains(scenario, output);
        // A long of 100 000 loses 20 000 in the gap scenario.
        Assert.Contains("20,000.00", output);

        var (bad, _, badErr) = await HeanProcess.RunAsync(_dir, Env, Timeout, "risk", "report", "--data", file + ":BTCUSDT", "--notional", "BTCUSDT=lots");
        Assert.Equal(2, bad);
        Assert.Contains("expected SYMBOL=USDT", badErr);
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
