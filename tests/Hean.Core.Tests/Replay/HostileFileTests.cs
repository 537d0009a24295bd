using System.IO.Compression;
using System.Text;
using Hean.Core.Domain;
using Hean.Core.MarketData.Replay;
using Xunit;

namespace Hean.Core.Tests.Replay;

/// <summary>
/// Files as a killed recorder, an interrupted copy or an adversary leaves them: every reader refuses them with the file,
/// the line and the problem, never replays them as complete, never holds a whole endless line, never echoes raw text.
/// </summary>
public sealed class HostileFileTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private const string Ohlcv = "open_time_ms,open,high,low,close,volume\n";

    private static string Bars(int n) =>
        Ohlcv + string.Concat(Enumerable.Range(0, n).Select(i => $"{1_704_067_200_000L + i * 60_000L},100,101,99,100.5,{i + 1}\n"));

    private static string Capture(int n) =>
        string.Concat(Enumerable.Range(0, n).Select(i =>
            $"{1_723_161_255_000_000_000L + i * 1_000_000L} " +
            "{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":" + (1_723_161_255_000L + i) + ",\"T\":" + (1_723_161_255_000L + i) +
            ",\"s\":\"BTCUSDT\",\"t\":" + (i + 1) + ",\"p\":\"60000.5\",\"q\":\"0.01\",\"X\":\"MARKET\",\"m\":false}}\n"));

    /// <summary>gzip of <paramref name="text"/> as a killed writer leaves it: flushed (a sync point), never closed, so no final block or trailer.</summary>
    private string CutAtFlushPoint(string name, string text)
    {
        var path = Path.Combine(_dir.Path, name);
        var file = new MemoryStream();
        var gz = new GZipStream(file, CompressionLevel.Fastest, leaveOpen: true);
        gz.Write(Encoding.UTF8.GetBytes(text));
        gz.Flush();
        File.WriteAllBytes(path, file.ToArray()); // the process dies here: gz is never disposed
        return path;
    }

    /// <summary>A whole gzip file with its last 8 bytes (CRC-32 and length) missing.</summary>
    private string WithoutTrailer(string name, string text)
    {
        var full = File.ReadAllBytes(_dir.Write(name + ".full", text, gzip: true));
        var path = Path.Combine(_dir.Path, name);
        File.WriteAllBytes(path, full[..^8]);
        return path;
    }

    [Fact]
    public void A_gzip_cut_at_a_flush_point_is_refused_by_every_reader_instead_of_read_as_complete()
    {
        var bars = CutAtFlushPoint("bars.csv.gz", Bars(50));
        var capture = CutAtFlushPoint("capture.gz", Capture(50));

        var csv = Assert.Throws<MarketDataFormatException>(() => OhlcvCsvReader.ReadAll(bars, new Symbol("BTCUSDT")));
        Assert.Contains("cut short", csv.Problem);
        Assert.Equal(52, csv.Line); // after the header and the 50 bars it did hold
        Assert.Contains("cut short", Assert.Throws<MarketDataFormatException>(() => BinanceCaptureReader.Read([capture]).ToList()).Problem);
        Assert.Contains("cut short", Assert.Throws<MarketDataFormatException>(() => TextLines.Numbered(capture).ToList()).Message);
        Assert.Contains("cut short", Assert.Throws<MarketDataFormatException>(() => MarketDataFiles.Open(bars, new Symbol("BTCUSDT"))).Message);
    }

    [Fact]
    public void A_gzip_missing_its_trailer_is_refused_and_the_same_file_whole_is_read()
    {
        var whole = _dir.Write("whole.csv.gz", Bars(20), gzip: true);
        Assert.Equal(20, OhlcvCsvReader.ReadAll(whole, new Symbol("BTCUSDT")).Count);

        var cut = WithoutTrailer("cut.csv.gz", Bars(20));
        var e = Assert.Throws<MarketDataFormatException>(() => OhlcvCsvReader.ReadAll(cut, new Symbol("BTCUSDT")));
        Assert.Contains("cut short", e.Problem);
        Assert.Contains("zcat", e.Problem); // says how to recover what it holds
    }

    [Fact]
    public void A_cut_gzip_read_again_after_its_refusal_is_still_refused_never_a_quiet_end()
    {
        using var reader = TextLines.Open(CutAtFlushPoint("again.csv.gz", Bars(5)));
        Assert.Throws<TextFileException>(() => { while (reader.ReadLine() is not null) { } });
        Assert.Throws<TextFileException>(() => reader.ReadLine());
    }

    [Fact]
    public void Both_ways_of_reading_bars_infer_the_same_interval_from_the_first_rows()
    {
        // 1-minute bars first, then many more 5-minute ones: the whole file's most common gap would be 5 minutes.
        var rows = new System.Text.StringBuilder(Ohlcv);
        var t = 1_704_067_200_000L;
        for (var i = 0; i < OhlcvCsvReader.IntervalSampleRows + 10; i++, t += 60_000) rows.Append($"{t},100,101,99,100.5,1\n");
        for (var i = 0; i < 2 * OhlcvCsvReader.IntervalSampleRows; i++, t += 300_000) rows.Append($"{t},100,101,99,100.5,1\n");
        var path = _dir.Write("mixed.csv", rows.ToString());
        var all = OhlcvCsvReader.ReadAll(path, new Symbol("BTCUSDT"));
        var streamed = OhlcvCsvReader.Stream(path, new Symbol("BTCUSDT")).ToList();
        Assert.Equal(TimeSpan.FromMinutes(1), all[0].Interval);
        Assert.Equal(all.Select(c => (c.Time, c.Interval)), streamed.Select(c => (c.Time, c.Interval)));
    }

    [Fact]
    public void A_gzip_whose_content_was_altered_fails_its_checksum()
    {
        var path = _dir.Write("bars.csv.gz", Bars(20), gzip: true);
        var bytes = File.ReadAllBytes(path);
        bytes[^5] ^= 0x01; // the stored CRC no longer matches
        File.WriteAllBytes(path, bytes);
        Assert.Throws<MarketDataFormatException>(() => OhlcvCsvReader.ReadAll(path, new Symbol("BTCUSDT")));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_line_beyond_the_limit_is_refused_without_holding_it(bool gzip)
    {
        // 5 M characters with no line break (a 200 MB one took 1.8-2.6 GB before): refused at the limit, with a short message.
        var path = _dir.Write(gzip ? "endless.gz" : "endless.csv", "open_time_ms," + new string('x', TextLines.MaxLineChars + 1_000_000), gzip);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<MarketDataFormatException>(() => MarketDataFiles.Detect(path));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Contains("a line longer than", e.Problem);
        Assert.True(e.Message.Length < 800, $"the error is {e.Message.Length} characters");
        // The limit (4 M chars = 8 MB as UTF-16), its builder's growth and the decoder: well under what the whole line would take.
        Assert.True(allocated < 64L * 1024 * 1024, $"{allocated:N0} bytes allocated reading a {TextLines.MaxLineChars + 1_000_000:N0}-character line");
    }

    [Fact]
    public void Lines_up_to_the_limit_read_whole_with_every_line_ending()
    {
        var path = _dir.Write("mixed.txt", "a\r\nbb\rccc\n\nlast-without-break");
        Assert.Equal(["a", "bb", "ccc", "", "last-without-break"], TextLines.Numbered(path).Select(l => l.Line));
    }

    [Fact]
    public void Terminal_escapes_in_a_header_never_reach_the_error_text()
    {
        var path = _dir.Write("evil.csv", "\u001b]0;pwned\u0007\u001b[2J" + new string('A', 5000) + ",b\n1,2\n");
        var e = Assert.Throws<MarketDataFormatException>(() => MarketDataFiles.Detect(path));
        Assert.DoesNotContain('\u001b', e.Message);
        Assert.DoesNotContain('\u0007', e.Message);
        Assert.True(e.Message.Length < 1000, $"the error is {e.Message.Length} characters");
    }

    [Fact]
    public void A_capture_with_prices_or_times_beyond_the_domain_limits_is_refused_with_its_line()
    {
        var good = Capture(1).TrimEnd('\n');
        var path = _dir.Write("capture-big.gz", good + "\n" + good.Replace("\"p\":\"60000.5\"", "\"p\":\"79228162514264337593543950335\"").Replace("\"t\":1", "\"t\":2") + "\n", gzip: true);
        var e = Assert.Throws<MarketDataFormatException>(() => BinanceCaptureReader.Read([path]).ToList());
        Assert.Equal(2, e.Line);
        Assert.Contains("highest price", e.Problem);

        var future = _dir.Write("capture-9999.gz", good.Replace("1723161255000,", "253402300799000,") + "\n", gzip: true);
        Assert.Contains("market times", Assert.Throws<MarketDataFormatException>(() => BinanceCaptureReader.Read([future]).ToList()).Problem);
    }

    [Fact]
    public void Printable_cuts_before_it_cleans()
    {
        Assert.Equal("ab?…", DisplayText.Printable("ab\u001bcdef", 3));
        Assert.Equal("a?b", DisplayText.Printable("a\nb"));
    }
}
