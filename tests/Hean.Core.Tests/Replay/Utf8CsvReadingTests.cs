using System.Globalization;
using System.IO.Compression;
using System.Text;
using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Core.MarketData.Replay;
using Xunit;

namespace Hean.Core.Tests.Replay;

/// <summary>
/// The CSV readers read the file's UTF-8 bytes, not decoded text: whatever way a file writes the same rows (line ends,
/// white space, quotes, byte order marks, UTF-16, numbers with a sign or an exponent, every epoch unit), the bars are
/// those the text gives, to the bit, and a bad row is the same error on the same line as the text gives.
/// </summary>
public sealed class Utf8CsvReadingTests : IDisposable
{
    private static readonly Symbol Btc = new("BTCUSDT");
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string Header = "open_time_ms,open,high,low,close,volume";

    private static readonly string[] Rows =
    [
        "1704067200000,46319.0,46385.5,46300.25,46377,2300413.7295",
        "1704067260000,46377,46411,46377,46411.0,0",
        "1704067320000,46411.0,46500.123456789,46400.1,46450.5,12.5",
    ];

    private static string Plain(string newline = "\n") => string.Join(newline, [Header, .. Rows]) + newline;

    private static (DateTime, TimeSpan, int[], int[], int[], int[], int[]) Bits(Candle c) =>
        (c.Time, c.Interval, decimal.GetBits(c.Open), decimal.GetBits(c.High), decimal.GetBits(c.Low), decimal.GetBits(c.Close), decimal.GetBits(c.Volume));

