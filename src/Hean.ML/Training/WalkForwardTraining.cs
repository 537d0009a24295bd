using System.Diagnostics;
using Hean.ML.Datasets;
using Hean.ML.Inference;

namespace Hean.ML.Training;

/// <summary>What <c>hean train</c> trains and how it is judged.</summary>
/// <param name="Kind"><see cref="ModelKinds.LightGbmReturn"/> or <see cref="ModelKinds.FastTreeTrend"/>.</param>
/// <param name="Horizon">Bars ahead of the forward return label.</param>
/// <param name="TrainBars">Rows per training window.</param>
/// <param name="StepBars">Rows per test window, and how far each window moves.</param>
/// <param name="PurgeBars">Rows left out between training and test (≥ horizon).</param>
/// <param name="DeadZone">Classifier: |forward log return| at or below this is neither up nor down, and left out.</param>
/// <param name="FeeRate">Backtest fee per side, as a fraction of notional.</param>
public sealed record TrainingSettings(string Kind, int Horizon, int TrainBars, int StepBars, int PurgeBars, double DeadZone, double FeeRate, TreeTrainingOptions Trees)
{
    public void Validate()
    {
        if (Kind != ModelKinds.LightGbmReturn && Kind != ModelKinds.FastTreeTrend)
            throw new ArgumentException($"model kind '{Kind}' is not a tree model; use {ModelKinds.LightGbmReturn} or {ModelKinds.FastTreeTrend}");
        if (Horizon < 1) throw new ArgumentException($"--horizon must be at least 1 bar, got {Horizon}");
        if (!(DeadZone >= 0 && DeadZone < 1)) throw new ArgumentException($"--dead-zone must be in [0, 1), got {DeadZone}");
        if (!(FeeRate >= 0 && FeeRate < 0.1)) throw new ArgumentException($"the fee must be in [0, 10%), got {FeeRate}");
        Trees.Validate();
    }
}

/// <summary>Out-of-sample results of one walk-forward window. Scores that do not apply to the kind are NaN.</summary>
public sealed record WindowReport(
    int Index, DateTime TrainFrom, DateTime TrainTo, DateTime TestFrom, DateTime TestTo, int TrainRows, int TestRows,
    double Rmse, double InformationCoefficient, double Pearson, double Auc, double Accuracy, double LogLoss,
    BacktestResult Backtest, double TrainSeconds);

/// <summary>The final model's training: the last <see cref="TrainingSettings.TrainBars"/> labeled rows.</summary>
public sealed record FinalModelReport(DateTime TrainFrom, DateTime TrainTo, int TrainRows, double ScoreScale, int Trees, int Nodes, double TrainSeconds);

public sealed record TrainingReport(
    string Kind, string SchemaId, int Rows, DateTime DataFrom, DateTime DataTo, TrainingSettings Settings,
    IReadOnlyList<WindowReport> Windows, FinalModelReport Final, double TotalSeconds)
{
    /// <summary>Means over the windows (NaN windows skipped) and the backtest summed over all test windows.</summary>
    public IReadOnlyDictionary<string, double> Summary()
    {
        static double Mean(IEnumerable<double> values)
        {
            var finite = values.Where(double.IsFinite).ToArray();
            return finite.Length == 0 ? double.NaN : finite.Average();
        }
        return new Dictionary<string, double>
        {
            ["windows"] = Windows.Count,
            ["rmse"] = Mean(Windows.Select(w => w.Rmse)),
            ["ic"] = Mean(Windows.Select(w => w.InformationCoefficient)),
            ["pearson"] = Mean(Windows.Select(w => w.Pearson)),
            ["auc"] = Mean(Windows.Select(w => w.Auc)),
            ["accuracy"] = Mean(Windows.Select(w => w.Accuracy)),
            ["log_loss"] = Mean(Windows.Select(w => w.LogLoss)),
            ["net_return"] = Windows.Sum(w => w.Backtest.NetReturn),
            ["gross_return"] = Windows.Sum(w => w.Backtest.GrossReturn),
            ["buy_and_hold"] = Windows.Sum(w => w.Backtest.BuyAndHold),
            ["hit_rate"] = Mean(Windows.Select(w => w.Backtest.HitRate)),
        };
    }
}

/// <summary>The outcome of a training run: the report and the final model, ready for the registry.</summary>
public sealed record TrainingOutcome(TrainingReport Report, TrainedTreeModel FinalModel);

/// <summary>
/// Walk-forward training over a <see cref="FeatureDataset"/>: per window, train on the training rows
/// (classifier: those outside the dead zone), predict the test rows with the flat trees (the
/// inference code), score them and backtest the signal; then train the final model on the most
/// recent window. Deterministic for a given dataset and settings.
/// </summary>
public static class WalkForwardTraining
{
    /// <param name="onWindow">called after each walk-forward window is trained and evaluated</param>
    /// <param name="onPlanned">called once with the number of windows, before the first is trained</param>
    public static TrainingOutcome Run(FeatureDataset dataset, TrainingSettings settings, Action<WindowReport>? onWindow = null, Action<int>? onPlanned = null)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        ArgumentNullException.ThrowIfNull(settings);
        settings.Validate();
        var total = Stopwatch.StartNew();
        var labels = Labels.ForwardLogReturns(dataset, settings.Horizon);
        var labeled = Math.Max(0, dataset.Count - settings.Horizon);
        var windows = WalkForward.Plan(labeled, settings.TrainBars, settings.StepBars, settings.PurgeBars, settings.Horizon);
        if (windows.Count == 0)
            throw new ArgumentException(
                $"{dataset.Count} feature rows (after warm-up) are too few for one window: {settings.TrainBars} training + {settings.PurgeBars} purge + {settings.StepBars} test bars + {settings.Horizon} horizon");
        var encoded = dataset.Rows.Select(r => ModelInput.Encode(r)).ToArray();
        onPlanned?.Invoke(windows.Count);

