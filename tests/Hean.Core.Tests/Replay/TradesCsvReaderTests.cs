using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Core.MarketData.Replay;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Core.Tests.Replay;

public sealed class TradesCsvReaderTests(ITestOutputHelper output) : IDisposable
{
    private static readonly Symbol Btc = new("BTCUSDT");
    private const string BinanceHeader = "exchange_time_ms,event_time_ms,local_time_ns,symbol,trade_id,price,qty,taker_side,is_buyer_maker,trade_type";
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Reads_the_binance_capture_layout_from_gzip()
    {
        var path = _dir.Write("trades.csv.gz", BinanceHeader + "\n" +
            "1680652700452,1680652700455,1680652700441533000,BTCUSDT,3535186032,28145.10,0.002,sell,true,MARKET\n" +
            "1680652700452,1680652700455,1680652700441685000,BTCUSDT,3535186033,28145.20,0.020,buy,false,MARKET\n" +
            "1680652700460,1680652700461,1680652700441685001,BTCUSDT,3535186034,28145.20,1.5,buy,false,\n");
        var trades = TradesCsvReader.ReadAll(path);

        Assert.Equal(3, trades.Count);
        Assert.Equal(new Trade(Btc, DateTime.UnixEpoch.AddMilliseconds(1680652700452), 28145.10m, 0.002m, Side.Sell, 3535186032), trades[0]);
        Assert.Equal(Side.Buy, trades[1].TakerSide);
        Assert.Equal(trades[0].Time, trades[1].Time); // equal times are fine
        Assert.Equal(3535186034, trades[2].TradeId);
    }

    [Fact]
    public void Reads_a_generic_layout_with_the_symbol_from_the_caller()
    {
        var path = _dir.Write("generic.csv",
            "Timestamp,Price,Size,Side,Id\n" +
            "2024-08-08T23:54:15.123Z,61837.63,0.02,SELL,7\n" +
            "2024-08-08T23:54:15.500Z,61837.64,0.5,b,8\n");
        var trades = TradesCsvReader.ReadAll(path, Btc);
        Assert.Equal(new Trade(Btc, new DateTime(2024, 8, 8, 23, 54, 15, 123, DateTimeKind.Utc), 61837.63m, 0.02m, Side.Sell, 7), trades[0]);
        Assert.Equal(Side.Buy, trades[1].TakerSide);
    }

    [Fact]
    public void Side_comes_from_is_buyer_maker_or_the_tick_rule_and_ids_from_the_row_count()
    {
        var maker = _dir.Write("maker.csv", "time,price,quantity,is_buyer_maker\n1723161255342,100,1,true\n1723161255343,100,1,false\n");
        Assert.Equal([Side.Sell, Side.Buy], TradesCsvReader.ReadAll(maker, Btc).Select(t => t.TakerSide));

        var bare = _dir.Write("bare.csv", "time,price,amount\n1723161255342,100,1\n1723161255343,99,1\n1723161255344,99,1\n1723161255345,101,1\n1723161255346,101,2\n");
        var trades = TradesCsvReader.ReadAll(bare, Btc);
        Assert.Equal([Side.Buy, Side.Sell, Side.Sell, Side.Buy, Side.Buy], trades.Select(t => t.TakerSide));
        Assert.Equal([1L, 2, 3, 4, 5], trades.Select(t => t.TradeId));
        Assert.Equal(new DateTime(2024, 8, 8, 23, 54, 15, 342, DateTimeKind.Utc), trades[0].Time);
    }

