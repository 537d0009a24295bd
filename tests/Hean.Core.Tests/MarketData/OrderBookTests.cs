using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hean.Core.Domain;
using Hean.Core.MarketData;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Core.Tests.MarketData;

public sealed class OrderBookTests(ITestOutputHelper output)
{
    private static readonly Symbol Btc = new("BTCUSDT");
    private static readonly DateTime T0 = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static BookLevel L(decimal price, decimal qty) => new(price, qty);

    private static BookUpdate Snapshot(long seq, BookLevel[] bids, BookLevel[] asks) =>
        new(Btc, T0.AddMilliseconds(seq), seq, 0, true, bids, asks);

    private static BookUpdate Delta(long seq, BookLevel[] bids, BookLevel[] asks, long prev = 0) =>
        new(Btc, T0.AddMilliseconds(seq), seq, prev, false, bids, asks);

    private static OrderBook BookWith(long seq = 10)
    {
        var book = new OrderBook(Btc);
        book.Apply(Snapshot(seq, [L(99, 1), L(98, 2), L(97, 3)], [L(101, 1), L(102, 2), L(103, 3)]));
        return book;
    }

    [Fact]
    public void Snapshot_sorts_levels_and_initializes()
    {
        var book = new OrderBook(Btc);
        var result = book.Apply(Snapshot(7, [L(97, 3), L(99, 1), L(98, 2), L(96, 0)], [L(103, 3), L(101, 1), L(102, 2)]));

        Assert.Equal(BookApplyResult.Snapshot, result);
        Assert.True(book.IsInitialized);
        Assert.Equal(7, book.Sequence);
        Assert.Equal([L(99, 1), L(98, 2), L(97, 3)], book.Bids(10));
        Assert.Equal([L(101, 1), L(102, 2), L(103, 3)], book.Asks(10));
        Assert.Equal(3, book.BidLevels);
        Assert.Equal(3, book.AskLevels);
        Assert.Equal(100m, book.Mid);
        Assert.Equal(2m, book.Spread);
    }

    [Fact]
    public void Snapshot_replaces_everything()
    {
        var book = BookWith();
        book.Apply(Snapshot(3, [L(50, 1)], [L(60, 1)]));

        Assert.Equal([L(50, 1)], book.Bids(10));
        Assert.Equal([L(60, 1)], book.Asks(10));
        Assert.Equal(3, book.Sequence);
    }

    [Fact]
    public void Delta_before_any_snapshot_is_ignored()
    {
        var book = new OrderBook(Btc);

        Assert.Equal(BookApplyResult.NotInitialized, book.Apply(Delta(1, [L(99, 1)], [])));
        Assert.False(book.IsInitialized);
        Assert.Null(book.BestBid);
        Assert.Null(book.Mid);
    }

    [Fact]
    public void Delta_inserts_updates_and_deletes_levels()
    {
        var book = BookWith();

        var result = book.Apply(Delta(11, [L(99, 5), L(98, 0), L(99.5m, 0.5m)], [L(102, 0), L(104, 4)]));

        Assert.Equal(BookApplyResult.Applied, result);
        Assert.Equal(11, book.Sequence);
        Assert.Equal([L(99.5m, 0.5m), L(99, 5), L(97, 3)], book.Bids(10));
        Assert.Equal([L(101, 1), L(103, 3), L(104, 4)], book.Asks(10));
        Assert.Equal(L(99.5m, 0.5m), book.BestBid);
        Assert.Equal(L(101, 1), book.BestAsk);
    }

    [Fact]
    public void Deleting_an_unknown_level_changes_nothing()
    {
        var book = BookWith();
        book.Apply(Delta(11, [L(90, 0)], [L(110, 0)]));

        Assert.Equal(3, book.BidLevels);
        Assert.Equal(3, book.AskLevels);
    }

    [Fact]
    public void Delta_at_or_before_the_current_sequence_is_stale()
    {
        var book = BookWith(seq: 10);

        Assert.Equal(BookApplyResult.Stale, book.Apply(Delta(10, [L(99, 9)], [])));
        Assert.Equal(BookApplyResult.Stale, book.Apply(Delta(4, [L(99, 9)], [])));
        Assert.Equal(1m, book.QtyAt(Side.Buy, 99));
        Assert.True(book.IsInitialized);
    }

