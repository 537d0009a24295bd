using Hean.Core.Features;
using Hean.Core.Signals;
using Hean.Core.Models;
using Hean.Host.Commands;
using Hean.Host.Configuration;
using Hean.Host.Hosting;
using Hean.Streams.Inference;
using Microsoft.Extensions.Configuration;
using Xunit;

namespace Hean.Host.Tests;

/// <summary>HEAN_MODEL_DIR in the host: refused at start when wrong, deterministic in a backtest when right.</summary>
public sealed class MlHostingTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hean-models-").FullName;

    /// <summary>A deterministic model on the live schema: momentum from RSI.</summary>
    private sealed class RsiModel(string version, string schemaId) : IPredictor
    {
        private readonly int _rsi = FeatureSchema.V1.IndexOf("rsi_14");

        public ModelInfo Info { get; } = new(version, "test", schemaId, DateTime.MinValue, DateTime.MinValue, DateTime.MinValue, null);

        public Prediction Predict(ReadOnlySpan<double> features)
        {
            var score = double.IsNaN(features[_rsi]) ? 0 : Math.Tanh((features[_rsi] - 50) / 10);
            return new Prediction(score, score, Math.Abs(score));
        }
    }

    private sealed class OneModel(IPredictor model) : IModelCatalog
    {
        public string? PromotedVersion() => model.Info.Version;
        public LoadedModels LoadPromoted(FeatureSchema live) => new(model, null);
    }

    private HeanSettings Settings(IPredictor? model, IDictionary<string, string?>? env = null)
    {
        var s = HeanSettings.From(new ConfigurationBuilder().AddInMemoryCollection(env ?? new Dictionary<string, string?>()).Build());
        return model is null ? s : s with { Ml = s.Ml with { ModelDir = _dir, Catalogs = _ => new OneModel(model) } };
    }

    private static BacktestOptions Synthetic(ulong seed) => new(null, null, seed, TimeSpan.FromHours(3),
        new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), TimeSpan.FromMinutes(1), null);

    [Fact]
    public async Task A_backtest_with_a_model_trades_on_its_signals_and_replays_bit_for_bit()
    {
        var settings = Settings(new RsiModel("m1", FeatureSchema.V1.Id));
        var failures = Actors.Monitoring.HeanMetrics.MlFailures;
        var (timeouts, errors) = (failures.WithLabels("timeout").Value, failures.WithLabels("error").Value);
        var first = await BacktestCommand.RunAsync(settings, Synthetic(7), CancellationToken.None);
        var second = await BacktestCommand.RunAsync(settings, Synthetic(7), CancellationToken.None);
        var technical = await BacktestCommand.RunAsync(Settings(null), Synthetic(7), CancellationToken.None);

        Assert.True(first.FillCount > 0, "the ML strategy should trade in three hours of synthetic market");
        Assert.True(first.Fingerprint == second.Fingerprint,
            $"fingerprints differ; model timeouts {failures.WithLabels("timeout").Value - timeouts}, errors {failures.WithLabels("error").Value - errors}");
        Assert.Equal(first.Pnl, second.Pnl);
        Assert.NotEqual(technical.Fingerprint, first.Fingerprint);
    }

    [Fact]
    public async Task A_model_on_another_feature_schema_is_refused_at_start_with_exit_code_2()
    {
        var settings = Settings(new RsiModel("m2", "v1-000000000000"));
        var e = Assert.Throws<ModelSchemaMismatchException>(() => MlRuntime.Start(settings.Ml, hotSwap: false));
        Assert.Contains("m2", e.Message);
        Assert.Contains(FeatureSchema.V1.Id, e.Message);
        Assert.Equal(Program.BadInput, await Program.Guard(async () =>
        {
            await BacktestCommand.RunAsync(settings, Synthetic(7), CancellationToken.None);
            return Program.Ok;
        }));
    }

    [Fact]
    public void No_model_directory_means_no_ML_and_bad_ML_settings_are_named()
    {
        Assert.Null(MlRuntime.Start(Settings(null).Ml, hotSwap: true));
        Assert.Null(MlRuntime.Start(Settings(null, new Dictionary<string, string?> { ["HEAN_MODEL_DIR"] = " " }).Ml, hotSwap: true));
        var missing = Settings(null, new Dictionary<string, string?> { ["HEAN_MODEL_DIR"] = Path.Combine(_dir, "nope") });
        Assert.Throws<DirectoryNotFoundException>(() => MlRuntime.Start(missing.Ml, hotSwap: true));
        var bad = Assert.Throws<SettingsException>(() => Settings(null, new Dictionary<string, string?>
        {
            ["ML_INFERENCE_TIMEOUT"] = "soon", ["ML_BREAKER_FAILURES"] = "0", ["ML_INFERENCE_THREADS"] = "100", ["ML_INFERENCE_MODE"] = "inline",
        }));
        Assert.Contains(bad.Problems, p => p.StartsWith("ML_INFERENCE_MODE=inline", StringComparison.Ordinal));
        Assert.Contains(bad.Problems, p => p.StartsWith("ML_INFERENCE_TIMEOUT=soon", StringComparison.Ordinal));
        Assert.Contains(bad.Problems, p => p.StartsWith("ML_BREAKER_FAILURES", StringComparison.Ordinal));
        Assert.Contains(bad.Problems, p => p.StartsWith("ML_INFERENCE_THREADS", StringComparison.Ordinal));
        var ok = Settings(null, new Dictionary<string, string?> { ["ML_INFERENCE_TIMEOUT"] = "250", ["ML_BREAKER_RESET"] = "1m" });
        Assert.Equal((TimeSpan.FromMilliseconds(250), TimeSpan.FromMinutes(1), InferenceMode.Auto),
            (ok.Ml.Inference.Timeout, ok.Ml.Inference.BreakerReset, ok.Ml.Inference.Mode));
        Assert.Equal(InferenceMode.Pool, Settings(null, new Dictionary<string, string?> { ["ML_INFERENCE_MODE"] = "Pool" }).Ml.Inference.Mode);
    }

    [Fact]
    public async Task Paper_trading_with_a_model_predicts_on_live_bars()
    {
        var settings = Settings(new RsiModel("m-run", FeatureSchema.V1.Id), new Dictionary<string, string?>
        {
            ["HEAN_PERSISTENCE"] = "inmem", ["HEAN_DATA_DIR"] = Path.Combine(_dir, "data"), ["HEAN_HTTP_PORT"] = "0", ["LOG_LEVEL"] = "WARNING",
        });
        var before = Actors.Monitoring.HeanMetrics.MlPredictions.WithLabels("m-run").Value;
        // 15 s of wall time at speed 60 is 15 market minutes: live bars close even on a loaded machine (8 s once was not enough, load 9).
        var code = await RunCommand.RunAsync(settings, new RunOptions(TimeSpan.FromSeconds(15), false, 60, 5, TimeSpan.FromHours(3)), CancellationToken.None);
        Assert.Equal(Program.Ok, code);
        Assert.True(Actors.Monitoring.HeanMetrics.MlPredictions.WithLabels("m-run").Value > before, "live bars should have been predicted");
    }

    [SkippableFact]
    public async Task Paper_trading_with_a_model_and_the_event_bus_publishes_every_step_of_a_bar()
    {
        await using var redis = await RedisServer.StartAsync(Path.Combine(_dir, "redis"));
        var settings = Settings(new RsiModel("m-bus", FeatureSchema.V1.Id), new Dictionary<string, string?>
        {
            ["HEAN_PERSISTENCE"] = "inmem", ["HEAN_DATA_DIR"] = Path.Combine(_dir, "data"), ["HEAN_HTTP_PORT"] = "0", ["LOG_LEVEL"] = "WARNING",
            ["HEAN_EVENTS_REDIS"] = redis.Address,
        });
        // 20 s: at load average 25 (CI beside other work) 12 s went by in the 3 h warm-up before one live bar closed.
        var code = await RunCommand.RunAsync(settings, new RunOptions(TimeSpan.FromSeconds(20), false, 60, 5, TimeSpan.FromHours(3)), CancellationToken.None);
        Assert.Equal(Program.Ok, code);

        await using var connection = await StackExchange.Redis.ConnectionMultiplexer.ConnectAsync(redis.Address);
        var db = connection.GetDatabase(settings.Events!.Database);
        string[] expected = ["TICK", "CANDLE", "FEATURES_READY", "ML_PREDICTION", "SIGNAL", "ORDER_REQUEST", "ORDER_APPROVED", "ORDER_CREATED",
            "ORDER_FILLED", "PNL_UPDATE", "HEALTH_CHECK"];
        var missing = new List<string>();
        foreach (var type in expected)
            if (await db.StreamLengthAsync(settings.Events.Stream(type)) == 0) missing.Add(type);
        Assert.True(missing.Count == 0, "no events on the bus for " + string.Join(", ", missing));
    }

    [Fact]
    public void The_ml_health_component_is_degraded_while_the_breaker_is_not_closed()
    {
        using var ml = MlRuntime.Start(Settings(new RsiModel("m3", FeatureSchema.V1.Id)).Ml, hotSwap: true)!;
        Assert.NotNull(ml.Graph.Catalog);
        Assert.Equal(TimeSpan.FromMilliseconds(100), ml.Graph.Inference.Timeout);
        using (var replay = MlRuntime.Start(Settings(new RsiModel("m3", FeatureSchema.V1.Id)).Ml, hotSwap: false)!)
        {
            // A backtest neither polls nor lets a busy machine's wall clock decide a fallback.
            Assert.Null(replay.Graph.Catalog);
            Assert.Equal(MlRuntime.ReplayTimeout, replay.Graph.Inference.Timeout);
        }
        var healthy = ml.Health(1);
        Assert.Equal(("ml", "healthy", "m3"), (healthy.Component, healthy.Status, healthy.Details["model"]));
        ml.Monitor.BreakerChanged(Streams.Inference.BreakerState.Open, "3 consecutive failures of m3");
        var degraded = ml.Health(2);
        Assert.Equal("degraded", degraded.Status);
        Assert.Contains("open", degraded.Reason);
        Assert.Equal("open", degraded.Details["circuit_breaker"]);
        ml.Monitor.BreakerChanged(Streams.Inference.BreakerState.Closed, "m3 answered");
        Assert.Equal("healthy", ml.Health(3).Status);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
