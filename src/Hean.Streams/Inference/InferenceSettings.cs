using Hean.Core.Features;
using Hean.Core.Signals;
using Hean.Core.MarketData;
namespace Hean.Streams.Inference;

/// <summary>
/// Settings of in-stream inference.
/// </summary>
/// <param name="Timeout">ML_INFERENCE_TIMEOUT: longest wait for one prediction of one model version.</param>
/// <param name="BreakerFailures">ML_BREAKER_FAILURES: consecutive failures of the promoted model that open the breaker.</param>
/// <param name="BreakerReset">ML_BREAKER_RESET: market time the breaker stays open before one half-open try.</param>
/// <param name="PollEvery">ML_MODEL_POLL: how often the graph asks the catalog which version is promoted (hot swap).</param>
/// <param name="Threads">ML_INFERENCE_THREADS: dedicated inference threads.</param>
/// <param name="SpinBudget">How long the stage waits for a fast answer without leaving its thread before it
/// suspends (backpressure) and resumes on the answer or the timeout; bounded far below the timeout.</param>
/// <param name="Mode">ML_INFERENCE_MODE: auto (bounded models, <see cref="Hean.Core.Models.IBoundedPredictor"/>,
/// predict in place on the inference stage; others on the inference threads) or pool (every model on the threads).</param>
public sealed record InferenceSettings(TimeSpan Timeout, int BreakerFailures, TimeSpan BreakerReset, TimeSpan PollEvery, int Threads, TimeSpan SpinBudget,
    InferenceMode Mode = InferenceMode.Auto)
{
    public static InferenceSettings Default { get; } = new(TimeSpan.FromMilliseconds(100), 3, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5), 1,
        TimeSpan.FromMicroseconds(50));

    /// <summary>Each invalid value, named; empty when all are valid.</summary>
    public IEnumerable<string> Problems()
    {
        if (Timeout <= TimeSpan.Zero) yield return $"ML_INFERENCE_TIMEOUT must be positive, got {Timeout.TotalMilliseconds} ms";
        if (BreakerFailures < 1) yield return $"ML_BREAKER_FAILURES must be at least 1, got {BreakerFailures}";
        if (BreakerReset <= TimeSpan.Zero) yield return $"ML_BREAKER_RESET must be positive, got {BreakerReset}";
        if (PollEvery < TimeSpan.FromMilliseconds(10)) yield return $"ML_MODEL_POLL must be at least 10ms, got {PollEvery}";
        if (Threads is < 1 or > 64) yield return $"ML_INFERENCE_THREADS must be in [1, 64], got {Threads}";
        if (SpinBudget < TimeSpan.Zero || (Timeout > TimeSpan.Zero && SpinBudget >= Timeout))
            yield return $"the spin budget must be in [0, ML_INFERENCE_TIMEOUT), got {SpinBudget.TotalMilliseconds} ms";
    }
}

/// <summary>Where predictions run: see <see cref="InferenceSettings.Mode"/>.</summary>
public enum InferenceMode
{
    /// <summary>Bounded models in place on the inference stage, the others on the inference threads.</summary>
    Auto,

    /// <summary>Every model on the inference threads (a timeout abandons a slow call).</summary>
    Pool,
}
