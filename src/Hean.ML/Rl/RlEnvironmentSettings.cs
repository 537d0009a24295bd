using Hean.Core.Domain;
using Hean.Core.Exchange;

namespace Hean.ML.Rl;

/// <summary>
/// The execution episodes of <see cref="ExecutionEnvironment"/>: execute <see cref="Qty"/> of <see cref="Symbol"/>
/// within <see cref="Horizon"/>, cut into <see cref="Periods"/> decision periods. The agent is asked at most every
/// <see cref="DecisionEvery"/> of market time; episodes start every horizon + <see cref="Gap"/> after a
/// <see cref="Warmup"/>, alternately buys and sells. A share of the parent crossed at the horizon costs
/// <see cref="UnfinishedPenaltyBps"/> more than its shortfall, so that being forced is worse than choosing.
/// Episodes start only within [<see cref="EpisodesFrom"/>, <see cref="EpisodesTo"/>) when they are set (the events
/// before still build the book): one continuous capture can be cut into a training part and a held-out part.
/// </summary>
public sealed record RlEnvironmentSettings(
    Symbol Symbol,
    decimal Qty,
    TimeSpan Horizon,
    int Periods,
    TimeSpan DecisionEvery,
    TimeSpan Warmup,
    TimeSpan Gap,
    double UnfinishedPenaltyBps,
    SimulatedExchangeOptions Venue)
{
    public DateTime? EpisodesFrom { get; init; }
    public DateTime? EpisodesTo { get; init; }

    /// <summary>Why these settings are unusable, or null.</summary>
    public string? Validate(Instrument instrument)
    {
        if (Qty <= 0 || !instrument.IsOnLot(Qty) || Qty < instrument.MinQty)
            return $"quantity {Qty} must be at least {instrument.MinQty} and a multiple of the lot {instrument.LotSize}";
        if (Horizon <= TimeSpan.Zero || Periods is < 1 or > 1000) return "a positive horizon and 1 to 1000 periods are needed";
        if (DecisionEvery <= TimeSpan.Zero || DecisionEvery > Horizon / Periods) return "the decision step must be positive and at most one period";
        if (Warmup < TimeSpan.Zero || Gap < TimeSpan.Zero) return "warm-up and gap must not be negative";
        if (!double.IsFinite(UnfinishedPenaltyBps) || UnfinishedPenaltyBps < 0) return "the unfinished penalty must be finite and not negative";
        return null;
    }
}
