using Hean.Core.Domain;
using Hean.Core.Orders;

namespace Hean.Core.Venues;

/// <summary>
/// The thin client of one venue behind a port: it places, cancels and amends, and says what the venue holds (open
/// orders, executions, positions) as venue reports in Core's terms, with typed outcomes, never exceptions. It keeps no
/// books and decides nothing: the gateway and the reconciliation rules (<see cref="Orders.VenueReconciliation"/>) do,
/// the same for every venue, as NautilusTrader's adapters only produce reports for its execution engine.
/// </summary>
public interface IVenueClient
{
    /// <summary>The venue's clock (local clock plus the measured offset).</summary>
    DateTime Now { get; }

    /// <summary>Until when the venue refuses every request from this IP (null: not banned); nothing is sent meanwhile.</summary>
    DateTime? BannedUntil { get; }

    /// <summary>Places one order under its client order id. Ok carries the venue's order id; Ambiguous leaves it in flight.</summary>
    Task<VenueResult<string>> PlaceAsync(OrderRequest order, CancellationToken ct = default);

    Task<VenueResult<string>> CancelAsync(VenueOrderKey order, CancellationToken ct = default);

    /// <summary>Changes a resting order to absolute target values (sending it twice has the effect of once).</summary>
    Task<VenueResult<string>> AmendAsync(VenueOrderKey order, decimal? qty, decimal? price, CancellationToken ct = default);

    /// <summary>
    /// Cancels many orders in as few requests as the venue allows, retrying only those whose outcome stayed unknown;
    /// says which were cancelled, which the venue refused (closed already, unknown there) and which stayed unknown.
    /// </summary>
    Task<VenueCancelMany> CancelManyAsync(IReadOnlyList<VenueOrderKey> orders, CancellationToken ct = default);

    /// <summary>Every open order of the account, all pages.</summary>
    Task<VenueResult<IReadOnlyList<VenueOrder>>> GetOpenOrdersAsync(CancellationToken ct = default);

    /// <summary>One order as the venue's open-order list has it now (null when it is not listed there).</summary>
    Task<VenueResult<VenueOrder?>> GetOpenOrderAsync(VenueOrderKey order, CancellationToken ct = default);

    /// <summary>
    /// One order wherever the venue keeps it (open, recently closed, history). Answered false when no list answered, so
    /// nothing can be concluded; found null when every list answered and none has it.
    /// </summary>
    Task<VenueLookup> FindOrderAsync(VenueOrderKey order, CancellationToken ct = default);

    /// <summary>Every execution of the account from <paramref name="since"/> to now, oldest first; anything short of all is not Ok.</summary>
    Task<VenueResult<IReadOnlyList<VenueExecution>>> GetExecutionsSinceAsync(DateTime since, CancellationToken ct = default);

    /// <summary>The executions of one order, oldest first.</summary>
    Task<VenueResult<IReadOnlyList<VenueExecution>>> GetExecutionsAsync(VenueOrderKey order, CancellationToken ct = default);

    /// <summary>The account's net signed position per symbol (symbols with a position only), all pages.</summary>
    Task<VenueResult<IReadOnlyDictionary<string, decimal>>> GetPositionsAsync(CancellationToken ct = default);
}
