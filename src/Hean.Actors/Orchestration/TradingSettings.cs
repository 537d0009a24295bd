using Hean.Actors.Common;
using Hean.Actors.Execution;
using Hean.Actors.Instruments;
using Hean.Core.Trading;
using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.Risk;

namespace Hean.Actors.Orchestration;

/// <summary>Everything the supervision tree needs to know, bound from configuration by the host.</summary>
public sealed record TradingSettings(
    InstrumentCatalog Catalog,
    decimal InitialCash,
    RiskLimits Limits,
    PositionSizer Sizer,
    ExecutionStyle ExecutionStyle,
    SimulatedExchangeOptions Exchange,
    TimeSpan CheckpointEvery,
    TimeSpan EquitySampleEvery,
    int SnapshotEvery,
    HeanTimeouts Timeouts,
    CircuitBreakerSettings Breaker,
    TimeSpan MinBackoff,
    TimeSpan MaxBackoff)
{
    /// <summary>Fractional Kelly from the realized trades (KELLY_FRACTION, KELLY_MIN_TRADES).</summary>
    public KellySizing Kelly { get; init; } = KellySizing.Default;

    /// <summary>TARGET_VOLATILITY: annualized volatility one position is sized to.</summary>
    public double TargetVolatility { get; init; } = 0.5;

    /// <summary>More components for /health (e.g. "ml"), each from the uptime in seconds; called on every health query.</summary>
    public IReadOnlyList<Func<double, ComponentHealth>> HealthChecks { get; init; } = [];

    public static TradingSettings Default { get; } = new(
        InstrumentCatalog.Default, 100_000m, RiskLimits.Default, PositionSizer.Default, ExecutionStyle.Market,
        new SimulatedExchangeOptions(), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), 200,
        HeanTimeouts.Default, CircuitBreakerSettings.Default, TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(10));
}
