using Akka.Streams;
using Hean.Core.MarketData;
using Akka.Streams.Dsl;
using Akka.TestKit.Xunit2;
using Hean.Core.Models;
using Hean.Core.Signals;
using Hean.Core.Strategy;
using Hean.Streams.Inference;
using Hean.Streams.MarketData;
using Xunit;
using static Hean.Streams.Tests.Inference.TestModels;

namespace Hean.Streams.Tests.Inference;

public sealed class InferenceStageTests : TestKit
{
    private readonly InferencePool _pool = new(1);

    private static readonly InferenceSettings Fast = InferenceSettings.Default with { Timeout = TimeSpan.FromMilliseconds(100) };

    private async Task<IReadOnlyList<MarketStep>> RunAsync(IEnumerable<MarketStep> steps, MlGraphSettings ml, TimeSpan? within = null)
    {
        // The source on its own actor: a test may hold it (waiting for a swap) while the stage goes on.
        var task = Source.From(steps).Async().Via(MarketGraph.Inference(ml)).RunWith(Sink.Seq<MarketStep>(), Sys.Materializer());
        return await task.WaitAsync(within ?? TimeSpan.FromSeconds(20));
    }

    [Fact]
    public async Task A_fast_model_decides_every_bar_and_other_steps_pass_untouched()
    {
        var a = new TestPredictor(Info("a"), score: 0.8, confidence: 0.7);
        var observer = new RecordingObserver();
        var plain = new MarketStep(new Hean.Core.MarketData.Trade(Btc, T0, 100m, 1m, Hean.Core.Domain.Side.Buy, 1), null, null, 99m, 101m);
        var steps = new List<MarketStep> { plain };
        steps.AddRange(Enumerable.Range(0, 30).Select(i => Decision(i)));

        var output = await RunAsync(steps, Settings(new LoadedModels(a, null), _pool, observer, Fast));

        Assert.Equal(31, output.Count);
        Assert.Same(plain, output[0]);
        Assert.All(output.Skip(1), s => Assert.Equal("a", s.Prediction!.ModelVersion));
        Assert.All(output.Skip(1).Select((s, i) => (s, i)), x => Assert.Equal(x.i + a.VersionTag, x.s.Prediction!.Raw));
        Assert.All(output.Skip(1), s => Assert.False(s.Prediction!.Fallback || s.Prediction.Expired));
        Assert.Equal(30, a.Calls);
        Assert.Equal(30, observer.Predictions.Count);
        // The model's long view with the (weak) trend: one signal at the first bar, none after (no change).
        var signals = output.Where(s => s.Signal is not null).Select(s => s.Signal!).ToList();
        var signal = Assert.Single(signals);
        Assert.Equal((SignalDirection.Long, MlStrategy.StrategyName, 0.7, 0.4), (signal.Direction, signal.Strategy, signal.Confidence, signal.Volatility));
        Assert.Equal(T0.AddMinutes(1), signal.Time);
    }

    [Fact]
    public async Task A_bounded_model_predicts_in_place_and_in_pool_mode_on_the_inference_threads_with_the_same_answers()
    {
        var observer = new RecordingObserver();
        var inPlace = new BoundedTestPredictor(new TestPredictor(Info("a")));
        var auto = await RunAsync(Enumerable.Range(0, 20).Select(i => Decision(i)), Settings(new LoadedModels(inPlace, null), _pool, observer, Fast));
        Assert.Equal(20, inPlace.Inner.Calls);
        Assert.DoesNotContain(inPlace.Threads, t => t.StartsWith("hean-ml-", StringComparison.Ordinal));

        var onThreads = new BoundedTestPredictor(new TestPredictor(Info("a")));
        var pool = await RunAsync(Enumerable.Range(0, 20).Select(i => Decision(i)),
            Settings(new LoadedModels(onThreads, null), _pool, observer, Fast with { Mode = InferenceMode.Pool }));
        Assert.Equal(20, onThreads.Inner.Calls);
        Assert.All(onThreads.Threads, t => Assert.StartsWith("hean-ml-", t));
        Assert.Equal(auto.Select(s => (s.Prediction!.Raw, s.Signal)), pool.Select(s => (s.Prediction!.Raw, s.Signal)));
        Assert.Empty(observer.Failures);
    }