    private static void SameBars(IReadOnlyList<Candle> expected, IReadOnlyList<Candle> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (t, iv, o, h, l, c, v) = Bits(expected[i]);
            var (t2, iv2, o2, h2, l2, c2, v2) = Bits(actual[i]);
            Assert.Equal(t, t2);
            Assert.Equal(iv, iv2);
            Assert.Equal(o, o2);
            Assert.Equal(h, h2);
            Assert.Equal(l, l2);
            Assert.Equal(c, c2);
            Assert.Equal(v, v2);
        }
    }

    private string WriteBytes(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir.Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public static TheoryData<string, string> SameRowsWrittenOtherwise => new()
    {
        { "CRLF", Plain("\r\n") },
        { "CR", Plain("\r") },
        { "no newline at the end", Plain().TrimEnd('\n') },
        { "blank lines", "\n \t\n" + Header + "\n\n" + Rows[0] + "\n\u000B\u000C\n" + Rows[1] + "\r\n\u00A0\u2003\n" + Rows[2] + "\n\n" },
        { "spaces and tabs around fields", Header + "\n" + string.Join("\n", Rows.Select(r => " " + r.Replace(",", " ,\t"))) + "\n" },
        { "Unicode white space around fields", Header + "\n" + string.Join("\n", Rows.Select(r => "\u00A0" + r.Replace(",", "\u2003,\u3000"))) + "\n" },
        { "quoted fields", Header + "\n" + string.Join("\n", Rows.Select(r => "\"" + r.Replace(",", "\",\"") + "\"")) + "\n" },
        { "a quoted header", "\"open_time_ms\",\"open\",high,low,close,volume\n" + string.Join("\n", Rows) + "\n" },
        { "a column name that is not ASCII", "open_time_ms,open,high,low,close,volume,größe\n" + string.Join("\n", Rows.Select(r => r + ",x")) + "\n" },
    };

    [Theory]
    [MemberData(nameof(SameRowsWrittenOtherwise))]
    public void The_same_rows_written_otherwise_give_the_same_bars(string how, string content)
    {
        var expected = OhlcvCsvReader.ReadAll(_dir.Write("plain.csv", Plain()), Btc);
        SameBars(expected, OhlcvCsvReader.ReadAll(_dir.Write(how + ".csv", content), Btc));
        SameBars(expected, OhlcvCsvReader.ReadAll(_dir.Write(how + ".csv.gz", content), Btc));
        SameBars(expected, OhlcvCsvReader.Stream(_dir.Write(how + ".stream.csv", content), Btc).ToList());
    }

    [Fact]
    public void Byte_order_marks_are_followed_as_a_text_reader_follows_them()
    {
        var expected = OhlcvCsvReader.ReadAll(_dir.Write("plain.csv", Plain()), Btc);
        var text = Plain("\r\n");
        foreach (var encoding in new Encoding[]
                 {
                     new UTF8Encoding(true), Encoding.Unicode, Encoding.BigEndianUnicode, Encoding.UTF32, new UTF32Encoding(true, true),
                 })
        {
            var bytes = encoding.GetPreamble().Concat(encoding.GetBytes(text)).ToArray();
            SameBars(expected, OhlcvCsvReader.ReadAll(WriteBytes($"bom-{encoding.WebName}.csv", bytes), Btc));
            using var gz = new MemoryStream();
            using (var z = new GZipStream(gz, CompressionLevel.Fastest, leaveOpen: true)) z.Write(bytes);
            SameBars(expected, OhlcvCsvReader.ReadAll(WriteBytes($"bom-{encoding.WebName}.csv.gz", gz.ToArray()), Btc));
        }
    }

    [Fact]
    public void Lines_that_cross_the_read_buffer_are_read_whole()
    {
        // Rows of very different lengths over several buffers (128 KiB), the last one without a newline.
        var rows = new StringBuilder("open_time_ms,open,high,low,close,volume,note\n");
        var t = 1_704_067_200_000L;
        for (var i = 0; i < 20_000; i++, t += 60_000)
            rows.Append(CultureInfo.InvariantCulture, $"{t},100.{i},101,99,100,{i}.5,{new string('n', i % 97 == 0 ? 40_000 : i % 13)}\n");
        rows.Append(CultureInfo.InvariantCulture, $"{t},100,101,99,100,1,end");
        foreach (var gzip in new[] { false, true })
        {
            var bars = OhlcvCsvReader.ReadAll(_dir.Write(gzip ? "long.csv.gz" : "long.csv", rows.ToString()), Btc);
            Assert.Equal(20_001, bars.Count);
            for (var i = 0; i < 20_000; i++)
            {
                Assert.Equal(decimal.GetBits(decimal.Parse($"100.{i}", CultureInfo.InvariantCulture)), decimal.GetBits(bars[i].Open));
                Assert.Equal(decimal.GetBits(decimal.Parse($"{i}.5", CultureInfo.InvariantCulture)), decimal.GetBits(bars[i].Volume));
            }
        }
    }

    [Theory]
    [InlineData("+46319.0")]
    [InlineData("4.6319E4")]
    [InlineData("4.63190e+4")]
    [InlineData("463190000e-4")]
    [InlineData("46319.000000000000000000000001")]
    [InlineData("0046319.00000000000000000000")]
    [InlineData("46319.")]
    public void Prices_with_a_sign_an_exponent_or_many_digits_are_what_decimal_Parse_gives(string price)
    {
        var path = _dir.Write("numbers.csv", $"{Header}\n1704067200000,{price},{price},{price},{price},{price}\n");
        var bar = Assert.Single(OhlcvCsvReader.ReadAll(path, Btc, TimeSpan.FromMinutes(1)));
        var expected = decimal.GetBits(decimal.Parse(price, NumberStyles.Float, CultureInfo.InvariantCulture));
        Assert.Equal(expected, decimal.GetBits(bar.Open));
        Assert.Equal(expected, decimal.GetBits(bar.Close));
        Assert.Equal(expected, decimal.GetBits(bar.Volume));
    }

    [Theory]
    [InlineData("open_time_ms", "1704067200123", 1_230_000L)]
    [InlineData("open_time_ms", "1704067200123.5", 1_235_000L)]
    [InlineData("open_time_ms", "0001704067200123", 1_230_000L)]
    [InlineData("time", "1704067200", 0L)]
    [InlineData("time", "1704067200.5", 5_000_000L)]
    [InlineData("time", "1704067200123", 1_230_000L)]
    [InlineData("time", "1704067200123456", 1_234_560L)]
    [InlineData("time", "1704067200123456789", 1_234_567L)]
    [InlineData("time", "+1704067200123", 1_230_000L)]
    [InlineData("time", "1.704067200123E12", 1_230_000L)]
    [InlineData("time", "2024-01-01T00:00:00.123Z", 1_230_000L)]
    [InlineData("time", "2024-01-01 00:00:00.123", 1_230_000L)]
    [InlineData("timestamp_utc", "2024-01-01T02:00:00.123+02:00", 1_230_000L)]
    public void Times_in_every_epoch_unit_and_as_text_are_read_to_the_tick(string column, string time, long ticksAfter)
    {
        var path = _dir.Write("times.csv", $"{column},open,high,low,close\n{time},1,2,0.5,1.5\n");
        var bar = Assert.Single(OhlcvCsvReader.ReadAll(path, Btc, TimeSpan.FromMinutes(1)));
        Assert.Equal(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(ticksAfter), bar.Time);
        Assert.Equal(DateTimeKind.Utc, bar.Time.Kind);
    }

    [Theory]
    [InlineData("0.000000000001")]
    [InlineData("0.0000000000009")]
    [InlineData("0.00000000000100000")]
    [InlineData("0.00000000000099999")]
    [InlineData("0.00000000000000001")]
    [InlineData("0")]
    [InlineData("0.000")]
    [InlineData("1")]
    [InlineData("999999999.99999999")]
    [InlineData("1000000000")]
    [InlineData("1000000000.0000000")]
    [InlineData("1000000000.0000001")]
    [InlineData("1000000001")]
    [InlineData("9999999999999999999")]
    [InlineData("1e-12")]
    [InlineData("1e-13")]
    [InlineData("1E9")]
    [InlineData("1.000000001E9")]
    public void A_price_at_the_limits_is_taken_or_refused_as_the_limits_say(string price)
    {
        var path = _dir.Write("limits.csv", $"{Header}\n1704067200000,{price},{price},{price},{price},1\n");
        var problem = DomainLimits.PriceProblem(decimal.Parse(price, NumberStyles.Float, CultureInfo.InvariantCulture));
        if (problem is null)
            Assert.Equal(decimal.GetBits(decimal.Parse(price, NumberStyles.Float, CultureInfo.InvariantCulture)),
                decimal.GetBits(Assert.Single(OhlcvCsvReader.ReadAll(path, Btc, TimeSpan.FromMinutes(1))).Open));
        else
            Assert.Equal($"open: {problem}", Assert.Throws<MarketDataFormatException>(() => OhlcvCsvReader.ReadAll(path, Btc, TimeSpan.FromMinutes(1))).Problem);
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("0", false)]
    [InlineData("0.0000", false)]
    [InlineData("0.00000000000000001", false)]
    [InlineData("999999999999.9999", false)]
    [InlineData("1000000000000", true)]
    [InlineData("1000000000000.000", false)]
    [InlineData("1000000000000.001", true)]
    [InlineData("1000000000001", false)]
    [InlineData("9999999999999999999", true)]
    [InlineData("1E12", false)]
    [InlineData("1.0000000000001E12", true)]
    public void A_quantity_at_the_limits_is_taken_or_refused_as_the_limits_say(string quantity, bool volume)
    {
        var value = decimal.Parse(quantity, NumberStyles.Float, CultureInfo.InvariantCulture);
        var problem = DomainLimits.QuantityProblem(value, zeroAllowed: volume);
        var path = volume
            ? _dir.Write("volume.csv", $"{Header}\n1704067200000,1,1,1,1,{quantity}\n")
            : _dir.Write("qty.csv", $"time_ms,price,qty\n1704067200000,1,{quantity}\n");
        decimal Read() => volume
            ? Assert.Single(OhlcvCsvReader.ReadAll(path, Btc, TimeSpan.FromMinutes(1))).Volume
            : Assert.Single(TradesCsvReader.ReadAll(path, Btc)).Qty;
        if (problem is null) Assert.Equal(decimal.GetBits(value), decimal.GetBits(Read()));
        else Assert.Equal($"{(volume ? "volume" : "qty")}: {problem}", Assert.Throws<MarketDataFormatException>(() => Read()).Problem);
    }

    public static TheoryData<string, int, string> BadRows => new()
    {
        { $"{Header}\r\n{Rows[0]}\r\n\r\n{Rows[1]},7\r\n", 4, "expected 6 fields as in the header, found 7" },
        { $"{Header}\n{Rows[0]}\n1704067260000,1,2\n", 3, "expected 6 fields as in the header, found 3" },
        { $"{Header}\n{Rows[0]}\n\"1704067260000\",1,2\n", 3, "expected 6 fields as in the header, found 3" },
        { $"{Header}\n{Rows[0]}\n1704067260000\u00A0,1,2\n", 3, "expected 6 fields as in the header, found 3" },
        { $"{Header}\n1704067200000,１００,101,99,100,1\n", 2, "open '１００' is not a number" },
        { $"{Header}\n1704067200000,1e,101,99,100,1\n", 2, "open '1e' is not a number" },
        { $"{Header}\n1704067200000,--1,101,99,100,1\n", 2, "open '--1' is not a number" },
        { $"{Header}\n1704067200000,100,101,99,100,{new string('9', 40)}\n", 2, $"volume '{new string('9', 40)}' is not a number" },
        { $"{Header}\n1704067200000,100,101,99,-100,1\n", 2, "close: -100 is not a positive price" },
        { $"{Header}\n1704067200000,100,101,99,100,-0.5\n", 2, "volume: -0.5 is not a non-negative quantity" },
        { $"{Header}\n99999999999999999,100,101,99,100,1\n", 2, "open_time_ms '99999999999999999' is outside the market times HEAN reads" },
        { $"{Header}\n999999999999999999999999999,100,101,99,100,1\n", 2, "open_time_ms '999999999999999999999999999' is outside the market times HEAN reads" },
        { $"{Header}\n-1704067200000,100,101,99,100,1\n", 2, "open_time_ms '-1704067200000' is outside the market times HEAN reads" },
        { $"{Header}\n1,100,101,99,100,1\n", 2, "open_time_ms: 1970-01-01T00:00:00.0010000Z is outside the market times HEAN reads" },
        { $"{Header}\n17040672OO000,100,101,99,100,1\n", 2, "open_time_ms '17040672OO000' is neither an epoch number nor an ISO-8601 time" },
        { $"{Header}\n{Rows[1]}\n{Rows[0]}\n", 3, "time goes backwards" },
        { $"{Header}\n{Rows[0]}\n{Rows[0]}\n", 3, "duplicate bar time" },
    };

    [Theory]
    [MemberData(nameof(BadRows))]
    public void A_bad_row_is_the_error_the_text_gives_on_its_line(string content, int line, string problem)
    {
        foreach (var name in new[] { "bad.csv", "bad.csv.gz" })
        {
            var path = _dir.Write(name, content);
            var e = Assert.Throws<MarketDataFormatException>(() => OhlcvCsvReader.ReadAll(path, Btc, TimeSpan.FromMinutes(1)));
            Assert.Equal(line, e.Line);
            Assert.Contains(problem, e.Problem);
        }
    }

    [Fact]
    public void Trades_read_their_side_and_symbol_from_the_bytes()
    {
        var path = _dir.Write("trades.csv",
            "time_ms,symbol,price,qty,side,id\n1704067200000,BTCUSDT,100.5,0.25,buy,7\n1704067200001, BTCUSDT ,100,1e-1,SELL,\"8\"\n1704067200002,ETHUSDT,3000,1,Buy,9\n");
        var trades = TradesCsvReader.ReadAll(path, null);
        Assert.Equal([Side.Buy, Side.Sell, Side.Buy], trades.Select(t => t.TakerSide));
        Assert.Equal(["BTCUSDT", "BTCUSDT", "ETHUSDT"], trades.Select(t => t.Symbol.Value));
        Assert.Equal([7L, 8L, 9L], trades.Select(t => t.TradeId));
        Assert.Equal(decimal.GetBits(decimal.Parse("1e-1", NumberStyles.Float, CultureInfo.InvariantCulture)), decimal.GetBits(trades[1].Qty));

        var bad = _dir.Write("bad-trades.csv", "time_ms,price,qty,side\n1704067200000,100,1,hold\n");
        Assert.Contains("side 'hold' is not buy or sell", Assert.Throws<MarketDataFormatException>(() => TradesCsvReader.ReadAll(bad, Btc)).Problem);
    }

    [Fact]
    public void ASCII_white_space_trims_a_field_and_blanks_a_line_as_char_IsWhiteSpace_has_it()
    {
        for (var c = (char)0; c < 0x80; c++)
        {
            if (c is ',' or '"' or '\r' or '\n' || (c > ' ' && c != '\x7F')) continue;
            var path = _dir.Write($"white-{(int)c}.csv", $"{Header}\n{c}\n{Rows[0].Replace(",", $"{c},{c}")}{c}\n");
            if (char.IsWhiteSpace(c))
            {
                var bar = Assert.Single(OhlcvCsvReader.ReadAll(path, Btc, TimeSpan.FromMinutes(1)));
                Assert.Equal(46319.0m, bar.Open);
            }
            else
            {
                Assert.Equal(2, Assert.Throws<MarketDataFormatException>(() => OhlcvCsvReader.ReadAll(path, Btc, TimeSpan.FromMinutes(1))).Line);
            }
        }
    }

    public static IEnumerable<object[]> NumberTexts() =>
        new[]
        {
            "46319.0", "0", "1.", ".5", "-12.5", "+3.25", "1e3", "1.5E-2", " 7 ", "", ".", "abc", "12a", "NaN", "99999999999999999999",
            "0.000000000000000001", "\u00A07", "7\u2003", "７", "١٢", "1\u2212", "\u22121", "12\u00E9", new string('1', 300), "1." + new string('0', 300),
        }.Select(t => new object[] { t });

    [Theory]
    [MemberData(nameof(NumberTexts))]
    public void Decimals_from_UTF8_are_what_the_text_gives(string text)
    {
        var expectedOk = decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var expected);
        Assert.Equal(expectedOk, DecimalText.TryParse(Encoding.UTF8.GetBytes(text), out var actual));
        Assert.Equal(decimal.GetBits(expected), decimal.GetBits(actual));
    }

    [Fact]
    public void Random_number_texts_from_UTF8_are_what_the_text_gives()
    {
        var random = new Random(11);
        const string alphabet = "0123456789012345678901234567890123456789..-+eE ";
        for (var n = 0; n < 100_000; n++)
        {
            var chars = new char[random.Next(1, 32)];
            for (var i = 0; i < chars.Length; i++) chars[i] = alphabet[random.Next(alphabet.Length)];
            var text = new string(chars);
            var expectedOk = decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var expected);
            Assert.Equal(expectedOk, DecimalText.TryParse(Encoding.UTF8.GetBytes(text), out var actual));
            Assert.Equal(decimal.GetBits(expected), decimal.GetBits(actual));
        }
    }
}
