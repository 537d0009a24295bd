using Hean.Bybit.Mapping;
using Hean.Bybit.Rest;
using Hean.Bybit.Rest.Models;
using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Core.Venues;

namespace Hean.Venues.Bybit;

/// <summary>
/// Bybit V5 behind the venue port: REST calls of <see cref="BybitRestClient"/> turned into Core's venue reports and
/// typed outcomes. Knows Bybit's names (orderLinkId, or orderId for an order adopted under it), its lists (open,
/// recently closed, history) and the hedge-mode leg an order must name; decides nothing about our books.
/// </summary>
public sealed class BybitVenueClient(BybitRestClient rest, BybitPositionLegs legs) : IVenueClient
{
    /// <summary>How often a batch item whose outcome stayed unknown is sent again before it is reported unknown.</summary>
    public int CancelAttempts { get; init; } = 3;

    public DateTime Now => rest.ServerNow;

    public DateTime? BannedUntil => rest.BannedUntil;

    public async Task<VenueResult<string>> PlaceAsync(OrderRequest order, CancellationToken ct = default)
    {
        // In hedge mode the order names its leg, chosen from the legs' sizes read just before (a push may lag the fill that
        // changed them); the mode of a one-way symbol is read once.
        var symbol = order.Symbol.Value;
        if ((!legs.Knows(symbol) || legs.IsHedge(symbol)) && await rest.GetPositionsAsync(symbol, ct) is { IsOk: true } rows)
            foreach (var row in rows.Value!.List) legs.Observe(row);
        var request = PlaceOrderRequest.FromCore(order) with { PositionIdx = legs.IndexFor(symbol, order.Side, order.Qty, order.ReduceOnly) };
        return Of(await rest.PlaceOrderAsync(request, ct), a => a.OrderId);
    }

    public async Task<VenueResult<string>> CancelAsync(VenueOrderKey order, CancellationToken ct = default)
    {
        var (orderId, orderLinkId) = Keys(order);
        return Of(await rest.CancelOrderAsync(order.Symbol.Value, orderId, orderLinkId, ct), a => a.OrderId);
    }

    public async Task<VenueResult<string>> AmendAsync(VenueOrderKey order, decimal? qty, decimal? price, CancellationToken ct = default)
    {
        var (orderId, orderLinkId) = Keys(order);
        return Of(await rest.AmendOrderAsync(new AmendOrderRequest(order.Symbol.Value, orderId, orderLinkId, qty, price), ct), a => a.OrderId);
    }

    /// <summary>
    /// /v5/order/cancel-batch, <see cref="BybitRestClient.CancelBatchMax"/> orders a request. An order the venue cancelled
    /// or refused (closed already: 110001) is settled; an order whose item or whole request had no definite answer
    /// (timeout, 10016, rate limit after the client's own retries) goes into the next round, alone with the other such
    /// orders, up to <see cref="CancelAttempts"/> rounds.
    /// </summary>
    public async Task<VenueCancelMany> CancelManyAsync(IReadOnlyList<VenueOrderKey> orders, CancellationToken ct = default)
    {
        var cancelled = new List<ClientOrderId>();
        var refused = new List<(ClientOrderId, string)>();
        var pending = orders.DistinctBy(o => o.Id).ToList();
        var unknown = new Dictionary<ClientOrderId, string>();
        var requests = 0;
        var banned = false;
        for (var round = 1; pending.Count > 0 && round <= CancelAttempts && !banned; round++)
        {
            var again = new List<VenueOrderKey>();
            foreach (var batch in pending.Chunk(BybitRestClient.CancelBatchMax))
            {
                var byEntry = batch.Select(o => (Key: o, Entry: Entry(o))).ToList();
                requests++;
                var result = await rest.CancelBatchAsync(byEntry.Select(b => b.Entry).ToList(), ct);
                if (!result.IsOk)
                {
                    banned |= result.Kind == BybitErrorKind.IpBanned;
                    // The request itself was refused for good (bad key, bad request): nothing was cancelled, sending it again changes nothing.
                    var definite = result.Outcome == BybitOutcome.Rejected;
                    foreach (var (key, _) in byEntry)
                    {
                        unknown[key.Id] = $"{result.Kind} {result.RetCode}: {result.Message}";
                        if (!definite) again.Add(key);
                    }
                    continue;
                }
                for (var i = 0; i < byEntry.Count; i++)
                {
                    var key = byEntry[i].Key;
                    var item = result.Value![i];
                    switch (item.Outcome)
                    {
                        case BybitOutcome.Ok:
                            cancelled.Add(key.Id);
                            unknown.Remove(key.Id);
                            break;
                        case BybitOutcome.Rejected:
                            refused.Add((key.Id, $"{item.Kind} {item.RetCode}: {item.Message}"));
                            unknown.Remove(key.Id);
                            break;
                        default:
                            unknown[key.Id] = $"{item.Kind} {item.RetCode}: {item.Message}";
                            again.Add(key);
                            break;
                    }
                }
            }
            pending = again;
        }
        return new VenueCancelMany(cancelled, refused, unknown.Select(u => (u.Key, u.Value)).ToList(), requests) { IpBanned = banned };
    }

    public async Task<VenueResult<IReadOnlyList<VenueOrder>>> GetOpenOrdersAsync(CancellationToken ct = default)
    {
        var open = await rest.GetAllOpenOrdersAsync(ct: ct);
        return Of(open, list => (IReadOnlyList<VenueOrder>)list.Select(ToVenue).OfType<VenueOrder>().ToList());
    }