        var reports = new List<WindowReport>();
        foreach (var w in windows)
        {
            var clock = Stopwatch.StartNew();
            var model = Train(encoded, labels, w.TrainStart, w.TrainEnd, settings, out var scale);
            var seconds = clock.Elapsed.TotalSeconds;
            var report = Evaluate(dataset, labels, model.Trees, scale, w, settings, seconds);
            reports.Add(report);
            onWindow?.Invoke(report);
        }

        var finalStart = Math.Max(0, labeled - settings.TrainBars);
        var finalClock = Stopwatch.StartNew();
        var final = Train(encoded, labels, finalStart, labeled, settings, out var finalScale);
        var finalReport = new FinalModelReport(TrainFrom(dataset, finalStart), dataset.Times[labeled - 1], labeled - finalStart, finalScale,
            final.Trees.TreeCount, final.Trees.NodeCount, finalClock.Elapsed.TotalSeconds);
        var result = new TrainingReport(settings.Kind, dataset.Schema.Id, dataset.Count, TrainFrom(dataset, 0), dataset.Times[^1], settings, reports, finalReport,
            total.Elapsed.TotalSeconds);
        return new TrainingOutcome(result, final);
    }

    /// <summary>The start of the bar of row <paramref name="row"/> (rows are stamped with their close time).</summary>
    private static DateTime TrainFrom(FeatureDataset dataset, int row) => dataset.Times[row] - dataset.Interval;

    private static TrainedTreeModel Train(float[][] encoded, double[] labels, int from, int to, TrainingSettings settings, out double scale)
    {
        var known = Enumerable.Range(from, to - from).Where(i => double.IsFinite(labels[i])).ToArray(); // NaN: the label spans a gap
        if (known.Length == 0) throw new ArgumentException($"no row of rows {from}..{to} has a label (gaps in the data)");
        var mean = known.Average(i => labels[i]);
        scale = Math.Sqrt(known.Sum(i => (labels[i] - mean) * (labels[i] - mean)) / known.Length);
        if (!(scale > 0)) scale = 1;
        if (settings.Kind == ModelKinds.LightGbmReturn)
            return TreeTrainer.TrainLightGbmRegression(known.Select(i => encoded[i]).ToArray(), known.Select(i => (float)labels[i]).ToArray(), settings.Trees);

        var rows = new List<float[]>();
        var up = new List<bool>();
        for (var i = from; i < to; i++)
            if (Labels.Direction(labels[i], settings.DeadZone) is { } direction)
            {
                rows.Add(encoded[i]);
                up.Add(direction);
            }
        if (rows.Count == 0) throw new ArgumentException($"every training row of rows {from}..{to} is inside the dead zone ±{settings.DeadZone}; lower --dead-zone");
        return TreeTrainer.TrainFastTreeBinary(rows, up, settings.Trees);
    }

    private static WindowReport Evaluate(FeatureDataset dataset, double[] labels, FlatTreeEnsemble trees, double scale, WalkForwardWindow w,
        TrainingSettings settings, double trainSeconds)
    {
        var info = new Hean.Core.Models.ModelInfo("walk-forward", settings.Kind, dataset.Schema.Id, default, default, default, null);
        var predictor = new TreeEnsemblePredictor(info, trees, scale);
        var raw = new double[w.TestRows];
        var scores = new double[w.TestRows];
        var realized = new double[w.TestRows];
        for (var i = 0; i < w.TestRows; i++)
        {
            var p = predictor.Predict(dataset.Rows[w.TestStart + i]);
            raw[i] = p.Raw;
            scores[i] = p.Score;
            realized[i] = labels[w.TestStart + i];
        }

        double rmse = double.NaN, ic = double.NaN, pearson = double.NaN, auc = double.NaN, accuracy = double.NaN, logLoss = double.NaN;
        var known = Enumerable.Range(0, raw.Length).Where(i => double.IsFinite(realized[i])).ToArray();
        var knownRaw = known.Select(i => raw[i]).ToArray();
        var knownRealized = known.Select(i => realized[i]).ToArray();
        if (trees.Objective == TreeObjective.Regression)
        {
            rmse = Metrics.Rmse(knownRaw, knownRealized);
            ic = Metrics.Spearman(knownRaw, knownRealized);
            pearson = Metrics.Pearson(knownRaw, knownRealized);
        }
        else
        {
            var probabilities = new List<double>();
            var up = new List<bool>();
            for (var i = 0; i < raw.Length; i++)
                if (Labels.Direction(realized[i], settings.DeadZone) is { } direction)
                {
                    probabilities.Add(raw[i]);
                    up.Add(direction);
                }
            auc = Metrics.Auc(probabilities, up);
            accuracy = Metrics.Accuracy(probabilities, up);
            logLoss = Metrics.LogLoss(probabilities, up);
            ic = Metrics.Spearman(knownRaw, knownRealized);
        }

        var closes = new double[w.TestRows + 1];
        for (var i = 0; i <= w.TestRows; i++) closes[i] = dataset.Closes[w.TestStart + i];
        var backtest = SignalBacktest.Run(scores, closes, settings.FeeRate);
        return new WindowReport(w.Index, TrainFrom(dataset, w.TrainStart), dataset.Times[w.TrainEnd - 1], TrainFrom(dataset, w.TestStart),
            dataset.Times[w.TestEnd - 1], w.TrainRows, w.TestRows, rmse, ic, pearson, auc, accuracy, logLoss, backtest, trainSeconds);
    }
}
