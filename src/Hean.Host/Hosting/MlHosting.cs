using System.Globalization;
using Hean.Core.Signals;
using Akka.Actor;
using Hean.Actors.Monitoring;
using Hean.Actors.Orchestration;
using Hean.Core.Features;
using Hean.Core.Models;
using Hean.Core.Strategy;
using Hean.Host.Configuration;
using Hean.Streams.Inference;
using Microsoft.Extensions.Configuration;

namespace Hean.Host.Hosting;

/// <summary>
/// The ML settings: the model registry folder (<see cref="ModelFolder.ForTrading"/>: HEAN_MODEL_DIR, set empty for none,
/// else the data folder's models/ when a model is promoted there; none: the technical strategy alone, exactly as without ML), ML_INFERENCE_TIMEOUT (ms, default 100), ML_BREAKER_FAILURES
/// (default 3), ML_BREAKER_RESET (default 30s), ML_MODEL_POLL (default 5s), ML_INFERENCE_THREADS (default 1),
/// ML_INFERENCE_MODE (auto: bounded tree models predict in place on the inference stage; pool: all on the threads).
/// </summary>
public sealed record MlSettings(string? ModelDir, InferenceSettings Inference)
{
    public static MlSettings None { get; } = new(null, InferenceSettings.Default);

    /// <summary>Opens the folder as a catalog; <see cref="ModelCatalogs.Default"/> unless a test or a host says otherwise.</summary>
    public Func<string, IModelCatalog> Catalogs { get; init; } = ModelCatalogs.Default;

    public bool Enabled => !string.IsNullOrWhiteSpace(ModelDir);

    /// <summary>Binds the ML settings; every invalid value is added to <paramref name="problems"/>, naming the setting.</summary>
    public static MlSettings From(IConfiguration c, List<string> problems)
    {
        T Get<T>(string name, T fallback, Func<string, T> parse)
        {
            var raw = c[name];
            if (string.IsNullOrWhiteSpace(raw)) return fallback;
            try
            {
                return parse(raw.Trim());
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                problems.Add($"{name}={raw}: {e.Message}");
                return fallback;
            }
        }
        static int Int(string s) => int.Parse(s, NumberStyles.Integer, CultureInfo.InvariantCulture);
        var d = InferenceSettings.Default;
        var inference = new InferenceSettings(
            Get("ML_INFERENCE_TIMEOUT", d.Timeout, s =>
                double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture) is var ms && ms > 0 && double.IsFinite(ms)
                    ? TimeSpan.FromMilliseconds(ms)
                    : throw new FormatException("must be a positive number of milliseconds")),
            Get("ML_BREAKER_FAILURES", d.BreakerFailures, Int),
            Get("ML_BREAKER_RESET", d.BreakerReset, Durations.Parse),
            Get("ML_MODEL_POLL", d.PollEvery, Durations.Parse),
            Get("ML_INFERENCE_THREADS", d.Threads, Int),
            d.SpinBudget,
            Get("ML_INFERENCE_MODE", d.Mode, s => s.ToLowerInvariant() switch
            {
                "auto" => InferenceMode.Auto,
                "pool" => InferenceMode.Pool,
                _ => throw new FormatException("must be auto or pool"),
            }));
        // The spin budget is ours, the timeout the operator's: keep the budget below a short timeout.
        if (inference.SpinBudget >= inference.Timeout) inference = inference with { SpinBudget = inference.Timeout / 2 };
        problems.AddRange(inference.Problems());
        return new MlSettings(ModelFolder.ForTrading(c), inference);
    }
}

/// <summary>
/// The model in a run or a backtest: loaded and checked against the live feature schema at start (a
/// mismatch throws <see cref="ModelSchemaMismatchException"/> before anything trades), inference threads,
/// metrics, ML_PREDICTION on the Akka event stream, and the "ml" health component.
/// </summary>
public sealed class MlRuntime : IDisposable
{
    private readonly MetricsObserver _metrics;

    private MlRuntime(MlGraphSettings graph, InferenceMonitor monitor, InferencePool pool, MetricsObserver metrics)
    {
        _metrics = metrics;
        Graph = graph;
        Monitor = monitor;
        Pool = pool;
    }

    public MlGraphSettings Graph { get; }
    public InferenceMonitor Monitor { get; }
    public InferencePool Pool { get; }

