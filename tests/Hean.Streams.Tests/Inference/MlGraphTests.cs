using Akka.Streams;
using Hean.Core.Features;
using Hean.Core.Signals;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using Hean.Core.MarketData;
using Hean.Core.Models;
using Hean.Core.Strategy;
using Hean.Core.Time;
using Hean.Streams.Features;
using Hean.Streams.Inference;
using Hean.Streams.MarketData;
using Xunit;
using static Hean.Streams.Tests.Inference.TestModels;

namespace Hean.Streams.Tests.Inference;

/// <summary>The model in the whole market graph: features from the graph's own state, signals, backpressure.</summary>
public sealed class MlGraphTests() : TestKit(MlGraphSettings.DedicatedDispatcher + " { type = PinnedDispatcher }")
{
    private sealed record Init;
    private sealed record Ack;
    private sealed record Done;
    private sealed record Failed(Exception Cause);

    private readonly InferencePool _pool = new(1);

    /// <summary>One-minute bars of a seeded random walk with a slow cycle (so the EMAs cross).</summary>
    private static IEnumerable<IMarketEvent> Bars(int n, int seed = 3)
    {
        var random = new Random(seed);
        var price = 100.0;
        for (var i = 0; i < n; i++)
        {
            var open = price;
            price *= 1 + 0.004 * Math.Sin(i / 15.0) + (random.NextDouble() - 0.5) * 0.01;
            var high = Math.Max(open, price) * 1.002;
            var low = Math.Min(open, price) * 0.998;
            yield return new Candle(Btc, T0.AddMinutes(i), TimeSpan.FromMinutes(1), (decimal)open, (decimal)high, (decimal)low, (decimal)price,
                (decimal)(10 + random.NextDouble() * 5));
        }
    }

    [Fact]
    public void Without_a_model_no_feature_work_is_done_and_with_one_live_bars_carry_the_same_vectors_as_the_offline_feature_code()
    {
        var events = Bars(300).ToList();
        var live = T0.AddMinutes(100);
        var plain = new MarketProcessor(TimeSpan.FromMinutes(1), s => new EmaCrossStrategy(s), live);
        Assert.All(events.SelectMany(plain.Process), s => Assert.Null(s.Decision));

        var withFeatures = new MarketProcessor(TimeSpan.FromMinutes(1), s => new EmaCrossStrategy(s), live, FeatureSettings.Default(TimeSpan.FromMinutes(1)));
        var offline = new FeatureProcessor(FeatureSettings.Default(TimeSpan.FromMinutes(1)));
        var technical = new EmaCrossStrategy(Btc);
        var view = Hean.Core.Signals.SignalDirection.Flat;
        var decisions = 0;
        foreach (var e in events)
        {
            var expected = offline.Process(e);
            if (technical.OnCandle((Candle)e) is { } t) view = t.Direction;
            foreach (var step in withFeatures.Process(e))
            {
                if (step.Decision is not { } d) continue;
                decisions++;
                Assert.True(e.Time >= live);
                Assert.NotNull(expected);
                Assert.Equal(expected.Time, d.Time);
                Assert.Equal(expected.Features.Values.ToArray(), d.Features.Values.ToArray());
                Assert.Equal(((Candle)e).Close, d.ReferencePrice);
                Assert.Equal(view, d.TechnicalView);
            }
        }
        Assert.Equal(200, decisions);
    }

    [Fact]
    public void With_a_model_the_graph_signals_from_the_ML_strategy_and_publishes_a_prediction_per_live_bar()
    {
        var a = new TestPredictor(Info("a"), score: 0.9, confidence: 0.8);
        var observer = new RecordingObserver();
        var settings = MarketGraphSettings.Backtest(TimeSpan.FromMinutes(1), s => new EmaCrossStrategy(s)) with
        {
            LiveFrom = T0.AddMinutes(100),
            Ml = Settings(new LoadedModels(a, null), _pool, observer),
        };
        var steps = RunGraph(Bars(300), settings);

        var decided = steps.Where(s => s.Decision is not null).ToList();
        Assert.Equal(200, decided.Count);
        Assert.Equal(200, observer.Predictions.Count);
        Assert.All(decided, s => Assert.Equal("a", s.Prediction!.ModelVersion));
        Assert.All(steps.Where(s => s.Decision is not null && s.Signal is not null), s => Assert.Equal(MlStrategy.StrategyName, s.Signal!.Strategy));
        Assert.Contains(steps, s => s.Signal is { Strategy: MlStrategy.StrategyName, Direction: Hean.Core.Signals.SignalDirection.Long });
    }

