using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.Execution;
using Hean.Core.MarketData;
using Hean.Core.MarketData.Replay;
using Hean.Core.MarketData.Synthetic;
using Xunit;
using Xunit.Abstractions;
using static Hean.Core.Tests.Execution.AlgoFixtures;

namespace Hean.Core.Tests.Execution;

/// <summary>
/// Implementation shortfall of TWAP and VWAP against one market order of the same size, measured with
/// <see cref="ExecutionReplay"/> on the simulated exchange (20 ms latency, taker 5.5 bp, maker 2 bp):
/// on a synthetic market the test makes (with an order book, so a large market order walks it), and on
/// the real Binance trade prints in ../shared/data/binance when they are there.
/// </summary>
public sealed class ShortfallComparisonTests(ITestOutputHelper output)
{
    private static readonly SimulatedExchangeOptions Venue = new(Latency: TimeSpan.FromMilliseconds(20));
    private static readonly TimeSpan Horizon = TimeSpan.FromSeconds(60);
    private const int Slices = 6;

    private static IReadOnlyList<(string, Func<MarketConditions, AlgoSpec>)> Algos =>
    [
        ("market", _ => new MarketAlgo()),
        ("twap", _ => new TwapAlgo(Horizon, Slices)),
        ("vwap", c => new VwapAlgo(Horizon, Slices, c.Profile ?? VolumeProfile.Flat(TimeSpan.FromHours(1), 60))),
        ("twap-aggressive", _ => new TwapAlgo(Horizon, Slices, SliceStyle.Aggressive)),
    ];

    [Fact]
    public void On_a_thin_synthetic_market_twap_and_vwap_cost_less_than_one_market_order()
    {
        // SOLUSDT at 20 USDT: one tick (0.01) is 5 bps, about 3 000 USDT per level. A parent of 1 500 SOL (30 000 USDT)
        // crossed at once walks several levels; in six slices each crossing walks fewer, and posted slices earn the spread.
        var sol = new Symbol("SOLUSDT");
        var options = SyntheticMarketOptions.Default(T0) with
        {
            Symbols = [new SymbolSpec(sol, 20m, 0.8) { TradesPerSecond = 3.0, LevelNotional = 3_000m, MeanTradeNotional = 300m }],
            Seed = 11,
        };
        var events = new SyntheticMarket(options).Generate(TimeSpan.FromMinutes(30)).ToList();
        var starts = ShortfallStudy.Starts(events, TimeSpan.FromSeconds(30), Horizon, TimeSpan.FromSeconds(75));

        var rows = ShortfallStudy.Run(events, starts, sol, 1_500m, Algos, Venue);
        output.WriteLine($"synthetic SOLUSDT at 20, seed 11, 30 min, {starts.Count} start times x buy and sell, 1 500 SOL per parent, " +
                         $"horizon {Horizon.TotalSeconds} s in {Slices} slices");
        output.WriteLine(ShortfallStudy.Table(rows));

        var byName = rows.ToDictionary(r => r.Algo);
        Assert.All(rows, r => Assert.Equal(1.0, r.FillRate));
        Assert.True(byName["twap"].MeanBps < byName["market"].MeanBps);
        Assert.True(byName["vwap"].MeanBps < byName["market"].MeanBps);
        Assert.True(byName["twap-aggressive"].PriceBps < byName["market"].PriceBps, "smaller crossings should walk less of the book");

        // The same data and settings give the same numbers.
        var again = ShortfallStudy.Run(events, starts, sol, 1_500m, [Algos[1]], Venue);
        Assert.Equal(byName["twap"].PerParentBps, again[0].PerParentBps);
    }

    [Theory]
    [InlineData("trades_usdm_BTCUSDT.csv.gz", "BTCUSDT", 2.0)]
    [InlineData("trades_usdm_ETHUSDT.csv.gz", "ETHUSDT", 30.0)]
    public void On_real_binance_trades_twap_and_vwap_cost_less_than_one_market_order(string file, string symbol, double size)
    {
        var path = SharedData.Binance(file);
        if (path is null)
        {
            output.WriteLine($"SKIPPED: {SharedData.Missing(file)}");
            return;
        }
        IReadOnlyList<IMarketEvent> trades = TradesCsvReader.ReadAll(path, new Symbol(symbol));
        var starts = ShortfallStudy.Starts(trades, TimeSpan.FromSeconds(30), Horizon, TimeSpan.FromSeconds(75));
        var qty = (decimal)size;

        var rows = ShortfallStudy.Run(trades, starts, new Symbol(symbol), qty, Algos, Venue);
        output.WriteLine($"{path}: {trades.Count} trades, {starts.Count} start times x buy and sell, {qty} {symbol} per parent, " +
                         $"horizon {Horizon.TotalSeconds} s in {Slices} slices");
        output.WriteLine("trades only: the venue quotes one tick either side of the last trade with unlimited depth (no market impact)");
        output.WriteLine(ShortfallStudy.Table(rows));

        var byName = rows.ToDictionary(r => r.Algo);
        Assert.True(starts.Count >= 10, $"only {starts.Count} start times in the file");
        Assert.All(rows, r => Assert.Equal(1.0, r.FillRate));
        Assert.True(byName["twap"].MeanBps < byName["market"].MeanBps);
        Assert.True(byName["vwap"].MeanBps < byName["market"].MeanBps);
    }
}
