using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Core.MarketData.Replay;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Core.Tests.Replay;

public sealed class CandleAggregatorTests(ITestOutputHelper output)
{
    private static readonly Symbol Btc = new("BTCUSDT");
    private static readonly DateTime T0 = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private long _id;

    private Trade At(double seconds, decimal price, decimal qty = 1m) =>
        new(Btc, T0.AddSeconds(seconds), price, qty, Side.Buy, ++_id);

    [Fact]
    public void Builds_bars_per_bucket_and_skips_empty_buckets()
    {
        var agg = new CandleAggregator(Btc, TimeSpan.FromMinutes(1));
        Assert.Null(agg.Flush());
        Assert.Null(agg.OnTrade(At(0, 100, 1)));
        Assert.Null(agg.OnTrade(At(10, 105, 2)));
        Assert.Null(agg.OnTrade(At(20, 95, 0.5m)));
        Assert.Null(agg.OnTrade(At(59.999, 101, 1)));

        var first = agg.OnTrade(At(180, 110, 3)); // minutes 1 and 2 had no trades
        Assert.Equal(new Candle(Btc, T0, TimeSpan.FromMinutes(1), 100, 105, 95, 101, 4.5m), first);

        Assert.Null(agg.OnTrade(At(239.9, 108, 1)));
        var last = agg.OnTrade(At(240, 111, 1)); // exactly on the boundary: a new bar
        Assert.Equal(new Candle(Btc, T0.AddMinutes(3), TimeSpan.FromMinutes(1), 110, 110, 108, 108, 4m), last);

        Assert.Equal(new Candle(Btc, T0.AddMinutes(4), TimeSpan.FromMinutes(1), 111, 111, 111, 111, 1m), agg.Flush());
        Assert.Null(agg.Flush());
    }

    [Fact]
    public void Rejects_late_trades_other_symbols_and_bad_intervals()
    {
        var agg = new CandleAggregator(Btc, TimeSpan.FromMinutes(1));
        agg.OnTrade(At(120, 100));
        Assert.Null(agg.OnTrade(At(119.5 + 0.5, 100))); // same bucket, same time: fine
        Assert.Throws<ArgumentException>(() => agg.OnTrade(At(59, 100)));
        Assert.Throws<ArgumentException>(() => agg.OnTrade(new Trade(new Symbol("ETHUSDT"), T0.AddMinutes(5), 1, 1, Side.Sell, 1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CandleAggregator(Btc, TimeSpan.Zero));
    }

    [Fact]
    public void Bars_from_the_shared_trades_keep_every_trade()
    {
        var path = SharedData.File("binance", "trades_spot_BTCUSDT.csv.gz");
        if (!File.Exists(path))
        {
            output.WriteLine("shared data missing");
            return;
        }
        var trades = TradesCsvReader.ReadAll(path);
        var agg = new CandleAggregator(Btc, TimeSpan.FromMinutes(1));
        var bars = trades.Select(agg.OnTrade).OfType<Candle>().ToList();
        bars.Add(agg.Flush()!);

        Assert.Equal(trades.Sum(t => t.Qty), bars.Sum(b => b.Volume));
        Assert.Equal(trades.Max(t => t.Price), bars.Max(b => b.High));
        Assert.Equal(trades.Min(t => t.Price), bars.Min(b => b.Low));
        Assert.Equal(trades[0].Price, bars[0].Open);
        Assert.Equal(trades[^1].Price, bars[^1].Close);
        Assert.Equal(trades.Select(t => t.Time.Ticks / TimeSpan.TicksPerMinute).Distinct().Count(), bars.Count);
        Assert.All(bars, b => Assert.True(b.Low <= Math.Min(b.Open, b.Close) && b.High >= Math.Max(b.Open, b.Close)));
    }
}
