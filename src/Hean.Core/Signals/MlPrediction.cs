using Hean.Core.Domain;

namespace Hean.Core.Signals;

/// <summary>
/// ML_PREDICTION: what a model version said about a symbol's features at a decision point.
/// <paramref name="Fallback"/>: the promoted model failed or timed out and the previous version answered.
/// <paramref name="Expired"/>: the answering model is past its <c>ExpiresAt</c> at <paramref name="Time"/> (market time).
/// <paramref name="LatencySeconds"/>: wall time from the stage handing the features to an inference thread to the stage holding the answer.
/// </summary>
public sealed record MlPrediction(Symbol Symbol, DateTime Time, string ModelVersion, double Raw, double Score, double Confidence,
    double LatencySeconds, bool Fallback, bool Expired);