    [Fact]
    public void Sequence_jump_is_a_gap_that_needs_a_new_snapshot()
    {
        var book = BookWith(seq: 10);

        Assert.Equal(BookApplyResult.Gap, book.Apply(Delta(12, [L(99, 9)], [])));
        Assert.False(book.IsInitialized);
        Assert.Equal(10, book.Sequence);
        Assert.Equal(1m, book.QtyAt(Side.Buy, 99));
        Assert.Equal(BookApplyResult.NotInitialized, book.Apply(Delta(13, [L(99, 9)], [])));

        Assert.Equal(BookApplyResult.Snapshot, book.Apply(Snapshot(20, [L(99, 2)], [L(100, 2)])));
        Assert.Equal(BookApplyResult.Applied, book.Apply(Delta(21, [L(99, 3)], [])));
        Assert.Equal(3m, book.QtyAt(Side.Buy, 99));
    }

    [Fact]
    public void Prev_sequence_decides_continuity_when_given()
    {
        var book = BookWith(seq: 10);

        Assert.Equal(BookApplyResult.Applied, book.Apply(Delta(15, [L(99, 2)], [], prev: 10)));
        Assert.Equal(15, book.Sequence);
        Assert.Equal(BookApplyResult.Gap, book.Apply(Delta(17, [L(99, 3)], [], prev: 16)));
        Assert.False(book.IsInitialized);
    }

    [Fact]
    public void New_bid_through_old_asks_removes_the_crossed_asks()
    {
        var book = BookWith();

        book.Apply(Delta(11, [L(102, 4)], []));

        Assert.Equal(L(102, 4), book.BestBid);
        Assert.Equal([L(103, 3)], book.Asks(10));
        Assert.True(book.BestBid!.Value.Price < book.BestAsk!.Value.Price);
    }

    [Fact]
    public void New_ask_through_old_bids_removes_the_crossed_bids()
    {
        var book = BookWith();

        book.Apply(Delta(11, [], [L(98, 1)]));

        Assert.Equal(L(98, 1), book.BestAsk);
        Assert.Equal([L(97, 3)], book.Bids(10));
    }

    [Fact]
    public void Self_crossed_message_drops_both_crossed_levels()
    {
        var book = BookWith();

        book.Apply(Delta(11, [L(100.5m, 1)], [L(100, 1)]));

        Assert.Equal(L(99, 1), book.BestBid);
        Assert.Equal(L(101, 1), book.BestAsk);
    }

    [Fact]
    public void Crossed_snapshot_is_repaired()
    {
        var book = new OrderBook(Btc);
        book.Apply(Snapshot(1, [L(101, 1), L(100, 1), L(98, 1)], [L(99, 1), L(102, 1)]));

        Assert.True(book.BestBid!.Value.Price < book.BestAsk!.Value.Price);
    }

