using Microsoft.Extensions.Time.Testing;
using Hean.Bybit.WebSocket;
using Hean.Core.Domain;
using Hean.Core.Features;
using Hean.Core.MarketData;

namespace Hean.Bybit.Tests;

public class PublicStreamTests : FakeBybitTest
{
    private const string Book = "orderbook.50.BTCUSDT";

    private Task<BybitPublicStream> Connect(params string[] topics) => Connect(null, topics);

    private async Task<BybitPublicStream> Connect(TimeProvider? time, params string[] topics)
    {
        var stream = new BybitPublicStream(new BybitStreamOptions(Fake.PublicWsUrl)
        {
            PingInterval = TimeSpan.FromMilliseconds(200),
            StaleAfter = TimeSpan.FromSeconds(2),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
        }, time: time);
        await stream.SubscribeAsync(topics);
        stream.Start();
        return stream;
    }

    /// <summary>Publishes a delta at the fake and applies the same change to the test's reference book.</summary>
    private void Delta(OrderBook reference, (decimal, decimal)[] bids, (decimal, decimal)[] asks)
    {
        Fake.Venue.PublishBookDelta("BTCUSDT", bids, asks);
        reference.Apply(new BookUpdate(reference.Symbol, DateTime.UtcNow, reference.Sequence + 1, 0, false,
            bids.Select(b => new BookLevel(b.Item1, b.Item2)).ToList(), asks.Select(a => new BookLevel(a.Item1, a.Item2)).ToList()));
    }

    private static OrderBook Reference()
    {
        var book = new OrderBook(new Symbol("BTCUSDT"));
        book.Apply(new BookUpdate(book.Symbol, DateTime.UtcNow, 1, 0, true,
            [new(60_000.0m, 1m), new(59_999.9m, 2m)], [new(60_000.1m, 1m), new(60_000.2m, 2m)]));
        return book;
    }

    private static async Task Consume(BybitPublicStream stream, OrderBook consumer, long untilSequence, List<BookApplyResult>? results = null)
    {
        while (!(consumer.IsInitialized && consumer.Sequence >= untilSequence))
        {
            var update = await Next<IMarketEvent, BookUpdate>(stream.Events);
            var r = consumer.Apply(update);
            results?.Add(r);
        }
    }

    private static void AssertSameBook(OrderBook expected, OrderBook actual)
    {
        Assert.Equal(expected.Bids(100), actual.Bids(100));
        Assert.Equal(expected.Asks(100), actual.Asks(100));
    }

    [Fact]
    public async Task A_snapshot_and_its_deltas_build_the_venue_book()
    {
        await using var stream = await Connect(Book);
        var consumer = new OrderBook(new Symbol("BTCUSDT"));
        var snapshot = await Next<IMarketEvent, BookUpdate>(stream.Events);
        Assert.True(snapshot.IsSnapshot);
        consumer.Apply(snapshot);
        var reference = Reference();
        AssertSameBook(reference, consumer);

        var random = new Random(5);
        for (var i = 0; i < 200; i++)
        {
            var bid = 59_990m + random.Next(100) / 10m;
            var ask = 60_000.1m + random.Next(100) / 10m;
            Delta(reference, [(bid, random.Next(3) == 0 ? 0m : random.Next(1, 50) / 10m)], [(ask, random.Next(3) == 0 ? 0m : random.Next(1, 50) / 10m)]);
        }
        await Consume(stream, consumer, Fake.Venue.UpdateIdOf("BTCUSDT"));
        AssertSameBook(reference, consumer);
        Assert.Equal((0L, 0L), (stream.Stats.Gaps, stream.Parser.MalformedCount));
    }

