using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Core.MarketData.Replay;
using Xunit;

namespace Hean.Core.Tests.Replay;

/// <summary>Self-made captures in the shared files' format: sync, gaps, resyncs, order, bad lines.</summary>
public sealed class BinanceCaptureReaderTests : IDisposable
{
    private readonly TempDir _dir = new();
    private long _local = 1_723_161_255_000_000_000;

    public void Dispose() => _dir.Dispose();

    private string Line(string json) => $"{_local += 10_000_000} {json}";

    private static string FutDiff(long U, long u, long pu, long e, string bids = "[]", string asks = "[]") =>
        "{\"stream\":\"btcusdt@depth@0ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":" + e + ",\"T\":" + e + ",\"s\":\"BTCUSDT\",\"U\":" + U + ",\"u\":" + u + ",\"pu\":" + pu + ",\"b\":" + bids + ",\"a\":" + asks + "}}";

    private static string SpotDiff(long U, long u, long e, string bids = "[]", string asks = "[]") =>
        "{\"stream\":\"ethusdt@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":" + e + ",\"s\":\"ETHUSDT\",\"U\":" + U + ",\"u\":" + u + ",\"b\":" + bids + ",\"a\":" + asks + "}}";

    private static string Snapshot(long id, string bids = """[["100.0","1"],["99.0","2"]]""", string asks = """[["101.0","1"],["102.0","3"]]""") =>
        $$"""{"lastUpdateId":{{id}},"bids":{{bids}},"asks":{{asks}}}""";

    private static string FutTrade(long id, long t, string p, string q, bool buyerMaker) =>
        "{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":" + (t + 1) + ",\"T\":" + t + ",\"s\":\"BTCUSDT\",\"t\":" + id + ",\"p\":\"" + p + "\",\"q\":\"" + q + "\",\"X\":\"MARKET\",\"m\":" + (buyerMaker ? "true" : "false") + "}}";

    private static string Ticker(string sym, long u, string b, string bq, string a, string aq) =>
        "{\"stream\":\"" + sym.ToLowerInvariant() + "@bookTicker\",\"data\":{\"e\":\"bookTicker\",\"u\":" + u + ",\"s\":\"" + sym + "\",\"b\":\"" + b + "\",\"B\":\"" + bq + "\",\"a\":\"" + a + "\",\"A\":\"" + aq + "\"}}";

    private string Write(string name, params string[] jsonLines) => _dir.Write(name, string.Join("\n", jsonLines.Select(Line)) + "\n");

    private static (List<IMarketEvent> Events, SymbolReplayStats Stats) Read(params string[] paths)
    {
        var stats = new ReplayStats();
        var events = BinanceCaptureReader.Read(paths, stats).ToList();
        return (events, Assert.Single(stats.Symbols));
    }

    [Fact]
    public void Diffs_before_the_snapshot_wait_for_it_and_the_one_that_straddles_it_applies_first()
    {
        var file = Write("spot_ws.gz",
            SpotDiff(1, 5, 1000, asks: """[["101.0","9"]]"""),        // older than the snapshot: dropped
            SpotDiff(6, 12, 1100, bids: """[["100.5","4"]]"""),       // straddles L = 10
            Snapshot(10),
            SpotDiff(13, 15, 1200, bids: """[["100.0","0"]]"""),      // follows: U = 12 + 1
            Ticker("ETHUSDT", 15, "100.5", "4", "101.0", "1"));
        var (events, s) = Read(file);

        var updates = events.OfType<BookUpdate>().ToList();
        Assert.Equal([(10L, true), (12L, false), (15L, false)], updates.Select(u => (u.Sequence, u.IsSnapshot)));
        var book = new OrderBook(new Symbol("ETHUSDT"));
        Assert.All(updates, u => Assert.NotEqual(BookApplyResult.Gap, book.Apply(u)));
        Assert.Equal(new BookLevel(100.5m, 4m), book.BestBid);
        Assert.Equal(new BookLevel(101.0m, 1m), book.BestAsk);
        Assert.Equal((2, 2), (book.BidLevels, book.AskLevels));
        Assert.Equal((1L, 0L, 0L, 1L), (s.Snapshots, s.Gaps, s.Resyncs, s.Unsynced));
        Assert.Equal((1L, 0L), (s.TickerChecks, s.TickerMismatches));
        Assert.Equal(book.BestBid, s.Book!.BestBid);
    }

    [Fact]
    public void A_missing_futures_diff_is_a_gap_and_the_next_snapshot_resyncs()
    {
        var file = Write("fut_ws.gz",
            Snapshot(100),
            FutDiff(95, 110, 90, 1000, bids: """[["100.0","5"]]"""),
            FutDiff(111, 120, 110, 1100),
            FutDiff(131, 140, 130, 1200),                              // pu 130 ≠ 120: lost 121..130
            FutDiff(141, 150, 140, 1300),                              // waits for a snapshot
            Snapshot(145, bids: """[["99.5","7"]]""", asks: """[["100.5","2"]]"""),
            FutDiff(151, 160, 150, 1400, asks: """[["100.4","1"]]"""));
        var (events, s) = Read(file);

        Assert.Equal((1L, 1L, 2L), (s.Gaps, s.Resyncs, s.Snapshots));
        var consumer = new OrderBook(new Symbol("BTCUSDT"));
        var results = events.OfType<BookUpdate>().Select(consumer.Apply).ToList();
        Assert.Equal([BookApplyResult.Snapshot, BookApplyResult.Applied, BookApplyResult.Applied, BookApplyResult.Gap,
            BookApplyResult.Snapshot, BookApplyResult.Applied, BookApplyResult.Applied], results);
        Assert.Equal(new BookLevel(99.5m, 7m), consumer.BestBid);
        Assert.Equal(new BookLevel(100.4m, 1m), consumer.BestAsk);
        Assert.Equal(160, consumer.Sequence);
    }

