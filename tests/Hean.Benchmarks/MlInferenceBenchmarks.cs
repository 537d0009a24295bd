using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using BenchmarkDotNet.Attributes;
using HdrHistogram;
using Hean.Core.Domain;
using Hean.Core.Features;
using Hean.Core.MarketData;
using Hean.Core.MarketData.Synthetic;
using Hean.Core.Models;
using Hean.Core.Signals;
using Hean.Core.Strategy;
using Hean.Streams.Features;
using Hean.Streams.Inference;
using Hean.Streams.MarketData;

namespace Hean.Benchmarks;

/// <summary>
/// A tree ensemble as flat arrays, like a boosted model compiled for inference: 100 complete trees of
/// depth 6 over the full V1 feature vector, random splits and leaves from a seed. Thread-safe and
/// allocation-free: the shape of a LightGBM/FastTree predictor on the hot path.
/// </summary>
public sealed class FlatTreeEnsemble : IBoundedPredictor
{
    private const int Depth = 6, Internal = (1 << Depth) - 1, Leaves = 1 << Depth;
    private readonly int _trees;
    private readonly int[] _feature;
    private readonly double[] _threshold;
    private readonly double[] _leaf;

    public FlatTreeEnsemble(FeatureSchema schema, int trees = 100, int seed = 1)
    {
        var random = new Random(seed);
        _trees = trees;
        _feature = new int[trees * Internal];
        _threshold = new double[trees * Internal];
        _leaf = new double[trees * Leaves];
        for (var i = 0; i < _feature.Length; i++)
        {
            _feature[i] = random.Next(schema.Count);
            _threshold[i] = random.NextDouble() * 100;
        }
        for (var i = 0; i < _leaf.Length; i++) _leaf[i] = (random.NextDouble() - 0.5) * 0.01;
        Info = new ModelInfo("bench-trees", "lightgbm-return", schema.Id, DateTime.MinValue, DateTime.MinValue, DateTime.MinValue, null);
    }

    public ModelInfo Info { get; }

    public Prediction Predict(ReadOnlySpan<double> features)
    {
        var sum = 0.0;
        for (var t = 0; t < _trees; t++)
        {
            var node = 0;
            var at = t * Internal;
            for (var d = 0; d < Depth; d++)
                node = 2 * node + 1 + (features[_feature[at + node]] > _threshold[at + node] ? 1 : 0); // NaN goes left
            sum += _leaf[t * Leaves + node - Internal];
        }
        var score = Math.Tanh(sum * 50);
        return new Prediction(sum, score, Math.Abs(score));
    }
}

/// <summary>
/// Inference in the market graph (ML_PREDICTION per closed bar): the inference stage in a materialized
/// stream with the tree ensemble on the dedicated inference thread, the ML strategy and the step copy
/// included. Reported per decision; each decision's in-graph latency (stage hands the features over →
/// stage holds the answer) goes into an HdrHistogram printed with p50/p99 at the end.
/// Also: the tree ensemble called directly, and the market processor with and without feature work.
/// </summary>
[MemoryDiagnoser]
public class MlInferenceBenchmarks
{
    private const int Decisions = 20_000;
    private ActorSystem _system = null!;
    private IMaterializer _materializer = null!;
    private InferencePool _pool = null!;
    private MarketStep[] _steps = [];
    private double[][] _vectors = [];
    private FlatTreeEnsemble _model = null!;
    private IMarketEvent[] _events = [];
    private readonly LongHistogram _latency = new(TimeStamp.Seconds(1), 3);
    private readonly Recorder _recorder = new();

    private sealed class Recorder : IInferenceObserver
    {
        public LongHistogram? Into { get; set; }
        public void Predicted(MlPrediction p) => Into?.RecordValue((long)(p.LatencySeconds * System.Diagnostics.Stopwatch.Frequency));
        public void Failed(string modelVersion, bool timedOut, string reason) => throw new InvalidOperationException(reason);
        public void BreakerChanged(BreakerState state, string reason) { }
        public void Swapped(string? fromVersion, string toVersion) { }
        public void SwapFailed(string reason) { }
    }

