using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.Orders;
using Hean.Core.Venues;
using Xunit;

namespace Hean.Core.Tests.Venues;

/// <summary>The venue-agnostic reconciliation (fetch, then decide) against an in-memory venue client.</summary>
public sealed class VenueReconcilerTests
{
    private static readonly Symbol Btc = new("BTCUSDT");
    private static readonly DateTime T0 = new(2024, 1, 2, 10, 0, 0, DateTimeKind.Utc);
    private static readonly ReconcileFetchSettings Settings = new(TimeSpan.FromSeconds(5), TimeSpan.FromDays(30), TimeSpan.FromSeconds(3), Positions: true);

    private static DateTime At(int seconds) => T0.AddSeconds(seconds);

    private static OrderState Sent(string id, int createdAt, bool accepted = true)
    {
        var created = new OrderCreated(new OrderRequest(new ClientOrderId(id), Btc, Side.Buy, OrderType.Limit, 1m, 50_000m), At(createdAt), "test", null);
        var o = OrderState.Create(created).Apply(new OrderSubmitted(created.ClientOrderId, At(createdAt)));
        return accepted ? o.Apply(new OrderAccepted(created.ClientOrderId, At(createdAt), "v-" + id)) : o;
    }

    private static VenueOrder Open(string id, decimal cumExec = 0m) =>
        new(new ClientOrderId(id), "BTCUSDT", "v-" + id, 1m, 50_000m, cumExec, true,
            new OrderAcceptedReport(new ClientOrderId(id), Btc, At(1), "v-" + id), null);

    private static VenueExecution Execution(string id, string execId, int at, decimal qty = 0.3m) =>
        new(execId, At(at), "v-" + id, new OrderFilledReport(new ClientOrderId(id), Btc, At(at),
            new Fill(new ClientOrderId(id), Btc, Side.Buy, execId, 50_000m, qty, 0m, Liquidity.Maker, At(at)), 1m - qty), null, null);

    private static Task<bool> Known(ClientOrderId _) => Task.FromResult(true);

    [Fact]
    public async Task The_catch_up_resumes_from_the_last_execution_seen_not_from_the_oldest_open_order()
    {
        var venue = new InMemoryVenue(At(200));
        var books = new BooksAtStart([Sent("old", createdAt: 0)], [], LastExecution: At(100));
        venue.Open.Add(Open("old"));

        var view = await VenueReconciler.FetchAsync(venue, Settings, () => Task.FromResult(books), Known, new HashSet<ClientOrderId>());

        Assert.Equal([At(95)], venue.ExecutionsAskedSince);
        Assert.Equal(At(95), view.Since);
        // With nothing seen yet (a first start with no fill in the books), the oldest open order decides.
        await VenueReconciler.FetchAsync(venue, Settings, () => Task.FromResult(books with { LastExecution = null }), Known, new HashSet<ClientOrderId>());
        Assert.Equal(At(-5), venue.ExecutionsAskedSince[1]);
    }

    [Fact]
    public async Task An_open_order_that_executed_more_at_the_venue_than_we_booked_has_its_fills_fetched()
    {
        // The catch-up starts after the last execution seen; this order's older fill push was lost.
        var venue = new InMemoryVenue(At(200));
        venue.Open.Add(Open("partly", cumExec: 0.3m));
        venue.Open.Add(Open("untouched"));
        venue.ByOrder["partly"] = [Execution("partly", "e-1", 50)];
        var books = new BooksAtStart([Sent("partly", 0), Sent("untouched", 0)], [], At(150));

        var view = await VenueReconciler.FetchAsync(venue, Settings, () => Task.FromResult(books), Known, new HashSet<ClientOrderId>());

        Assert.Equal(["e-1"], view.OrderExecutions.Select(e => e.ExecId));
        Assert.Equal(["partly"], venue.ExecutionsAskedFor);
    }

    [Fact]
    public async Task An_order_placed_while_the_fetch_runs_is_neither_looked_up_nor_adopted_and_one_that_changed_is_left_to_the_next_pass()
    {
        var venue = new InMemoryVenue(At(200));
        var missing = Sent("missing", 0, accepted: false);   // sent long ago, the venue never got it
        var moving = Sent("moving", 0, accepted: false);     // sent long ago; its acknowledgement is on the stream
        var books = new BooksAtStart([missing, moving], [], null);
        // While the executions are read, "placed" is placed: the venue lists it open by the time its open orders are read.
        venue.WhileReadingExecutions = () => venue.Open.Add(Open("placed"));

        var view = await VenueReconciler.FetchAsync(venue, Settings, () => Task.FromResult(books), Known, new HashSet<ClientOrderId>());

        Assert.Equal(["missing", "moving"], venue.LookedUp);
        Assert.All(view.Lookups, l => Assert.Equal(new VenueLookup(null, true), l.Lookup));
        // Applied against our books as they are now: "placed" is ours, "moving" was accepted meanwhile.
        var now = new[] { missing, moving.Apply(new OrderAccepted(moving.Id, At(201), "v-moving")), Sent("placed", 199) };
        var decision = VenueReconciliation.Decide(view.Open!, now, view.Lookups, restartedAt: null);

        Assert.Empty(decision.UnknownAtVenue);
        Assert.Equal(["missing"], decision.ToSettle.Select(l => l.AtStart.Id.Value));
        Assert.Equal(1, decision.Stale);
        Assert.Equal(["placed"], decision.States.Select(r => r.ClientOrderId.Value));
    }

