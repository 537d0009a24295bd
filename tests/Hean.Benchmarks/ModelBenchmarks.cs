using BenchmarkDotNet.Attributes;
using Hean.Core.Domain;
using Hean.Core.Features;
using Hean.Core.MarketData;
using Hean.Core.Models;
using Hean.ML;
using Hean.ML.Datasets;
using Hean.ML.Inference;
using Hean.ML.Training;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Hean.Benchmarks;

/// <summary>
/// Hourly bars of a seeded random walk, their V1 feature rows (the live feature code) and forward
/// returns: what the model benchmarks train and predict on.
/// </summary>
internal static class ModelBenchmarkData
{
    public const int TrainRows = 4320; // 180 days of hourly bars, hean train's default window

    public static (FeatureDataset Dataset, double[] Labels) Build()
    {
        var random = new Random(7);
        var candles = new List<Candle>();
        var close = 30000.0;
        for (var i = 0; i < TrainRows + 200; i++)
        {
            var open = close;
            close = open * Math.Exp((random.NextDouble() - 0.5) * 0.02);
            candles.Add(new Candle(BenchmarkData.Symbol, BenchmarkData.Time.AddHours(i), TimeSpan.FromHours(1), (decimal)open,
                (decimal)(Math.Max(open, close) * 1.002), (decimal)(Math.Min(open, close) * 0.998), (decimal)close, (decimal)(1 + random.NextDouble() * 100)));
        }
        var dataset = DatasetBuilder.Build(candles, FeatureSchema.V1);
        var labels = Labels.ForwardLogReturns(dataset.Closes, 4);
        return (dataset, labels);
    }

    public static ModelInfo Info(string kind) => new("bench", kind, FeatureSchema.V1.Id, default, default, default, null);
}

/// <summary>
/// One prediction on the full V1 vector (40 features) by the flat-tree predictors of a LightGBM
/// regressor and a FastTree classifier (200 trees × 15 leaves, hean train's defaults), against
/// ML.NET's own PredictionEngine on the same LightGBM model. Per operation, over 1024 different rows.
/// </summary>
[MemoryDiagnoser]
public class ModelPredictBenchmarks
{
    private const int Rows = 1024;
    private double[][] _rows = null!;
    private EngineInput[] _inputs = null!;
    private TreeEnsemblePredictor _lightGbm = null!;
    private TreeEnsemblePredictor _fastTree = null!;
    private PredictionEngine<EngineInput, EngineOutput> _engine = null!;
    private EngineOutput _output = new();

    [GlobalSetup]
    public void Setup()
    {
        var (dataset, labels) = ModelBenchmarkData.Build();
        var n = ModelBenchmarkData.TrainRows;
        var encoded = dataset.Rows.Take(n).Select(r => ModelInput.Encode(r)).ToArray();
        var options = new TreeTrainingOptions();
        var regression = TreeTrainer.TrainLightGbmRegression(encoded, labels.Take(n).Select(l => (float)l).ToArray(), options);
        var classifier = TreeTrainer.TrainFastTreeBinary(encoded, labels.Take(n).Select(l => l > 0).ToArray(), options);
        _lightGbm = new TreeEnsemblePredictor(ModelBenchmarkData.Info(ModelKinds.LightGbmReturn), regression.Trees, 0.01);
        _fastTree = new TreeEnsemblePredictor(ModelBenchmarkData.Info(ModelKinds.FastTreeTrend), classifier.Trees, 1);
        _rows = Enumerable.Range(0, Rows).Select(i => dataset.Rows[(i * 37) % dataset.Count]).ToArray();
        _inputs = _rows.Select(r => new EngineInput { Features = ModelInput.Encode(r) }).ToArray();

        var path = Path.Combine(Path.GetTempPath(), $"hean-bench-{Guid.NewGuid():N}.zip");
        regression.Save(path);
        var ml = new MLContext(1);
        var model = ml.Model.Load(path, out _);
        File.Delete(path);
        _engine = ml.Model.CreatePredictionEngine<EngineInput, EngineOutput>(model);
        Console.WriteLine($"// LightGBM: {regression.Trees.TreeCount} trees, {regression.Trees.NodeCount} splits; FastTree: {classifier.Trees.TreeCount} trees, {classifier.Trees.NodeCount} splits");
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public double LightGbmFlatTrees()
    {
        var sum = 0.0;
        foreach (var row in _rows) sum += _lightGbm.Predict(row).Score;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public double FastTreeFlatTrees()
    {
        var sum = 0.0;
        foreach (var row in _rows) sum += _fastTree.Predict(row).Score;
        return sum;
    }

    [Benchmark(OperationsPerInvoke = Rows)]
    public double LightGbmMlNetPredictionEngine()
    {
        var sum = 0.0;
        foreach (var input in _inputs)
        {
            _engine.Predict(input, ref _output);
            sum += _output.Score;
        }
        return sum;
    }

    public sealed class EngineInput
    {
        [VectorType(40)]
        public float[] Features { get; set; } = [];
    }

    public sealed class EngineOutput
    {
        public float Score { get; set; }
    }
}

/// <summary>Training one model on a 180-day window of hourly rows (4320 × 40), single-threaded: one walk-forward step of hean train.</summary>
public class ModelTrainingBenchmarks
{
    private float[][] _rows = null!;
    private float[] _returns = null!;
    private bool[] _up = null!;

    [GlobalSetup]
    public void Setup()
    {
        var (dataset, labels) = ModelBenchmarkData.Build();
        var n = ModelBenchmarkData.TrainRows;
        _rows = dataset.Rows.Take(n).Select(r => ModelInput.Encode(r)).ToArray();
        _returns = labels.Take(n).Select(l => (float)l).ToArray();
        _up = labels.Take(n).Select(l => l > 0).ToArray();
    }

    [Benchmark]
    public int TrainLightGbm() => TreeTrainer.TrainLightGbmRegression(_rows, _returns, new TreeTrainingOptions()).Trees.NodeCount;

    [Benchmark]
    public int TrainFastTree() => TreeTrainer.TrainFastTreeBinary(_rows, _up, new TreeTrainingOptions()).Trees.NodeCount;
}
