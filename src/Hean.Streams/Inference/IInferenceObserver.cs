using Hean.Core.Features;
using Hean.Core.Signals;
using Hean.Core.MarketData;
namespace Hean.Streams.Inference;

/// <summary>
/// What the inference stage reports, for metrics, health and the event stream. Called on the stage's
/// thread (swaps and load failures on a pool thread); implementations are quick and thread-safe.
/// </summary>
public interface IInferenceObserver
{
    /// <summary>ML_PREDICTION.</summary>
    void Predicted(MlPrediction prediction);

    /// <summary>A model version failed or timed out at a decision (<paramref name="timedOut"/> tells which).</summary>
    void Failed(string modelVersion, bool timedOut, string reason);

    void BreakerChanged(BreakerState state, string reason);

    void Swapped(string? fromVersion, string toVersion);

    /// <summary>A newly promoted model could not be loaded; the current one stays.</summary>
    void SwapFailed(string reason);
}
