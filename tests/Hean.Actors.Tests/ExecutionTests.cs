using Akka.Actor;
using Hean.Actors.Common;
using Hean.Actors.Execution;
using Hean.Actors.Orders;
using Hean.Actors.Persistence;
using Hean.Actors.Portfolio;
using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.MarketData;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Xunit;
using static Hean.Actors.Execution.ExecutionProtocol;
using static Hean.Actors.Tests.Fixtures;

namespace Hean.Actors.Tests;

/// <summary>
/// Execution router, exchange gateway, order manager and portfolio wired together over a real
/// simulated exchange without latency.
/// </summary>
public sealed class ExecutionTests : HeanActorTest
{
    private readonly IActorRef _portfolio;
    private readonly IActorRef _orders;
    private IActorRef _gateway;
    private readonly IActorRef _router;
    private long _bookSequence;

    public ExecutionTests() : base(PersistenceBackend.InMemory)
    {
        _portfolio = Sys.ActorOf(Props.Create(() => new PortfolioActor(100_000m, TimeSpan.FromSeconds(1), 500)), "portfolio");
        _orders = Sys.ActorOf(Props.Create(() => new OrderManager(_portfolio, 200)), "orders");
        var gateway = _gateway = StartGateway(NewVenue());
        _router = Sys.ActorOf(Props.Create(() => new ExecutionRouter(_orders, gateway, HeanTimeouts.Default)), "execution");
    }

    private static SimulatedExchange NewVenue() => new(InstrumentCatalog.Default, new SimulatedExchangeOptions());

    private IActorRef StartGateway(SimulatedExchange venue) =>
        Sys.ActorOf(Props.Create(() => new ExchangeGateway(venue, _orders, _portfolio, HeanTimeouts.Default, CircuitBreakerSettings.Default)));

    private MarketDataApplied Book(int atSeconds, BookLevel[] bids, BookLevel[] asks) =>
        Ask<MarketDataApplied>(_gateway, new ApplyMarketData([Fixtures.Book(++_bookSequence, At(atSeconds), bids, asks)]));

    /// <summary>Bids 49 990 / 49 980, asks 0.05 at 50 000 and 0.1 at 50 010.</summary>
    private MarketDataApplied TwoLevelBook(int atSeconds = 0) =>
        Book(atSeconds, [L(49_990m, 1m), L(49_980m, 2m)], [L(50_000m, 0.05m), L(50_010m, 0.1m)]);

    private object Execute(OrderRequest order, int atSeconds) =>
        Ask<object>(_router, new ExecuteOrder(order, "test", 49_995m, At(atSeconds)));

    private OrderState OrderOf(string id)
    {
        SyncWith(_orders);
        return Ask<OrdersProtocol.OrderView>(_orders, new OrdersProtocol.GetOrder(Id(id))).Order
               ?? throw new InvalidOperationException($"order {id} is unknown");
    }

    private Position PositionOf(Symbol symbol)
    {
        SyncWith(_orders); // fills go on to the portfolio before the order manager answers
        return Ask<PortfolioProtocol.PortfolioView>(_portfolio, new PortfolioProtocol.GetPortfolio()).State.PositionOf(symbol);
    }

    private VenueState Venue() => Ask<VenueState>(_gateway, new GetVenueState());

    [Fact]
    public void A_market_buy_fills_at_the_vwap_and_the_books_agree_with_the_venue()
    {
        Assert.Equal(new MarketDataApplied(1, 0), TwoLevelBook());

        Assert.Equal(new ExecutionStarted(Id("m1")), Execute(Market("m1", Side.Buy, 0.1m), 1));

        var order = OrderOf("m1");
        Assert.Equal(OrderStatus.Filled, order.Status);
        Assert.Equal(0.1m, order.FilledQty);
        Assert.Equal(50_005m, order.AvgFillPrice);
        Assert.Equal(2.750275m, order.Fees); // taker 5.5 bp on 2 500 and on 5 000.50
        Assert.Equal(new Position(Btc, 0.1m, 50_005m, 0m, 2.750275m), PositionOf(Btc));
        var venue = Venue();
        Assert.Equal(0.1m, venue.Positions["BTCUSDT"]);
        Assert.Empty(venue.OpenOrders);

        var again = Assert.IsType<ExecutionFailed>(Execute(Market("m1", Side.Buy, 0.1m), 2));
        Assert.Contains("m1", again.Reason);
        Assert.Equal(0.1m, Venue().Positions["BTCUSDT"]);
    }

    [Fact]
    public void An_order_with_a_signal_behind_it_is_timed_from_the_signal_to_the_venue_and_reaches_it_created_and_submitted()
    {
        TwoLevelBook();
        var signalToOrder = Monitoring.HeanMetrics.Latency.WithLabels("signal_to_order");
        var events = CreateTestProbe();
        Sys.EventStream.Subscribe(events.Ref, typeof(IOrderEvent));
        var (count, sum) = (signalToOrder.Count, signalToOrder.Sum);
        var signalAt = System.Diagnostics.Stopwatch.GetTimestamp() - System.Diagnostics.Stopwatch.Frequency; // a second ago

        Assert.Equal(new ExecutionStarted(Id("s1")), Ask<object>(_router, new ExecuteOrder(Market("s1", Side.Buy, 0.01m), "test", 49_995m, At(1), SignalAt: signalAt)));

        // Created and submitted (one write) before the venue saw it; then the venue's answers.
        Assert.IsType<OrderCreated>(events.ExpectMsg<IOrderEvent>(Patience));
        Assert.IsType<OrderSubmitted>(events.ExpectMsg<IOrderEvent>(Patience));
        Assert.IsNotType<OrderSubmitted>(events.ExpectMsg<IOrderEvent>(Patience));
        Assert.Equal(OrderStatus.Filled, OrderOf("s1").Status);
        // Observed once, with at least the second since the signal (other tests place orders without a signal: never observed).
        Assert.Equal(count + 1, signalToOrder.Count);
        Assert.True(signalToOrder.Sum - sum >= 1.0, $"signal_to_order observed {signalToOrder.Sum - sum} s");
    }