    [Fact]
    public async Task A_gap_in_update_ids_resubscribes_and_a_fresh_snapshot_repairs_the_book()
    {
        await using var stream = await Connect(Book);
        var consumer = new OrderBook(new Symbol("BTCUSDT"));
        consumer.Apply(await Next<IMarketEvent, BookUpdate>(stream.Events));
        var reference = Reference();

        Fake.Faults.DropNextPublicMessages(1);
        Delta(reference, [(59_999.5m, 4m)], []);   // lost on the way
        Delta(reference, [], [(60_000.1m, 0m)]);   // arrives with u two ahead
        var results = new List<BookApplyResult>();
        await Consume(stream, consumer, Fake.Venue.UpdateIdOf("BTCUSDT"), results);

        Assert.Equal(BookApplyResult.Gap, results[0]);
        Assert.Equal(BookApplyResult.Snapshot, results[^1]);
        AssertSameBook(reference, consumer);
        Assert.Equal((1L, 1L), (stream.Stats.Gaps, stream.Stats.Resyncs));

        Delta(reference, [(60_000.05m, 1m)], []);
        await Consume(stream, consumer, Fake.Venue.UpdateIdOf("BTCUSDT"));
        AssertSameBook(reference, consumer);
    }

    [Fact]
    public async Task A_message_with_update_id_1_after_a_venue_restart_replaces_the_book_and_the_deltas_after_it_apply()
    {
        await using var stream = await Connect(Book);
        var consumer = new OrderBook(new Symbol("BTCUSDT"));
        consumer.Apply(await Next<IMarketEvent, BookUpdate>(stream.Events));
        var reference = Reference();
        for (var i = 0; i < 5; i++) Delta(reference, [(59_999.0m - i, 1m)], []);
        await Consume(stream, consumer, Fake.Venue.UpdateIdOf("BTCUSDT"));

        // The service restarts with a different book: u=1, sent as a delta.
        Fake.Venue.RestartBookService("BTCUSDT", [(61_000.0m, 3m)], [(61_000.5m, 4m)]);
        var restart = await Next<IMarketEvent, BookUpdate>(stream.Events);
        Assert.True(restart.IsSnapshot, "u=1 is a snapshot whatever its type says");
        Assert.Equal(BookApplyResult.Snapshot, consumer.Apply(restart));
        reference = new OrderBook(new Symbol("BTCUSDT"));
        reference.Apply(new BookUpdate(reference.Symbol, DateTime.UtcNow, 1, 0, true, [new(61_000.0m, 3m)], [new(61_000.5m, 4m)]));
        AssertSameBook(reference, consumer);

        // The deltas after it (u = 2, 3, …) apply: the book is live, not frozen on the old update ids.
        Delta(reference, [(61_000.0m, 0m), (60_999.5m, 2m)], []);
        Delta(reference, [], [(61_001.0m, 5m)]);
        var results = new List<BookApplyResult>();
        for (var i = 0; i < 2; i++) results.Add(consumer.Apply(await Next<IMarketEvent, BookUpdate>(stream.Events)));
        Assert.Equal([BookApplyResult.Applied, BookApplyResult.Applied], results);
        AssertSameBook(reference, consumer);
        Assert.Equal(0L, stream.Stats.Gaps);
    }

    [Fact]
    public async Task Public_trades_become_Core_trades_once_even_when_sent_twice()
    {
        await using var stream = await Connect(BybitTopics.Trades("BTCUSDT"));
        await Eventually(() => stream.IsConnected && stream.Stats.Messages > 0, "the subscription ack");
        Fake.Faults.DuplicateWsMessages = true;
        Fake.Venue.PublishTrade("BTCUSDT", 60_000.1m, 0.3m, Side.Buy);
        Fake.Venue.PublishTrade("BTCUSDT", 60_000.0m, 0.7m, Side.Sell);
        Fake.Venue.PublishTrade("BTCUSDT", 60_000.2m, 0.1m, Side.Buy);

        var trades = new List<Trade>();
        for (var i = 0; i < 3; i++) trades.Add(await Next<IMarketEvent, Trade>(stream.Events));
        Assert.Equal([(60_000.1m, 0.3m, Side.Buy), (60_000.0m, 0.7m, Side.Sell), (60_000.2m, 0.1m, Side.Buy)],
            trades.Select(t => (t.Price, t.Qty, t.TakerSide)));
        Assert.All(trades, t => Assert.Equal(new Symbol("BTCUSDT"), t.Symbol));
        Assert.Equal(3, trades.Select(t => t.TradeId).Distinct().Count());
        await Eventually(() => stream.Stats.Duplicates >= 3, "the repeats to be counted");
        Assert.False(stream.Events.TryRead(out _));
    }

