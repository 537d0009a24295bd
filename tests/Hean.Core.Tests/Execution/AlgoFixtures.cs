using Hean.Core.Domain;
using Hean.Core.Execution;
using Hean.Core.Orders;

namespace Hean.Core.Tests.Execution;

/// <summary>Builders for the algorithm tests: a BTCUSDT parent, a start time, quotes, and the order manager's view of a child.</summary>
internal static class AlgoFixtures
{
    public static readonly Instrument Btc = InstrumentCatalog.Default.Get("BTCUSDT");
    public static readonly DateTime T0 = new(2024, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    public static DateTime At(double seconds) => T0.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));

    public static OrderRequest Parent(decimal qty, Side side = Side.Buy, decimal? limit = null, string id = "P") =>
        new(new ClientOrderId(id), Btc.Symbol, side, limit is null ? OrderType.Market : OrderType.Limit, qty, limit,
            limit is null ? TimeInForce.ImmediateOrCancel : TimeInForce.GoodTillCancel);

    public static AlgoState Start(OrderRequest parent, AlgoSpec spec, decimal arrivalMid = 50_000m) =>
        AlgoState.Start(new AlgoStarted(parent, spec, spec, arrivalMid, T0, AlgoState.PlanFor(parent, spec, T0, Btc), "test"), Btc);

    public static MarketQuote Quote(decimal bid = 49_990m, decimal ask = 50_000m) => new(Btc.Symbol, T0, bid, ask, null);

    /// <summary>Decides and applies; returns the new state and the events.</summary>
    public static (AlgoState State, IReadOnlyList<IAlgoEvent> Events) Decide(AlgoState s, double atSeconds, MarketQuote? quote = null)
    {
        var events = s.Decide(At(atSeconds), quote ?? Quote());
        return (events.Aggregate(s, (x, e) => x.Apply(e)), events);
    }

    /// <summary>Reconciles against the order manager's view of one child and applies.</summary>
    public static AlgoState Booked(AlgoState s, string childId, OrderStatus status, decimal filled, decimal avg = 49_990m, decimal fees = 0m,
        double atSeconds = 0, decimal? venueFilled = null, string? reason = null)
    {
        var id = new ClientOrderId(childId);
        var child = s.Child(id) ?? throw new InvalidOperationException($"no child {childId}");
        var order = OrderState.Create(new OrderCreated(s.ChildRequest(child), child.SentAt, "test", 50_000m)) with
        {
            Status = status, FilledQty = filled, AvgFillPrice = avg, Fees = fees, UpdatedAt = At(atSeconds), VenueFilledQty = venueFilled, Reason = reason,
        };
        return s.Reconcile(new Dictionary<ClientOrderId, OrderState> { [id] = order }).Aggregate(s, (x, e) => x.Apply(e));
    }

    public static IReadOnlyList<SliceSent> Sent(IEnumerable<IAlgoEvent> events) => events.OfType<SliceSent>().ToList();

    /// <summary>What is filled plus what may still fill never exceeds the parent: no overfill is possible whatever the venue does.</summary>
    public static void AssertNotOvercommitted(AlgoState s) =>
        Xunit.Assert.True(s.Filled + s.Children.Where(c => c.IsOpen).Sum(c => c.Qty - c.Filled) <= s.Parent.Qty,
            $"filled {s.Filled} + working {s.Working} exceed {s.Parent.Qty}");
}
