using Hean.ML.Inference;
using Hean.ML.Training;

namespace Hean.ML.Tests;

public class FlatTreeEnsembleTests
{
    private static readonly TreeTrainingOptions Small = new(Trees: 60, Leaves: 15, MinRowsPerLeaf: 10, LearningRate: 0.1, Seed: 7);

    [Fact]
    public void LightGbm_flat_trees_equal_mlnet_scores_on_unseen_rows_with_missing_values()
    {
        var (model, _) = TrainRegression(Small);
        var test = SyntheticData.Rows(3000, seed: 99, missingShare: 0.1);
        var expected = model.MlNetScores(SyntheticData.Encode(test));
        var distinct = new HashSet<float>();
        for (var i = 0; i < test.Length; i++)
        {
            var actual = model.Trees.Output(test[i]);
            AssertClose(expected[i], actual, i);
            distinct.Add(actual);
        }
        Assert.True(distinct.Count > 100, $"the model should predict many values, got {distinct.Count}");
        Assert.Equal(Small.Trees, model.Trees.TreeCount);
    }

    [Fact]
    public void FastTree_flat_trees_equal_mlnet_scores_and_calibrated_probabilities()
    {
        var train = SyntheticData.Rows(3000, seed: 3);
        var noise = new Random(4);
        var labels = train.Select(r => SyntheticData.Target(r, noise) > 0).ToArray();
        var model = TreeTrainer.TrainFastTreeBinary(SyntheticData.Encode(train), labels, Small);
        var test = SyntheticData.Rows(3000, seed: 98, missingShare: 0.1);
        var encoded = SyntheticData.Encode(test);
        var scores = model.MlNetScores(encoded);
        var probabilities = model.MlNetProbabilities(encoded);
        Assert.Equal(TreeObjective.Binary, model.Trees.Objective);
        for (var i = 0; i < test.Length; i++)
        {
            var output = model.Trees.Output(test[i]);
            AssertClose(scores[i], output, i);
            AssertClose(probabilities[i], model.Trees.Probability(output), i);
        }
        Assert.Contains(probabilities, p => p > 0.8);
        Assert.Contains(probabilities, p => p < 0.2);
    }

    [SkippableFact]
    public void Flat_trees_equal_mlnet_on_real_coinbase_feature_rows()
    {
        var path = TestCandles.SharedData(TestCandles.CoinbaseHourly);
        Skip.If(path is null, $"shared/data/{TestCandles.CoinbaseHourly} not found above {AppContext.BaseDirectory}");
        var candles = Hean.Core.MarketData.Replay.OhlcvCsvReader.ReadAll(path!, TestCandles.Symbol).Take(6000).ToList();
        var dataset = Hean.ML.Datasets.DatasetBuilder.Build(candles, Hean.Core.Features.FeatureSchema.V1);
        var labels = Hean.ML.Datasets.Labels.ForwardLogReturns(dataset, 4);
        var model = TreeTrainer.TrainLightGbmRegression(SyntheticData.Encode(dataset.Rows.Take(3000)),
            labels.Take(3000).Select(l => (float)l).ToArray(), Small);
        var test = dataset.Rows.Skip(3000).ToArray();
        var expected = model.MlNetScores(SyntheticData.Encode(test));
        for (var i = 0; i < test.Length; i++) AssertClose(expected[i], model.Trees.Output(test[i]), i);
        Assert.True(expected.Distinct().Count() > 100);
    }

    [Fact]
    public void Json_round_trip_predicts_bit_for_bit()
    {
        var (model, _) = TrainRegression(Small);
        var loaded = TreeFile.FromJson(TreeFile.ToJson(model.Trees));
        foreach (var row in SyntheticData.Rows(500, seed: 5))
            Assert.Equal(model.Trees.Output(row), loaded.Output(row));
        Assert.Equal(TreeFile.ToJson(model.Trees), TreeFile.ToJson(loaded));
    }

    [Fact]
    public void Same_seed_gives_identical_trees_and_another_seed_with_subsampling_differs()
    {
        var a = TreeFile.ToJson(TrainRegression(Small).Model.Trees);
        var b = TreeFile.ToJson(TrainRegression(Small).Model.Trees);
        Assert.Equal(a, b);
        var fast1 = TreeFile.ToJson(TrainBinary(Small).Trees);
        var fast2 = TreeFile.ToJson(TrainBinary(Small).Trees);
        Assert.Equal(fast1, fast2);
    }

    [Fact]
    public void Wrong_vector_length_and_corrupt_files_are_refused_clearly()
    {
        var (model, _) = TrainRegression(Small);
        var error = Assert.Throws<ArgumentException>(() => model.Trees.Output(new double[39]));
        Assert.Contains("takes 40 features, got 39", error.Message);
        Assert.Throws<FormatException>(() => TreeFile.FromJson("{not json"));
        Assert.Contains("format", Assert.Throws<FormatException>(() => TreeFile.FromJson("{\"Format\":\"other\"}")).Message);
        var broken = TreeFile.ToJson(model.Trees).Replace("\"FeatureCount\":40", "\"FeatureCount\":3", StringComparison.Ordinal);
        Assert.Contains("outside", Assert.Throws<FormatException>(() => TreeFile.FromJson(broken)).Message);
    }

    [Fact]
    public void Missing_values_take_the_side_of_the_smallest_values()
    {
        // one split: x0 ≤ 0.5 → leaf 0 (−1), else leaf 1 (+1)
        var trees = new FlatTreeEnsemble(TreeObjective.Regression, 1, 0, [0], [0], [0.5f], [~0], [~1], [-1.0, 1.0]);
        Assert.Equal(-1f, trees.Output([double.NaN]));
        Assert.Equal(-1f, trees.Output([0.5]));
        Assert.Equal(-1f, trees.Output([0.50000001])); // single precision, as ML.NET compares: (float)0.50000001 == 0.5f
        Assert.Equal(1f, trees.Output([0.6]));
    }

    [Fact]
    public void Predict_allocates_nothing()
    {
        var (model, train) = TrainRegression(Small);
        var info = new Hean.Core.Models.ModelInfo("v0001", ModelKinds.LightGbmReturn, "v1-test", default, default, default, null);
        var predictor = new TreeEnsemblePredictor(info, model.Trees, scoreScale: 0.5);
        var sum = predictor.Predict(train[0]).Score;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 2000; i++) sum += predictor.Predict(train[i % train.Length]).Score;
        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
        Assert.True(double.IsFinite(sum));
    }

    internal static (TrainedTreeModel Model, double[][] Train) TrainRegression(TreeTrainingOptions options)
    {
        var train = SyntheticData.Rows(3000, seed: 1);
        var noise = new Random(2);
        var labels = train.Select(r => (float)SyntheticData.Target(r, noise)).ToArray();
        return (TreeTrainer.TrainLightGbmRegression(SyntheticData.Encode(train), labels, options), train);
    }

    private static TrainedTreeModel TrainBinary(TreeTrainingOptions options)
    {
        var train = SyntheticData.Rows(2000, seed: 11);
        var noise = new Random(12);
        return TreeTrainer.TrainFastTreeBinary(SyntheticData.Encode(train), train.Select(r => SyntheticData.Target(r, noise) > 0).ToArray(), options);
    }

    private static void AssertClose(double expected, double actual, int row)
    {
        var tolerance = 1e-6 * Math.Max(1.0, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"row {row}: ML.NET {expected:R}, flat trees {actual:R}");
    }
}