    [Fact]
    public async Task Klines_become_Core_candles_when_they_close()
    {
        await using var stream = await Connect(BybitTopics.Kline("1", "BTCUSDT"));
        await Eventually(() => stream.IsConnected && stream.Stats.Messages > 0, "the subscription ack");
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Fake.Venue.PublishKline("BTCUSDT", "1", start, 100m, 101m, 99m, 100.5m, 1m, confirm: false);
        Fake.Venue.PublishKline("BTCUSDT", "1", start, 100m, 102m, 98m, 101m, 2.5m, confirm: true);
        Fake.Venue.PublishKline("BTCUSDT", "1", start, 100m, 102m, 98m, 101m, 2.5m, confirm: true); // a repeat
        Fake.Venue.PublishKline("BTCUSDT", "1", start.AddMinutes(1), 101m, 103m, 100m, 102m, 4m, confirm: true);

        var first = await Next<IMarketEvent, Candle>(stream.Events);
        Assert.Equal(new Candle(new Symbol("BTCUSDT"), start, TimeSpan.FromMinutes(1), 100m, 102m, 98m, 101m, 2.5m), first);
        var second = await Next<IMarketEvent, Candle>(stream.Events);
        Assert.Equal(start.AddMinutes(1), second.Time);
        Assert.Equal(1, stream.Stats.Duplicates);
    }

    [Fact]
    public async Task A_dropped_connection_reconnects_resubscribes_and_resyncs_the_book()
    {
        await using var stream = await Connect(Book, BybitTopics.Trades("BTCUSDT"));
        var consumer = new OrderBook(new Symbol("BTCUSDT"));
        consumer.Apply(await Next<IMarketEvent, BookUpdate>(stream.Events));
        var reference = Reference();

        Fake.Faults.DropWebSocketConnections();
        await Eventually(() => stream.Stats.Connects >= 2 && stream.IsConnected, "the reconnect");
        Delta(reference, [(59_999.8m, 3m)], []);
        await Consume(stream, consumer, Fake.Venue.UpdateIdOf("BTCUSDT"));
        AssertSameBook(reference, consumer);
        Fake.Venue.PublishTrade("BTCUSDT", 60_000.1m, 0.2m, Side.Buy);
        Assert.Equal(0.2m, (await Next<IMarketEvent, Trade>(stream.Events)).Qty);
    }

    // The two tests below move the stream's clock themselves: with the real clock, a test process whose thread pool is
    // starved for longer than StaleAfter (CI, two cores, many tests at once) would see a reconnect that no network caused.