    /// <summary>The shortest wait for a prediction in a backtest (see <see cref="Start"/>).</summary>
    public static readonly TimeSpan ReplayTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Null when no model directory is set. <paramref name="hotSwap"/>: poll the catalog for a newly
    /// promoted version (a run). Without it (a backtest) the model it started with stays, and each
    /// prediction may take up to <see cref="ReplayTimeout"/> (or ML_INFERENCE_TIMEOUT if longer): a
    /// timeout is a wall-clock event a replay cannot reproduce, so a busy machine must not turn a slow
    /// answer into a fallback; failures of the model itself still fall back and open the breaker, on
    /// the same bars every run.
    /// </summary>
    public static MlRuntime? Start(MlSettings settings, bool hotSwap)
    {
        if (!settings.Enabled) return null;
        var dir = settings.ModelDir!;
        if (!Directory.Exists(dir)) throw new DirectoryNotFoundException($"HEAN_MODEL_DIR={dir}: no such directory");
        var schema = FeatureSchema.V1;
        var catalog = settings.Catalogs(dir);
        LoadedModels models;
        try
        {
            models = ModelLoading.LoadChecked(catalog, schema);
        }
        catch (InvalidOperationException e)
        {
            throw new ArgumentException($"HEAN_MODEL_DIR={dir}: {e.Message}", e);
        }
        var metrics = new MetricsObserver();
        var monitor = new InferenceMonitor(metrics);
        monitor.Loaded(models.Current.Info.Version);
        metrics.BreakerChanged(BreakerState.Closed, "start");
        var pool = new InferencePool(settings.Inference.Threads, settings.Inference.SpinBudget);
        var inference = hotSwap || settings.Inference.Timeout >= ReplayTimeout ? settings.Inference : settings.Inference with { Timeout = ReplayTimeout };
        var graph = new MlGraphSettings(models, hotSwap ? catalog : null, schema, inference, MlStrategySettings.Default, pool, monitor)
        {
            Dispatcher = MlGraphSettings.DedicatedDispatcher,
        };
        return new MlRuntime(graph, monitor, pool, metrics);
    }

    /// <summary>ML_PREDICTION events go to this system's event stream from now on.</summary>
    public void PublishTo(ActorSystem system) => _metrics.EventStream = system.EventStream;

    /// <summary>The "ml" component of /health: degraded while the breaker is not closed.</summary>
    public ComponentHealth Health(double uptime)
    {
        var m = Monitor;
        var details = new Dictionary<string, object?>
        {
            ["model"] = m.ModelVersion,
            ["circuit_breaker"] = m.Breaker.ToString().ToLowerInvariant(),
            ["predictions"] = m.Predictions,
            ["fallbacks"] = m.Fallbacks,
            ["failures"] = m.Failures,
            ["timeouts"] = m.Timeouts,
            ["expired_predictions"] = m.Expired,
            ["swaps"] = m.Swaps,
            ["last_failure"] = m.LastFailure,
        };
        return m.Degraded
            ? new ComponentHealth("ml", ComponentHealth.Degraded, $"circuit breaker {m.Breaker.ToString().ToLowerInvariant()}: {m.BreakerReason}; technical strategy decides", uptime, details)
            : new ComponentHealth("ml", ComponentHealth.Healthy, null, uptime, details);
    }

    public void Dispose() => Pool.Dispose();

    private sealed record VersionCounter(string Version, Prometheus.Counter.Child Child);

    /// <summary>Prometheus metrics and the event stream.</summary>
    private sealed class MetricsObserver : IInferenceObserver
    {
        private static readonly string[] States = ["closed", "open", "half_open"];

        // The counter of the version answering now, so a prediction does not look its labels up.
        private VersionCounter? _predictions;

        public Akka.Event.EventStream? EventStream { get; set; }

        public void Predicted(MlPrediction p)
        {
            HeanMetrics.MlInferenceLatency.Observe(p.LatencySeconds);
            var counter = _predictions;
            if (counter?.Version != p.ModelVersion) _predictions = counter = new VersionCounter(p.ModelVersion, HeanMetrics.MlPredictions.WithLabels(p.ModelVersion));
            counter.Child.Inc();
            if (p.Fallback) HeanMetrics.MlFallbacks.Inc();
            if (p.Expired) HeanMetrics.MlExpiredPredictions.Inc();
            EventStream?.Publish(p);
        }

        public void Failed(string modelVersion, bool timedOut, string reason) => HeanMetrics.MlFailures.WithLabels(timedOut ? "timeout" : "error").Inc();

        public void BreakerChanged(BreakerState state, string reason)
        {
            var current = state switch { BreakerState.Open => "open", BreakerState.HalfOpen => "half_open", _ => "closed" };
            foreach (var s in States) HeanMetrics.CircuitBreaker.WithLabels("ml", s).Set(s == current ? 1 : 0);
        }

        public void Swapped(string? fromVersion, string toVersion) => Serilog.Log.Information("model {From} swapped for {To}", fromVersion, toVersion);

        public void SwapFailed(string reason) => Serilog.Log.Warning("promoted model not loaded, the current one stays: {Reason}", reason);
    }
}