    [Fact]
    public async Task A_venue_order_not_in_our_books_is_to_adopt_and_orders_never_sent_before_a_restart_are_rejected()
    {
        var venue = new InMemoryVenue(At(200));
        venue.Open.Add(Open("by-hand"));
        var never = OrderState.Create(new OrderCreated(new OrderRequest(new ClientOrderId("never"), Btc, Side.Buy, OrderType.Limit, 1m, 50_000m), At(1), "test", null));
        var view = await VenueReconciler.FetchAsync(venue, Settings, () => Task.FromResult(new BooksAtStart([never], [], null)), Known, new HashSet<ClientOrderId>());

        var decision = VenueReconciliation.Decide(view.Open!, [never], view.Lookups, restartedAt: At(100));

        Assert.Equal(["by-hand"], decision.UnknownAtVenue.Select(o => o.Id.Value));
        var rejected = Assert.IsType<OrderRejectedReport>(Assert.Single(decision.NeverSent));
        Assert.Equal(("never", "never sent before the restart"), (rejected.ClientOrderId.Value, rejected.Reason));
        Assert.Empty(VenueReconciliation.Decide(view.Open!, [never], view.Lookups, restartedAt: null).NeverSent);
    }

    [Fact]
    public async Task Executions_that_cannot_all_be_read_fail_the_fetch()
    {
        var venue = new InMemoryVenue(At(200)) { ExecutionsFail = true };
        var books = new BooksAtStart([], [], At(100));
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            VenueReconciler.FetchAsync(venue, Settings, () => Task.FromResult(books), Known, new HashSet<ClientOrderId>()));
    }

    /// <summary>A venue held in memory: open orders, executions per order, positions; it records what it was asked.</summary>
    private sealed class InMemoryVenue(DateTime now) : IVenueClient
    {
        public List<VenueOrder> Open { get; } = [];
        public Dictionary<string, IReadOnlyList<VenueExecution>> ByOrder { get; } = [];
        public List<DateTime> ExecutionsAskedSince { get; } = [];
        public List<string> ExecutionsAskedFor { get; } = [];
        public List<string> LookedUp { get; } = [];
        public Action? WhileReadingExecutions { get; set; }
        public bool ExecutionsFail { get; init; }

        public DateTime Now => now;
        public DateTime? BannedUntil => null;

        public Task<VenueResult<string>> PlaceAsync(OrderRequest order, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<VenueResult<string>> CancelAsync(VenueOrderKey order, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<VenueResult<string>> AmendAsync(VenueOrderKey order, decimal? qty, decimal? price, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<VenueCancelMany> CancelManyAsync(IReadOnlyList<VenueOrderKey> orders, CancellationToken ct = default) => throw new NotSupportedException();

        public Task<VenueResult<IReadOnlyList<VenueOrder>>> GetOpenOrdersAsync(CancellationToken ct = default) =>
            Task.FromResult(VenueResult<IReadOnlyList<VenueOrder>>.Ok(Open.ToList()));

        public Task<VenueResult<VenueOrder?>> GetOpenOrderAsync(VenueOrderKey order, CancellationToken ct = default) =>
            Task.FromResult(VenueResult<VenueOrder?>.Ok(Open.FirstOrDefault(o => o.Id == order.Id)));

        public Task<VenueLookup> FindOrderAsync(VenueOrderKey order, CancellationToken ct = default)
        {
            LookedUp.Add(order.Id.Value);
            return Task.FromResult(new VenueLookup(Open.FirstOrDefault(o => o.Id == order.Id), true));
        }

        public Task<VenueResult<IReadOnlyList<VenueExecution>>> GetExecutionsSinceAsync(DateTime since, CancellationToken ct = default)
        {
            ExecutionsAskedSince.Add(since);
            WhileReadingExecutions?.Invoke();
            return Task.FromResult(ExecutionsFail
                ? new VenueResult<IReadOnlyList<VenueExecution>>(VenueOutcome.Ambiguous, null, "Incomplete", -1, "more pages than allowed")
                : VenueResult<IReadOnlyList<VenueExecution>>.Ok([]));
        }

        public Task<VenueResult<IReadOnlyList<VenueExecution>>> GetExecutionsAsync(VenueOrderKey order, CancellationToken ct = default)
        {
            ExecutionsAskedFor.Add(order.Id.Value);
            return Task.FromResult(VenueResult<IReadOnlyList<VenueExecution>>.Ok(ByOrder.GetValueOrDefault(order.Id.Value) ?? []));
        }

        public Task<VenueResult<IReadOnlyDictionary<string, decimal>>> GetPositionsAsync(CancellationToken ct = default) =>
            Task.FromResult(VenueResult<IReadOnlyDictionary<string, decimal>>.Ok(new Dictionary<string, decimal>()));
    }
}
