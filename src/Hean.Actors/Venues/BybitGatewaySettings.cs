namespace Hean.Actors.Venues;

/// <summary>
/// Reconciliation timing of the Bybit gateway. InFlightCheckDelay: how long an order whose create had an unknown
/// outcome waits before one targeted query settles it. ReconcileEvery: the periodic open-order and position check
/// (zero: none). CatchUpMargin: how far before the last seen execution the catch-up starts (clock skew, same-ms rows).
/// CheckPositions: compare our positions with the venue's on every pass (off only where no portfolio answers, in tests).
/// </summary>
public sealed record BybitGatewaySettings(TimeSpan InFlightCheckDelay, TimeSpan ReconcileEvery, TimeSpan CatchUpMargin, bool CheckPositions = true)
{
    /// <summary>A pass that failed (venue or an actor not answering) runs again after this long.</summary>
    public TimeSpan RetryAfterFailure { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The gateway's circuit breaker over place, cancel and amend calls whose outcome could not be known.</summary>
    public Hean.Actors.Execution.CircuitBreakerSettings Breaker { get; init; } = Hean.Actors.Execution.CircuitBreakerSettings.Default;

    public static BybitGatewaySettings Default { get; } = new(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5));
}
