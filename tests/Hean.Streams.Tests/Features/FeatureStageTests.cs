using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using Hean.Core.Domain;
using Hean.Core.Features;
using Hean.Core.Indicators;
using Hean.Core.MarketData;
using Hean.Streams.Features;
using Xunit;

namespace Hean.Streams.Tests.Features;

public sealed class FeatureStageTests : TestKit
{
    private static readonly Symbol Btc = new("BTCUSDT");
    private static readonly Symbol Eth = new("ETHUSDT");
    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private async Task<IReadOnlyList<FeaturesReady>> Run(IEnumerable<IMarketEvent> events, FeatureSettings settings) =>
        await Source.From(events).Via(FeatureFlow.Create(settings)).RunWith(Sink.Seq<FeaturesReady>(), Sys.Materializer());

    private static List<Candle> Candles(Symbol symbol, int count)
    {
        var random = new Random(4);
        var close = 100m;
        var candles = new List<Candle>();
        for (var i = 0; i < count; i++)
        {
            var open = close;
            close = Math.Round(open * (1 + ((decimal)random.NextDouble() - 0.5m) / 25), 2);
            var high = Math.Max(open, close) + 0.5m;
            var low = Math.Min(open, close) - 0.5m;
            candles.Add(new Candle(symbol, T0.AddHours(i), TimeSpan.FromHours(1), open, high, low, close, 10 + i));
        }
        return candles;
    }

    [Fact]
    public async Task Replayed_bars_give_one_vector_per_bar_once_every_indicator_is_warm()
    {
        var candles = Candles(Btc, 60);
        var result = await Run(candles, FeatureSettings.Default(TimeSpan.FromMinutes(1)));

        // MACD(12,26,9)'s signal is the last to warm up: first at bar 33 (index 25 + 8).
        Assert.Equal(60 - 33, result.Count);
        Assert.Equal(candles.Skip(33).Select(c => c.CloseTime), result.Select(r => r.Time));
        Assert.All(result, r => Assert.Equal(Btc, r.Symbol));
        Assert.All(result, r => Assert.Equal(FeatureSchema.V1, r.Features.Schema));

        // Every indicator slot equals that indicator run on its own over the same bars.
        foreach (var spec in FeatureSchema.V1.Indicators)
        {
            var indicator = spec.Create();
            for (var i = 0; i < candles.Count; i++)
            {
                indicator.Update(OhlcvBar.From(candles[i]));
                if (i < 33) continue;
                for (var o = 0; o < indicator.OutputCount; o++)
                    Assert.Equal(indicator.Output(o), result[i - 33].Features[spec.Columns[o]]);
            }
        }
        Assert.True(double.IsNaN(result[0].Features["mid"])); // a bar replay has no book
        Assert.True(double.IsNaN(result[0].Features["funding_rate"]));
    }