    public static TheoryData<string, int, string> BadFiles => new()
    {
        { "", 1, "empty file" },
        { BinanceHeader + "\n", 1, "no data rows" },
        { "time,qty,side\n1,1,buy\n", 1, "missing column price" },
        { "time,price,side\n1,1,buy\n", 1, "missing column quantity" },
        { "price,qty\n1,1\n", 1, "missing column time" },
        { "time,price,qty\n1723161255342,1,1\n", 1, "no symbol column and no symbol was given" },
        { BinanceHeader + "\n1680652700452,1,1,BTCUSDT,1,28145.10,0.002,sell,true,MARKET\n1680652700453,1,1,BTCUSDT,2,28145.1O,0.002,sell,true,MARKET\n", 3, "price '28145.1O' is not a number" },
        { BinanceHeader + "\n1680652700452,1,1,BTCUSDT,1,28145.10,0,sell,true,MARKET\n", 2, "is not a positive quantity" },
        { BinanceHeader + "\n1680652700452,1,1,BTCUSDT,1,-1,1,sell,true,MARKET\n", 2, "-1 is not a positive price" },
        { BinanceHeader + "\n1680652700452,1,1,BTCUSDT,1,79000000000000000000000000000,1,sell,true,MARKET\n", 2, "above the highest price" },
        { BinanceHeader + "\n99999999999999999999999999,1,1,BTCUSDT,1,28145.10,1,sell,true,MARKET\n", 2, "outside the market times" },
        { BinanceHeader + "\n1680652700452,1,1,BTCUSDT,1,28145.10,0.002,maybe,true,MARKET\n", 2, "taker_side 'maybe' is not buy or sell" },
        { BinanceHeader + "\n1680652700452,1,1,BTCUSDT,1,28145.10,0.002,sell,true,MARKET\n1680652700451,1,1,BTCUSDT,2,28145.10,0.002,sell,true,MARKET\n", 3, "time goes backwards" },
        { BinanceHeader + "\n1680652700452,1,1,ETHUSDT,1,28145.10,0.002,sell,true,MARKET\n", 2, "symbol ETHUSDT does not match the expected BTCUSDT" },
        { BinanceHeader + "\n1680652700452,1,1,BTC-USDT,1,28145.10,0.002,sell,true,MARKET\n", 2, "symbol 'BTC-USDT' is not a valid symbol" },
        { BinanceHeader + "\n1680652700452,1,1,BTCUSDT,x1,28145.10,0.002,sell,true,MARKET\n", 2, "trade_id 'x1' is not an integer" },
        { "time,price,qty,is_buyer_maker,symbol\n1680652700452,1,1,yes,BTCUSDT\n", 2, "is_buyer_maker 'yes' is not true or false" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_input_names_the_file_the_line_and_the_problem(string content, int line, string problem)
    {
        var path = _dir.Write("bad.csv.gz", content);
        Symbol? symbol = problem.Contains("no symbol column") ? null : Btc;
        var e = Assert.Throws<MarketDataFormatException>(() => TradesCsvReader.ReadAll(path, symbol));
        output.WriteLine(e.Message);
        Assert.Equal(line, e.Line);
        Assert.Contains(problem, e.Problem);
        Assert.Contains($"{path}, line {line}: ", e.Message);
    }

    [Fact]
    public void Reads_the_shared_usdm_btc_trades()
    {
        var path = SharedData.File("binance", "trades_usdm_BTCUSDT.csv.gz");
        if (!File.Exists(path))
        {
            output.WriteLine("shared data missing");
            return;
        }
        var trades = TradesCsvReader.ReadAll(path);
        Assert.Equal(44_949, trades.Count);
        Assert.Equal(new Trade(Btc, DateTime.UnixEpoch.AddMilliseconds(1680652700452), 28145.10m, 0.002m, Side.Sell, 3535186032), trades[0]);
        Assert.Equal(20_291, trades.Count(t => t.TakerSide == Side.Buy));
        Assert.All(trades.Zip(trades.Skip(1)), p => Assert.True(p.Second.Time >= p.First.Time));
        // three capture windows: 2023-04 and two in 2024
        Assert.Equal([2023, 2024], trades.Select(t => t.Time.Year).Distinct());
    }

    [Theory]
    [InlineData("trades_spot_BTCUSDT.csv.gz", "BTCUSDT", 19_904)]
    [InlineData("trades_spot_ETHUSDT.csv.gz", "ETHUSDT", 14_515)]
    [InlineData("trades_usdm_ETHUSDT.csv.gz", "ETHUSDT", 27_731)]
    public void Reads_every_shared_trades_file(string file, string symbol, int rows)
    {
        var path = SharedData.File("binance", file);
        if (!File.Exists(path))
        {
            output.WriteLine("shared data missing");
            return;
        }
        var trades = TradesCsvReader.ReadAll(path, new Symbol(symbol));
        Assert.Equal(rows, trades.Count);
        Assert.All(trades.Zip(trades.Skip(1)), p => Assert.True(p.Second.TradeId > p.First.TradeId));
    }
}