    private List<MarketStep> RunGraph(IEnumerable<IMarketEvent> source, MarketGraphSettings settings)
    {
        var sink = CreateTestProbe();
        MarketGraph.ToActor(Source.From(source), settings, sink.Ref, WallClock.Instance, new Init(), new Ack(), new Done(), ex => new Failed(ex))
            .Run(Sys.Materializer());
        sink.ExpectMsg<Init>();
        sink.Reply(new Ack());
        var steps = new List<MarketStep>();
        while (sink.ExpectMsg<object>(TimeSpan.FromSeconds(10)) is IReadOnlyList<MarketStep> batch)
        {
            steps.AddRange(batch);
            sink.Reply(new Ack());
        }
        Assert.IsType<Done>(sink.LastMessage);
        return steps;
    }

    [Fact]
    public void On_its_own_dispatcher_a_bounded_model_predicts_on_one_dedicated_thread_apart_from_the_graph_with_the_same_results()
    {
        var upstream = new System.Collections.Concurrent.ConcurrentBag<int>();
        IEnumerable<IMarketEvent> Watched()
        {
            foreach (var e in Bars(300))
            {
                upstream.Add(Environment.CurrentManagedThreadId);
                yield return e;
            }
        }
        var settings = MarketGraphSettings.Backtest(TimeSpan.FromMinutes(1), s => new EmaCrossStrategy(s)) with { LiveFrom = T0.AddMinutes(100) };
        var fused = new BoundedTestPredictor(new TestPredictor(Info("a"), score: 0.9, confidence: 0.8));
        var expected = RunGraph(Bars(300), settings with { Ml = Settings(new LoadedModels(fused, null), _pool, new RecordingObserver()) });

        var island = new BoundedTestPredictor(new TestPredictor(Info("a"), score: 0.9, confidence: 0.8));
        var ml = Settings(new LoadedModels(island, null), _pool, new RecordingObserver()) with { Dispatcher = MlGraphSettings.DedicatedDispatcher };
        var steps = RunGraph(Watched(), settings with { Ml = ml });

        Assert.Equal(200, island.Inner.Calls);
        Assert.Single(island.ThreadIds.Distinct()); // the pinned thread, every time
        Assert.DoesNotContain(island.ThreadIds.First(), upstream); // never where the source and features run
        Assert.DoesNotContain(island.Threads, t => t.StartsWith("hean-ml-", StringComparison.Ordinal)); // in place, not handed to the pool
        Assert.Equal(expected.Select(s => (s.Event, s.Prediction?.Raw, s.Signal)), steps.Select(s => (s.Event, s.Prediction?.Raw, s.Signal)));
    }

    [Fact]
    public void A_hung_model_holds_the_graph_by_backpressure_with_a_bounded_number_of_events_taken_from_the_source()
    {
        var a = new TestPredictor(Info("a"));
        a.Hang();
        try
        {
            var pulled = 0;
            var settings = MarketGraphSettings.Backtest(TimeSpan.FromMinutes(1), s => new EmaCrossStrategy(s)) with
            {
                MaxBatch = 8,
                Ml = Settings(new LoadedModels(a, null), _pool, new RecordingObserver(), InferenceSettings.Default with { Timeout = TimeSpan.FromSeconds(30) }),
            };
            var source = Source.From(Bars(100_000)).Select(e =>
            {
                Interlocked.Increment(ref pulled);
                return e;
            });
            var sink = CreateTestProbe();
            var (killSwitch, _) = MarketGraph.ToActor(source, settings, sink.Ref, WallClock.Instance, new Init(), new Ack(), new Done(), ex => new Failed(ex))
                .Run(Sys.Materializer());
            sink.ExpectMsg<Init>();
            sink.Reply(new Ack());
            // Acknowledge until the first decision (after the indicators' warm-up) is in the model, which does not answer.
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (a.Calls == 0 && DateTime.UtcNow < deadline)
                if (sink.ReceiveOne(TimeSpan.FromMilliseconds(50)) is IReadOnlyList<MarketStep>) sink.Reply(new Ack());
            Assert.Equal(1, a.Calls);
            // The sink acknowledges whatever still arrives, yet nothing more is taken from the source.
            sink.ReceiveWhile(TimeSpan.FromMilliseconds(300), m =>
            {
                if (m is IReadOnlyList<MarketStep>) sink.Reply(new Ack());
                return m;
            });
            var atHang = Volatile.Read(ref pulled);
            sink.ReceiveWhile(TimeSpan.FromMilliseconds(300), m =>
            {
                if (m is IReadOnlyList<MarketStep>) sink.Reply(new Ack());
                return m;
            });
            Assert.Equal(atHang, Volatile.Read(ref pulled));
            Assert.Equal(1, a.Calls);
            Assert.InRange(atHang, 1, 200);
            killSwitch.Shutdown();
        }
        finally
        {
            a.Release();
        }
    }

    protected override void Dispose(bool disposing)
    {
        _pool.Dispose();
        base.Dispose(disposing);
    }
}
