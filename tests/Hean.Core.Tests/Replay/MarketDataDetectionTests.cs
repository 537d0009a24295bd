using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Core.MarketData.Replay;
using Xunit;

namespace Hean.Core.Tests.Replay;

/// <summary>Formats are told by content, not by file name; the time-order buffer keeps each stream's order.</summary>
public sealed class MarketDataDetectionTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Formats_are_detected_by_content_whatever_the_name()
    {
        Assert.Equal(MarketDataFormat.BinanceCapture,
            MarketDataFiles.Detect(_dir.Write("data.csv", "1723161255000000000 {\"lastUpdateId\":1,\"bids\":[],\"asks\":[]}\n", gzip: true)));
        Assert.Equal(MarketDataFormat.BybitRecording,
            MarketDataFiles.Detect(_dir.Write("data.txt", "\n{\"topic\":\"publicTrade.BTCUSDT\",\"ts\":1,\"data\":[]}\n")));
        Assert.Equal(MarketDataFormat.OhlcvCsv, MarketDataFiles.Detect(_dir.Write("x.jsonl.gz", "date,open,high,low,close\n2024-01-01,1,2,0.5,1.5\n")));
        Assert.Equal(MarketDataFormat.TradesCsv, MarketDataFiles.Detect(_dir.Write("y_ws.gz", "timestamp,price,qty,symbol\n2024-01-01T00:00:00Z,1,1,BTCUSDT\n")));
        var e = Assert.Throws<MarketDataFormatException>(() => MarketDataFiles.Detect(_dir.Write("empty.gz", "\n\n")));
        Assert.Contains("empty", e.Message);
        Assert.Throws<FileNotFoundException>(() => MarketDataFiles.Detect(Path.Combine(_dir.Path, "none")));
    }

    [Fact]
    public void Open_reads_a_binance_capture_and_refers_bybit_recordings_to_their_reader()
    {
        var capture = _dir.Write("c_ws.gz",
            "1723161255000000000 {\"lastUpdateId\":10,\"bids\":[[\"1.0\",\"1\"]],\"asks\":[[\"2.0\",\"1\"]]}\n" +
            "1723161255000000001 {\"stream\":\"btcusdt@depth@0ms\",\"data\":{\"E\":5,\"s\":\"BTCUSDT\",\"U\":9,\"u\":12,\"pu\":8,\"b\":[],\"a\":[]}}\n");
        var events = MarketDataFiles.Open(capture);
        Assert.Equal([true, false], events.Cast<BookUpdate>().Select(u => u.IsSnapshot));
        var bybit = _dir.Write("b.jsonl", "{\"topic\":\"publicTrade.BTCUSDT\",\"ts\":1,\"data\":[]}\n");
        Assert.Contains("BybitRecordingReader", Assert.Throws<MarketDataFormatException>(() => MarketDataFiles.Open(bybit)).Message);
    }

    [Fact]
    public void The_time_order_buffer_sorts_within_its_window_and_releases_late_events_in_stream_order()
    {
        var s = new Symbol("BTCUSDT");
        var t0 = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Trade T(int ms, long id) => new(s, t0.AddMilliseconds(ms), 1m, 1m, Side.Buy, id);
        var buffer = new TimeOrderBuffer(TimeSpan.FromMilliseconds(100));
        var output = new List<IMarketEvent>();
        Assert.True(buffer.Add(T(50, 1)));
        Assert.True(buffer.Add(T(20, 2)));    // within the window: sorted before the first
        Assert.True(buffer.Add(T(20, 3)));    // a tie keeps arrival order
        buffer.Release(output);
        Assert.Empty(output);                // nothing is older than the window yet
        Assert.True(buffer.Add(T(300, 4)));
        buffer.Release(output);
        Assert.Equal([2L, 3, 1], output.Cast<Trade>().Select(t => t.TradeId));
        Assert.False(buffer.Add(T(10, 5)));   // older than what was released: late, at the last released time
        buffer.Flush(output);
        Assert.Equal([2L, 3, 1, 5, 4], output.Cast<Trade>().Select(t => t.TradeId));
        Assert.Equal(t0.AddMilliseconds(50), output[3].Time);
        Assert.Equal(output.Select(e => e.Time).Order(), output.Select(e => e.Time));
    }
}
