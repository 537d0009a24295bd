using Hean.Core.Domain;
using Hean.Host.Commands;
using Hean.Host.Configuration;
using Microsoft.Extensions.Configuration;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Host.Tests;

/// <summary>
/// The backtest kernel (one loop over the Core rules) against the actors (the graph and actors of paper trading) on the
/// same data and settings: the same fills bit for bit (the fingerprint), the same orders, refusals, PnL and equity curve.
/// </summary>
public sealed class KernelEquivalenceTests(ITestOutputHelper output)
{
    private static HeanSettings Settings(Dictionary<string, string?>? env = null) =>
        HeanSettings.From(new ConfigurationBuilder().AddInMemoryCollection(env ?? []).Build());

    private static BacktestOptions Synthetic(ulong seed, TimeSpan duration, BacktestEngine engine) =>
        new(null, null, seed, duration, new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), TimeSpan.FromMinutes(1), null) { Engine = engine };

    private async Task AssertSame(HeanSettings settings, Func<BacktestEngine, BacktestOptions> options, int minFills)
    {
        var kernel = await BacktestCommand.RunAsync(settings, options(BacktestEngine.Kernel), CancellationToken.None);
        var actors = await BacktestCommand.RunAsync(settings, options(BacktestEngine.Actors), CancellationToken.None);
        output.WriteLine($"kernel: {kernel.MarketEvents} events, {kernel.FillCount} fills in {kernel.WallSeconds:F2} s; actors: {actors.WallSeconds:F2} s; {kernel.Fingerprint}");
        Assert.Equal(("kernel", "actors"), (kernel.Engine, actors.Engine));
        Assert.True(kernel.FillCount >= minFills, $"only {kernel.FillCount} fills: too few to compare");
        Assert.Equal(actors.Fills, kernel.Fills);
        Assert.Equal(actors.Fingerprint, kernel.Fingerprint);
        Assert.Equal((actors.MarketEvents, actors.Signals, actors.From, actors.To), (kernel.MarketEvents, kernel.Signals, kernel.From, kernel.To));
        Assert.Equal((actors.Orders, actors.OrdersFilled, actors.OrdersCancelled, actors.OrdersRejected),
            (kernel.Orders, kernel.OrdersFilled, kernel.OrdersCancelled, kernel.OrdersRejected));
        Assert.Equal(actors.VenueRejections, kernel.VenueRejections);
        Assert.Equal(actors.RiskRejections, kernel.RiskRejections);
        Assert.Equal(actors.RiskRejectionsByReason, kernel.RiskRejectionsByReason);
        Assert.Equal((actors.Fees, actors.RealizedPnl, actors.UnrealizedPnl, actors.Pnl, actors.FinalEquity),
            (kernel.Fees, kernel.RealizedPnl, kernel.UnrealizedPnl, kernel.Pnl, kernel.FinalEquity));
        Assert.Equal((actors.MaxDrawdown, actors.Sharpe), (kernel.MaxDrawdown, kernel.Sharpe));
        // The summary table's numbers: trades, exposure, drawdown duration, ratios, per symbol with buy-and-hold.
        Assert.Equal(actors.Statistics with { Symbols = [] }, kernel.Statistics with { Symbols = [] });
        Assert.Equal(actors.Statistics.Symbols, kernel.Statistics.Symbols);
        Assert.Equal((actors.KillSwitchEngaged, actors.KillSwitchReason), (kernel.KillSwitchEngaged, kernel.KillSwitchReason));
        Assert.Equal(actors.Execution, kernel.Execution);
        Assert.Equal((0L, 0L), (actors.Errors, kernel.Errors));
    }

    [Theory]
    [InlineData(42UL)]
    [InlineData(7UL)]
    public async Task The_synthetic_market_gives_the_same_fills_and_books_in_both_engines(ulong seed) =>
        await AssertSame(Settings(), e => Synthetic(seed, TimeSpan.FromHours(2), e), minFills: 5);

    [Fact]
    public async Task Limit_orders_resting_cancelled_and_replaced_give_the_same_fills_in_both_engines() =>
        await AssertSame(Settings(new() { ["EXECUTION_STYLE"] = "limit" }), e => Synthetic(11, TimeSpan.FromHours(2), e), minFills: 5);

    [Theory]
    [InlineData("MAX_ORDER_NOTIONAL", "4000")]      // some orders refused (max_order_notional), the others sent
    [InlineData("PEAK_DRAWDOWN_LIMIT", "0.0005")]   // the kill switch engages, cancels, and refuses what follows
    public async Task Tight_limits_that_refuse_orders_and_engage_the_kill_switch_give_the_same_books_in_both_engines(string setting, string value)
    {
        var settings = Settings(new() { [setting] = value });
        var report = await BacktestCommand.RunAsync(settings, Synthetic(5, TimeSpan.FromHours(3), BacktestEngine.Kernel), CancellationToken.None);
        Assert.True(report.RiskRejections > 0, "the limit refused nothing: the case is not exercised");
        if (setting == "PEAK_DRAWDOWN_LIMIT") Assert.True(report.KillSwitchEngaged, "the kill switch did not engage: the case is not exercised");
        await AssertSame(settings, e => Synthetic(5, TimeSpan.FromHours(3), e), minFills: 1);
    }

    [SkippableTheory]
    [InlineData("ftx_BTC-PERP_1m_2021-12-31_2022-02-01.csv.gz")]
    [InlineData("coinbase_BTCUSD_1h_2017-07-01_2019-10-17.csv")]
    public async Task The_shared_bar_files_give_the_same_fills_in_both_engines(string file)
    {
        var path = Path.Combine(SharedData.Dir ?? "", "ohlcv", file);
        Skip.If(SharedData.Dir is null || !File.Exists(path), $"../shared/data/ohlcv/{file} is missing: the comparison on real bars did not run");
        await AssertSame(Settings(), e => new BacktestOptions(path, new Symbol("BTCUSDT"), 42, TimeSpan.FromHours(6), DateTime.UnixEpoch,
            TimeSpan.FromMinutes(1), null) { Engine = e }, minFills: 10);
    }

    [Fact]
    public async Task The_kernel_refuses_what_it_cannot_run_and_auto_takes_the_actors_then()
    {
        var smart = Settings(new() { ["EXECUTION_STYLE"] = "smart" });
        var e = await Assert.ThrowsAsync<ArgumentException>(() => BacktestCommand.RunAsync(smart, Synthetic(1, TimeSpan.FromMinutes(30), BacktestEngine.Kernel), CancellationToken.None));
        Assert.Contains("smart", e.Message);
        Assert.Equal("actors", (await BacktestCommand.RunAsync(smart, Synthetic(1, TimeSpan.FromMinutes(30), BacktestEngine.Auto), CancellationToken.None)).Engine);
        Assert.Equal("kernel", (await BacktestCommand.RunAsync(Settings(), Synthetic(1, TimeSpan.FromMinutes(30), BacktestEngine.Auto), CancellationToken.None)).Engine);
    }

    /// <summary>
    /// The fills of the kernel pinned to the fingerprints the must-show names (as at c43afab, and after the actor
    /// report's fill-order fix for the synthetic 12 h): any speed-up of the kernel, the readers or the generator keeps them.
    /// </summary>
    [SkippableTheory]
    [InlineData("ftx_BTC-PERP_1m_2021-12-31_2022-02-01.csv.gz", "50485686aa3fb74d33152f533815b3f6b687fc34651f3207c620e3554f44ec56")]
    [InlineData("coinbase_BTCUSD_1h_2017-07-01_2019-10-17.csv", "55648e19bb7d16ee294111000828da1b7f13d55f1724c9b9ccd6f2d8dfd88642")]
    public async Task The_shared_bar_files_keep_their_fingerprints_in_the_kernel(string file, string fingerprint)
    {
        var path = Path.Combine(SharedData.Dir ?? "", "ohlcv", file);
        Skip.If(SharedData.Dir is null || !File.Exists(path), $"../shared/data/ohlcv/{file} is missing: its fingerprint was not checked");
        var report = await BacktestCommand.RunAsync(Settings(), new BacktestOptions(path, new Symbol("BTCUSDT"), 42, TimeSpan.FromHours(6),
            DateTime.UnixEpoch, TimeSpan.FromMinutes(1), null) { Engine = BacktestEngine.Kernel }, CancellationToken.None);
        Assert.Equal(fingerprint, report.Fingerprint);
    }

    [Fact]
    public async Task Twelve_hours_of_the_seed_42_market_keep_their_fingerprint_in_the_kernel()
    {
        var report = await BacktestCommand.RunAsync(Settings(), Synthetic(42, TimeSpan.FromHours(12), BacktestEngine.Kernel), CancellationToken.None);
        output.WriteLine($"{report.MarketEvents} events, {report.FillCount} fills in {report.WallSeconds:F2} s");
        Assert.Equal(1_194_564, report.MarketEvents);
        Assert.Equal("e72b177f93697114989abd6b99664883571c8f3b136eeca5d7a6b8f8a5c6b4d0", report.Fingerprint);
    }
}
