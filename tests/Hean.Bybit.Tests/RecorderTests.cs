using System.Threading.Channels;
using Hean.Bybit.Recording;
using Hean.Bybit.WebSocket;
using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Core.MarketData.Replay;

namespace Hean.Bybit.Tests;

/// <summary>The recorder against the fake Bybit's public stream; the file then replays into the venue's book.</summary>
public sealed class RecorderTests : FakeBybitTest, IDisposable
{
    private const string Book = "orderbook.50.BTCUSDT";
    private const string Trades = "publicTrade.BTCUSDT";
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"hean-record-{Guid.NewGuid():N}.jsonl.gz");
    private readonly Channel<BybitMessage> _recorded = Channel.CreateUnbounded<BybitMessage>();

    public void Dispose() => File.Delete(_file);

    private BybitRecorder Recorder()
    {
        var recorder = new BybitRecorder(new BybitStreamOptions(Fake.PublicWsUrl)
        {
            PingInterval = TimeSpan.FromMilliseconds(200),
            StaleAfter = TimeSpan.FromSeconds(2),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
        }, [Book, Trades], _file);
        recorder.Recorded += m => _recorded.Writer.TryWrite(m);
        return recorder;
    }

    private Task<BybitOrderBookMessage> Snapshot() => Next<BybitMessage, BybitOrderBookMessage>(_recorded.Reader, b => b.IsSnapshot);

    private Task<BybitPublicTradesMessage> TradeAt(decimal price) =>
        Next<BybitMessage, BybitPublicTradesMessage>(_recorded.Reader, t => t.Trades.Any(x => x.Price == price));

    [Fact]
    public async Task A_recording_with_a_gap_and_a_reconnect_replays_into_the_venue_book()
    {
        await using var recorder = Recorder();
        recorder.Start();
        await Snapshot();

        Fake.Venue.PublishBookDelta("BTCUSDT", [(60_000.0m, 5m)], []);
        Fake.Venue.PublishTrade("BTCUSDT", 60_000.1m, 0.5m, Side.Buy);
        await TradeAt(60_000.1m);

        Fake.Faults.DropNextPublicMessages(1);
        Fake.Venue.PublishBookDelta("BTCUSDT", [(59_999.9m, 0m)], []);        // lost
        Fake.Venue.PublishBookDelta("BTCUSDT", [], [(60_000.3m, 4m)]);        // a gap: the recorder resubscribes
        await Snapshot();

        recorder.Reconnect();
        await Snapshot();
        await Eventually(() => recorder.Connections == 2, "the second connection");
        Fake.Venue.PublishBookDelta("BTCUSDT", [(59_999.5m, 7m)], [(60_000.1m, 0m)]);
        Fake.Venue.PublishTrade("BTCUSDT", 59_999.5m, 0.25m, Side.Sell);
        await TradeAt(59_999.5m);
        await recorder.StopAsync();

        Assert.Equal((1L, 1L, 0L), (recorder.Stats.Gaps, recorder.Stats.Resyncs, recorder.Stats.Malformed));
        Assert.Equal(MarketDataFormat.BybitRecording, MarketDataFiles.Detect(_file));
        var stats = new ReplayStats();
        var events = BybitRecordingReader.Read([_file], stats).ToList();
        var s = Assert.Single(stats.Symbols);
        Assert.Equal(1, stats.Reconnects);
        Assert.Equal((1L, 2L, 3L), (s.Gaps, s.Resyncs, s.Snapshots)); // the gap's snapshot and the reconnect's
        Assert.Equal(2, s.Trades);

        var venue = new OrderBook(new Symbol("BTCUSDT"));
        venue.Apply(new BookUpdate(venue.Symbol, DateTime.UtcNow, 1, 0, true,
            [new(60_000.0m, 5m), new(59_999.5m, 7m)], [new(60_000.2m, 2m), new(60_000.3m, 4m)]));
        var consumer = new OrderBook(venue.Symbol);
        foreach (var u in events.OfType<BookUpdate>()) consumer.Apply(u);
        Assert.True(consumer.IsInitialized);
        Assert.Equal(venue.Bids(10), consumer.Bids(10));
        Assert.Equal(venue.Asks(10), consumer.Asks(10));
        Assert.Equal([(Side.Buy, 60_000.1m), (Side.Sell, 59_999.5m)], events.OfType<Trade>().Select(t => (t.TakerSide, t.Price)));
    }

    [Fact]
    public async Task Stopping_leaves_a_complete_gzip_file_even_with_nothing_recorded_but_the_snapshot()
    {
        var recorder = Recorder();
        recorder.Start();
        await Snapshot();
        await recorder.StopAsync();
        await recorder.StopAsync(); // twice is harmless

        var stats = new ReplayStats();
        var events = BybitRecordingReader.Read([_file], stats).ToList();
        Assert.IsType<BookUpdate>(Assert.Single(events));
        Assert.True(stats.Lines >= 3); // header, connected, snapshot
    }
}