    [Fact]
    public async Task Pings_keep_a_quiet_connection_open_and_bad_topics_are_reported()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var stream = await Connect(time, Book, "orderbook.50.NOSUCHCOIN");
        await Eventually(() => stream.Stats.SubscribeFailures == 1, "the refused subscription");
        var before = stream.Stats.Messages;
        for (var ping = 1; ping <= 15; ping++) // 3 s of the stream's time, longer than StaleAfter: only pongs arrive
        {
            time.Advance(TimeSpan.FromMilliseconds(200));
            await Eventually(() => stream.Stats.Messages >= before + ping, $"pong {ping}");
        }
        Assert.Equal((1L, 0L), (stream.Stats.Connects, stream.Stats.SilentDrops));
        Assert.True(stream.IsConnected);
    }

    [Fact]
    public async Task A_connection_whose_pings_go_unanswered_is_dropped_and_made_again()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var stream = await Connect(time, Book);
        await Next<IMarketEvent, BookUpdate>(stream.Events);
        Fake.Faults.IgnorePings = true;
        for (var step = 0; step < 10; step++) time.Advance(TimeSpan.FromMilliseconds(200)); // 2 s: still within StaleAfter
        await Task.Delay(100);
        Assert.Equal((1L, 0L), (stream.Stats.Connects, stream.Stats.SilentDrops));

        var deadline = DateTime.UtcNow + Wait;
        while (stream.Stats.Connects < 2) // the next ping finds 2.2 s of silence; the reconnect waits on the same clock
        {
            Assert.True(DateTime.UtcNow < deadline, "no reconnect after the pings went unanswered");
            time.Advance(TimeSpan.FromMilliseconds(200));
            await Task.Delay(20);
        }
        Fake.Faults.IgnorePings = false;
        Assert.Equal(1, stream.Stats.SilentDrops);
        var snapshot = await Next<IMarketEvent, BookUpdate>(stream.Events, u => u.IsSnapshot); // subscribed again
        Assert.Equal("BTCUSDT", snapshot.Symbol.Value);
    }

    [Fact]
    public async Task Tickers_merge_deltas_and_liquidations_pass_through()
    {
        await using var stream = await Connect(BybitTopics.Tickers("BTCUSDT"), BybitTopics.Liquidations("BTCUSDT"));
        var snapshot = await Next<BybitMessage, BybitTickerMessage>(stream.Extras);
        Assert.Equal((60_000.0m, 60_000.1m), (snapshot.Ticker.Bid1Price, snapshot.Ticker.Ask1Price));
        Fake.Venue.PublishTrade("BTCUSDT", 60_000.1m, 0.1m, Side.Buy); // a delta with lastPrice and the touch
        var merged = await Next<BybitMessage, BybitTickerMessage>(stream.Extras, t => t.Ticker.LastPrice is not null);
        Assert.Equal((60_000.1m, 60_000.0m), (merged.Ticker.LastPrice, merged.Ticker.Bid1Price));
        Fake.Venue.PublishLiquidation("BTCUSDT", Side.Sell, 59_000m, 1.5m);
        var liquidation = await Next<BybitMessage, BybitLiquidationMessage>(stream.Extras);
        Assert.Equal((Side.Sell, 59_000m, 1.5m), (liquidation.Liquidations[0].Side, liquidation.Liquidations[0].Price, liquidation.Liquidations[0].Qty));
    }

    [Fact]
    public async Task Funding_and_open_interest_changes_and_liquidations_reach_the_market_events()
    {
        await using var stream = await Connect(BybitTopics.Tickers("BTCUSDT"), BybitTopics.Liquidations("BTCUSDT"), BybitTopics.Trades("BTCUSDT"));
        await Next<BybitMessage, BybitTickerMessage>(stream.Extras); // subscribed: the snapshot came
        var next = new DateTime(2026, 11, 26, 0, 0, 0, DateTimeKind.Utc);
        Fake.Venue.PublishFunding("BTCUSDT", 0.0001m, next, 52_000m);
        var funding = await Next<IMarketEvent, FundingRateUpdate>(stream.Events);
        Assert.Equal((0.0001m, (DateTime?)next), (funding.Rate, funding.NextFundingTime));
        Assert.Equal(52_000m, (await Next<IMarketEvent, OpenInterestUpdate>(stream.Events)).OpenInterest);

        // The same funding again adds nothing; a new open interest is one event; a liquidation is one.
        Fake.Venue.PublishFunding("BTCUSDT", 0.0001m, next, 52_000m);
        Fake.Venue.PublishFunding("BTCUSDT", 0.0001m, next, 52_500m);
        Fake.Venue.PublishLiquidation("BTCUSDT", Side.Sell, 59_000m, 1.5m);
        Fake.Venue.PublishTrade("BTCUSDT", 60_000.1m, 0.2m, Side.Buy);
        var events = new List<IMarketEvent>();
        while (events.LastOrDefault() is not Trade) events.Add(await Next(stream.Events));
        Assert.Equal(3, events.Count);
        Assert.Equal(52_500m, Assert.IsType<OpenInterestUpdate>(events[0]).OpenInterest);
        Assert.Equal((Side.Sell, 1.5m), (Assert.IsType<Liquidation>(events[1]).PositionSide, ((Liquidation)events[1]).Qty));
    }
}
