using Hean.Core.Features;
using Hean.Core.Signals;
using Hean.Core.MarketData;
namespace Hean.Streams.Inference;

/// <summary>
/// The state of in-stream inference for health and status (thread-safe), forwarding every report to
/// <c>next</c> (metrics, event stream). Degraded while the breaker is not closed.
/// </summary>
public sealed class InferenceMonitor(IInferenceObserver? next = null) : IInferenceObserver
{
    private long _predictions, _fallbacks, _failures, _timeouts, _expired, _swaps;
    private volatile string? _version;
    private volatile string? _lastFailure;
    private volatile string? _breakerReason;
    private int _breaker;

    public long Predictions => Interlocked.Read(ref _predictions);
    public long Fallbacks => Interlocked.Read(ref _fallbacks);
    public long Failures => Interlocked.Read(ref _failures);
    public long Timeouts => Interlocked.Read(ref _timeouts);
    public long Expired => Interlocked.Read(ref _expired);
    public long Swaps => Interlocked.Read(ref _swaps);
    public string? ModelVersion => _version;
    public string? LastFailure => _lastFailure;
    public BreakerState Breaker => (BreakerState)Volatile.Read(ref _breaker);
    public string? BreakerReason => _breakerReason;
    public bool Degraded => Breaker != BreakerState.Closed;

    /// <summary>The version loaded at start.</summary>
    public void Loaded(string version) => _version = version;

    public void Predicted(MlPrediction prediction)
    {
        Interlocked.Increment(ref _predictions);
        if (prediction.Fallback) Interlocked.Increment(ref _fallbacks);
        if (prediction.Expired) Interlocked.Increment(ref _expired);
        next?.Predicted(prediction);
    }

    public void Failed(string modelVersion, bool timedOut, string reason)
    {
        Interlocked.Increment(ref _failures);
        if (timedOut) Interlocked.Increment(ref _timeouts);
        _lastFailure = $"{modelVersion}: {reason}";
        next?.Failed(modelVersion, timedOut, reason);
    }

    public void BreakerChanged(BreakerState state, string reason)
    {
        Volatile.Write(ref _breaker, (int)state);
        _breakerReason = reason;
        next?.BreakerChanged(state, reason);
    }

    public void Swapped(string? fromVersion, string toVersion)
    {
        Interlocked.Increment(ref _swaps);
        _version = toVersion;
        next?.Swapped(fromVersion, toVersion);
    }

    public void SwapFailed(string reason)
    {
        _lastFailure = "swap: " + reason;
        next?.SwapFailed(reason);
    }
}
