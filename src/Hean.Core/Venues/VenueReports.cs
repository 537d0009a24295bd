using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.Orders;
using Hean.Core.Portfolio;

namespace Hean.Core.Venues;

/// <summary>How a venue knows one order: our client order id, and the venue's own id (used for an order adopted under it).</summary>
public sealed record VenueOrderKey(Symbol Symbol, ClientOrderId Id, string? VenueOrderId)
{
    public static VenueOrderKey Of(OrderState o) => new(o.Symbol, o.Id, o.VenueOrderId);
}

/// <summary>
/// One order as the venue has it, under our name for it (the orderLinkId, or a name made from the venue's id for an order
/// placed by hand without one). <paramref name="Report"/>: its state as a report (null for a symbol we cannot name);
/// <paramref name="AsExternal"/>: the creation event that adopts it into our books (open, or closed having executed),
/// null when it cannot be ours to track.
/// </summary>
public sealed record VenueOrder(ClientOrderId Id, string Symbol, string VenueOrderId, decimal Qty, decimal? Price, decimal CumExecQty,
    bool Open, ExecutionReport? Report, OrderCreated? AsExternal);

/// <summary>
/// One execution of the account. <paramref name="Fill"/>: the fill of an order (ours, one placed by hand, or the order the
/// venue made itself, then named by <paramref name="VenueInitiated"/>: auto-deleveraging, liquidation); <paramref name="Funding"/>:
/// a funding settlement. All null for what is none of these.
/// </summary>
public sealed record VenueExecution(string ExecId, DateTime Time, string VenueOrderId, OrderFilledReport? Fill, OrderCreated? VenueInitiated,
    FundingPayment? Funding)
{
    /// <summary>The fill of an order that someone placed (not one the venue made itself).</summary>
    public bool IsOrderFill => Fill is not null && VenueInitiated is null;

    /// <summary>The order this fill belongs to, as the venue knows it.</summary>
    public VenueOrderKey? OrderKey => IsOrderFill ? new VenueOrderKey(Fill!.Symbol, Fill.ClientOrderId, VenueOrderId) : null;
}

/// <summary>A targeted look-up: found null with Answered true means every list answered and none has the order.</summary>
public sealed record VenueLookup(VenueOrder? Found, bool Answered);

/// <summary>
/// What a cancel of many orders did: cancelled; refused by the venue (closed already, or unknown there: to be settled by a
/// query); unknown after the retries. <paramref name="Requests"/> counts the requests sent.
/// </summary>
public sealed record VenueCancelMany(IReadOnlyList<ClientOrderId> Cancelled, IReadOnlyList<(ClientOrderId Id, string Reason)> Refused,
    IReadOnlyList<(ClientOrderId Id, string Reason)> Unknown, int Requests)
{
    public bool IpBanned { get; init; }
}
