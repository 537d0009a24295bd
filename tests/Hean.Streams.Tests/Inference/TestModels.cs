using System.Collections.Concurrent;
using Hean.Core.Domain;
using Hean.Core.Features;
using Hean.Core.MarketData;
using Hean.Core.Models;
using Hean.Core.Signals;
using Hean.Streams.Inference;
using Hean.Streams.MarketData;

namespace Hean.Streams.Tests.Inference;

/// <summary>Test doubles of the model seam: predictors that answer, fail, hang or change behaviour on demand.</summary>
internal static class TestModels
{
    public static readonly Symbol Btc = new("BTCUSDT");
    public static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    public static readonly FeatureSchema Schema = FeatureSchema.V1;

    public static ModelInfo Info(string version, DateTime? expires = null, FeatureSchema? schema = null) =>
        new(version, "test", (schema ?? Schema).Id, T0.AddDays(-30), T0.AddDays(-1), T0.AddDays(-1), expires);

    /// <summary>
    /// A decision step at minute <paramref name="i"/>: features with the MACD line, ADX and rv the ML
    /// strategy reads (trend up, weak, calm by default), and the technical view.
    /// </summary>
    public static MarketStep Decision(int i, SignalDirection technical = SignalDirection.Short, double macd = 1, double adx = 15, double rv = 0.01)
    {
        var values = new double[Schema.Count];
        for (var k = 0; k < values.Length; k++) values[k] = i + k * 0.001;
        values[Schema.IndexOf("macd_12_26_9.macd")] = macd;
        values[Schema.IndexOf("adx_14.adx")] = adx;
        values[Schema.IndexOf("rv_20")] = rv;
        var time = T0.AddMinutes(i + 1);
        var bar = new Candle(Btc, T0.AddMinutes(i), TimeSpan.FromMinutes(1), 100, 101, 99, 100 + i % 5, 10);
        return new MarketStep(bar, bar, null, null, null)
        {
            Decision = new BarDecision(time, bar.Close, 0.4, FeatureVector.Create(Schema, values), technical, 0.6),
        };
    }

    public static MlGraphSettings Settings(LoadedModels models, InferencePool pool, IInferenceObserver observer, InferenceSettings? inference = null,
        IModelCatalog? catalog = null) =>
        new(models, catalog, Schema, inference ?? InferenceSettings.Default, Hean.Core.Strategy.MlStrategySettings.Default, pool, observer);
}

/// <summary>Answers with a function of the features; counts calls; can be switched to throw or to hang.</summary>
internal sealed class TestPredictor(ModelInfo info, double score = 0.8, double confidence = 0.7) : IPredictor
{
    private readonly ManualResetEventSlim _released = new(true);
    private int _calls;
    private volatile bool _failing;
    private long _spinTicks;

    public ModelInfo Info { get; } = info;
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Throw on every call while set.</summary>
    public bool Failing
    {
        get => _failing;
        set => _failing = value;
    }

    /// <summary>Every call waits until <see cref="Release"/>.</summary>
    public void Hang() => _released.Reset();
    public void Release() => _released.Set();

    /// <summary>CPU time each call burns.</summary>
    public void Burn(TimeSpan t) => Interlocked.Exchange(ref _spinTicks, (long)(t.TotalSeconds * System.Diagnostics.Stopwatch.Frequency));

    public Prediction Predict(ReadOnlySpan<double> features)
    {
        Interlocked.Increment(ref _calls);
        _released.Wait();
        var burn = Interlocked.Read(ref _spinTicks);
        if (burn > 0)
        {
            var until = System.Diagnostics.Stopwatch.GetTimestamp() + burn;
            while (System.Diagnostics.Stopwatch.GetTimestamp() < until) Thread.SpinWait(10);
        }
        if (_failing) throw new InvalidOperationException($"model {Info.Version} is broken");
        // Raw tells which model answered and on which features (the first feature is the decision index).
        return new Prediction(features[0] + VersionTag, score, confidence);
    }

    public double VersionTag => Info.Version.Length * 1000.0;
}

/// <summary>A <see cref="TestPredictor"/> that declares itself bounded (run in place) and notes the threads it ran on.</summary>
internal sealed class BoundedTestPredictor(TestPredictor inner) : IBoundedPredictor
{
    public ConcurrentBag<string> Threads { get; } = new();
    public ConcurrentBag<int> ThreadIds { get; } = new();
    public ModelInfo Info => inner.Info;
    public TestPredictor Inner => inner;

    public Prediction Predict(ReadOnlySpan<double> features)
    {
        Threads.Add(Thread.CurrentThread.Name ?? "unnamed");
        ThreadIds.Add(Environment.CurrentManagedThreadId);
        return inner.Predict(features);
    }
}

/// <summary>A registry in memory: versions and a promoted pointer.</summary>
internal sealed class TestCatalog : IModelCatalog
{
    private readonly ConcurrentDictionary<string, IPredictor> _models = new();
    private readonly List<string> _promotions = new();
    private volatile string? _promoted;

    public int Loads;

    public void Add(IPredictor p) => _models[p.Info.Version] = p;

    public void Promote(string version)
    {
        lock (_promotions)
        {
            if (!_models.ContainsKey(version)) throw new ArgumentException(version);
            _promotions.Add(version);
            _promoted = version;
        }
    }

    public string? PromotedVersion() => _promoted;

    public LoadedModels LoadPromoted(FeatureSchema live)
    {
        Interlocked.Increment(ref Loads);
        lock (_promotions)
        {
            var current = _models[_promoted ?? throw new InvalidOperationException("nothing promoted")];
            var previous = _promotions.Count > 1 ? _models[_promotions[^2]] : null;
            // No schema check here on purpose: ModelLoading must refuse a mismatch by itself.
            return new LoadedModels(current, previous);
        }
    }
}

/// <summary>Keeps every report, thread-safe.</summary>
internal sealed class RecordingObserver : IInferenceObserver
{
    public ConcurrentQueue<MlPrediction> Predictions { get; } = new();
    public ConcurrentQueue<(string Version, bool TimedOut, string Reason)> Failures { get; } = new();
    public ConcurrentQueue<(BreakerState State, string Reason)> Breaker { get; } = new();
    public ConcurrentQueue<(string? From, string To)> Swaps { get; } = new();
    public ConcurrentQueue<string> SwapFailures { get; } = new();

    public void Predicted(MlPrediction prediction) => Predictions.Enqueue(prediction);
    public void Failed(string modelVersion, bool timedOut, string reason) => Failures.Enqueue((modelVersion, timedOut, reason));
    public void BreakerChanged(BreakerState state, string reason) => Breaker.Enqueue((state, reason));
    public void Swapped(string? fromVersion, string toVersion) => Swaps.Enqueue((fromVersion, toVersion));
    public void SwapFailed(string reason) => SwapFailures.Enqueue(reason);
}
