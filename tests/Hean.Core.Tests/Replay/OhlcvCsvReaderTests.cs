using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Core.MarketData.Replay;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Core.Tests.Replay;

public sealed class OhlcvCsvReaderTests(ITestOutputHelper output) : IDisposable
{
    private static readonly Symbol Btc = new("BTCUSD");
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static DateTime Utc(int y, int mo, int d, int h = 0, int mi = 0) => new(y, mo, d, h, mi, 0, DateTimeKind.Utc);

    [Fact]
    public void Reads_the_coinbase_layout_with_base_volume_and_inferred_interval()
    {
        var path = _dir.Write("cb.csv",
            "open_time_ms,open_time_utc,open,high,low,close,volume_btc,volume_usd\n" +
            "1498906800000,2017-07-01T11:00:00Z,2505.56,2513.38,2495.12,2509.17,114.6,287000.32\n" +
            "1498910400000,2017-07-01T12:00:00Z,2509.17,2512.87,2484.99,2488.43,157.36,393142.5\n" +
            "1498914000000,2017-07-01T13:00:00Z,2488.43,2488.43,2454.4,2454.43,280.28,693254.01\n");
        var candles = OhlcvCsvReader.ReadAll(path, Btc);

        Assert.Equal(3, candles.Count);
        Assert.Equal(new Candle(Btc, Utc(2017, 7, 1, 11), TimeSpan.FromHours(1), 2505.56m, 2513.38m, 2495.12m, 2509.17m, 114.6m), candles[0]);
        Assert.Equal(2454.43m, candles[2].Close);
        Assert.All(candles, c => Assert.Equal(DateTimeKind.Utc, c.Time.Kind));
    }

    [Fact]
    public void Reads_gzip_files_by_content_and_the_timestamp_ms_layout()
    {
        var content =
            "timestamp_ms,timestamp_utc,open,high,low,close,volume\n" +
            "1640991660000,2021-12-31T23:01:00Z,46319.0,46385.0,46319.0,46377.0,2300413.7295\n" +
            "1640991720000,2021-12-31T23:02:00Z,46377.0,46411.0,46377.0,46411.0,1829623.1938\n";
        foreach (var name in new[] { "ftx.csv.gz", "ftx-no-extension" })
        {
            var path = _dir.Write(name, content, gzip: true); // detected by the magic bytes, whatever the name
            var candles = OhlcvCsvReader.ReadAll(path, Btc);
            Assert.Equal(2, candles.Count);
            Assert.Equal(TimeSpan.FromMinutes(1), candles[0].Interval);
            Assert.Equal(new DateTime(2021, 12, 31, 23, 1, 0, DateTimeKind.Utc), candles[0].Time);
            Assert.Equal(2300413.7295m, candles[0].Volume);
        }
    }

    [Theory]
    [InlineData("Date,Open,High,Low,Close,Volume", "2017-01-03", "2017-01-04", "2017-01-06")]
    [InlineData("timestamp,open,high,low,close,volume", "2017-01-03T00:00:00Z", "2017-01-04T00:00:00Z", "2017-01-06T00:00:00Z")]
    [InlineData("TIME,OPEN,HIGH,LOW,CLOSE,VOLUME", "1483401600", "1483488000", "1483660800")]
    [InlineData("time,open,high,low,close,volume", "1483401600000", "1483488000000", "1483660800000")]
    public void Reads_generic_layouts_with_any_time_encoding(string header, string t1, string t2, string t3)
    {
        var path = _dir.Write("generic.csv",
            $"{header}\n{t1},212.61,213.35,211.52,212.8,96708880\n{t2},213.16,214.22,213.15,214.06,83348752\n\n{t3},\"214.00\",215,213.5,214.5,1e3\n");
        var candles = OhlcvCsvReader.ReadAll(path, Btc);
        Assert.Equal([Utc(2017, 1, 3), Utc(2017, 1, 4), Utc(2017, 1, 6)], candles.Select(c => c.Time));
        Assert.All(candles, c => Assert.Equal(TimeSpan.FromDays(1), c.Interval)); // most common gap, not the 2-day one
        Assert.Equal(214.00m, candles[2].Open);
        Assert.Equal(1000m, candles[2].Volume);
    }