    [Fact]
    public void Repeated_and_out_of_order_diffs_are_dropped_as_stale()
    {
        var file = Write("fut_ws.gz",
            Snapshot(100),
            FutDiff(99, 110, 98, 1000),
            FutDiff(111, 120, 110, 1100, bids: """[["100.0","3"]]"""),
            FutDiff(111, 120, 110, 1101, bids: """[["100.0","8"]]"""),    // repeat
            FutDiff(99, 110, 98, 1102),                                  // from the past
            FutDiff(121, 130, 120, 1200));
        var (events, s) = Read(file);
        Assert.Equal((2L, 0L), (s.Stale, s.Gaps));
        Assert.Equal([100L, 110, 120, 130], events.OfType<BookUpdate>().Select(u => u.Sequence));
        Assert.Equal(3m, s.Book!.QtyAt(Side.Buy, 100.0m));
    }

    [Fact]
    public void Events_come_out_in_time_order_though_trades_lag_the_depth_stream()
    {
        var file = Write("fut_ws.gz",
            Snapshot(100),
            FutDiff(99, 110, 98, 1_000_500),
            FutTrade(1, 1_000_300, "100.5", "0.1", buyerMaker: true),   // traded before the diff above was sent
            FutDiff(111, 120, 110, 1_000_600),
            FutTrade(2, 1_000_550, "100.6", "0.2", buyerMaker: false),
            FutTrade(2, 1_000_550, "100.6", "0.2", buyerMaker: false));  // repeated trade id
        var (events, s) = Read(file);
        Assert.Equal(events.Select(e => e.Time).Order(), events.Select(e => e.Time));
        var trades = events.OfType<Trade>().ToList();
        Assert.Equal([(1L, Side.Sell, 100.5m, 0.1m), (2L, Side.Buy, 100.6m, 0.2m)], trades.Select(t => (t.TradeId, t.TakerSide, t.Price, t.Qty)));
        Assert.Equal(DateTime.UnixEpoch.AddMilliseconds(1_000_300), trades[0].Time);
        Assert.Equal((2L, 1L, 0L), (s.Trades, s.DuplicateTrades, s.Late));
    }

    [Fact]
    public void Two_files_continue_one_stream()
    {
        var first = Write("a_ws.gz", Snapshot(100), FutDiff(99, 110, 98, 1000));
        var second = Write("b_ws.gz", FutDiff(111, 120, 110, 1100, asks: """[["101.0","0"]]"""));
        var (events, s) = Read(first, second);
        Assert.Equal(3, events.Count);
        Assert.Equal((0L, 1), (s.Gaps, s.Book!.AskLevels));
    }

    [Theory]
    [InlineData("no-space-here", 2, "expected '<receive time> <JSON>'")]
    [InlineData("12345 {}", 2, "receive time")]
    [InlineData("1723161255000000000 {not json", 2, "invalid start")]
    [InlineData("1723161255000000000 {\"foo\":1}", 2, "neither a combined-stream message")]
    [InlineData("1723161255000000000 {\"stream\":\"btcusdt@trade\",\"data\":{\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"-1\",\"q\":\"1\",\"T\":1,\"m\":true}}", 2, "not a non-negative decimal")]
    [InlineData("1723161255000000000 {\"stream\":\"btcusdt@trade\",\"data\":{\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"1\",\"q\":\"1\",\"m\":true}}", 2, "not present")]
    [InlineData("1723161255000000000 {\"stream\":\"btcusdt@depth@0ms\",\"data\":{\"s\":\"BTCUSDT\",\"E\":1,\"U\":5,\"u\":4,\"b\":[],\"a\":[]}}", 2, "after the last")]
    [InlineData("1723161255000000000 {\"stream\":\"btcusdt@depth@0ms\",\"data\":{\"s\":\"BTCUSDT\",\"E\":1,\"U\":1,\"u\":4,\"b\":[[\"1\"]],\"a\":[]}}", 2, "must be [price, qty]")]
    public void A_bad_line_is_an_error_naming_the_file_and_line(string badLine, int line, string problem)
    {
        var file = _dir.Write("bad_ws.gz", Line(Snapshot(100)) + "\n" + badLine + "\n" + Line(Snapshot(200)) + "\n");
        var e = Assert.Throws<MarketDataFormatException>(() => BinanceCaptureReader.Read([file]).ToList());
        Assert.Equal(line, e.Line);
        Assert.Equal(file, e.File);
        Assert.Contains(problem, e.Problem);
        Assert.Contains($"line {line}", e.Message);
    }

    [Fact]
    public void A_snapshot_in_a_capture_of_two_symbols_is_ambiguous()
    {
        var file = Write("two_ws.gz",
            FutDiff(1, 2, 0, 1000),
            SpotDiff(1, 2, 1000),
            Snapshot(5));
        var e = Assert.Throws<MarketDataFormatException>(() => BinanceCaptureReader.Read([file]).ToList());
        Assert.Equal(3, e.Line);
        Assert.Contains("names no symbol", e.Message);
    }

    [Fact]
    public void Capture_lines_are_recognised_and_csv_is_not()
    {
        Assert.True(BinanceCaptureReader.Recognizes(Line(Snapshot(1))));
        Assert.True(BinanceCaptureReader.Recognizes("1680652700423575 {\"stream\":\"x\"}"));
        Assert.False(BinanceCaptureReader.Recognizes("exchange_time_ms,price,qty"));
        Assert.False(BinanceCaptureReader.Recognizes("{\"topic\":\"orderbook.50.BTCUSDT\"}"));
        Assert.False(BinanceCaptureReader.Recognizes(null));
    }
}
