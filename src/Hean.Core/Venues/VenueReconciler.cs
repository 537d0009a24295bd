using Hean.Core.Domain;
using Hean.Core.Orders;

namespace Hean.Core.Venues;

/// <summary>
/// The fetching half of a reconciliation pass, for any venue behind <see cref="IVenueClient"/>: it reads (executions since
/// the last one seen, the fills of orders that executed more than we booked, the venue's open orders, one look-up per order
/// of ours the venue does not list, positions) and changes nothing. It runs off the gateway's mailbox; the gateway
/// applies the resulting <see cref="VenueView"/> in one handler, deciding with <see cref="VenueReconciliation.Decide"/>.
/// </summary>
public static class VenueReconciler
{
    /// <param name="books">Our books at the fetch's start (asked once, first).</param>
    /// <param name="known">Whether our books hold an order (open or closed): executions of orders they do not are adopted.</param>
    /// <param name="adoptionTried">Orders already looked up once for adoption; not looked up again.</param>
    /// <exception cref="InvalidOperationException">The executions could not all be read: fills we do not know of would stay unbooked.</exception>
    public static async Task<VenueView> FetchAsync(IVenueClient venue, ReconcileFetchSettings settings, Func<Task<BooksAtStart>> books,
        Func<ClientOrderId, Task<bool>> known, IReadOnlySet<ClientOrderId> adoptionTried, CancellationToken ct = default)
    {
        var now = venue.Now;
        var ours = await books();
        var since = VenueReconciliation.ExecutionsSince(ours.Open, ours.LastExecution, now - settings.CatchUpMargin, settings.CatchUpMargin);
        var clamped = since < now - settings.MaxCatchUp;
        if (clamped) since = now - settings.MaxCatchUp;
        var executions = await venue.GetExecutionsSinceAsync(since, ct);
        // Not a warning to step over: the pass fails, says so, and runs again.
        if (!executions.IsOk)
            throw new InvalidOperationException($"the executions since {since:O} could not all be read ({executions.Kind}: {executions.Message})");

        // Closed at the venue with executions we have not booked (their push was lost): fetched by order.
        var orderExecutions = new List<VenueExecution>();
        foreach (var o in ours.AwaitingFills)
            if (await venue.GetExecutionsAsync(VenueOrderKey.Of(o), ct) is { IsOk: true } fills) orderExecutions.AddRange(fills.Value!);
        var adoptions = await FindAdoptionsAsync(venue, executions.Value!, known, adoptionTried, ct);

        var open = await venue.GetOpenOrdersAsync(ct);
        if (!open.IsOk)
            return new VenueView(now, ours, since, clamped, executions.Value!, orderExecutions, adoptions, null, open.Detail, [], null);
        var byId = open.Value!.ToDictionary(o => o.Id);
        // Open at the venue with more executed there than we booked (a push lost; the catch-up resumes after the last
        // execution seen, so an older lost fill of a still-open order is found here).
        foreach (var o in ours.Open)
            if (byId.TryGetValue(o.Id, out var there) && there.CumExecQty > o.FilledQty
                && await venue.GetExecutionsAsync(VenueOrderKey.Of(o), ct) is { IsOk: true } fills)
                orderExecutions.AddRange(fills.Value!);

        var lookups = new List<OrderLookup>();
        foreach (var o in VenueReconciliation.NotOpenAtVenue(ours.Open, byId.Keys.Select(k => k.Value).ToHashSet(), now, settings.InFlightGrace))
        {
            var lookup = await venue.FindOrderAsync(VenueOrderKey.Of(o), ct);
            IReadOnlyList<VenueExecution> fills = [];
            if (lookup.Found is { } found && found.CumExecQty > o.FilledQty && await venue.GetExecutionsAsync(VenueOrderKey.Of(o), ct) is { IsOk: true } f)
                fills = f.Value!;
            lookups.Add(new OrderLookup(o, lookup, fills));
        }
        var positions = settings.Positions && await venue.GetPositionsAsync(ct) is { IsOk: true } p ? p.Value : null;
        return new VenueView(now, ours, since, clamped, executions.Value!, orderExecutions, adoptions, open.Value, null, lookups, positions);
    }

    /// <summary>
    /// Executions of orders our books do not know (a market order placed by hand that filled at once, so no pass ever saw
    /// it open): one look-up of each such order, and its executions when it executed. Each order is looked up once.
    /// </summary>
    public static async Task<IReadOnlyList<Adoption>> FindAdoptionsAsync(IVenueClient venue, IEnumerable<VenueExecution> executions,
        Func<ClientOrderId, Task<bool>> known, IReadOnlySet<ClientOrderId> adoptionTried, CancellationToken ct = default)
    {
        var result = new List<Adoption>();
        foreach (var key in executions.Select(e => e.OrderKey).OfType<VenueOrderKey>().DistinctBy(k => k.Id))
        {
            if (adoptionTried.Contains(key.Id) || await known(key.Id)) continue;
            var lookup = await venue.FindOrderAsync(key, ct);
            IReadOnlyList<VenueExecution> fills = [];
            if (lookup.Found is { CumExecQty: > 0 } found
                && await venue.GetExecutionsAsync(key with { VenueOrderId = found.VenueOrderId }, ct) is { IsOk: true } f)
                fills = f.Value!;
            result.Add(new Adoption(key, lookup, fills));
        }
        return result;
    }
}