    [Fact]
    public async Task A_bounded_model_that_throws_or_answers_after_the_timeout_falls_back_like_one_on_the_threads()
    {
        var previous = new TestPredictor(Info("a"), score: -0.8);
        var broken = new BoundedTestPredictor(new TestPredictor(Info("bb")) { Failing = true });
        var observer = new RecordingObserver();
        var output = await RunAsync(Enumerable.Range(0, 2).Select(i => Decision(i)),
            Settings(new LoadedModels(broken, previous), _pool, observer, Fast with { BreakerFailures = 10 }));
        Assert.All(output, s => Assert.Equal(("a", true), (s.Prediction!.ModelVersion, s.Prediction.Fallback)));
        Assert.Equal(2, observer.Failures.Count(f => f is { Version: "bb", TimedOut: false }));

        var slow = new BoundedTestPredictor(new TestPredictor(Info("cc")));
        slow.Inner.Burn(TimeSpan.FromMilliseconds(30));
        observer = new RecordingObserver();
        output = await RunAsync(Enumerable.Range(0, 2).Select(i => Decision(i)),
            Settings(new LoadedModels(slow, previous), _pool, observer, Fast with { Timeout = TimeSpan.FromMilliseconds(10), SpinBudget = TimeSpan.Zero, BreakerFailures = 10 }));
        Assert.All(output, s => Assert.Equal(("a", true), (s.Prediction!.ModelVersion, s.Prediction.Fallback)));
        Assert.Equal(2, observer.Failures.Count(f => f is { Version: "cc", TimedOut: true } && f.Reason.Contains("over 10 ms")));
    }

    [Fact]
    public async Task A_timed_out_model_falls_back_to_the_previous_version_without_holding_the_graph()
    {
        var a = new TestPredictor(Info("a"), score: -0.8);
        var b = new TestPredictor(Info("bb"), score: 0.8);
        b.Hang();
        try
        {
            var observer = new RecordingObserver();
            var settings = Settings(new LoadedModels(b, a), _pool, observer, Fast with { Timeout = TimeSpan.FromMilliseconds(50), BreakerFailures = 10 });
            var sw = System.Diagnostics.Stopwatch.StartNew();
            var output = await RunAsync(Enumerable.Range(0, 3).Select(i => Decision(i)), settings);

            Assert.Equal(3, output.Count);
            Assert.All(output, s => Assert.Equal(("a", true), (s.Prediction!.ModelVersion, s.Prediction.Fallback)));
            Assert.Equal(3, observer.Failures.Count(f => f is { Version: "bb", TimedOut: true }));
            Assert.Equal(3, a.Calls);
            // Three timeouts of 50 ms, not three hung calls: the graph went on while b hung.
            Assert.True(sw.Elapsed < TimeSpan.FromSeconds(5), $"took {sw.Elapsed}");
            // The fallback had a thread although the only worker hangs in b: the pool replaced it.
            Assert.True(_pool.Alive > 1);
        }
        finally
        {
            b.Release();
        }
    }

    [Fact]
    public async Task A_throwing_model_falls_back_and_without_a_previous_version_the_technical_view_decides()
    {
        var a = new TestPredictor(Info("a")) { Failing = true };
        var observer = new RecordingObserver();
        var output = await RunAsync(Enumerable.Range(0, 2).Select(i => Decision(i, technical: SignalDirection.Short)),
            Settings(new LoadedModels(a, null), _pool, observer, Fast));

        Assert.All(output, s => Assert.Null(s.Prediction));
        var signal = Assert.Single(output, s => s.Signal is not null).Signal!;
        Assert.Equal((SignalDirection.Short, EmaCrossStrategy.StrategyName, 0.6), (signal.Direction, signal.Strategy, signal.Confidence));
        Assert.Equal(2, observer.Failures.Count(f => !f.TimedOut && f.Reason.Contains("is broken")));
    }

    [Fact]
    public async Task Three_failures_open_the_breaker_technical_signals_follow_and_a_half_open_success_closes_it()
    {
        var a = new TestPredictor(Info("a"), score: 0.8) { Failing = true };
        var observer = new RecordingObserver();
        var monitor = new InferenceMonitor(observer);
        var settings = Settings(new LoadedModels(a, null), _pool, monitor, Fast with { BreakerFailures = 3, BreakerReset = TimeSpan.FromMinutes(5) });
        // Decision i is at minute i + 1. Failures at 1, 2, 3 open it at minute 3; open through minute 7; half-open try at minute 8.
        var degradedWhileOpen = false;
        var steps = Enumerable.Range(0, 12).Select(i =>
        {
            if (i == 5)
            {
                // The source runs ahead of the stage: wait until decisions 0-2 have opened the breaker.
                Assert.True(SpinWait.SpinUntil(() => monitor.Breaker == BreakerState.Open, TimeSpan.FromSeconds(10)), "breaker opened");
                degradedWhileOpen = monitor.Degraded && monitor.Breaker == BreakerState.Open;
                a.Failing = false; // the model recovers while the breaker is open
            }
            return Decision(i, technical: SignalDirection.Short);
        });

        var output = await RunAsync(steps, settings);

        Assert.True(degradedWhileOpen);
        Assert.Equal(3 + 5, a.Calls); // three failures, nothing while open, then the try at minute 8 and four more
        Assert.All(output.Take(7), s => Assert.Null(s.Prediction));
        Assert.All(output.Skip(7), s => Assert.Equal("a", s.Prediction!.ModelVersion));
        var signals = output.Select((s, i) => (s.Signal, i)).Where(x => x.Signal is not null).ToList();
        Assert.Equal(2, signals.Count);
        Assert.Equal((0, SignalDirection.Short, EmaCrossStrategy.StrategyName), (signals[0].i, signals[0].Signal!.Direction, signals[0].Signal!.Strategy));
        Assert.Equal((7, SignalDirection.Long, MlStrategy.StrategyName), (signals[1].i, signals[1].Signal!.Direction, signals[1].Signal!.Strategy));
        Assert.Equal([BreakerState.Open, BreakerState.HalfOpen, BreakerState.Closed], observer.Breaker.Select(b => b.State));
        Assert.False(monitor.Degraded);
        Assert.Equal(3, monitor.Failures);
    }

