using Hean.Core.Domain;
using Hean.Core.Orders;

namespace Hean.Core.Venues;

/// <summary>
/// Our books as one reconciliation pass found them when its fetch began: our open orders (the only ones it may call
/// missing at the venue: an order placed while the fetch runs is not among them), those closed with fills still to
/// come, and the time of the last execution seen (by the gateway, or the last fill in our books after a restart).
/// </summary>
public sealed record BooksAtStart(IReadOnlyList<OrderState> Open, IReadOnlyList<OrderState> AwaitingFills, DateTime? LastExecution);

/// <summary>How one pass fetches: the margin before the last execution, how far back at most, the grace of a young order.</summary>
public sealed record ReconcileFetchSettings(TimeSpan CatchUpMargin, TimeSpan MaxCatchUp, TimeSpan InFlightGrace, bool Positions);

/// <summary>An order found through an execution of it that our books do not know: the look-up and, when it executed, its fills.</summary>
public sealed record Adoption(VenueOrderKey Key, VenueLookup Lookup, IReadOnlyList<VenueExecution> Executions);

/// <summary>One of our open orders the venue did not list as open: as it was at the fetch's start, the look-up, its fills when it executed more.</summary>
public sealed record OrderLookup(OrderState AtStart, VenueLookup Lookup, IReadOnlyList<VenueExecution> Executions);

/// <summary>
/// The venue's view, fetched off the gateway's mailbox by one reconciliation pass and applied by the gateway in one handler.
/// <paramref name="Since"/>: where the execution catch-up began (<paramref name="Clamped"/> when <see cref="ReconcileFetchSettings.MaxCatchUp"/>
/// cut it); <paramref name="Executions"/>: every execution since, oldest first; <paramref name="OrderExecutions"/>: the
/// executions of orders that executed more at the venue than we booked (closed awaiting fills, or open there);
/// <paramref name="Open"/>: the venue's open orders, null when they could not be read (<paramref name="OpenError"/>);
/// <paramref name="Positions"/>: net per symbol, null when not asked or not read.
/// </summary>
public sealed record VenueView(DateTime VenueNow, BooksAtStart Books, DateTime Since, bool Clamped, IReadOnlyList<VenueExecution> Executions,
    IReadOnlyList<VenueExecution> OrderExecutions, IReadOnlyList<Adoption> Adoptions, IReadOnlyList<VenueOrder>? Open, string? OpenError,
    IReadOnlyList<OrderLookup> Lookups, IReadOnlyDictionary<string, decimal>? Positions);