    [Fact]
    public async Task Trades_build_the_bars_per_symbol_and_each_window_holds_its_own_flow()
    {
        var settings = new FeatureSettings(TimeSpan.FromMinutes(1), new FeatureSchema(1, "sma:2", 5, 10));
        IMarketEvent[] events =
        [
            new BookUpdate(Btc, T0.AddSeconds(1), 1, 0, true, [new BookLevel(99.9m, 2m)], [new BookLevel(100.1m, 1m)]),
            new Trade(Btc, T0.AddSeconds(5), 100m, 1m, Side.Buy, 1),
            new Trade(Eth, T0.AddSeconds(6), 3000m, 1m, Side.Sell, 1),
            new Trade(Btc, T0.AddSeconds(30), 102m, 1m, Side.Sell, 2),
            new Trade(Btc, T0.AddSeconds(65), 101m, 0.5m, Side.Buy, 3),   // closes BTC bar 0 (close 102): warm-up
            new Trade(Eth, T0.AddSeconds(66), 3010m, 1m, Side.Buy, 2),    // closes ETH bar 0: warm-up
            new BookUpdate(Btc, T0.AddSeconds(68), 2, 1, false, [new BookLevel(99.9m, 5m)], []), // OFI +3
            new Trade(Btc, T0.AddSeconds(70), 103m, 0.2m, Side.Sell, 4),
            new Trade(Btc, T0.AddSeconds(125), 104m, 1m, Side.Buy, 5),   // closes BTC bar 1 (close 103)
            new Trade(Eth, T0.AddSeconds(130), 3020m, 1m, Side.Buy, 3),   // closes ETH bar 1 (close 3010)
        ];
        var result = await Run(events, settings);

        Assert.Equal([Btc, Eth], result.Select(r => r.Symbol));
        var btc = result[0];
        Assert.Equal(T0.AddMinutes(2), btc.Time);
        Assert.Equal((102 + 103) / 2.0, btc.Features["sma_2"]);
        Assert.Equal(100.0, btc.Features["mid"]);
        Assert.Equal(3, btc.Features["ofi"]);
        // the window is bar 1 alone: trades at 65 s (buy 0.5) and 70 s (sell 0.2), not the one at 125 s
        Assert.Equal(0.5 / 0.7, btc.Features["taker_buy_ratio"], 12);
        Assert.Equal(0.3, btc.Features["signed_volume"], 12);
        Assert.Equal(2 / 60.0, btc.Features["trade_intensity"], 12);

        var eth = result[1];
        Assert.Equal((3000 + 3010) / 2.0, eth.Features["sma_2"]);
        Assert.True(double.IsNaN(eth.Features["mid"]));
        Assert.Equal(1.0, eth.Features["taker_buy_ratio"]);
    }

    [Fact]
    public async Task Sentiment_events_reach_the_vector_and_liquidations_are_per_window()
    {
        var settings = new FeatureSettings(TimeSpan.FromMinutes(1), new FeatureSchema(1, "obv", 5, 10));
        IMarketEvent[] events =
        [
            new FundingRateUpdate(Btc, T0, -0.000212m),
            new OpenInterestUpdate(Btc, T0, 68744.761m),
            new Liquidation(Btc, T0.AddMinutes(10), Side.Sell, 17216m, 0.5m),
            new Candle(Btc, T0, TimeSpan.FromHours(1), 100m, 101m, 99m, 100m, 5m),
            new OpenInterestUpdate(Btc, T0.AddMinutes(70), 70119.656m),
            new Candle(Btc, T0.AddHours(1), TimeSpan.FromHours(1), 100m, 102m, 99m, 101m, 6m),
        ];
        var result = await Run(events, settings);

        Assert.Equal(2, result.Count);
        Assert.Equal(-0.000212, result[0].Features["funding_rate"]);
        Assert.Equal(17216 * 0.5, result[0].Features["liquidation_short_notional"]);
        Assert.Equal(0, result[0].Features["liquidation_long_notional"]);
        Assert.Equal(0, result[1].Features["liquidation_short_notional"]);
        Assert.Equal((70119.656 - 68744.761) / 68744.761, result[1].Features["open_interest_change"], 12);
        Assert.Equal(6, result[1].Features["obv"]);
    }

    [Fact]
    public async Task Warm_up_bars_can_be_emitted_with_undefined_slots_when_asked()
    {
        var settings = new FeatureSettings(TimeSpan.FromMinutes(1), new FeatureSchema(1, "sma:3", 5, 10), EmitDuringWarmUp: true);
        var result = await Run(Candles(Btc, 4), settings);
        Assert.Equal(4, result.Count);
        Assert.Equal([true, true, false, false], result.Select(r => double.IsNaN(r.Features["sma_3"])));
    }

    [Fact]
    public async Task An_event_the_processor_refuses_fails_the_stream_with_its_cause()
    {
        var settings = new FeatureSettings(TimeSpan.FromMinutes(1), new FeatureSchema(1, "sma:2", 5, 10));
        IMarketEvent[] events =
        [
            new Trade(Btc, T0.AddMinutes(5), 100m, 1m, Side.Buy, 1),
            new Trade(Btc, T0.AddMinutes(1), 100m, 1m, Side.Buy, 2), // from an earlier bar
        ];
        var e = await Assert.ThrowsAsync<ArgumentException>(() => Run(events, settings));
        Assert.Contains("before the current bar", e.Message);
    }
}