    [Fact]
    public async Task A_failed_half_open_try_opens_the_breaker_again_for_another_reset_period()
    {
        var a = new TestPredictor(Info("a")) { Failing = true };
        var observer = new RecordingObserver();
        var settings = Settings(new LoadedModels(a, null), _pool, observer, Fast with { BreakerFailures = 3, BreakerReset = TimeSpan.FromMinutes(5) });

        await RunAsync(Enumerable.Range(0, 14).Select(i => Decision(i)), settings);

        // Failures at minutes 1-3 (open at 3), a try at 8 (fails, open at 8), a try at 13, minute 14 still open.
        Assert.Equal(5, a.Calls);
        Assert.Equal([BreakerState.Open, BreakerState.HalfOpen, BreakerState.Open, BreakerState.HalfOpen, BreakerState.Open],
            observer.Breaker.Select(b => b.State));
    }

    [Fact]
    public async Task A_model_past_its_expiry_flags_its_predictions()
    {
        var a = new TestPredictor(Info("a", expires: T0.AddMinutes(10)));
        var monitor = new InferenceMonitor();
        var output = await RunAsync(Enumerable.Range(0, 20).Select(i => Decision(i)), Settings(new LoadedModels(a, null), _pool, monitor, Fast));

        // Decision i is at minute i + 1: expired from minute 10 on.
        Assert.Equal(Enumerable.Range(0, 20).Select(i => i + 1 >= 10), output.Select(s => s.Prediction!.Expired));
        Assert.Equal(11, monitor.Expired);
    }

    [Fact]
    public async Task Hot_swap_under_load_loses_no_decision_and_every_prediction_after_it_uses_the_new_version()
    {
        var a = new TestPredictor(Info("a"), score: 0.8);
        var b = new TestPredictor(Info("bb"), score: -0.8);
        // Each call costs ~30 µs: some answers come within the stage's spin budget, some after it suspended.
        a.Burn(TimeSpan.FromMicroseconds(30));
        b.Burn(TimeSpan.FromMicroseconds(30));
        var catalog = new TestCatalog();
        catalog.Add(a);
        catalog.Add(b);
        catalog.Promote("a");
        var observer = new RecordingObserver();
        var settings = Settings(ModelLoading.LoadChecked(catalog, Schema), _pool, observer,
            Fast with { PollEvery = TimeSpan.FromMilliseconds(10) }, catalog);
        const int n = 4000;
        var steps = Enumerable.Range(0, n).Select(i =>
        {
            if (i == 500) catalog.Promote("bb");
            if (i == 1000) Assert.True(SpinWait.SpinUntil(() => Volatile.Read(ref catalog.Loads) >= 2, TimeSpan.FromSeconds(10)), "the poll loaded bb");
            return Decision(i);
        });

        var output = await RunAsync(steps, settings, TimeSpan.FromSeconds(60));

        Assert.Equal(n, output.Count);
        Assert.Equal(Enumerable.Range(0, n).Select(i => T0.AddMinutes(i + 1)), output.Select(s => s.Decision!.Time));
        var versions = output.Select(s => s.Prediction!.ModelVersion).ToList();
        var firstB = versions.IndexOf("bb");
        // Promoted when the source made decision 500; the source runs at most one buffer (16) ahead of the stage.
        Assert.InRange(firstB, 500 - 16, n - 1);
        Assert.All(versions.Take(firstB), v => Assert.Equal("a", v));
        Assert.All(versions.Skip(firstB), v => Assert.Equal("bb", v));
        // Each prediction was made by the version it names, on its own decision's features.
        Assert.All(output.Select((s, i) => (s, i)), x => Assert.Equal(x.i + (x.s.Prediction!.ModelVersion == "a" ? a.VersionTag : b.VersionTag), x.s.Prediction.Raw));
        Assert.Equal(n, a.Calls + b.Calls);
        Assert.Equal(("a", "bb"), Assert.Single(observer.Swaps));
        // The signals are exactly those the strategy makes from the recorded predictions: none lost, none twice.
        var replay = new MlStrategy(Btc, Schema);
        var expected = output.Select(s => replay.OnDecision(new MlDecision(s.Decision!.Time, s.Decision.ReferencePrice, s.Decision.Features,
            new Prediction(s.Prediction!.Raw, s.Prediction.Score, s.Prediction.Confidence), s.Prediction.ModelVersion, s.Decision.TechnicalView,
            s.Decision.TechnicalConfidence))?.Direction).ToList();
        Assert.Equal(expected, output.Select(s => s.Signal?.Direction));
        Assert.Equal([SignalDirection.Long, SignalDirection.Short], output.Where(s => s.Signal is not null).Select(s => s.Signal!.Direction));
    }