    [Fact]
    public void Reads_quote_bars_as_mid_candles_without_volume()
    {
        var path = _dir.Write("quotes.csv",
            "open_time_ms,open_time_utc,bid_open,bid_high,bid_low,bid_close,last_bid_size,ask_open,ask_high,ask_low,ask_close,last_ask_size\n" +
            "1670889600000,2022-12-13T00:00:00Z,17193.5,17199,17193.5,17199,135.724,17194,17199.5,17194,17199.5,17.697\n" +
            "1670889660000,2022-12-13T00:01:00Z,17199,17212,17199,17212,168.661,17199.5,17212.5,17199.5,17212.5,4.289\n");
        var c = OhlcvCsvReader.ReadAll(path, Btc)[0];
        Assert.Equal((17193.75m, 17199.25m, 17193.75m, 17199.25m, 0m), (c.Open, c.High, c.Low, c.Close, c.Volume));
    }

    [Fact]
    public void A_single_row_needs_the_interval()
    {
        var path = _dir.Write("one.csv", "time,open,high,low,close\n2024-01-01T00:00:00Z,1,2,0.5,1.5\n");
        var e = Assert.Throws<MarketDataFormatException>(() => OhlcvCsvReader.ReadAll(path, Btc));
        Assert.Contains("interval", e.Message);
        var candle = Assert.Single(OhlcvCsvReader.ReadAll(path, Btc, TimeSpan.FromMinutes(5)));
        Assert.Equal(TimeSpan.FromMinutes(5), candle.Interval);
        Assert.Equal(0m, candle.Volume);
    }

    public static TheoryData<string, int, string> BadFiles => new()
    {
        { "", 1, "empty file" },
        { "\n\n", 1, "empty file" },
        { "time,open,high,low,close\n", 1, "no data rows" },
        { "time,open,high,close,volume\n2024-01-01,1,2,1.5,3\n", 1, "missing column low" },
        { "open,high,low,close\n1,2,0.5,1.5\n", 1, "missing column time" },
        { "time,open,high,low,close\n2024-01-01,1,2,0.5,1.5\n2024-01-02,1,2,0.5,abc\n", 3, "close 'abc' is not a number" },
        { "time,open,high,low,close\n2024-01-01,1,2,0.5,1.5\n2024-01-02,1,2,0.5\n", 3, "expected 5 fields" },
        { "time,open,high,low,close\n2024-01-01,1,2,0.5,1.5\n\n2024-01-02,1,0.5,2,1\n", 4, "high 0.5 is below low 2" },
        { "time,open,high,low,close\n2024-01-01,3,2,0.5,1.5\n", 2, "open 3 is outside" },
        { "time,open,high,low,close\n2024-01-01,1,2,0.5,0.4\n", 2, "close 0.4 is outside" },
        { "time,open,high,low,close\n2024-01-01,1,2,0,1\n", 2, "low: 0 is not a positive price" },
        { "time,open,high,low,close,volume\n2024-01-01,1,2,0.5,1,-3\n", 2, "volume: -3 is not a non-negative quantity" },
        { "time,open,high,low,close\n2024-01-02,1,2,0.5,1.5\n2024-01-03,1,2,0.5,1.5\n2024-01-01,1,2,0.5,1.5\n", 4, "time goes backwards" },
        { "time,open,high,low,close\n2024-01-02,1,2,0.5,1.5\n2024-01-02,1,2,0.5,1.5\n", 3, "duplicate bar time" },
        { "time,open,high,low,close\nyesterday,1,2,0.5,1.5\n", 2, "time 'yesterday' is neither" },
        { "time,open,open,low,close\n", 1, "appears twice" },
    };

