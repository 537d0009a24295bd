using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Host.Tests;

/// <summary>
/// The real executable, killed with SIGKILL and started again on the same SQLite journal: what the
/// operator saw before the kill is what the restarted system reports.
/// </summary>
public sealed class CrashRecoveryTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hean-crash-").FullName;

    private Dictionary<string, string> Env => new()
    {
        ["HEAN_DATA_DIR"] = Path.Combine(_dir, ".hean"),
        ["EXECUTION_STYLE"] = "limit",
        ["CANDLE_INTERVAL"] = "5s",
        ["LOG_LEVEL"] = "INFO",
    };

    [Fact]
    public async Task Sigkill_then_restart_restores_positions_orders_pnl_and_kill_switch()
    {
        // Run 1: trade until there are fills and resting orders, freeze the feed, then kill -9.
        JsonElement before;
        await using (var run1 = HeanProcess.Start(_dir, Env, "run", "--http-port", "0", "--speed", "30", "--seed", "11"))
        {
            var url = await run1.AddressAsync(TimeSpan.FromSeconds(60));
            // Pause at a moment with both fills and a resting order, so both must survive the kill.
            await Api.WaitForStateAsync(url, s =>
                s.GetProperty("portfolio").GetProperty("fills").GetInt64() > 0 &&
                s.GetProperty("open_orders").GetArrayLength() > 0, TimeSpan.FromSeconds(120));
            before = await PauseSettledAsync(url);
            while (before.GetProperty("open_orders").GetArrayLength() == 0)
            {
                // The resting order filled between the poll and the pause: trade on until one rests again.
                await Api.PostAsync(url + "/api/feed/resume");
                await Api.WaitForStateAsync(url, s => s.GetProperty("open_orders").GetArrayLength() > 0, TimeSpan.FromSeconds(120));
                before = await PauseSettledAsync(url);
            }
            Assert.True(before.GetProperty("positions").GetArrayLength() > 0, "a position must exist before the kill");
            output.WriteLine("before kill: " + before);
            run1.KillHard();
        }

        // Run 2: start paused on the same journal, compare, then engage the kill switch and kill -9 again.
        JsonElement engaged;
        await using (var run2 = HeanProcess.Start(_dir, Env, "run", "--http-port", "0", "--paused"))
        {
            var url = await run2.AddressAsync(TimeSpan.FromSeconds(60));
            var after = await Api.WaitForStateAsync(url, _ => true, TimeSpan.FromSeconds(60));
            output.WriteLine("after restart: " + after);
            AssertSameTradingState(before, after);

            await Api.PostAsync(url + "/api/killswitch/engage?reason=crash-test");
            engaged = await Api.GetAsync(url + "/api/state");
            Assert.True(engaged.GetProperty("risk").GetProperty("kill_switch_engaged").GetBoolean());
            run2.KillHard();
        }

        // Run 3: the kill switch is still engaged, with its reason, and nothing else moved.
        await using (var run3 = HeanProcess.Start(_dir, Env, "run", "--http-port", "0", "--paused"))
        {
            var url = await run3.AddressAsync(TimeSpan.FromSeconds(60));
            var after = await Api.WaitForStateAsync(url, _ => true, TimeSpan.FromSeconds(60));
            Assert.True(after.GetProperty("risk").GetProperty("kill_switch_engaged").GetBoolean());
            Assert.Equal("crash-test", after.GetProperty("risk").GetProperty("kill_switch_reason").GetString());
            AssertSameTradingState(engaged, after, compareOpenOrders: false);
            var health = await Api.GetAsync(url + "/health/risk");
            Assert.Equal("degraded", health.GetProperty("status").GetString());
            run3.KillHard();
        }
    }

    /// <summary>
    /// Pauses the feed and waits until the state stops moving (reports of the last batch may still be
    /// arriving). An order the paper venue has not acknowledged stays Submitted while the feed is paused:
    /// its latency runs on market time.
    /// </summary>
    private static async Task<JsonElement> PauseSettledAsync(string url)
    {
        await Api.PostAsync(url + "/api/feed/pause");
        string? previous = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var state = await Api.GetAsync(url + "/api/state");
            var text = state.GetProperty("open_orders").GetRawText() + state.GetProperty("portfolio").GetRawText() + state.GetProperty("orders").GetRawText();
            if (text == previous) return state;
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the state still moves 30 s after the pause: " + state);
            previous = text;
            await Task.Delay(300);
        }
    }

    private static void AssertSameTradingState(JsonElement expected, JsonElement actual, bool compareOpenOrders = true)
    {
        foreach (var field in new[] { "cash", "equity", "pnl", "realized_pnl", "unrealized_pnl", "fees", "fills" })
            Assert.Equal(expected.GetProperty("portfolio").GetProperty(field).GetRawText(), actual.GetProperty("portfolio").GetProperty(field).GetRawText());
        Assert.Equal(expected.GetProperty("positions").GetRawText(), actual.GetProperty("positions").GetRawText());
        foreach (var field in new[] { "created", "filled", "cancelled", "rejected", "fills" })
            Assert.Equal(expected.GetProperty("orders").GetProperty(field).GetInt64(), actual.GetProperty("orders").GetProperty(field).GetInt64());
        if (compareOpenOrders)
            Assert.Equal(expected.GetProperty("open_orders").GetRawText(), actual.GetProperty("open_orders").GetRawText());
        Assert.Equal(expected.GetProperty("risk").GetProperty("kill_switch_engaged").GetBoolean(), actual.GetProperty("risk").GetProperty("kill_switch_engaged").GetBoolean());
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
