using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.Venues;

namespace Hean.Core.Orders;

/// <summary>One way our books and the venue's disagree.</summary>
public sealed record VenueDiscrepancy(string Kind, string Subject, string Detail)
{
    public const string PositionMismatch = "position_mismatch";
    public const string MissingAtVenue = "missing_at_venue";
    public const string UnknownAtVenue = "unknown_at_venue";

    public override string ToString() => $"{Kind} {Subject}: {Detail}";
}

/// <summary>
/// The comparison rules of reconciliation, on start and while running (pure): our open orders against the venue's,
/// our positions against the venue's. The gateway turns what it finds into reports (with the venue's own ids, so a
/// second pass changes nothing) and asks one targeted query before an order is declared missing.
/// </summary>
public static class VenueReconciliation
{
    /// <summary>
    /// Whether an order we sent, which the venue says it does not know, may be taken as never placed: only once the
    /// venue has said so at least twice and the period has passed since it was sent. Order history lags (Bybit: "the
    /// data returned from this endpoint may delay", https://bybit-exchange.github.io/docs/v5/order/order-list, with
    /// 10-15 s seen in practice), and a filled or cancelled order leaves the real-time list at once (openOnly=0 lists
    /// open orders only, https://bybit-exchange.github.io/docs/v5/order/open-order): a market order that filled a moment
    /// ago is in neither. Taking it as never placed too early makes the strategy send it again: a double order.
    /// </summary>
    public static bool TakenAsNeverPlaced(DateTime sentAt, int notFoundAnswers, DateTime now, TimeSpan period) =>
        notFoundAnswers >= 2 && now - sentAt >= period;

    /// <summary>
    /// Our open orders the venue does not list as open, oldest first: candidates for a targeted query. Orders still
    /// New were never sent and are not candidates; nor are orders younger than <paramref name="inFlightGrace"/> (the
    /// venue may not have them yet).
    /// </summary>
    public static IReadOnlyList<OrderState> NotOpenAtVenue(IEnumerable<OrderState> ours, IReadOnlySet<string> openAtVenue, DateTime now, TimeSpan inFlightGrace) =>
        ours.Where(o => o.Status.IsOpen() && o.Status != OrderStatus.New && !openAtVenue.Contains(o.Id.Value) && now - o.UpdatedAt >= inFlightGrace)
            .OrderBy(o => o.CreatedAt).ThenBy(o => o.Id.Value, StringComparer.Ordinal).ToList();

    /// <summary>Venue order link ids that are ours by shape but that we do not know as open: to adopt or to query.</summary>
    public static IReadOnlyList<string> UnknownAtVenue(IEnumerable<string> openAtVenue, IReadOnlySet<string> ourOpen) =>
        openAtVenue.Where(id => !ourOpen.Contains(id)).Order(StringComparer.Ordinal).ToList();

    /// <summary>Signed positions that differ by more than <paramref name="tolerance"/> (a symbol missing on one side is flat).</summary>
    public static IReadOnlyList<VenueDiscrepancy> ComparePositions(IReadOnlyDictionary<string, decimal> ours, IReadOnlyDictionary<string, decimal> venue,
        decimal tolerance = 0m)
    {
        var result = new List<VenueDiscrepancy>();
        foreach (var symbol in ours.Keys.Union(venue.Keys).Order(StringComparer.Ordinal))
        {
            var a = ours.GetValueOrDefault(symbol);
            var b = venue.GetValueOrDefault(symbol);
            if (Math.Abs(a - b) > tolerance)
                result.Add(new VenueDiscrepancy(VenueDiscrepancy.PositionMismatch, symbol, $"ours {a}, venue {b}"));
        }
        return result;
    }

    /// <summary>
    /// Where to start asking for executions (minus a margin): after the last execution seen while running (nothing
    /// older can be missing from the stream: an order whose fills were lost is settled through its own query); at
    /// start, when nothing was seen yet, the earliest open order's creation; else the fallback. Resuming from the last
    /// execution keeps one order resting for weeks from making every pass re-read weeks of executions.
    /// </summary>
    public static DateTime ExecutionsSince(IEnumerable<OrderState> ours, DateTime? lastSeen, DateTime fallback, TimeSpan margin)
    {
        var earliestOpen = ours.Where(o => o.Status.IsOpen() && o.Status != OrderStatus.New).Select(o => (DateTime?)o.CreatedAt).Min();
        return (lastSeen ?? earliestOpen ?? fallback) - margin;
    }

    public static decimal Signed(Side? side, decimal size) => side == Side.Sell ? -size : size;

    /// <summary>
    /// What a fetched view means against our books as they are when it is applied (orders may have been placed, filled or
    /// closed while it was fetched): the venue's open orders as reports; those open there but not open in our books (to
    /// adopt, unless our books know them closed); on a restart, our orders never sent before it; and the look-ups still
    /// to settle: only orders that were open when the fetch began and have not changed since (an order placed during the
    /// fetch was never looked up, and one the streams moved on meanwhile is left to the next pass).
    /// </summary>
    /// <param name="restartedAt">On the pass at start: when the gateway started (orders New before it were never sent).</param>
    public static ReconciliationDecision Decide(IReadOnlyList<VenueOrder> open, IReadOnlyList<OrderState> oursNow, IReadOnlyList<OrderLookup> lookups,
        DateTime? restartedAt)
    {
        var atVenue = open.Select(o => o.Id.Value).ToHashSet();
        var byId = open.ToDictionary(o => o.Id.Value);
        var now = oursNow.ToDictionary(o => o.Id);
        var unknown = UnknownAtVenue(atVenue, oursNow.Select(o => o.Id.Value).ToHashSet()).Select(id => byId[id]).ToList();
        var neverSent = restartedAt is { } started
            ? oursNow.Where(o => o.Status == OrderStatus.New && o.UpdatedAt < started && !atVenue.Contains(o.Id.Value))
                .Select(o => (ExecutionReport)new OrderRejectedReport(o.Id, o.Symbol, o.UpdatedAt, "never sent before the restart")).ToList()
            : [];
        var settle = lookups.Where(l => now.TryGetValue(l.AtStart.Id, out var current) && current.Status == l.AtStart.Status && current.UpdatedAt == l.AtStart.UpdatedAt)
            .ToList();
        return new ReconciliationDecision(open.Select(o => o.Report).OfType<ExecutionReport>().ToList(), unknown, neverSent, settle,
            lookups.Count - settle.Count);
    }
}

/// <summary>
/// <see cref="VenueReconciliation.Decide"/>'s answer. <paramref name="Stale"/>: look-ups not settled because the order
/// changed (or closed) while the view was fetched.
/// </summary>
public sealed record ReconciliationDecision(IReadOnlyList<ExecutionReport> States, IReadOnlyList<VenueOrder> UnknownAtVenue,
    IReadOnlyList<ExecutionReport> NeverSent, IReadOnlyList<OrderLookup> ToSettle, int Stale);
