using Hean.Bybit.WebSocket;
using Hean.Core.Domain;
using Hean.Core.MarketData;

namespace Hean.Bybit.Tests;

public class OrderBookReplayTests
{
    private const string Capture = "market/orderbook500_linear_XRPUSDT_2024-12-01_first50msgs.jsonl";

    [SkippableFact]
    public void The_real_capture_replays_into_the_documented_book()
    {
        Skip.If(TestData.SharedBybitDir is null, TestData.SharedMissing);
        var lines = File.ReadAllLines(Path.Combine(TestData.SharedBybitDir!, Capture));
        Assert.Equal(50, lines.Length);
        var book = new OrderBook(new Symbol("XRPUSDT"));
        var parser = new BybitMessageParser();
        foreach (var line in lines)
        {
            var update = Assert.IsType<BybitOrderBookMessage>(parser.Parse(line)).ToBookUpdate();
            Assert.True(book.Apply(update) is BookApplyResult.Snapshot or BookApplyResult.Applied);
            Assert.True(book.BestBid!.Value.Price < book.BestAsk!.Value.Price, "the book never crosses");
        }
        Assert.Equal((500, 500), (book.BidLevels, book.AskLevels));
        Assert.Equal((1.9537m, 1.9538m), (book.BestBid!.Value.Price, book.BestAsk!.Value.Price));
        Assert.Equal(20254918, book.Sequence);
        Assert.Equal(0, parser.MalformedCount);
    }

    [SkippableFact]
    public void A_lost_line_of_the_capture_is_a_gap()
    {
        Skip.If(TestData.SharedBybitDir is null, TestData.SharedMissing);
        var lines = File.ReadAllLines(Path.Combine(TestData.SharedBybitDir!, Capture)).ToList();
        lines.RemoveAt(20);
        var results = Replay(lines);
        Assert.Equal(BookApplyResult.Gap, results[20]);
        Assert.All(results.Skip(21), r => Assert.Equal(BookApplyResult.NotInitialized, r));
    }

    [Fact]
    public void The_self_made_book_sample_replays_and_detects_a_gap()
    {
        var lines = File.ReadAllLines(Path.Combine(TestData.SamplesDir, "market", "orderbook50_ETHUSDT_sample.jsonl"));
        var parser = new BybitMessageParser();
        var book = new OrderBook(new Symbol("ETHUSDT"));
        foreach (var line in lines) book.Apply(Assert.IsType<BybitOrderBookMessage>(parser.Parse(line)).ToBookUpdate());
        Assert.Equal([new BookLevel(3330.15m, 1.5m), new BookLevel(3330.00m, 7m)], book.Bids(2));
        Assert.Equal([new BookLevel(3330.25m, 3m), new BookLevel(3330.30m, 6m)], book.Asks(2));

        Assert.Equal([BookApplyResult.Snapshot, BookApplyResult.Applied, BookApplyResult.Gap],
            Replay([lines[0], lines[1], lines[3]]));
    }

    private static List<BookApplyResult> Replay(IEnumerable<string> lines)
    {
        var parser = new BybitMessageParser();
        OrderBook? book = null;
        var results = new List<BookApplyResult>();
        foreach (var line in lines)
        {
            var update = Assert.IsType<BybitOrderBookMessage>(parser.Parse(line)).ToBookUpdate();
            book ??= new OrderBook(update.Symbol);
            results.Add(book.Apply(update));
        }
        return results;
    }
}