    [Fact]
    public void A_limit_order_rests_until_it_is_cancelled()
    {
        TwoLevelBook();

        Assert.Equal(new ExecutionStarted(Id("l1")), Execute(Limit("l1", Side.Buy, 0.01m, 49_000m), 1));

        Assert.Equal(OrderStatus.Accepted, OrderOf("l1").Status);
        Assert.Equal([Id("l1")], Venue().OpenOrders.Select(o => o.ClientOrderId));

        Assert.Equal(new CancelResult(Id("l1"), true, null), Ask<CancelResult>(_router, new CancelOrder(Id("l1"), "test", At(2))));

        var cancelled = OrderOf("l1");
        Assert.Equal(OrderStatus.Cancelled, cancelled.Status);
        Assert.False(string.IsNullOrEmpty(cancelled.Reason));
        Assert.Empty(Venue().OpenOrders);
        var twice = Ask<CancelResult>(_router, new CancelOrder(Id("l1"), "test", At(3)));
        Assert.False(twice.Sent);
        Assert.NotNull(twice.Error);
        Assert.Equal(OrderStatus.Cancelled, OrderOf("l1").Status);
    }

    [Fact]
    public void A_new_gateway_on_a_new_venue_restores_resting_orders_sends_unacknowledged_limits_again_and_cancels_a_lost_market_order()
    {
        TwoLevelBook();
        Execute(Market("m1", Side.Buy, 0.1m), 1);
        Execute(Limit("rest", Side.Buy, 0.02m, 49_500m), 2);
        // Submitted is persisted, then the process dies before the venue sees the orders.
        Ask<OrdersProtocol.OrderRegistered>(_orders, new OrdersProtocol.RegisterOrder(Created(Limit("again", Side.Buy, 0.01m, 49_400m), 3)));
        Ask<Synced>(_orders, new OrdersProtocol.MarkSubmitted(Id("again"), Btc, At(3)));
        Ask<OrdersProtocol.OrderRegistered>(_orders, new OrdersProtocol.RegisterOrder(Created(Market("gone", Side.Buy, 0.01m), 3)));
        Ask<Synced>(_orders, new OrdersProtocol.MarkSubmitted(Id("gone"), Btc, At(3)));
        Assert.Equal(OrderStatus.Accepted, OrderOf("rest").Status);
        StopAndWait(_gateway);

        _gateway = StartGateway(NewVenue());

        var venue = Venue();
        Assert.Equal([Limit("rest", Side.Buy, 0.02m, 49_500m), Limit("again", Side.Buy, 0.01m, 49_400m)], venue.OpenOrders);
        Assert.Equal(0.1m, venue.Positions["BTCUSDT"]);
        AwaitAssert(() => Assert.Equal(OrderStatus.Accepted, OrderOf("again").Status));
        var lost = OrderOf("gone");
        Assert.Equal(OrderStatus.Cancelled, lost.Status);
        Assert.Equal("paper venue restarted before the order completed", lost.Reason);
        Assert.Equal(OrderStatus.Accepted, OrderOf("rest").Status);

        // The restored order trades on the new venue like any other.
        Book(10, [L(49_400m, 1m)], [L(49_500m, 1m)]);
        Assert.Equal(OrderStatus.Filled, OrderOf("rest").Status);
        Assert.Equal(0.12m, PositionOf(Btc).Qty);
        Assert.Equal(0.12m, Venue().Positions["BTCUSDT"]);
    }

    [Fact]
    public void A_restored_partially_filled_order_gets_its_remaining_fill_booked()
    {
        Book(0, [L(49_970m, 1m)], [L(50_000m, 1m)]);
        Execute(Limit("part", Side.Buy, 0.002m, 49_980m), 1);
        Book(2, [L(49_970m, 1m)], [L(49_980m, 0.001m), L(50_000m, 1m)]);
        Assert.Equal(OrderStatus.PartiallyFilled, OrderOf("part").Status);
        StopAndWait(_gateway);

        _gateway = StartGateway(NewVenue());
        Book(5, [L(49_970m, 1m)], [L(49_980m, 1m)]);

        var order = OrderOf("part");
        Assert.Equal(OrderStatus.Filled, order.Status);
        Assert.Equal(2, order.TradeIds.Count);
        Assert.Equal(0.002m, PositionOf(Btc).Qty);
        Assert.Equal(Venue().Positions["BTCUSDT"], PositionOf(Btc).Qty);
    }

    [Fact]
    public void A_gateway_that_crashes_and_restarts_on_the_same_venue_keeps_the_resting_orders()
    {
        TwoLevelBook();
        Execute(Limit("rest", Side.Buy, 0.01m, 49_000m), 1);
        Assert.Equal(OrderStatus.Accepted, OrderOf("rest").Status);

        // A malformed delta (negative quantity) throws inside the gateway; its parent restarts it.
        var malformed = new BookUpdate(Btc, At(2), ++_bookSequence, 0, false, [], [L(50_020m, -1m)]);
        EventFilter.Exception<ArgumentException>().ExpectOne(Patience, () => _gateway.Tell(new ApplyMarketData([malformed])));

        Assert.Equal([Id("rest")], Venue().OpenOrders.Select(o => o.ClientOrderId));
        Assert.Equal(OrderStatus.Accepted, OrderOf("rest").Status);
    }
}
