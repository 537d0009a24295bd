using Xunit;

namespace Hean.Host.Tests;

/// <summary>`hean order submit` checks its input before it calls a node: every mistake is an `error: …` and exit code 2.</summary>
public sealed class OrderCommandTests
{
    private static readonly string Dir = Path.GetTempPath();

    [Theory]
    [InlineData("side must be buy or sell, got 'up'", "--symbol", "BTCUSDT", "--side", "up", "--qty", "1")]
    [InlineData("qty must be a positive number, got '-1'", "--symbol", "BTCUSDT", "--side", "buy", "--qty", "-1")]
    [InlineData("twap needs --horizon", "--symbol", "BTCUSDT", "--side", "buy", "--qty", "1", "--algo", "twap")]
    [InlineData("iceberg needs --visible", "--symbol", "BTCUSDT", "--side", "sell", "--qty", "1", "--algo", "iceberg")]
    [InlineData("algo must be market, limit, twap, iceberg or smart, got 'pov'", "--symbol", "BTCUSDT", "--side", "buy", "--qty", "1", "--algo", "pov")]
    [InlineData("slices must be 1..1000, got '0'", "--symbol", "BTCUSDT", "--side", "buy", "--qty", "1", "--algo", "twap", "--horizon", "1m", "--slices", "0")]
    [InlineData("horizon: ", "--symbol", "BTCUSDT", "--side", "buy", "--qty", "1", "--algo", "twap", "--horizon", "soon")]
    [InlineData("reprice: ", "--symbol", "BTCUSDT", "--side", "buy", "--qty", "1", "--algo", "limit", "--price", "50000", "--reprice", "-3s")]
    [InlineData("id must be 1-31", "--symbol", "BTCUSDT", "--side", "buy", "--qty", "1", "--id", "has space")]
    public async Task Bad_input_is_refused_before_any_node_is_called(string message, params string[] args)
    {
        // No node listens on this port: a refusal that came from the node would be a connection error instead.
        var (code, _, err) = await HeanProcess.RunAsync(Dir, new Dictionary<string, string> { ["HEAN_URL"] = "http://127.0.0.1:9" },
            TimeSpan.FromSeconds(60), ["order", "submit", .. args]);
        Assert.Equal(2, code);
        Assert.Contains("error: " + message, err);
        Assert.DoesNotContain("no HEAN node answers", err);
    }

    [Fact]
    public async Task Without_a_node_the_command_says_so_and_fails()
    {
        var (code, _, err) = await HeanProcess.RunAsync(Dir, new Dictionary<string, string> { ["HEAN_URL"] = "http://127.0.0.1:9" },
            TimeSpan.FromSeconds(60), "order", "submit", "--symbol", "BTCUSDT", "--side", "buy", "--qty", "0.1");
        Assert.NotEqual(0, code);
        Assert.Contains("error: no HEAN node answers at http://127.0.0.1:9", err);
    }
}
