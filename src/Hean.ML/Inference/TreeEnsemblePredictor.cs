using Hean.Core.Models;

namespace Hean.ML.Inference;

/// <summary>
/// <see cref="IPredictor"/> over a <see cref="FlatTreeEnsemble"/>; thread-safe, no allocation per call.
/// Regression: Raw = predicted forward log return, Score = clamp(Raw / <see cref="ScoreScale"/>, −1, 1)
/// with the scale the standard deviation of the training labels (a one-sigma prediction is a full
/// score). Binary: Raw = P(up), Score = 2·P(up) − 1. In both, Confidence = |Score|. Bounded: a fixed
/// walk down each tree, so the inference stage runs it in place.
/// </summary>
public sealed class TreeEnsemblePredictor : IBoundedPredictor
{
    public TreeEnsemblePredictor(ModelInfo info, FlatTreeEnsemble trees, double scoreScale)
    {
        ArgumentNullException.ThrowIfNull(info);
        ArgumentNullException.ThrowIfNull(trees);
        if (trees.Objective == TreeObjective.Regression && !(scoreScale > 0 && double.IsFinite(scoreScale)))
            throw new ArgumentOutOfRangeException(nameof(scoreScale), scoreScale, "a regression model needs a positive score scale");
        Info = info;
        Trees = trees;
        ScoreScale = scoreScale;
    }

    public ModelInfo Info { get; }
    public FlatTreeEnsemble Trees { get; }
    public double ScoreScale { get; }

    public Prediction Predict(ReadOnlySpan<double> features)
    {
        var output = Trees.Output(features);
        if (Trees.Objective == TreeObjective.Binary)
        {
            var p = Trees.Probability(output);
            var s = 2.0 * p - 1.0;
            return new Prediction(p, s, Math.Abs(s));
        }
        var score = Math.Clamp(output / ScoreScale, -1.0, 1.0);
        return new Prediction(output, score, Math.Abs(score));
    }
}
