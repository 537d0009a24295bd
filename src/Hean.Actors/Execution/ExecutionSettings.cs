using Hean.Core.Domain;
using Hean.Core.Exchange;

namespace Hean.Actors.Execution;

/// <summary>
/// What the execution router and its algorithms need besides their peers: instrument rules, the venue's
/// fee rates (the smart router weighs maker against taker), and how often an algorithm snapshots.
/// </summary>
public sealed record ExecutionSettings(InstrumentCatalog Catalog, decimal TakerFeeRate, decimal MakerFeeRate, int SnapshotEvery = 100)
{
    public static ExecutionSettings Default { get; } = For(InstrumentCatalog.Default, new SimulatedExchangeOptions());

    public static ExecutionSettings For(InstrumentCatalog catalog, SimulatedExchangeOptions venue, int snapshotEvery = 100) =>
        new(catalog, venue.TakerFeeRate, venue.MakerFeeRate, snapshotEvery);
}
