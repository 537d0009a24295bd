using Hean.Host.Commands;
using Hean.Host.Configuration;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Hean.Host.Tests;

public sealed class BacktestTests
{
    private static HeanSettings Settings() => HeanSettings.From(new ConfigurationBuilder().Build());

    private static BacktestOptions Synthetic(ulong seed) => new(null, null, seed, TimeSpan.FromHours(3),
        new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), TimeSpan.FromMinutes(1), null);

    [Fact]
    public async Task Same_seed_gives_the_same_fingerprint_and_another_seed_does_not()
    {
        var first = await BacktestCommand.RunAsync(Settings(), Synthetic(7), CancellationToken.None);
        var second = await BacktestCommand.RunAsync(Settings(), Synthetic(7), CancellationToken.None);
        var other = await BacktestCommand.RunAsync(Settings(), Synthetic(8), CancellationToken.None);

        Assert.True(first.FillCount > 0, "the baseline strategy should trade in three hours of synthetic market");
        Assert.Equal(first.Fingerprint, second.Fingerprint);
        Assert.Equal(first.Fills, second.Fills);
        Assert.Equal(first.Pnl, second.Pnl);
        Assert.NotEqual(first.Fingerprint, other.Fingerprint);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", BacktestReport.FingerprintOf([]));
    }

    [Fact]
    public async Task The_strategy_trades_on_the_EMA_periods_the_operator_sets_and_bad_periods_are_refused()
    {
        static HeanSettings With(string fast, string slow) => HeanSettings.From(new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["EMA_FAST"] = fast, ["EMA_SLOW"] = slow }).Build());

        var standard = await BacktestCommand.RunAsync(Settings(), Synthetic(7), CancellationToken.None);
        var same = await BacktestCommand.RunAsync(With("12", "26"), Synthetic(7), CancellationToken.None);
        var quick = await BacktestCommand.RunAsync(With("2", "5"), Synthetic(7), CancellationToken.None);
        Assert.Equal(standard.Fingerprint, same.Fingerprint); // 12 / 26 are the defaults
        Assert.True(quick.FillCount > standard.FillCount, $"quick EMAs should cross more often: {quick.FillCount} fills against {standard.FillCount}");
        Assert.Equal("2 / 5", quick.Settings["EMA_FAST / EMA_SLOW"]);

        var bad = Assert.Throws<SettingsException>(() => With("26", "12"));
        Assert.Contains(bad.Problems, p => p.StartsWith("EMA_SLOW=12", StringComparison.Ordinal) && p.Contains("longer than EMA_FAST (26)", StringComparison.Ordinal));
        Assert.Contains(Assert.Throws<SettingsException>(() => With("0", "5")).Problems, p => p.StartsWith("EMA_FAST=0", StringComparison.Ordinal));
        Assert.Contains(Assert.Throws<SettingsException>(() => With("3", "fast")).Problems, p => p.StartsWith("EMA_SLOW=fast", StringComparison.Ordinal));
    }

    [Fact]
    public void The_actor_report_lists_fills_as_the_venue_made_them_whichever_symbol_told_first()
    {
        static Hean.Core.Orders.Fill F(string symbol, string tradeId, int second) => new(new Hean.Core.Orders.ClientOrderId(symbol + "-1"),
            new Hean.Core.Domain.Symbol(symbol), Hean.Core.Domain.Side.Buy, tradeId, 100m, 1m, 0.1m, Hean.Core.Orders.Liquidity.Taker,
            new DateTime(2025, 1, 1, 0, 0, second, DateTimeKind.Utc));
        // sim-23 (BTCUSDT) was told before sim-22 (ETHUSDT) at the same market time, as two order entities may.
        var told = new[] { F("ETHUSDT", "sim-21", 0), F("BTCUSDT", "sim-23", 1), F("ETHUSDT", "sim-22", 1), F("BTCUSDT", "sim-100", 2), F("BTCUSDT", "bybit-x", 2) };
        Assert.Equal(["sim-21", "sim-22", "sim-23", "sim-100", "bybit-x"], EventCollector.InVenueOrder(told).Select(f => f.TradeId));
        Assert.Equal(BacktestReport.FingerprintOf(EventCollector.InVenueOrder(told)), BacktestReport.FingerprintOf(EventCollector.InVenueOrder(told.Reverse())));
    }
}
