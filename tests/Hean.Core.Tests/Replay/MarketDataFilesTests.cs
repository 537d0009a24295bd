using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Core.MarketData.Replay;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Core.Tests.Replay;

public sealed class MarketDataFilesTests(ITestOutputHelper output) : IDisposable
{
    private static readonly Symbol Btc = new("BTCUSDT");
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Detects_ohlcv_and_trades_by_header()
    {
        var bars = _dir.Write("bars.csv", "date,open,high,low,close,volume\n2024-01-01,1,2,0.5,1.5,10\n2024-01-02,1.5,2,1,1.2,11\n");
        var trades = _dir.Write("trades.csv.gz", "timestamp,price,qty,side,symbol\n2024-01-01T00:00:00Z,100,1,buy,BTCUSDT\n");

        var candles = MarketDataFiles.Open(bars, Btc);
        Assert.Equal(2, candles.Count);
        Assert.All(candles, e => Assert.IsType<Candle>(e));
        var trade = Assert.IsType<Trade>(Assert.Single(MarketDataFiles.Open(trades)));
        Assert.Equal(Btc, trade.Symbol);
    }

    [Fact]
    public void Unknown_format_lists_the_supported_ones()
    {
        var path = _dir.Write("book.csv", "time,bid,ask\n2024-01-01,1,2\n");
        var e = Assert.Throws<MarketDataFormatException>(() => MarketDataFiles.Open(path, Btc));
        output.WriteLine(e.Message);
        Assert.Equal(1, e.Line);
        Assert.Contains("unknown format", e.Message);
        Assert.Contains("OHLCV", e.Message);
        Assert.Contains("trades", e.Message);
    }

    [Fact]
    public void Ohlcv_needs_a_symbol()
    {
        var path = _dir.Write("bars.csv", "date,open,high,low,close\n2024-01-01,1,2,0.5,1.5\n");
        var e = Assert.Throws<MarketDataFormatException>(() => MarketDataFiles.Open(path));
        Assert.Contains("pass the symbol", e.Message);
    }

    [Fact]
    public void Opens_the_shared_files()
    {
        if (!SharedData.Available)
        {
            output.WriteLine("shared data missing");
            return;
        }
        Assert.Equal(44_949, MarketDataFiles.Open(SharedData.File("binance", "trades_usdm_BTCUSDT.csv.gz")).OfType<Trade>().Count());
        Assert.Equal(20_111, MarketDataFiles.Open(SharedData.File("ohlcv", "coinbase_BTCUSD_1h_2017-07-01_2019-10-17.csv"), new Symbol("BTCUSD")).OfType<Candle>().Count());
    }

    [Fact]
    public void Candle_events_are_the_candles_in_order()
    {
        var t0 = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var candles = Enumerable.Range(0, 3).Select(i => new Candle(Btc, t0.AddMinutes(i), TimeSpan.FromMinutes(1), 1, 2, 0.5m, 1.5m, 10)).ToList();
        Assert.Equal(candles, CandleMarketEvents.FromCandles(candles));
        var reversed = Enumerable.Reverse(candles).ToList();
        Assert.Throws<InvalidOperationException>(() => CandleMarketEvents.FromCandles(reversed).ToList());
    }
}
