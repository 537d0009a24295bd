using Hean.Core.Features;
using Hean.ML.Datasets;
using Hean.ML.Inference;
using Hean.ML.Training;

namespace Hean.ML.Tests;

public class WalkForwardTrainingTests
{
    internal static readonly FeatureDataset Dataset = DatasetBuilder.Build(TestCandles.Walk(1400, seed: 21), FeatureSchema.V1);

    internal static TrainingSettings Settings(string kind, int seed = 5) =>
        new(kind, Horizon: 2, TrainBars: 600, StepBars: 200, PurgeBars: 2, DeadZone: 0.001, FeeRate: 0.00055,
            new TreeTrainingOptions(Trees: 30, Leaves: 8, MinRowsPerLeaf: 20, LearningRate: 0.1, Seed: seed));

    [Theory]
    [InlineData(ModelKinds.LightGbmReturn)]
    [InlineData(ModelKinds.FastTreeTrend)]
    public void Same_seed_gives_identical_windows_metrics_and_final_trees(string kind)
    {
        var seen = new List<int>();
        var a = WalkForwardTraining.Run(Dataset, Settings(kind), w => seen.Add(w.Index));
        var b = WalkForwardTraining.Run(Dataset, Settings(kind));
        Assert.Equal(a.Report.Windows.Count, seen.Count);
        Assert.Equal(a.Report.Windows.Select(Strip), b.Report.Windows.Select(Strip));
        Assert.Equal(TreeFile.ToJson(a.FinalModel.Trees), TreeFile.ToJson(b.FinalModel.Trees));
        Assert.Equal(a.Report.Final with { TrainSeconds = 0 }, b.Report.Final with { TrainSeconds = 0 });
    }

    [Fact]
    public void Regression_windows_report_rmse_and_ic_and_classifier_windows_report_auc_accuracy_log_loss()
    {
        var regression = WalkForwardTraining.Run(Dataset, Settings(ModelKinds.LightGbmReturn)).Report;
        // (1400 − warm-up − horizon − 600 − 2) / 200 windows
        var expected = (Dataset.Count - 2 - 600 - 2) / 200;
        Assert.Equal(expected, regression.Windows.Count);
        Assert.All(regression.Windows, w =>
        {
            Assert.True(w.Rmse > 0 && double.IsFinite(w.InformationCoefficient));
            Assert.True(double.IsNaN(w.Auc));
            Assert.Equal(200, w.Backtest.Bars);
            Assert.True(w.TestFrom > w.TrainTo, "test after training");
        });
        Assert.Equal(Dataset.Times[Dataset.Count - 3], regression.Final.TrainTo);
        Assert.Equal(600, regression.Final.TrainRows);

        var classifier = WalkForwardTraining.Run(Dataset, Settings(ModelKinds.FastTreeTrend)).Report;
        Assert.All(classifier.Windows, w =>
        {
            Assert.InRange(w.Auc, 0, 1);
            Assert.InRange(w.Accuracy, 0, 1);
            Assert.True(w.LogLoss > 0);
            Assert.True(double.IsNaN(w.Rmse));
        });
        var table = TrainingTable.Format(classifier);
        Assert.Contains("auc", table);
        Assert.Equal(classifier.Windows.Count + 3, table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void A_persistent_walk_is_learned_out_of_sample()
    {
        // returns that persist (AR 0.7): the next return is predictable from the last ones, and a model
        // should find it out of sample; on a walk without persistence it finds nothing
        var persistent = DatasetBuilder.Build(TestCandles.Walk(1400, seed: 22, persistence: 0.7), FeatureSchema.V1);
        var settings = Settings(ModelKinds.LightGbmReturn) with { Horizon = 1, PurgeBars = 1 };
        var report = WalkForwardTraining.Run(persistent, settings).Report;
        Assert.True(report.Summary()["ic"] > 0.3, $"mean IC {report.Summary()["ic"]}");
        Assert.True(report.Summary()["gross_return"] > 0, $"gross {report.Summary()["gross_return"]}");
        var noise = DatasetBuilder.Build(TestCandles.Walk(1400, seed: 22, persistence: 0), FeatureSchema.V1);
        var none = WalkForwardTraining.Run(noise, settings).Report;
        Assert.True(Math.Abs(none.Summary()["ic"]) < 0.15, $"mean IC without signal {none.Summary()["ic"]}");
    }

    [Fact]
    public void Too_little_data_and_bad_settings_are_refused_clearly()
    {
        var tooLong = Settings(ModelKinds.LightGbmReturn) with { TrainBars = 5000 };
        Assert.Contains("too few for one window", Assert.Throws<ArgumentException>(() => WalkForwardTraining.Run(Dataset, tooLong)).Message);
        Assert.Contains("not a tree model", Assert.Throws<ArgumentException>(() => WalkForwardTraining.Run(Dataset, Settings(ModelKinds.RlExecution))).Message);
        var wideDeadZone = Settings(ModelKinds.FastTreeTrend) with { DeadZone = 0.9 };
        Assert.Contains("dead zone", Assert.Throws<ArgumentException>(() => WalkForwardTraining.Run(Dataset, wideDeadZone)).Message);
    }

    private static WindowReport Strip(WindowReport w) => w with { TrainSeconds = 0 };
}
