using Hean.Core.Domain;
using Hean.Core.Features;
using Hean.Core.Indicators;
using Hean.Core.MarketData;
using Hean.Core.Tests.Indicators;
using Xunit;
using static Hean.Core.Tests.Features.BookFixtures;

namespace Hean.Core.Tests.Features;

public sealed class FeatureEngineTests
{
    private static readonly FeatureSchema Schema = FeatureSchema.V1;

    [Fact]
    public void On_bars_alone_the_indicator_block_is_the_indicators_and_the_rest_is_absent()
    {
        var engine = new FeatureEngine(Btc, Schema);
        var bars = IndicatorData.Generated(120, seed: 11);
        var standalone = Schema.Indicators.Select(s => s.Create()).ToArray();
        for (var i = 0; i < bars.Length; i++)
        {
            engine.OnBar(bars[i]);
            foreach (var indicator in standalone) indicator.Update(bars[i]);
            var v = engine.Compute(bars[i].Time.AddHours(1));
            var at = 0;
            foreach (var indicator in standalone)
                for (var o = 0; o < indicator.OutputCount; o++, at++)
                    Assert.Equal(indicator.Output(o), v[at]);
            Assert.Equal(Schema.BookOffset, at);
            for (var j = Schema.BookOffset; j < Schema.Count; j++)
                Assert.True(double.IsNaN(v[j]), $"{Schema.Names[j]} should be absent without book, trades or sentiment");
            Assert.Equal(standalone.All(s => s.IsReady), engine.IndicatorsReady);
        }
        Assert.True(engine.IndicatorsReady);
    }

    [Fact]
    public void Book_trade_and_sentiment_blocks_over_one_window_then_the_next()
    {
        var engine = new FeatureEngine(Btc, Schema);
        var book = Book();
        engine.OnBook(book);                                     // primes the OFI at 100×2 / 100.1×1
        book.Apply(Delta(2, [L(100m, 5m)], [], second: 1));      // bid size +3
        engine.OnBook(book);
        engine.OnTrade(new Trade(Btc, T0.AddSeconds(2), 100.1m, 2m, Side.Buy, 1));
        engine.OnTrade(new Trade(Btc, T0.AddSeconds(3), 100m, 1m, Side.Sell, 2));
        engine.OnFundingRate(new FundingRateUpdate(Btc, T0.AddSeconds(4), 0.0001m));
        engine.OnLiquidation(new Liquidation(Btc, T0.AddSeconds(5), Side.Buy, 100m, 3m));

        var end = T0.AddSeconds(10);
        var v = engine.CloseWindow(end);
        Assert.Equal(OrderBookFeatures.SpreadBps(book), v["spread_bps"]);
        Assert.Equal(OrderBookFeatures.Mid(book), v["mid"]);
        Assert.Equal(OrderBookFeatures.Microprice(book), v["microprice"]);
        Assert.Equal(OrderBookFeatures.Imbalance(book, 5), v["imbalance_5"]);
        Assert.Equal(OrderBookFeatures.DepthPressure(book, 10), v["depth_pressure_10bps"]);
        Assert.Equal(OrderBookFeatures.LiquidityScore(book, 10), v["liquidity_score_10bps"]);
        Assert.Equal(3, v["ofi"]);
        Assert.Equal(2 / 3.0, v["taker_buy_ratio"], 12);
        Assert.Equal(1, v["signed_volume"]);
        Assert.Equal(2 / 10.0, v["trade_intensity"], 12); // 2 trades in the 10 s since the first event
        var vwap = (100.1 * 2 + 100) / 3;
        Assert.Equal((100 - vwap) / vwap, v["vwap_deviation"], 12);
        Assert.Equal(0.0001, v["funding_rate"]);
        Assert.True(double.IsNaN(v["open_interest_change"]));
        Assert.Equal(300, v["liquidation_long_notional"]);
        Assert.Equal(0, v["liquidation_short_notional"]);
        Assert.True(double.IsNaN(v["rsi_14"]));

        // The next window starts empty: no OFI, no trades, no liquidations yet; levels persist.
        var next = engine.CloseWindow(end.AddSeconds(20));
        Assert.Equal(0, next["ofi"]);
        Assert.Equal(0, next["trade_intensity"]);
        Assert.Equal(0, next["signed_volume"]);
        Assert.Equal(0, next["liquidation_long_notional"]);
        Assert.Equal(v["mid"], next["mid"]);
        Assert.Equal(3, v["ofi"]); // a closed vector does not change afterwards
    }

    [Fact]
    public void A_bad_bar_or_another_symbols_event_is_refused_and_changes_nothing()
    {
        var engine = new FeatureEngine(Btc, Schema);
        foreach (var bar in IndicatorData.Generated(60, seed: 2)) engine.OnBar(bar);
        var time = new DateTime(2024, 6, 1, 0, 0, 0, DateTimeKind.Utc);
        var before = engine.Compute(time).ToArray();
        var good = IndicatorData.Generated(61, seed: 2)[60];
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.OnBar(good with { Close = double.NaN }));
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.OnBar(good with { Volume = -1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => engine.OnBar(good with { Low = 0 }));
        Assert.Throws<ArgumentException>(() => engine.OnTrade(new Trade(new Symbol("ETHUSDT"), time, 1m, 1m, Side.Buy, 1)));
        Assert.Equal(before, engine.Compute(time).ToArray());
    }

    [Fact]
    public void Updates_and_the_vector_allocate_nothing_once_warm()
    {
        var engine = new FeatureEngine(Btc, Schema);
        var bars = IndicatorData.Generated(300, seed: 5);
        var book = Book();
        var trade = new Trade(Btc, T0, 100m, 1m, Side.Buy, 1);
        var liquidation = new Liquidation(Btc, T0, Side.Sell, 100m, 1m);
        var candles = bars.Select(b => new Candle(Btc, b.Time, TimeSpan.FromHours(1),
            (decimal)b.Open, (decimal)b.High, (decimal)b.Low, (decimal)b.Close, (decimal)b.Volume)).ToArray();
        var sum = 0.0;
        for (var i = 0; i < 100; i++) Step(i);
        sum = 0;

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 100; i < bars.Length; i++) Step(i);
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - allocated);
        Assert.False(double.IsNaN(sum));

        void Step(int i)
        {
            engine.OnCandle(candles[i]);
            engine.OnBook(book);
            engine.OnTrade(trade);
            engine.OnLiquidation(liquidation);
            sum += engine.Compute(bars[i].Time)[3];
            engine.StartNextWindow(bars[i].Time);
        }
    }
}
