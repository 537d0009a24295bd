using Akka;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Core.Strategy;
using Hean.Core.Time;
using Hean.Streams.MarketData;
using Xunit;

namespace Hean.Streams.Tests;

public sealed class MarketGraphTests : TestKit
{
    private static readonly Symbol Btc = new("BTCUSDT");
    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private sealed record Init;
    private sealed record Ack;
    private sealed record Done;
    private sealed record Failed(Exception Cause);

    private static IEnumerable<IMarketEvent> Trades(int n, int everyMs = 1000) =>
        Enumerable.Range(0, n).Select(i => (IMarketEvent)new Trade(Btc, T0.AddMilliseconds(i * everyMs), 100m + i % 7, 0.01m, Side.Buy, i + 1));

    [Fact]
    public void Every_event_reaches_the_sink_in_order_and_nothing_moves_without_an_ack()
    {
        var sink = CreateTestProbe();
        var settings = MarketGraphSettings.Backtest(TimeSpan.FromMinutes(1), s => new EmaCrossStrategy(s)) with { MaxBatch = 8 };
        var (killSwitch, _) = MarketGraph.ToActor(Source.From(Trades(100)), settings, sink.Ref, WallClock.Instance,
            new Init(), new Ack(), new Done(), ex => new Failed(ex)).Run(Sys.Materializer());

        sink.ExpectMsg<Init>();
        var stream = sink.LastSender;
        // No ack for Init yet: backpressure holds every element.
        sink.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        stream.Tell(new Ack());

        var received = new List<MarketStep>();
        while (received.Count < 100)
        {
            var batch = sink.ExpectMsg<IReadOnlyList<MarketStep>>();
            Assert.InRange(batch.Count, 1, 8);
            received.AddRange(batch);
            // One batch in flight at most (after the last one the sink may already say Done).
            if (received.Count < 100) sink.ExpectNoMsg(TimeSpan.FromMilliseconds(20));
            stream.Tell(new Ack());
        }
        sink.ExpectMsg<Done>();
        Assert.Equal(Enumerable.Range(1, 100).Select(i => (long)i), received.Select(s => ((Trade)s.Event).TradeId));
        killSwitch.Shutdown();
    }

    /// <summary>Acknowledges batches until the stream says it ended; returns how.</summary>
    private static object AckUntilEnd(Akka.TestKit.TestProbe sink)
    {
        while (true)
        {
            var m = sink.ExpectMsg<object>(TimeSpan.FromSeconds(5));
            if (m is IReadOnlyList<MarketStep>)
            {
                sink.LastSender.Tell(new Ack());
                continue;
            }
            return m;
        }
    }

    [Fact]
    public void Kill_switch_completes_the_stream()
    {
        var sink = CreateTestProbe();
        var settings = MarketGraphSettings.Backtest(TimeSpan.FromMinutes(1), s => new EmaCrossStrategy(s));
        var infinite = Source.Repeat(0).Select(i => (IMarketEvent)new Trade(Btc, T0, 100m, 0.01m, Side.Buy, 1));
        var (killSwitch, _) = MarketGraph.ToActor(infinite, settings, sink.Ref, WallClock.Instance,
            new Init(), new Ack(), new Done(), ex => new Failed(ex)).Run(Sys.Materializer());
        sink.ExpectMsg<Init>();
        sink.Reply(new Ack());
        sink.ExpectMsg<IReadOnlyList<MarketStep>>();
        killSwitch.Shutdown();
        sink.Reply(new Ack());
        Assert.IsType<Done>(AckUntilEnd(sink));
    }

    [Fact]
    public void A_failing_source_is_reported_to_the_sink()
    {
        var sink = CreateTestProbe();
        var settings = MarketGraphSettings.Backtest(TimeSpan.FromMinutes(1), s => new EmaCrossStrategy(s));
        var broken = Source.From(Trades(3)).Concat(Source.Failed<IMarketEvent>(new InvalidDataException("truncated file")));
        MarketGraph.ToActor(broken, settings, sink.Ref, WallClock.Instance, new Init(), new Ack(), new Done(), ex => new Failed(ex))
            .Run(Sys.Materializer());
        sink.ExpectMsg<Init>();
        sink.Reply(new Ack());
        var failed = Assert.IsType<Failed>(AckUntilEnd(sink));
        Assert.Equal("truncated file", failed.Cause.Message);
    }

    [Fact]
    public async Task Pace_releases_events_on_the_data_timeline_scaled_by_speed()
    {
        // 11 events 100 ms apart at speed 2 → about 500 ms of wall time; warm-up events pass at once.
        var live = T0.AddSeconds(10);
        var warmup = Enumerable.Range(0, 50).Select(i => (IMarketEvent)new Trade(Btc, T0.AddMilliseconds(i * 100), 100m, 0.01m, Side.Buy, i + 1));
        var paced = Enumerable.Range(0, 11).Select(i => (IMarketEvent)new Trade(Btc, live.AddMilliseconds(i * 100), 100m, 0.01m, Side.Buy, 100 + i));
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var warm = await Source.From(warmup).Via(MarketGraph.Pace(WallClock.Instance, 2.0, live)).RunWith(Sink.Seq<IMarketEvent>(), Sys.Materializer());
        Assert.Equal(50, warm.Count);
        // Paced, these 4.9 s of data would take 2.45 s at speed 2.
        Assert.True(sw.ElapsedMilliseconds < 1500, $"warm-up events must not wait ({sw.ElapsedMilliseconds} ms)");

        sw.Restart();
        var times = new List<long>();
        var result = await Source.From(paced).Via(MarketGraph.Pace(WallClock.Instance, 2.0, live))
            .Select(e => { times.Add(sw.ElapsedMilliseconds); return e; })
            .RunWith(Sink.Seq<IMarketEvent>(), Sys.Materializer());
        Assert.Equal(11, result.Count);
        Assert.InRange(times[^1], 450, 3000);
        Assert.True(times.Zip(times.Skip(1)).All(p => p.First <= p.Second));
        Assert.Throws<ArgumentOutOfRangeException>(() => MarketGraph.Pace(WallClock.Instance, 0));
    }
}
