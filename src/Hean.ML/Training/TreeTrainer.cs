using Hean.ML.Inference;
using Microsoft.ML;
using Microsoft.ML.Calibrators;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace Hean.ML.Training;

/// <summary>Hyper-parameters of the boosted trees; the defaults keep leaves large, as hourly returns are mostly noise.</summary>
public sealed record TreeTrainingOptions(int Trees = 200, int Leaves = 15, int MinRowsPerLeaf = 50, double LearningRate = 0.05, int Seed = 42)
{
    public void Validate()
    {
        if (Trees < 1) throw new ArgumentException($"the number of trees must be ≥ 1, got {Trees}");
        if (Leaves < 2) throw new ArgumentException($"the number of leaves must be ≥ 2, got {Leaves}");
        if (MinRowsPerLeaf < 1) throw new ArgumentException($"the minimum rows per leaf must be ≥ 1, got {MinRowsPerLeaf}");
        if (!(LearningRate > 0 && LearningRate <= 1)) throw new ArgumentException($"the learning rate must be in (0, 1], got {LearningRate}");
    }
}

/// <summary>An ML.NET model with its flat copy; the ML.NET part is kept for saving and for checking the copy.</summary>
public sealed class TrainedTreeModel(MLContext context, ITransformer transformer, DataViewSchema inputSchema, FlatTreeEnsemble trees)
{
    public FlatTreeEnsemble Trees { get; } = trees;

    /// <summary>The ML.NET model as a zip (ML.NET's own format).</summary>
    public void Save(string path)
    {
        var temp = path + ".tmp";
        using (var stream = File.Create(temp))
        {
            context.Model.Save(transformer, inputSchema, stream);
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>ML.NET's own Score column for encoded rows (what the flat trees must reproduce).</summary>
    public float[] MlNetScores(IReadOnlyList<float[]> rows) => Column(rows, "Score");

    /// <summary>ML.NET's own Probability column (binary models only).</summary>
    public float[] MlNetProbabilities(IReadOnlyList<float[]> rows) => Column(rows, "Probability");

    private float[] Column(IReadOnlyList<float[]> rows, string name)
    {
        var data = TreeTrainer.Load(context, rows.Select(r => new TreeTrainer.RegressionRow { Features = r }), rows.Count == 0 ? 1 : rows[0].Length);
        return transformer.Transform(data).GetColumn<float>(name).ToArray();
    }
}

/// <summary>
/// Trains ML.NET LightGBM regressors and FastTree binary classifiers, single-threaded and seeded so
/// the same data and seed give the same trees, then flattens them for <see cref="TreeEnsemblePredictor"/>.
/// Rows are already encoded by <see cref="ModelInput"/>.
/// </summary>
public static class TreeTrainer
{
    public static TrainedTreeModel TrainLightGbmRegression(IReadOnlyList<float[]> rows, IReadOnlyList<float> labels, TreeTrainingOptions options)
    {
        var featureCount = Check(rows, labels.Count, options);
        var ml = new MLContext(options.Seed);
        var data = Load(ml, rows.Select((r, i) => new RegressionRow { Features = r, Label = labels[i] }), featureCount);
        var trainer = ml.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options
        {
            NumberOfIterations = options.Trees,
            NumberOfLeaves = options.Leaves,
            MinimumExampleCountPerLeaf = options.MinRowsPerLeaf,
            LearningRate = options.LearningRate,
            NumberOfThreads = 1,
            Seed = options.Seed,
            Verbose = false,
            Silent = true,
        });
        var model = trainer.Fit(data);
        var trees = TreeExtraction.Flatten(model.Model.TrainedTreeEnsemble, TreeObjective.Regression, featureCount);
        return new TrainedTreeModel(ml, model, data.Schema, trees);
    }

    public static TrainedTreeModel TrainFastTreeBinary(IReadOnlyList<float[]> rows, IReadOnlyList<bool> labels, TreeTrainingOptions options)
    {
        var featureCount = Check(rows, labels.Count, options);
        if (labels.All(l => l) || labels.All(l => !l)) throw new ArgumentException("a classifier needs rows of both directions in its training window");
        var ml = new MLContext(options.Seed);
        var data = Load(ml, rows.Select((r, i) => new BinaryRow { Features = r, Label = labels[i] }), featureCount);
        var trainer = ml.BinaryClassification.Trainers.FastTree(new FastTreeBinaryTrainer.Options
        {
            NumberOfTrees = options.Trees,
            NumberOfLeaves = options.Leaves,
            MinimumExampleCountPerLeaf = options.MinRowsPerLeaf,
            LearningRate = options.LearningRate,
            NumberOfThreads = 1,
            Seed = options.Seed,
        });
        var model = trainer.Fit(data);
        CalibratedModelParametersBase<FastTreeBinaryModelParameters, PlattCalibrator> calibrated = model.Model;
        var trees = TreeExtraction.Flatten(calibrated.SubModel.TrainedTreeEnsemble, TreeObjective.Binary, featureCount,
            calibrated.Calibrator.Slope, calibrated.Calibrator.Offset);
        return new TrainedTreeModel(ml, model, data.Schema, trees);
    }

    private static int Check(IReadOnlyList<float[]> rows, int labelCount, TreeTrainingOptions options)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (rows.Count == 0) throw new ArgumentException("no training rows");
        if (labelCount != rows.Count) throw new ArgumentException($"{rows.Count} rows but {labelCount} labels");
        var featureCount = rows[0].Length;
        if (rows.Any(r => r.Length != featureCount)) throw new ArgumentException("training rows differ in length");
        return featureCount;
    }

    internal static IDataView Load<T>(MLContext ml, IEnumerable<T> rows, int featureCount) where T : class
    {
        var definition = SchemaDefinition.Create(typeof(T));
        definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, featureCount);
        return ml.Data.LoadFromEnumerable(rows, definition);
    }

    internal sealed class RegressionRow
    {
        public float[] Features { get; set; } = [];
        public float Label { get; set; }
    }

    internal sealed class BinaryRow
    {
        public float[] Features { get; set; } = [];
        public bool Label { get; set; }
    }
}