    public async Task<VenueResult<VenueOrder?>> GetOpenOrderAsync(VenueOrderKey order, CancellationToken ct = default)
    {
        var found = await rest.GetOpenOrdersAsync(QueryOf(order), ct);
        return Of(found, page => page.List.FirstOrDefault(o => o.ClientOrderIdOf() == order.Id) is { } o ? ToVenue(o) : null);
    }

    public async Task<VenueLookup> FindOrderAsync(VenueOrderKey order, CancellationToken ct = default)
    {
        // Open orders; then the recent closed ones (gone after a venue restart); then the history (which may lag).
        var query = QueryOf(order);
        var realtime = await rest.GetOpenOrdersAsync(query, ct);
        var found = realtime.Outcome == BybitOutcome.Ok ? realtime.Value!.List.FirstOrDefault(h => h.ClientOrderIdOf() == order.Id) : null;
        if (found is not null) return new VenueLookup(ToVenue(found), true);
        var closed = await rest.GetOpenOrdersAsync(query with { Closed = true }, ct);
        found = closed.Outcome == BybitOutcome.Ok ? closed.Value!.List.FirstOrDefault(h => h.ClientOrderIdOf() == order.Id) : null;
        if (found is not null) return new VenueLookup(ToVenue(found), true);
        var history = await rest.GetOrderHistoryAsync(query, ct);
        if (history.Outcome != BybitOutcome.Ok) return new VenueLookup(null, false);
        found = history.Value!.List.FirstOrDefault(h => h.ClientOrderIdOf() == order.Id);
        // "Not found" needs every list to have answered: a failed query says nothing about where the order is.
        return new VenueLookup(found is null ? null : ToVenue(found),
            found is not null || (realtime.Outcome == BybitOutcome.Ok && closed.Outcome == BybitOutcome.Ok));
    }

    public async Task<VenueResult<IReadOnlyList<VenueExecution>>> GetExecutionsSinceAsync(DateTime since, CancellationToken ct = default) =>
        Of(await rest.GetExecutionsSinceAsync(since, ct: ct), rows => (IReadOnlyList<VenueExecution>)rows.Select(ToVenue).ToList());

    public async Task<VenueResult<IReadOnlyList<VenueExecution>>> GetExecutionsAsync(VenueOrderKey order, CancellationToken ct = default) =>
        Of(await rest.GetExecutionsAsync(QueryOf(order) with { Limit = 100 }, ct),
            page => (IReadOnlyList<VenueExecution>)page.List.OrderBy(e => e.ExecTime).Select(ToVenue).ToList());

    public async Task<VenueResult<IReadOnlyDictionary<string, decimal>>> GetPositionsAsync(CancellationToken ct = default)
    {
        var rows = await rest.GetAllPositionsAsync(ct: ct);
        if (rows.IsOk)
            foreach (var row in rows.Value!) legs.Observe(row);
        // Net per symbol: in hedge mode the long leg minus the short leg.
        return Of(rows, list => (IReadOnlyDictionary<string, decimal>)list.Where(p => p.Size != 0).GroupBy(p => p.Symbol)
            .ToDictionary(g => g.Key, g => g.Sum(p => VenueReconciliation.Signed(p.Side, p.Size))));
    }

    /// <summary>A Bybit order under our name for it; null when it has none we can use.</summary>
    public static VenueOrder? ToVenue(BybitOrder o) => o.ClientOrderIdOf() is { } id
        ? new VenueOrder(id, o.Symbol, o.OrderId, o.Qty, o.Price, o.CumExecQty,
            o.Status is BybitOrderStatus.New or BybitOrderStatus.PartiallyFilled or BybitOrderStatus.Untriggered, o.ToReport(), o.ToExternalOrder(executed: true))
        : null;

    public static VenueExecution ToVenue(BybitExecution e) => e.ToVenueInitiated() is var (created, fill)
        ? new VenueExecution(e.ExecId, e.ExecTime, e.OrderId, fill, created, null)
        : new VenueExecution(e.ExecId, e.ExecTime, e.OrderId, e.ToReport(), null, e.ToFunding());

    /// <summary>
    /// How Bybit knows an order: by its orderLinkId, or, for one adopted from an order placed by hand without one
    /// ("ext-" + orderId), by the orderId (known since it was adopted).
    /// </summary>
    private static (string? OrderId, string? OrderLinkId) Keys(VenueOrderKey o) =>
        BybitCoreMapping.IsVenueNamed(o.Id) && o.VenueOrderId is { Length: > 0 } venueId ? (venueId, null) : (null, o.Id.Value);

    private static OrderQuery QueryOf(VenueOrderKey o)
    {
        var (orderId, orderLinkId) = Keys(o);
        return new OrderQuery(o.Symbol.Value, OrderId: orderId, OrderLinkId: orderLinkId);
    }

    private static BatchCancelEntry Entry(VenueOrderKey o)
    {
        var (orderId, orderLinkId) = Keys(o);
        return new BatchCancelEntry(o.Symbol.Value, orderId, orderLinkId);
    }

    private static VenueResult<TOut> Of<TIn, TOut>(BybitResult<TIn> r, Func<TIn, TOut> value) =>
        new(Outcome(r.Outcome), r.IsOk ? value(r.Value!) : default, r.Kind.ToString(), r.RetCode, r.Message) { IpBanned = r.Kind == BybitErrorKind.IpBanned };

    private static VenueOutcome Outcome(BybitOutcome o) => o switch
    {
        BybitOutcome.Ok => VenueOutcome.Ok,
        BybitOutcome.Rejected => VenueOutcome.Rejected,
        BybitOutcome.RateLimited => VenueOutcome.RateLimited,
        _ => VenueOutcome.Ambiguous,
    };
}
