using Hean.Core.Features;
using Hean.Core.Models;
using Hean.ML.Registry;
using Hean.ML.Training;

namespace Hean.ML.Tests;

/// <summary>One trained model, registered into fresh registries by each test.</summary>
public sealed class TrainedModelFixture
{
    public TrainingOutcome Regression { get; } =
        WalkForwardTraining.Run(WalkForwardTrainingTests.Dataset, WalkForwardTrainingTests.Settings(ModelKinds.LightGbmReturn));

    public TrainingOutcome Classifier { get; } =
        WalkForwardTraining.Run(WalkForwardTrainingTests.Dataset, WalkForwardTrainingTests.Settings(ModelKinds.FastTreeTrend));
}

public sealed class FileModelRegistryTests : IClassFixture<TrainedModelFixture>, IDisposable
{
    private static readonly DateTime Now = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);
    private readonly string _dir = Directory.CreateTempSubdirectory("hean-registry-").FullName;
    private readonly string _data;

    /// <summary>A schema that differs from V1 in one indicator.</summary>
    private static readonly FeatureSchema Other = new(1, FeatureSchema.V1Indicators.Replace("sma:20", "sma:21", StringComparison.Ordinal), 5, 10);

    private readonly TrainedModelFixture models;

    public FileModelRegistryTests(TrainedModelFixture models)
    {
        this.models = models;
        _data = TestCandles.WriteCsv(TestCandles.Walk(50, seed: 8), Path.Combine(_dir, "bars.csv"));
    }

    private FileModelRegistry Registry => new(Path.Combine(_dir, "models"));

    private ModelManifest Publish(TrainingOutcome outcome, TimeSpan? expires = null) =>
        ModelPublisher.Publish(Registry, outcome, FeatureSchema.V1, _data, Now, expires);

    [Fact]
    public void Versions_are_numbered_folders_with_manifest_trees_model_and_report()
    {
        var v1 = Publish(models.Regression, TimeSpan.FromDays(30));
        var v2 = Publish(models.Classifier);
        Assert.Equal(["v0001", "v0002"], Registry.List().Select(m => m.Version));
        foreach (var file in new[] { ModelManifest.FileName, ModelManifest.TreesFileName, ModelManifest.ModelFileName, ModelManifest.ReportFileName })
            Assert.True(File.Exists(Path.Combine(Registry.Root, "v0001", file)), file);
        Assert.Empty(Directory.GetDirectories(Registry.Root, ".staging-*"));

        var m = Registry.Get("1");
        Assert.Equal(v1, m with { FeatureNames = v1.FeatureNames, Metrics = v1.Metrics });
        Assert.Equal(FeatureSchema.V1.Names, m.FeatureNames);
        Assert.Equal(FeatureSchema.V1.Id, m.SchemaId);
        Assert.Equal(ModelPublisher.Sha256(_data), m.DataSha256);
        Assert.Equal(64, m.DataSha256.Length);
        Assert.Equal(Now.AddDays(30), m.ExpiresAt);
        Assert.Equal(models.Regression.Report.Final.TrainFrom, m.TrainedFrom);
        Assert.Equal(models.Regression.Report.Summary()["ic"], m.Metrics["ic"], 12);
        Assert.True(double.IsNaN(m.Metrics["auc"]), "NaN metrics survive the JSON round trip");
        Assert.Equal(ModelKinds.FastTreeTrend, v2.Kind);
        Assert.Null(v2.ExpiresAt);
    }

    [Fact]
    public void Promote_and_rollback_move_the_pointer_and_load_current_and_fallback()
    {
        Publish(models.Regression);
        Publish(models.Classifier);
        Publish(models.Regression);
        var registry = Registry;
        Assert.Null(registry.PromotedVersion());
        Assert.Throws<InvalidOperationException>(() => registry.LoadPromoted(FeatureSchema.V1));

        registry.Promote("v1", FeatureSchema.V1);
        registry.Promote("v0003", FeatureSchema.V1);
        registry.Promote("2", FeatureSchema.V1);
        Assert.Equal("v0002", registry.PromotedVersion());
        var loaded = registry.LoadPromoted(FeatureSchema.V1);
        Assert.Equal("v0002", loaded.Current.Info.Version);
        Assert.Equal("v0003", loaded.Previous!.Info.Version);

        Assert.Equal("v0003", registry.Rollback(FeatureSchema.V1).Version);
        Assert.Equal("v0001", Registry.Rollback(FeatureSchema.V1).Version);
        Assert.Contains("nothing to roll back", Assert.Throws<ArgumentException>(() => Registry.Rollback(FeatureSchema.V1)).Message);
        Assert.Null(Registry.LoadPromoted(FeatureSchema.V1).Previous);
        Assert.Equal(["promote", "promote", "promote", "rollback", "rollback"], Registry.Promotion().Log.Select(e => e.Action));
        Assert.Empty(Directory.GetFiles(Registry.Root, "*.tmp"));
    }

    [Fact]
    public void A_loaded_model_predicts_what_the_trained_trees_predict_and_scores_as_documented()
    {
        Publish(models.Regression);
        Publish(models.Classifier);
        var regression = Registry.Load("v1", FeatureSchema.V1);
        var classifier = Registry.Load("v2", FeatureSchema.V1);
        var scale = models.Regression.Report.Final.ScoreScale;
        foreach (var row in WalkForwardTrainingTests.Dataset.Rows.Take(300))
        {
            var r = regression.Predict(row);
            Assert.Equal(models.Regression.FinalModel.Trees.Output(row), r.Raw);
            Assert.Equal(Math.Clamp(r.Raw / scale, -1, 1), r.Score, 12);
            Assert.Equal(Math.Abs(r.Score), r.Confidence);
            var c = classifier.Predict(row);
            var p = models.Classifier.FinalModel.Trees.Probability(models.Classifier.FinalModel.Trees.Output(row));
            Assert.Equal(p, c.Raw);
            Assert.Equal(2.0 * p - 1.0, c.Score, 12);
            Assert.Equal(Math.Abs(c.Score), c.Confidence, 12);
        }
    }

    [Fact]
    public void A_model_on_another_schema_is_refused_on_promote_and_on_load()
    {
        Publish(models.Regression);
        var error = Assert.Throws<ModelSchemaMismatchException>(() => Registry.Promote("v1", Other));
        Assert.Contains("feature 0 is 'sma_20' in the model and 'sma_21' live", error.Message);
        Assert.Contains(Other.Id, error.Message);
        Assert.Null(Registry.PromotedVersion());

        Registry.Promote("v1", FeatureSchema.V1);
        Assert.Throws<ModelSchemaMismatchException>(() => Registry.LoadPromoted(Other));
        Assert.Throws<ModelSchemaMismatchException>(() => Registry.Load("v1", Other));
    }

    [Fact]
    public void Unknown_versions_and_corrupt_files_fail_with_clear_messages()
    {
        Assert.Empty(Registry.List());
        Assert.Contains("the registry is empty", Assert.Throws<ArgumentException>(() => Registry.Get("v7")).Message);
        Publish(models.Regression);
        Assert.Contains("versions: v0001", Assert.Throws<ArgumentException>(() => Registry.Get("v7")).Message);
        Assert.Contains("not a model version", Assert.Throws<ArgumentException>(() => Registry.Get("latest")).Message);
        Registry.Promote("v1", FeatureSchema.V1);
        Assert.Contains("already promoted", Assert.Throws<ArgumentException>(() => Registry.Promote("v1", FeatureSchema.V1)).Message);

        File.WriteAllText(Path.Combine(Registry.Root, FileModelRegistry.PromotedFileName), "{broken");
        Assert.Throws<FormatException>(() => Registry.PromotedVersion());
        File.WriteAllText(Path.Combine(Registry.Root, "v0001", ModelManifest.TreesFileName), "{}");
        Assert.Throws<FormatException>(() => Registry.Load("v1", FeatureSchema.V1));
    }

    [Fact]
    public void Latency_is_measured_per_call_with_ordered_percentiles()
    {
        Publish(models.Regression);
        var predictor = Registry.Load("v1", FeatureSchema.V1);
        var stats = Hean.ML.Inference.PredictorLatency.Measure(predictor, WalkForwardTrainingTests.Dataset.Rows, rounds: 2);
        Assert.Equal(2 * WalkForwardTrainingTests.Dataset.Count, stats.Calls);
        Assert.True(stats.P50Micros > 0);
        Assert.True(stats.P50Micros <= stats.P90Micros && stats.P90Micros <= stats.P99Micros && stats.P99Micros <= stats.P999Micros && stats.P999Micros <= stats.MaxMicros);
        Assert.Throws<ArgumentException>(() => Hean.ML.Inference.PredictorLatency.Measure(predictor, [], 1));
    }

    [Fact]
    public void Concurrent_registrations_get_distinct_versions()
    {
        var versions = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, 6, _ => versions.Add(Publish(models.Regression).Version));
        Assert.Equal(6, versions.Distinct().Count());
        Assert.Equal(6, Registry.List().Count);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