    [Fact]
    public async Task A_promoted_model_on_another_schema_is_refused_and_the_current_one_keeps_deciding()
    {
        var a = new TestPredictor(Info("a"));
        var other = new Hean.Core.Features.FeatureSchema(1, "sma:20,rsi:14", 5, 10);
        var wrong = new TestPredictor(Info("cc", schema: other));
        var catalog = new TestCatalog();
        catalog.Add(a);
        catalog.Add(wrong);
        catalog.Promote("a");
        var models = ModelLoading.LoadChecked(catalog, Schema);
        catalog.Promote("cc");
        var refused = Assert.Throws<ModelSchemaMismatchException>(() => ModelLoading.LoadChecked(catalog, Schema));
        Assert.Contains(other.Id, refused.Message);
        Assert.Contains(Schema.Id, refused.Message);

        var observer = new RecordingObserver();
        // A prediction may take long on a loaded machine: this test is about the swap, not the timeout (which would say "model unavailable").
        var settings = Settings(models, _pool, observer, Fast with { PollEvery = TimeSpan.FromMilliseconds(10), Timeout = TimeSpan.FromSeconds(10) }, catalog);
        var steps = Enumerable.Range(0, 400).Select(i =>
        {
            if (i == 100) Assert.True(SpinWait.SpinUntil(() => !observer.SwapFailures.IsEmpty, TimeSpan.FromSeconds(10)), "the poll tried cc");
            return Decision(i);
        });
        var output = await RunAsync(steps, settings);

        Assert.All(output, s => Assert.Equal("a", s.Prediction!.ModelVersion));
        Assert.NotEmpty(observer.SwapFailures);
        Assert.Contains("feature schema", observer.SwapFailures.First());
        Assert.Empty(observer.Swaps);
        Assert.Equal(0, wrong.Calls);
    }

    [Fact]
    public async Task A_stream_stopped_while_a_prediction_is_in_flight_leaves_the_pool_serving()
    {
        var slow = new TestPredictor(Info("slow"));
        slow.Hang();
        var (killSwitch, done) = Source.From(Enumerable.Range(0, 10).Select(i => Decision(i)))
            .ViaMaterialized(KillSwitches.Single<MarketStep>(), Keep.Right)
            .Via(MarketGraph.Inference(Settings(new LoadedModels(slow, null), _pool, new RecordingObserver(),
                Fast with { Timeout = TimeSpan.FromSeconds(30) })))
            .ToMaterialized(Sink.Seq<MarketStep>(), Keep.Both)
            .Run(Sys.Materializer());
        AwaitCondition(() => slow.Calls == 1, TimeSpan.FromSeconds(10));
        killSwitch.Abort(new OperationCanceledException("stopped"));
        var stopped = await Assert.ThrowsAnyAsync<Exception>(() => done.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal("stopped", stopped.GetBaseException().Message);
        slow.Release(); // the answer now goes to a stage that is gone

        var a = new TestPredictor(Info("a"));
        var output = await RunAsync(Enumerable.Range(0, 5).Select(i => Decision(i)), Settings(new LoadedModels(a, null), _pool, new RecordingObserver(), Fast));
        Assert.All(output, s => Assert.Equal("a", s.Prediction!.ModelVersion));
    }

    [Fact]
    public void Invalid_settings_are_refused_with_the_setting_named()
    {
        var a = new TestPredictor(Info("a"));
        var bad = Settings(new LoadedModels(a, null), _pool, new RecordingObserver(), Fast with { Timeout = TimeSpan.Zero });
        var e = Assert.Throws<ArgumentException>(() => MarketGraph.Inference(bad));
        Assert.Contains("ML_INFERENCE_TIMEOUT", e.Message);
    }

    protected override void Dispose(bool disposing)
    {
        _pool.Dispose();
        base.Dispose(disposing);
    }
}
