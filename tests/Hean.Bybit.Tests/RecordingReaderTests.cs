using System.IO.Compression;
using System.Text;
using Hean.Bybit.Recording;
using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Core.MarketData.Replay;

namespace Hean.Bybit.Tests;

/// <summary>Replay of Bybit recordings: the real capture in shared/data, and self-made recordings in hean record's format.</summary>
public sealed class RecordingReaderTests : IDisposable
{
    private static readonly DateTime T0 = new(2024, 12, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hean-rec-" + Guid.NewGuid().ToString("N"));

    public RecordingReaderTests() => Directory.CreateDirectory(_dir);

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { /* temp */ }
    }

    private string Write(params string[] lines)
    {
        var path = Path.Combine(_dir, Guid.NewGuid().ToString("N") + ".jsonl.gz");
        using var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest);
        gz.Write(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));
        return path;
    }

    private static string Book(string type, long u, int ms, string bids, string asks) =>
        "{\"topic\":\"orderbook.50.BTCUSDT\",\"type\":\"" + type + "\",\"ts\":" + Ms(ms) + ",\"data\":{\"s\":\"BTCUSDT\",\"b\":" + bids +
        ",\"a\":" + asks + ",\"u\":" + u + ",\"seq\":" + (u * 10) + "},\"cts\":" + Ms(ms) + "}";

    private static string Trade(string id, int ms, string side, string price, string qty) =>
        "{\"topic\":\"publicTrade.BTCUSDT\",\"type\":\"snapshot\",\"ts\":" + Ms(ms) + ",\"data\":[{\"T\":" + Ms(ms) +
        ",\"s\":\"BTCUSDT\",\"S\":\"" + side + "\",\"v\":\"" + qty + "\",\"p\":\"" + price + "\",\"L\":\"PlusTick\",\"i\":\"" + id + "\",\"BT\":false}]}";

    private static long Ms(int ms) => (long)(T0.AddMilliseconds(ms) - DateTime.UnixEpoch).TotalMilliseconds;

    private static string Rec(int ms, string message) => BybitRecordingFormat.Message(T0.AddMilliseconds(ms + 5), message);

    private static string Header() => BybitRecordingFormat.Header(new Uri("ws://127.0.0.1:1/v5/public/linear"), ["orderbook.50.BTCUSDT", "publicTrade.BTCUSDT"], T0);

    private static (List<IMarketEvent> Events, ReplayStats Stats) Read(string path)
    {
        var stats = new ReplayStats();
        return (BybitRecordingReader.Read([path], stats).ToList(), stats);
    }

    [SkippableFact]
    public void The_real_XRPUSDT_capture_replays_through_the_reader()
    {
        Skip.If(TestData.SharedBybitDir is null, TestData.SharedMissing);
        var path = Path.Combine(TestData.SharedBybitDir!, "market", "orderbook500_linear_XRPUSDT_2024-12-01_first50msgs.jsonl");
        Assert.True(BybitRecordingReader.Recognizes(File.ReadLines(path).First()));
        Assert.Equal(MarketDataFormat.BybitRecording, MarketDataFiles.Detect(path));
        var (events, stats) = Read(path);
        var s = Assert.Single(stats.Symbols);
        Assert.Equal(50, events.Count);
        Assert.Equal((50L, 1L, 0L, 0L), (s.BookUpdates, s.Snapshots, s.Gaps, s.Stale));
        Assert.Equal((1.9537m, 1.9538m), (s.Book!.BestBid!.Value.Price, s.Book.BestAsk!.Value.Price));
        Assert.Equal((500, 500), (s.Book.BidLevels, s.Book.AskLevels));
        Assert.Equal(new DateTime(2024, 12, 1, 0, 0, 0, 589, DateTimeKind.Utc), s.First); // cts of the snapshot
        Assert.Equal(events.Select(e => e.Time).Order(), events.Select(e => e.Time));
    }

    /// <summary>Every public push sample of shared/data/bybit, recorded as hean record would: books and trades come out, the rest is counted as ignored.</summary>
    [SkippableTheory]
    [InlineData("orderbook_25_snapshot.json", 1, 0, 0)]
    [InlineData("orderbook_linear_delta_synthetic.json", 0, 0, 0)] // a delta without its snapshot waits
    [InlineData("publicTrade_linear.json", 0, 1, 0)]
    [InlineData("publicTrade_spot.json", 0, 1, 0)]
    [InlineData("kline_linear.json", 0, 0, 1)]
    [InlineData("tickers_linear.json", 0, 0, 1)]
    [InlineData("tickers_spot.json", 0, 0, 1)]
    [InlineData("allLiquidation_linear.json", 0, 0, 1)]
    [InlineData("pong_linear.json", 0, 0, 1)]
    [InlineData("subscribe_response_success.json", 0, 0, 1)]
    [InlineData("subscribe_response_option_style.json", 0, 0, 1)]
    public void The_shared_public_samples_replay_as_recorded_messages(string sample, int books, int tradeMessages, int ignored)
    {
        Skip.If(TestData.SharedBybitDir is null, TestData.SharedMissing);
        using var doc = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(TestData.SharedBybitDir!, "ws_public", sample)));
        var compact = System.Text.Json.JsonSerializer.Serialize(doc.RootElement);
        var tradesInSample = doc.RootElement.TryGetProperty("topic", out var topic) && topic.GetString()!.StartsWith("publicTrade", StringComparison.Ordinal)
            ? doc.RootElement.GetProperty("data").GetArrayLength()
            : 0;
        var (events, stats) = Read(Write(Header(), Rec(0, compact)));
        Assert.Equal(books, events.OfType<BookUpdate>().Count());
        Assert.Equal(tradesInSample * tradeMessages, events.OfType<Trade>().Count());
        Assert.Equal(ignored, stats.Ignored);
    }

    [Fact]
    public void A_recording_replays_books_and_trades_with_gaps_reconnects_and_resyncs_counted()
    {
        var path = Write(
            Header(),
            BybitRecordingFormat.Connected(T0, 1),
            Rec(0, """{"success":true,"ret_msg":"","conn_id":"c1","req_id":"sub-1","op":"subscribe"}"""),
            Rec(10, Book("snapshot", 100, 10, """[["100.0","1"],["99.5","2"]]""", """[["100.5","1"]]""")),
            Rec(20, Book("delta", 101, 20, """[["100.0","3"]]""", "[]")),
            Rec(30, Trade("a-1", 30, "Sell", "100.0", "0.5")),
            Rec(31, Trade("a-1", 30, "Sell", "100.0", "0.5")),                      // repeated
            Rec(40, Book("delta", 101, 40, """[["100.0","9"]]""", "[]")),           // stale
            Rec(50, Book("delta", 103, 50, """[["99.0","1"]]""", "[]")),            // 102 lost: gap
            Rec(60, Book("delta", 104, 60, "[]", "[]")),                            // waits
            Rec(70, Book("snapshot", 200, 70, """[["99.0","4"]]""", """[["99.8","2"]]""")), // resync
            BybitRecordingFormat.Connected(T0.AddMilliseconds(80), 2),
            Rec(90, Book("delta", 201, 90, "[]", "[]")),                            // after a reconnect: waits for the snapshot
            Rec(100, Book("snapshot", 300, 100, """[["98.0","1"]]""", """[["98.5","1"]]""")),
            Rec(110, Book("delta", 301, 110, "[]", """[["98.4","2"]]""")),
            Rec(120, Trade("a-2", 120, "Buy", "98.4", "0.1")));
        var (events, stats) = Read(path);

        var s = Assert.Single(stats.Symbols);
        Assert.Equal((3L, 1L, 2L, 1L), (s.Snapshots, s.Gaps, s.Resyncs, s.Stale));
        Assert.Equal((2L, 1L, 2L, 1L), (s.Trades, s.DuplicateTrades, s.Unsynced, stats.Reconnects));
        Assert.Equal(1, stats.Ignored);
        var consumer = new OrderBook(new Symbol("BTCUSDT"));
        var results = events.OfType<BookUpdate>().Select(consumer.Apply).ToList();
        Assert.Equal([BookApplyResult.Snapshot, BookApplyResult.Applied, BookApplyResult.Gap, BookApplyResult.Snapshot,
            BookApplyResult.Snapshot, BookApplyResult.Applied], results);
        Assert.Equal((new BookLevel(98.0m, 1m), new BookLevel(98.4m, 2m)), (consumer.BestBid!.Value, consumer.BestAsk!.Value));
        Assert.Equal((consumer.BestBid, consumer.BestAsk), (s.Book!.BestBid, s.Book.BestAsk));
        var trades = events.OfType<Trade>().ToList();
        Assert.Equal([(Side.Sell, 100.0m, 0.5m), (Side.Buy, 98.4m, 0.1m)], trades.Select(t => (t.TakerSide, t.Price, t.Qty)));
        Assert.Equal(events.Select(e => e.Time).Order(), events.Select(e => e.Time));
        Assert.Equal(T0.AddMilliseconds(10), s.First);
        Assert.Equal(T0.AddMilliseconds(120), s.Last);
    }

    [Theory]
    [InlineData("not json", "invalid JSON literal")]
    [InlineData("{\"recv_ns\":1,\"msg\":[1,2]}", "must be a JSON object")]
    [InlineData("{\"hello\":1}", "neither a recorded message")]
    [InlineData("{\"recv_ns\":1,\"msg\":{\"topic\":\"orderbook.50.BTCUSDT\",\"type\":\"delta\",\"ts\":1,\"data\":{\"s\":\"BTCUSDT\",\"b\":[[\"x\",\"1\"]],\"a\":[],\"u\":2}}}", "parser refuses")]
    [InlineData("{\"recv_ns\":1,\"msg\":{\"topic\":\"nosuchtopic.BTCUSDT\",\"ts\":1,\"data\":{}}}", "unknown topic")]
    public void A_bad_line_is_an_error_with_its_line_number(string bad, string problem)
    {
        var path = Write(Header(), Rec(10, Book("snapshot", 1, 10, """[["1","1"]]""", """[["2","1"]]""")), bad);
        var e = Assert.Throws<MarketDataFormatException>(() => Read(path));
        Assert.Equal(3, e.Line);
        Assert.Contains(problem, e.Problem);
    }

    [Fact]
    public void Recognizes_recordings_but_not_csv_or_binance_lines()
    {
        Assert.True(BybitRecordingReader.Recognizes(Header()));
        Assert.True(BybitRecordingReader.Recognizes(Rec(1, Trade("x", 1, "Buy", "1", "1"))));
        Assert.False(BybitRecordingReader.Recognizes("timestamp,price,qty"));
        Assert.False(BybitRecordingReader.Recognizes("1723161255030314667 {\"stream\":\"x\"}"));
        Assert.False(BybitRecordingReader.Recognizes("{\"a\":1}"));
    }
}
