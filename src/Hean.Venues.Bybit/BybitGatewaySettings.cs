namespace Hean.Venues.Bybit;

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

    /// <summary>
    /// How long after it was sent an order the venue keeps saying it does not know is taken as never placed (with two
    /// such answers at least): longer than Bybit's order history may lag (BYBIT_NOT_FOUND_PERIOD).
    /// </summary>
    public TimeSpan NotFoundPeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How far back an execution catch-up reaches at most (in 7-day windows). Fills of orders older than that are
    /// found through their order (the targeted query) instead.
    /// </summary>
    public TimeSpan MaxCatchUp { get; init; } = TimeSpan.FromDays(30);

    /// <summary>The symbols HEAN trades here; positions in others are not compared. Null: every symbol.</summary>
    public IReadOnlySet<string>? Symbols { get; init; }

    public static BybitGatewaySettings Default { get; } = new(TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(5));
}