    [Theory]
    [MemberData(nameof(BadFiles))]
    public void Bad_input_names_the_file_the_line_and_the_problem(string content, int line, string problem)
    {
        var path = _dir.Write("bad.csv", content);
        var e = Assert.Throws<MarketDataFormatException>(() => OhlcvCsvReader.ReadAll(path, Btc, TimeSpan.FromDays(1)));
        output.WriteLine(e.Message);
        Assert.Equal(path, e.File);
        Assert.Equal(line, e.Line);
        Assert.Contains(problem, e.Problem);
        Assert.Contains($"{path}, line {line}: ", e.Message);
    }

    [Fact]
    public void Streaming_yields_good_rows_then_throws_at_the_bad_one()
    {
        var path = _dir.Write("stream.csv", "time,open,high,low,close\n2024-01-01,1,2,0.5,1.5\n2024-01-02,1,2,0.5,1.5\n2024-01-03,x,2,0.5,1.5\n");
        var seen = new List<Candle>();
        var e = Assert.Throws<MarketDataFormatException>(() =>
        {
            foreach (var c in OhlcvCsvReader.Read(path, Btc, TimeSpan.FromDays(1))) seen.Add(c);
        });
        Assert.Equal(2, seen.Count);
        Assert.Equal(4, e.Line);
    }

    [Fact]
    public void Missing_file_is_an_io_error_not_a_format_error()
    {
        Assert.Throws<FileNotFoundException>(() => OhlcvCsvReader.ReadAll(Path.Combine(_dir.Path, "none.csv"), Btc));
    }

    [Theory]
    [InlineData("coinbase_BTCUSD_1h_2017-07-01_2019-10-17.csv", 20_111, 60)]
    [InlineData("coinbase_BTCUSD_1d_2014-12-01_2019-10-17.csv", 1_770, 1440)]
    [InlineData("ftx_BTC-PERP_1m_2021-12-31_2022-02-01.csv.gz", 45_031, 1)]
    [InlineData("bybit_BTCUSDT_spot_1m_trade_bars_2022-12-13.csv", 1_440, 1)]
    [InlineData("bybit_BTCUSDT_linear_perp_1m_trade_bars_2022-12-13.csv", 721, 1)]
    [InlineData("bybit_BTCUSDT_linear_perp_1m_quote_bars_2022-12-13.csv", 460, 1)]
    [InlineData("bybit_BTCUSDT_spot_1m_quote_bars_2022-12-13.csv", 721, 1)]
    public void Reads_every_shared_ohlcv_file(string file, int rows, int minutes)
    {
        if (!SharedData.Available)
        {
            output.WriteLine("shared data missing");
            return;
        }
        var candles = OhlcvCsvReader.ReadAll(SharedData.File("ohlcv", file), Btc);
        Assert.Equal(rows, candles.Count);
        Assert.All(candles, c => Assert.Equal(TimeSpan.FromMinutes(minutes), c.Interval));
    }

    [Fact]
    public void Reads_the_shared_coinbase_hourly_file()
    {
        var path = SharedData.File("ohlcv", "coinbase_BTCUSD_1h_2017-07-01_2019-10-17.csv");
        if (!File.Exists(path))
        {
            output.WriteLine("shared data missing");
            return;
        }
        var candles = OhlcvCsvReader.ReadAll(path, Btc);
        Assert.Equal(20_111, candles.Count);
        Assert.Equal(new Candle(Btc, Utc(2017, 7, 1, 11), TimeSpan.FromHours(1), 2505.56m, 2513.38m, 2495.12m, 2509.17m, 114.6m), candles[0]);
        Assert.Equal(Utc(2019, 10, 17, 9), candles[^1].Time);
        // "no gaps": every bar closes where the next opens
        Assert.All(candles.Zip(candles.Skip(1)), p => Assert.Equal(p.First.CloseTime, p.Second.Time));
    }
}
