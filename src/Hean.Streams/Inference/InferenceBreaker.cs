using Hean.Core.Features;
using Hean.Core.Signals;
using Hean.Core.MarketData;
namespace Hean.Streams.Inference;

public enum BreakerState { Closed, Open, HalfOpen }

/// <summary>
/// The circuit breaker of the promoted model, as an immutable value with pure transitions.
/// Closed: predictions are tried; <c>max</c> consecutive failures open it. Open: no prediction is
/// tried (the technical strategy decides) until <c>reset</c> of market time has passed; then one
/// half-open try: success closes it, failure opens it again. Market time (the decision's time), not
/// the wall clock, so a backtest opens and closes it at the same bars on every run.
/// </summary>
public readonly record struct InferenceBreaker(BreakerState State, int Failures, DateTime OpenedAt)
{
    public static InferenceBreaker Closed => default;

    /// <summary>The breaker as it stands at <paramref name="time"/>: open turns half-open once the reset time has passed.</summary>
    public InferenceBreaker At(DateTime time, TimeSpan reset) =>
        State == BreakerState.Open && time - OpenedAt >= reset ? this with { State = BreakerState.HalfOpen } : this;

    /// <summary>Whether a prediction may be tried.</summary>
    public bool Allows => State != BreakerState.Open;

    public InferenceBreaker OnSuccess() => Closed;

    public InferenceBreaker OnFailure(DateTime time, int max) =>
        State == BreakerState.HalfOpen || Failures + 1 >= max
            ? new InferenceBreaker(BreakerState.Open, Failures + 1, time)
            : this with { Failures = Failures + 1 };
}