    [Fact]
    public void Queries_answer_per_side()
    {
        var book = BookWith();

        Assert.Equal(2m, book.QtyAt(Side.Buy, 98));
        Assert.Equal(0m, book.QtyAt(Side.Buy, 98.5m));
        Assert.Equal(3m, book.QtyAt(Side.Sell, 103));
        Assert.Equal(3m, book.DepthWithin(Side.Buy, 98));
        Assert.Equal(3m, book.DepthWithin(Side.Sell, 102.5m));
        Assert.Equal(0m, book.DepthWithin(Side.Sell, 100));
        Assert.Equal([L(99, 1), L(98, 2)], book.Bids(2));
        Assert.Empty(book.Asks(0));
        Assert.Equal(L(102, 2), book.LevelAt(Side.Sell, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => book.LevelAt(Side.Sell, 3));
    }

    [Fact]
    public void Update_of_another_symbol_is_refused()
    {
        var book = new OrderBook(Btc);
        var eth = new BookUpdate(new Symbol("ETHUSDT"), T0, 1, 0, true, [], []);

        Assert.Throws<ArgumentException>(() => book.Apply(eth));
    }

    [Fact]
    public void Random_deltas_keep_the_book_sorted_uncrossed_and_equal_to_a_naive_model()
    {
        var random = new Random(12345);
        for (var run = 0; run < 20; run++)
        {
            var book = new OrderBook(Btc);
            var model = new NaiveBook();
            var seq = 1L;
            var snapshot = Snapshot(seq, RandomLevels(random, 990, 1000, 20), RandomLevels(random, 1000, 1010, 20));
            book.Apply(snapshot);
            model.Apply(snapshot);
            for (var i = 0; i < 500; i++)
            {
                seq++;
                // Mostly near the top of the book, sometimes through the other side.
                var delta = Delta(seq, RandomLevels(random, 985, 1005, random.Next(0, 6)), RandomLevels(random, 995, 1015, random.Next(0, 6)));
                Assert.Equal(BookApplyResult.Applied, book.Apply(delta));
                model.Apply(delta);

                var bids = book.Bids(int.MaxValue);
                var asks = book.Asks(int.MaxValue);
                Assert.Equal(model.Bids, bids);
                Assert.Equal(model.Asks, asks);
                Assert.True(bids.Zip(bids.Skip(1)).All(p => p.First.Price > p.Second.Price));
                Assert.True(asks.Zip(asks.Skip(1)).All(p => p.First.Price < p.Second.Price));
                Assert.All(bids.Concat(asks), l => Assert.True(l.Qty > 0));
                if (book.BestBid is { } bb && book.BestAsk is { } ba) Assert.True(bb.Price < ba.Price);
                Assert.Equal(model.Bids.FirstOrDefault(), book.BestBid ?? default);
                Assert.Equal(model.Asks.FirstOrDefault(), book.BestAsk ?? default);
            }
        }
    }

    [Theory]
    [InlineData(1)]   // every price with a key: the search compares longs
    [InlineData(2)]   // now and then a price with 11-13 decimals or beyond 9.2e8: the side falls back to decimals
    public void Prices_written_with_other_scales_and_without_a_key_match_and_order_by_value(int seed)
    {
        var random = new Random(seed);
        decimal Price(int whole)
        {
            decimal p = whole + random.Next(0, 4) * 0.25m;
            var written = random.Next(0, 4) switch
            {
                0 => p,
                1 => decimal.Round(p, 2) + 0.00m,                 // 1000.50 for 1000.5
                2 => p + 0.0000000000m,                          // ten decimals: still a key
                _ => decimal.Parse(p.ToString("0.00##", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture),
            };
            if (seed == 2 && random.Next(0, 40) == 0)
                written = random.Next(0, 2) == 0 ? p + 0.0000000000001m : p + 1_000_000_000m; // no key: decimals from now on
            return written;
        }
        BookLevel[] Levels(int min, int max, int count) =>
            Enumerable.Range(0, count).Select(_ => new BookLevel(Price(random.Next(min, max)), random.Next(0, 4) == 0 ? 0m : random.Next(1, 100))).ToArray();

        for (var run = 0; run < 10; run++)
        {
            var book = new OrderBook(Btc);
            var model = new NaiveBook();
            var seq = 1L;
            var snapshot = Snapshot(seq, Levels(990, 1000, 20), Levels(1000, 1010, 20));
            book.Apply(snapshot);
            model.Apply(snapshot);
            for (var i = 0; i < 400; i++)
            {
                seq++;
                var delta = Delta(seq, Levels(985, 1005, random.Next(0, 6)), Levels(995, 1015, random.Next(0, 6)));
                Assert.Equal(BookApplyResult.Applied, book.Apply(delta));
                model.Apply(delta);
                Assert.Equal(model.Bids, book.Bids(int.MaxValue));
                Assert.Equal(model.Asks, book.Asks(int.MaxValue));
                var probe = Price(random.Next(985, 1015));
                Assert.Equal(model.Bids.Where(l => l.Price == probe).Sum(l => l.Qty), book.QtyAt(Side.Buy, probe));
                Assert.Equal(model.Asks.Where(l => l.Price == probe).Sum(l => l.Qty), book.QtyAt(Side.Sell, probe));
                Assert.Equal(model.Bids.Where(l => l.Price >= probe).Sum(l => l.Qty), book.DepthWithin(Side.Buy, probe));
            }
        }
    }

    [Fact]
    public void Applies_100k_deltas_in_sequence()
    {
        var random = new Random(7);
        var book = new OrderBook(Btc);
        book.Apply(Snapshot(1, RandomLevels(random, 500, 1000, 500), RandomLevels(random, 1000, 1500, 500)));
        var deltas = new List<BookUpdate>();
        for (var seq = 2L; seq < 100_002; seq++)
            deltas.Add(Delta(seq, RandomLevels(random, 900, 1000, 3), RandomLevels(random, 1000, 1100, 3)));

        // Speed is the benchmarks' business (MarketPathBenchmarks); here: every delta applies, in order.
        foreach (var d in deltas) Assert.Equal(BookApplyResult.Applied, book.Apply(d));
        Assert.Equal(BookApplyResult.Stale, book.Apply(deltas[^1]));
    }

    [Fact]
    public void Bybit_capture_replays_without_gap_and_never_crosses()
    {
        const string path = "/work/shared/data/bybit/market/orderbook500_linear_XRPUSDT_2024-12-01_first50msgs.jsonl";
        if (!File.Exists(path))
        {
            output.WriteLine($"Bybit order-book capture is missing ({path}); nothing to replay.");
            return;
        }

        var book = new OrderBook(new Symbol("XRPUSDT"));
        var lines = File.ReadLines(path).Where(l => l.Length > 0).ToList();
        Assert.Equal(50, lines.Count);
        foreach (var line in lines)
        {
            var update = ParseBybitBook(line);
            var result = book.Apply(update);
            Assert.Equal(update.IsSnapshot ? BookApplyResult.Snapshot : BookApplyResult.Applied, result);
            Assert.True(book.IsInitialized);
            Assert.True(book.BestBid!.Value.Price < book.BestAsk!.Value.Price);
        }

        Assert.Equal(20254918, book.Sequence);
        Assert.Equal(500, book.BidLevels);
        Assert.Equal(500, book.AskLevels);
        Assert.Equal(1.9537m, book.BestBid!.Value.Price);
        Assert.Equal(1.9538m, book.BestAsk!.Value.Price);
    }

    /// <summary>Bybit orderbook push: u increases by one per message, a snapshot resets (u == 1 after a restart).</summary>
    private static BookUpdate ParseBybitBook(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        var data = root.GetProperty("data");
        return new BookUpdate(
            new Symbol(data.GetProperty("s").GetString()!),
            DateTime.UnixEpoch.AddMilliseconds(root.GetProperty("ts").GetInt64()),
            data.GetProperty("u").GetInt64(),
            0,
            root.GetProperty("type").GetString() == "snapshot",
            ParseLevels(data.GetProperty("b")),
            ParseLevels(data.GetProperty("a")));
    }

    private static BookLevel[] ParseLevels(JsonElement levels) =>
        levels.EnumerateArray()
            .Select(l => new BookLevel(
                decimal.Parse(l[0].GetString()!, CultureInfo.InvariantCulture),
                decimal.Parse(l[1].GetString()!, CultureInfo.InvariantCulture)))
            .ToArray();

    private static BookLevel[] RandomLevels(Random random, int minPrice, int maxPrice, int count) =>
        Enumerable.Range(0, count)
            .Select(_ => new BookLevel(random.Next(minPrice, maxPrice) + random.Next(0, 2) * 0.5m, random.Next(0, 4) == 0 ? 0m : random.Next(1, 100)))
            .ToArray();

    /// <summary>The documented rules written the obvious way, to check the sorted-array book against.</summary>
    private sealed class NaiveBook
    {
        private readonly SortedDictionary<decimal, decimal> _bids = new(Comparer<decimal>.Create((a, b) => b.CompareTo(a)));
        private readonly SortedDictionary<decimal, decimal> _asks = new();

        public List<BookLevel> Bids => _bids.Select(kv => new BookLevel(kv.Key, kv.Value)).ToList();
        public List<BookLevel> Asks => _asks.Select(kv => new BookLevel(kv.Key, kv.Value)).ToList();

        public void Apply(BookUpdate u)
        {
            if (u.IsSnapshot)
            {
                _bids.Clear();
                _asks.Clear();
            }
            foreach (var l in u.Bids) Set(_bids, l);
            foreach (var l in u.Asks) Set(_asks, l);
            while (_bids.Count > 0 && _asks.Count > 0 && _bids.Keys.First() >= _asks.Keys.First())
            {
                var bid = _bids.Keys.First();
                var ask = _asks.Keys.First();
                var bidNew = u.IsSnapshot || u.Bids.Any(l => l.Price == bid && l.Qty > 0);
                var askNew = u.IsSnapshot || u.Asks.Any(l => l.Price == ask && l.Qty > 0);
                if (!askNew || bidNew == askNew) _asks.Remove(ask);
                if (!bidNew || bidNew == askNew) _bids.Remove(bid);
            }
        }

        private static void Set(SortedDictionary<decimal, decimal> side, BookLevel l)
        {
            if (l.Qty == 0) side.Remove(l.Price);
            else side[l.Price] = l.Qty;
        }
    }
}
