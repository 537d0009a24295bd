using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Core.MarketData.Synthetic;
using Hean.Core.Signals;
using Hean.Core.Strategy;
using Hean.Streams.MarketData;
using Xunit;

namespace Hean.Streams.Tests;

public sealed class MarketProcessorTests
{
    private static readonly Symbol Btc = new("BTCUSDT");
    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>A strategy that says Long on every candle and records what it saw.</summary>
    private sealed class RecordingStrategy(Symbol symbol) : IStrategy
    {
        public List<Candle> Seen { get; } = new();
        public string Name => "recording";
        public Signal? OnCandle(Candle c)
        {
            Seen.Add(c);
            return new Signal(symbol, c.Time, SignalDirection.Long, 1.0, c.Close, Name, "test");
        }
        public Signal? Align(DateTime time) => Seen.Count == 0 ? null : new Signal(symbol, time, SignalDirection.Short, 0.5, 0m, Name, "align");
    }

    private static Trade TradeAt(int seconds, decimal price, long id) => new(Btc, T0.AddSeconds(seconds), price, 0.01m, Side.Buy, id);

    [Fact]
    public void Trades_build_candles_and_the_signal_is_stamped_with_the_event_that_closed_the_candle()
    {
        var strategy = new RecordingStrategy(Btc);
        var p = new MarketProcessor(TimeSpan.FromMinutes(1), _ => strategy);
        Assert.Null(Assert.Single(p.Process(TradeAt(5, 100m, 1))).Signal);
        Assert.Null(Assert.Single(p.Process(TradeAt(50, 102m, 2))).Signal);
        var step = Assert.Single(p.Process(TradeAt(65, 101m, 3)));

        var candle = Assert.IsType<Candle>(step.ClosedCandle);
        Assert.Equal((100m, 102m, 100m, 102m, 0.02m), (candle.Open, candle.High, candle.Low, candle.Close, candle.Volume));
        Assert.NotNull(step.Signal);
        Assert.Equal(T0.AddSeconds(65), step.Signal!.Time);
        Assert.Equal(T0, candle.Time);
    }

    [Fact]
    public void Candle_events_are_decided_at_their_close_time()
    {
        var p = new MarketProcessor(TimeSpan.FromMinutes(1), s => new RecordingStrategy(s));
        var bar = new Candle(Btc, T0, TimeSpan.FromHours(1), 100m, 110m, 90m, 105m, 7m);
        var step = Assert.Single(p.Process(bar));
        Assert.Equal(T0.AddHours(1), step.Signal!.Time);
        Assert.Same(bar, step.ClosedCandle);
    }

    [Fact]
    public void Book_updates_give_the_touch_and_gaps_are_counted()
    {
        var p = new MarketProcessor(TimeSpan.FromMinutes(1), s => new RecordingStrategy(s));
        var snap = new BookUpdate(Btc, T0, 1, 0, true, [new BookLevel(99m, 1m), new BookLevel(98m, 2m)], [new BookLevel(101m, 1m)]);
        var step = Assert.Single(p.Process(snap));
        Assert.Equal((99m, 101m), (step.BestBid, step.BestAsk));

        var delta = new BookUpdate(Btc, T0.AddSeconds(1), 2, 1, false, [new BookLevel(99m, 0m)], [new BookLevel(100.5m, 3m)]);
        step = Assert.Single(p.Process(delta));
        Assert.Equal((98m, 100.5m), (step.BestBid, step.BestAsk));

        var gap = new BookUpdate(Btc, T0.AddSeconds(2), 9, 8, false, [], [new BookLevel(100m, 1m)]);
        step = Assert.Single(p.Process(gap));
        Assert.Equal(1, p.BookGaps);
        Assert.Null(step.BestBid); // a book that needs a resync gives no touch
    }

    [Fact]
    public void Warm_up_events_go_no_further_and_the_live_boundary_opens_with_snapshots_and_alignment()
    {
        var strategies = new Dictionary<Symbol, RecordingStrategy>();
        var live = T0.AddMinutes(10);
        var p = new MarketProcessor(TimeSpan.FromMinutes(1), s => strategies[s] = new RecordingStrategy(s), live);
        var warm = new List<MarketStep>();
        warm.AddRange(p.Process(new BookUpdate(Btc, T0, 1, 0, true, [new BookLevel(99m, 1m)], [new BookLevel(101m, 1m)])));
        for (var i = 0; i < 9 * 60; i += 30) warm.AddRange(p.Process(TradeAt(i, 100m + i / 60, i + 1)));
        Assert.Empty(warm);
        Assert.True(strategies[Btc].Seen.Count >= 8, "the strategy warmed up on the history");

        var opening = p.Process(TradeAt(10 * 60 + 1, 105m, 999));
        Assert.Equal(2, opening.Count);
        var snapshot = Assert.IsType<BookUpdate>(opening[0].Event);
        Assert.True(snapshot.IsSnapshot);
        Assert.Equal(live.AddSeconds(1), snapshot.Time);
        Assert.Equal([new BookLevel(99m, 1m)], snapshot.Bids);
        Assert.Equal(SignalDirection.Short, opening[0].Signal!.Direction);
        Assert.Equal(100m, opening[0].Signal!.ReferencePrice); // the mid, not the strategy's last close
        Assert.IsType<Trade>(opening[1].Event);
        Assert.Equal(1, p.Events - p.WarmupEvents);
    }

    [Fact]
    public void Synthetic_market_through_the_processor_keeps_the_touch_uncrossed()
    {
        var market = new SyntheticMarket(SyntheticMarketOptions.Default(T0) with { Seed = 3 });
        var p = new MarketProcessor(TimeSpan.FromMinutes(1), s => new EmaCrossStrategy(s));
        var signals = 0;
        foreach (var e in market.Generate(TimeSpan.FromHours(2)))
        foreach (var step in p.Process(e))
        {
            if (step.BestBid is { } b && step.BestAsk is { } a) Assert.True(b < a, $"crossed touch {b} >= {a} at {e.Time:O}");
            if (step.Signal is not null) signals++;
        }
        Assert.Equal(0, p.BookGaps);
        Assert.True(signals > 0);
    }
}