    [GlobalSetup]
    public void Setup()
    {
        var schema = FeatureSchema.V1;
        _model = new FlatTreeEnsemble(schema);
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        _events = new SyntheticMarket(SyntheticMarketOptions.Default(start) with { Seed = 7 }).Generate(TimeSpan.FromHours(1)).ToArray();
        // Decisions with realistic vectors: the features of a synthetic market's bars, cycled.
        var features = new FeatureProcessor(FeatureSettings.Default(TimeSpan.FromMinutes(1)) with { EmitDuringWarmUp = true });
        var ready = _events.Select(features.Process).OfType<FeaturesReady>().ToList();
        var symbol = new Symbol("BTCUSDT");
        _steps = new MarketStep[Decisions];
        _vectors = new double[ready.Count][];
        for (var i = 0; i < ready.Count; i++) _vectors[i] = ready[i].Features.Values.ToArray();
        for (var i = 0; i < Decisions; i++)
        {
            var f = ready[i % ready.Count].Features;
            var bar = new Candle(symbol, start.AddMinutes(i), TimeSpan.FromMinutes(1), 100, 101, 99, 100, 1);
            _steps[i] = new MarketStep(bar, bar, null, null, null)
            {
                Decision = new BarDecision(start.AddMinutes(i + 1), 100, 0.5, f, SignalDirection.Long, 0.5),
            };
        }
        // The inference stage on its own pinned thread, as `hean run` and `hean backtest` run it (hocon/hean.conf).
        _system = ActorSystem.Create("bench", MlGraphSettings.DedicatedDispatcher + " { type = PinnedDispatcher }");
        _materializer = _system.Materializer();
        _pool = new InferencePool(1);
        _recorder.Into = _latency;
    }

    private string? _measured;

    /// <summary>ML_INFERENCE_MODE=auto (the default): the bounded tree ensemble predicts in place on the stage.</summary>
    [Benchmark(OperationsPerInvoke = Decisions)]
    public int InferenceStageInGraph() => RunStage(InferenceMode.Auto);

    /// <summary>ML_INFERENCE_MODE=pool: every prediction handed to the inference thread and back.</summary>
    [Benchmark(OperationsPerInvoke = Decisions)]
    public int InferenceStageOnPoolThread() => RunStage(InferenceMode.Pool);

    private int RunStage(InferenceMode mode)
    {
        _measured = mode.ToString().ToLowerInvariant();
        var ml = new MlGraphSettings(new LoadedModels(_model, null), null, FeatureSchema.V1, InferenceSettings.Default with { Mode = mode },
            MlStrategySettings.Default, _pool, _recorder) { Dispatcher = MlGraphSettings.DedicatedDispatcher };
        var output = Source.From(_steps).Via(MarketGraph.Inference(ml)).RunWith(Sink.Aggregate<MarketStep, int>(0, (n, s) => n + (s.Signal is null ? 0 : 1)), _materializer);
        return output.GetAwaiter().GetResult();
    }

    [Benchmark(OperationsPerInvoke = 10_000)]
    public double TreeEnsembleDirect()
    {
        var sum = 0.0;
        for (var i = 0; i < 10_000; i++) sum += _model.Predict(_vectors[i % _vectors.Length]).Raw;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = 100_000)]
    public int MarketProcessorWithoutModel() => Process(null);

    [Benchmark(OperationsPerInvoke = 100_000)]
    public int MarketProcessorWithFeatures() => Process(FeatureSettings.Default(TimeSpan.FromMinutes(1)));

    private int Process(FeatureSettings? features)
    {
        var processor = new MarketProcessor(TimeSpan.FromMinutes(1), s => new EmaCrossStrategy(s), null, features);
        var decisions = 0;
        var n = Math.Min(100_000, _events.Length);
        for (var i = 0; i < n; i++)
            foreach (var step in processor.Process(_events[i]))
                if (step.Decision is not null || step.Signal is not null) decisions++;
        return decisions;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        if (_latency.TotalCount > 0)
        {
            double Us(double p) => _latency.GetValueAtPercentile(p) * 1e6 / System.Diagnostics.Stopwatch.Frequency;
            Console.WriteLine($"// ML inference in the graph (ML_INFERENCE_MODE={_measured}): {_latency.TotalCount} predictions, p50 {Us(50):0.0} µs, p90 {Us(90):0.0} µs, " +
                              $"p99 {Us(99):0.0} µs, p99.9 {Us(99.9):0.0} µs, max {Us(100):0.0} µs");
        }
        _pool.Dispose();
        _system.Terminate().Wait(TimeSpan.FromSeconds(10));
    }
}
