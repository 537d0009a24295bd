using Akka.Actor;
using Akka.TestKit;
using Hean.Actors.Common;
using Hean.Actors.Orders;
using Hean.Actors.Persistence;
using Hean.Actors.Portfolio;
using Hean.Venues.Bybit;
using Hean.Bybit.Rest;
using Hean.Bybit.WebSocket;
using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Hean.FakeBybit;
using Xunit;
using static Hean.Actors.Execution.ExecutionProtocol;
using static Hean.Actors.Tests.Fixtures;

namespace Hean.Actors.Tests;

/// <summary>The Bybit gateway with the real order manager against the project's fake Bybit on loopback.</summary>
public sealed class BybitGatewayTests : FakeBybitActorTest
{
    [Fact]
    public async Task A_market_order_is_placed_filled_through_the_private_stream_and_booked_once()
    {
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        var gateway = Gateway(orders, portfolio.Ref, await PrivateStream());
        var order = Market("bb-1", Side.Buy, 0.5m);
        Register(orders, order);

        Assert.True(Ask<PlaceResult>(gateway, new PlaceOrder(order, At(1))).Sent);
        AwaitAssert(() => Assert.Equal((OrderStatus.Filled, (string?)null), (OrderOf(orders, "bb-1")!.Status, OrderOf(orders, "bb-1")!.Reason)), Patience);

        // 1 at 60 000.1 and 1 at 60 000.2 were offered: 0.5 fills at the touch.
        var booked = portfolio.FishForMessage<PortfolioProtocol.BookFill>(_ => true, Patience);
        Assert.Equal((60_000.1m, 0.5m, 1L), (booked.Fill.Price, booked.Fill.Qty, booked.Seq));
        Assert.Equal(0.5m, Fake.Venue.PositionOf("BTCUSDT"));
        Assert.Single(Fake.Venue.Orders, o => o.OrderLinkId == "bb-1");
        portfolio.ExpectNoMsg(TimeSpan.FromMilliseconds(300)); // the fill is not booked twice
    }

    [Fact]
    public async Task A_resting_limit_is_cancelled_and_a_rejected_order_is_rejected()
    {
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        var gateway = Gateway(orders, portfolio.Ref, await PrivateStream());
        var resting = Limit("bb-rest", Side.Buy, 0.01m, 59_000m);
        Register(orders, resting);
        Assert.True(Ask<PlaceResult>(gateway, new PlaceOrder(resting, At(1))).Sent);
        AwaitAssert(() => Assert.Equal(OrderStatus.Accepted, OrderOf(orders, "bb-rest")?.Status), Patience);

        Assert.True(Ask<CancelResult>(gateway, new CancelOrder(Id("bb-rest"), "test")).Sent);
        AwaitAssert(() => Assert.Equal(OrderStatus.Cancelled, OrderOf(orders, "bb-rest")?.Status), Patience);

        var offTick = Limit("bb-bad", Side.Buy, 0.01m, 59_000.05m);
        Register(orders, offTick);
        var placed = Ask<PlaceResult>(gateway, new PlaceOrder(offTick, At(2)));
        Assert.False(placed.Sent);
        AwaitAssert(() => Assert.Equal(OrderStatus.Rejected, OrderOf(orders, "bb-bad")?.Status), Patience);
    }

    [Fact]
    public async Task Reconciliation_at_start_settles_orders_sent_before_a_crash()
    {
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        // Two orders were persisted as Submitted, then the process died: one reached Bybit, one did not. The first was
        // registered and then marked (an algorithm's child), the second created and submitted in one write (the router's
        // way since one write stands between a signal and the venue): the crash came between that write and the venue.
        var reached = Limit("bb-reached", Side.Buy, 0.01m, 59_000m);
        var lost = Limit("bb-lost", Side.Buy, 0.01m, 59_000m);
        Register(orders, reached);
        Ask<Synced>(orders, new OrdersProtocol.MarkSubmitted(reached.ClientOrderId, reached.Symbol, At(1)));
        Assert.IsType<OrdersProtocol.OrderRegistered>(Ask<object>(orders, new OrdersProtocol.RegisterOrder(Created(lost, 1), Submitting: true)));
        Assert.Equal(OrderStatus.Submitted, OrderOf(orders, "bb-lost")?.Status);
        using (var rest = Rest()) Assert.True((await rest.PlaceOrderAsync(reached)).IsOk);

        Gateway(orders, portfolio.Ref, null); // reconciles before anything else
        AwaitAssert(() =>
        {
            Assert.Equal(OrderStatus.Accepted, OrderOf(orders, "bb-reached")?.Status);
            Assert.Equal(OrderStatus.Rejected, OrderOf(orders, "bb-lost")?.Status);
        }, Patience);
        Assert.Single(Fake.Venue.Orders, o => o.OrderLinkId == "bb-reached"); // nothing placed twice
        Assert.DoesNotContain(Fake.Venue.Orders, o => o.OrderLinkId == "bb-lost");
    }

    [Fact]
    public async Task An_order_open_at_the_venue_but_unknown_to_us_is_adopted_as_external_and_its_fills_are_booked_once()
    {
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        // Placed by hand (or before what our journal keeps): resting at the venue, nowhere in our books.
        var byHand = Limit("hand-1", Side.Buy, 0.2m, 59_990m);
        using (var rest = Rest()) Assert.True((await rest.PlaceOrderAsync(byHand)).IsOk);

        var stream = await PrivateStream();
        var gateway = Gateway(orders, portfolio.Ref, stream); // start-up reconciliation adopts it
        var adopted = OrderOf(orders, "hand-1");
        Assert.NotNull(adopted);
        Assert.Equal((OrderStatus.Accepted, 0.2m, (decimal?)59_990m, Side.Buy), (adopted!.Status, adopted.Request.Qty, adopted.Request.Price, adopted.Request.Side));
        Assert.Contains(Ask<OrdersProtocol.OpenOrders>(orders, new OrdersProtocol.GetOpenOrders()).Orders, o => o.Id.Value == "hand-1");

        // It fills at the venue: booked once, like our own.
        Fake.Venue.PublishTrade("BTCUSDT", 59_990m, 0.2m, Side.Sell);
        AwaitAssert(() => Assert.Equal(OrderStatus.Filled, OrderOf(orders, "hand-1")?.Status), Patience);
        var booked = portfolio.FishForMessage<PortfolioProtocol.BookFill>(_ => true, Patience);
        Assert.Equal(("hand-1", 0.2m), (booked.Fill.ClientOrderId.Value, booked.Fill.Qty));

        // Another pass changes nothing: no second adoption, no second fill.
        var before = Stats(orders);
        Fake.Faults.DropWebSocketConnections();
        AwaitAssert(() => Assert.True(Ask<ReconciliationState>(gateway, new GetReconciliationState()).CatchUps >= 2), TimeSpan.FromSeconds(15));
        Assert.Equal((before.Created, before.Fills), (Stats(orders).Created, Stats(orders).Fills));
        portfolio.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Single(Fake.Venue.Orders, o => o.OrderLinkId == "hand-1");
    }

    [Fact]
    public async Task An_order_placed_by_hand_without_an_orderLinkId_is_adopted_under_its_venue_id_its_fill_keeps_positions_agreeing_and_it_cancels_by_orderId()
    {
        var portfolio = Portfolio();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio, 200)));
        // The web UI's way: no orderLinkId at all.
        string venueId;
        using (var rest = Rest())
            venueId = (await rest.PlaceOrderAsync(new Hean.Bybit.Rest.Models.PlaceOrderRequest("BTCUSDT", Side.Buy, OrderType.Limit, 0.2m, 59_990m, null)))
                .GetValueOrThrow().OrderId;
        var id = "ext-" + venueId.Replace("-", "");

        var gateway = Gateway(orders, portfolio, await PrivateStream(), Quick with { CheckPositions = true });
        var adopted = OrderOf(orders, id);
        Assert.NotNull(adopted);
        Assert.Equal((OrderStatus.Accepted, "external", venueId), (adopted!.Status, adopted.Origin, adopted.VenueOrderId));

        // Half of it fills at the venue: booked under the same id, and our position still agrees with Bybit's.
        Fake.Venue.PublishTrade("BTCUSDT", 59_980m, 0.1m, Side.Sell);
        AwaitAssert(() => Assert.Equal((OrderStatus.PartiallyFilled, 0.1m), (OrderOf(orders, id)!.Status, OrderOf(orders, id)!.FilledQty)), Patience);
        Fake.Faults.DropWebSocketConnections(); // a reconciliation pass with the position check
        AwaitAssert(() => Assert.True(Ask<ReconciliationState>(gateway, new GetReconciliationState()).CatchUps >= 2), TimeSpan.FromSeconds(15));
        Assert.Null(Ask<CircuitState>(gateway, new GetCircuitState()).Problem);

        // Cancelled from HEAN: by orderId, since the venue knows no orderLinkId for it.
        Assert.True(Ask<CancelResult>(gateway, new CancelOrder(new Hean.Core.Orders.ClientOrderId(id), "operator", At(3))).Sent);
        AwaitAssert(() => Assert.Equal((OrderStatus.Cancelled, 0.1m), (OrderOf(orders, id)!.Status, OrderOf(orders, id)!.FilledQty)), Patience);
        Assert.True(Hean.Bybit.Rest.Models.BybitOrderStatusExtensions.IsTerminal(Assert.Single(Fake.Venue.Orders, o => o.OrderId == venueId).Status));
        Assert.Equal(0.1m, Fake.Venue.PositionOf("BTCUSDT"));
    }

    [Fact]
    public async Task A_market_order_placed_by_hand_that_fills_at_once_is_adopted_through_its_fill_and_positions_keep_agreeing()
    {
        var portfolio = Portfolio();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio, 200)));
        var gateway = Gateway(orders, portfolio, await PrivateStream(), Quick with { CheckPositions = true });

        // Bought by hand in the app while HEAN runs: no orderLinkId, filled at once, never open in any pass.
        string venueId;
        using (var rest = Rest())
            venueId = (await rest.PlaceOrderAsync(new Hean.Bybit.Rest.Models.PlaceOrderRequest("BTCUSDT", Side.Buy, OrderType.Market, 0.3m, null, null)))
                .GetValueOrThrow().OrderId;
        var id = "ext-" + venueId.Replace("-", "");
        AwaitAssert(() => Assert.Equal((OrderStatus.Filled, 0.3m, "external"),
            (OrderOf(orders, id)?.Status, OrderOf(orders, id)?.FilledQty ?? 0m, OrderOf(orders, id)?.Origin)), Patience);
        AwaitAssert(() => Assert.Equal(0.3m, Ask<PortfolioProtocol.PortfolioView>(portfolio, new PortfolioProtocol.GetPortfolio())
            .State.Positions.Values.Single().Qty), Patience);

        // The next pass finds the positions equal: trading goes on. The fill was booked once.
        Fake.Faults.DropWebSocketConnections();
        AwaitAssert(() => Assert.True(Ask<ReconciliationState>(gateway, new GetReconciliationState()).CatchUps >= 2), TimeSpan.FromSeconds(15));
        Assert.Null(Ask<CircuitState>(gateway, new GetCircuitState()).Problem);
        Assert.Equal(1L, Stats(orders).Fills);
    }

    /// <summary>A portfolio that books what it is sent (the real one) so positions can be compared with the venue's.</summary>
    private IActorRef Portfolio() => Sys.ActorOf(Props.Create(() => new PortfolioActor(100_000m, TimeSpan.FromMinutes(1), 500, null)));

    private OrdersProtocol.OrderStats Stats(IActorRef orders) => Ask<OrdersProtocol.OrderStats>(orders, new OrdersProtocol.GetOrderStats());

    [Fact]
    public async Task Fills_made_while_the_private_stream_is_down_are_fetched_over_REST_after_it_reconnects()
    {
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        var stream = await PrivateStream(reconnectDelay: TimeSpan.FromSeconds(1));
        var gateway = Gateway(orders, portfolio.Ref, stream);
        var resting = Limit("bb-drop", Side.Buy, 0.3m, 59_990m);
        Register(orders, resting);
        Assert.True(Ask<PlaceResult>(gateway, new PlaceOrder(resting, At(1))).Sent);
        AwaitAssert(() => Assert.Equal(OrderStatus.Accepted, OrderOf(orders, "bb-drop")?.Status), Patience);

        // The connection drops; three prints fill the order before the stream is back (it waits a second to reconnect).
        Fake.Faults.DropWebSocketConnections();
        for (var i = 0; i < 3; i++) Fake.Venue.PublishTrade("BTCUSDT", 59_990m, 0.1m, Side.Sell);
        Assert.Equal(3, Fake.Venue.Executions.Count(e => e.OrderLinkId == "bb-drop"));
        Assert.Equal(OrderStatus.Accepted, OrderOf(orders, "bb-drop")?.Status); // nothing arrived on the stream

        AwaitAssert(() => Assert.Equal((OrderStatus.Filled, 0.3m), (OrderOf(orders, "bb-drop")!.Status, OrderOf(orders, "bb-drop")!.FilledQty)),
            TimeSpan.FromSeconds(10));
        Assert.True(stream.Stats.Connects >= 2);
        var booked = Enumerable.Range(0, 3).Select(_ => portfolio.FishForMessage<PortfolioProtocol.BookFill>(_ => true, Patience)).ToList();
        Assert.Equal(Fake.Venue.Executions.Where(e => e.OrderLinkId == "bb-drop").Select(e => e.ExecId).Order(),
            booked.Select(b => b.Fill.TradeId).Order());
        portfolio.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        // A second pass (another reconnect) finds everything booked and changes nothing.
        var before = Stats(orders);
        Fake.Faults.DropWebSocketConnections();
        AwaitCondition(() => stream.Stats.Connects >= 3, TimeSpan.FromSeconds(10));
        AwaitAssert(() => Assert.True(Ask<ReconciliationState>(gateway, new GetReconciliationState()).CatchUps >= 2), Patience);
        Assert.Equal(before.Fills, Stats(orders).Fills);
        portfolio.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_timeout_after_the_venue_accepted_leaves_the_order_in_flight_and_one_query_finds_it_without_placing_it_twice()
    {
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        var gateway = Gateway(orders, portfolio.Ref, null); // no stream: only the targeted query can settle it
        var order = Limit("bb-abort", Side.Buy, 0.01m, 59_000m);
        Register(orders, order);
        Fake.Faults.AcceptThenAbortNext(1);

        var placed = Ask<PlaceResult>(gateway, new PlaceOrder(order, At(1)));
        Assert.False(placed.Sent);
        Assert.Contains("outcome unknown", placed.Error);
        Assert.Equal(OrderStatus.Submitted, OrderOf(orders, "bb-abort")?.Status); // in flight, not guessed

        AwaitAssert(() => Assert.Equal(OrderStatus.Accepted, OrderOf(orders, "bb-abort")?.Status), Patience);
        Assert.Single(Fake.Venue.Orders, o => o.OrderLinkId == "bb-abort");
        Assert.True(Fake.RestCalls("/v5/order/create") >= 2, "the client retried the create (idempotent by orderLinkId)");
    }

    [Fact]
    public void An_order_in_flight_that_the_venue_never_got_is_declared_missing_only_after_the_delay_and_a_targeted_query()
    {
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        var settings = new BybitGatewaySettings(TimeSpan.FromSeconds(2), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5), CheckPositions: false)
        {
            NotFoundPeriod = TimeSpan.FromSeconds(2),
        };
        var gateway = Gateway(orders, portfolio.Ref, null, settings);
        // Marked Submitted, then the request was lost on the way: Bybit never saw it.
        var order = Limit("bb-never", Side.Buy, 0.01m, 59_000m);
        Register(orders, order);
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Ask<Synced>(orders, new OrdersProtocol.MarkSubmitted(order.ClientOrderId, order.Symbol, DateTime.UtcNow)); // live: market time is now
        var queriesBefore = Fake.RestCalls("/v5/order/history");

        AwaitAssert(() => Assert.Equal(OrderStatus.Rejected, OrderOf(orders, "bb-never")?.Status), TimeSpan.FromSeconds(10));
        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(1.9), $"declared missing after {watch.Elapsed}, before the in-flight delay");
        Assert.Contains("not found at Bybit", OrderOf(orders, "bb-never")!.Reason);
        Assert.True(Fake.RestCalls("/v5/order/history") > queriesBefore, "a targeted query was asked first");
        Assert.DoesNotContain(Fake.Venue.Orders, o => o.OrderLinkId == "bb-never");
        SyncWith(gateway);
    }

    [Fact]
    public async Task Duplicated_execution_pushes_are_booked_once()
    {
        Fake.Faults.DuplicateWsMessages = true;
        var portfolio = CreateTestProbe();
        var probeOrders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        var gateway = Gateway(probeOrders, portfolio.Ref, await PrivateStream());
        var order = Market("bb-dup", Side.Buy, 1.5m); // two levels: two executions
        Register(probeOrders, order);
        Assert.True(Ask<PlaceResult>(gateway, new PlaceOrder(order, At(1))).Sent);
        AwaitAssert(() => Assert.Equal(OrderStatus.Filled, OrderOf(probeOrders, "bb-dup")?.Status), Patience);
        var booked = Enumerable.Range(0, 2).Select(_ => portfolio.FishForMessage<PortfolioProtocol.BookFill>(_ => true, Patience).Fill.Qty).Sum();
        Assert.Equal(1.5m, booked);
        portfolio.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal(2L, Stats(probeOrders).Fills);
        Assert.Equal(1.5m, Fake.Venue.PositionOf("BTCUSDT"));
    }

    [Fact]
    public async Task Positions_that_cannot_be_made_to_agree_make_the_gateway_refuse_new_orders()
    {
        // The position moved with no execution of ours to explain it (auto-deleveraging, a transfer): nothing to adopt.
        Fake.Venue.AdjustPosition("BTCUSDT", Side.Buy, 0.2m, 60_000m);
        await Task.CompletedTask;
        var portfolio = Portfolio();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio, 200)));
        var gateway = Gateway(orders, portfolio, null, Quick with { CheckPositions = true });

        var state = Ask<CircuitState>(gateway, new GetCircuitState());
        Assert.NotNull(state.Problem);
        Assert.Contains("BTCUSDT: ours 0, venue 0.2", state.Problem);
        var order = Limit("bb-refused", Side.Buy, 0.01m, 59_000m);
        Register(orders, order);
        var placed = Ask<PlaceResult>(gateway, new PlaceOrder(order, At(1)));
        Assert.False(placed.Sent);
        Assert.Contains("positions disagree", placed.Error);
        AwaitAssert(() => Assert.Equal(OrderStatus.Rejected, OrderOf(orders, "bb-refused")?.Status), Patience);
        Assert.DoesNotContain(Fake.Venue.Orders, o => o.OrderLinkId == "bb-refused");
    }

    [Fact]
    public async Task A_resting_order_is_amended_at_the_venue_and_an_amend_below_the_filled_quantity_is_refused_locally()
    {
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        var gateway = Gateway(orders, portfolio.Ref, await PrivateStream());
        var order = Limit("bb-amend", Side.Buy, 0.2m, 59_000m);
        Register(orders, order);
        Assert.True(Ask<PlaceResult>(gateway, new PlaceOrder(order, At(1))).Sent);
        AwaitAssert(() => Assert.Equal(OrderStatus.Accepted, OrderOf(orders, "bb-amend")?.Status), Patience);

        Assert.Equal(new AmendResult(Id("bb-amend"), true, null), Ask<AmendResult>(gateway, new AmendOrder(Id("bb-amend"), 0.3m, 59_100m, At(2))));
        AwaitAssert(() =>
        {
            var amended = OrderOf(orders, "bb-amend")!;
            Assert.Equal((OrderStatus.Accepted, 0.3m, (decimal?)59_100m), (amended.Status, amended.Request.Qty, amended.Request.Price));
        }, Patience);
        Assert.Equal((0.3m, (decimal?)59_100m), (Fake.Venue.OrderByLinkId("bb-amend")!.Qty, Fake.Venue.OrderByLinkId("bb-amend")!.Price));

        // A print at the new price fills part of it; an amend to less than that is never sent.
        Fake.Venue.PublishTrade("BTCUSDT", 59_050m, 0.1m, Side.Sell);
        AwaitAssert(() => Assert.Equal(0.1m, OrderOf(orders, "bb-amend")!.FilledQty), Patience);
        var amends = Fake.RestCalls("/v5/order/amend");
        var refused = Ask<AmendResult>(gateway, new AmendOrder(Id("bb-amend"), 0.1m, null, At(3)));
        Assert.False(refused.Amended);
        Assert.Contains("cannot be amended", refused.Error);
        Assert.Equal(amends, Fake.RestCalls("/v5/order/amend"));
        Assert.Equal(OrderStatus.PartiallyFilled, OrderOf(orders, "bb-amend")!.Status);
    }

    [Fact]
    public void An_amend_the_venue_refuses_because_the_order_filled_first_leaves_the_order_filled_with_its_fills_booked()
    {
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        var gateway = Gateway(orders, portfolio.Ref, null); // no stream: we learn of the fill only from the refusal
        var order = Limit("bb-late", Side.Buy, 0.1m, 59_000m);
        Register(orders, order);
        Assert.True(Ask<PlaceResult>(gateway, new PlaceOrder(order, At(1))).Sent);
        Fake.Venue.PublishTrade("BTCUSDT", 58_990m, 0.5m, Side.Sell);
        Assert.Equal(0.1m, Fake.Venue.PositionOf("BTCUSDT"));

        var result = Ask<AmendResult>(gateway, new AmendOrder(Id("bb-late"), null, 59_050m, At(2)));
        Assert.False(result.Amended);
        Assert.Contains("110001", result.Error);
        AwaitAssert(() => Assert.Equal((OrderStatus.Filled, 0.1m, (decimal?)59_000m),
            (OrderOf(orders, "bb-late")!.Status, OrderOf(orders, "bb-late")!.FilledQty, OrderOf(orders, "bb-late")!.Request.Price)), Patience);
        Assert.Equal(0.1m, portfolio.FishForMessage<PortfolioProtocol.BookFill>(_ => true, Patience).Fill.Qty);
        portfolio.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_cancel_racing_a_fill_loses_to_it_the_order_is_filled_not_cancelled_and_booked_once()
    {
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        var gateway = Gateway(orders, portfolio.Ref, null);
        var order = Limit("bb-race", Side.Sell, 0.2m, 60_050m);
        Register(orders, order);
        Assert.True(Ask<PlaceResult>(gateway, new PlaceOrder(order, At(1))).Sent);
        AwaitAssert(() => Assert.Equal(OrderStatus.Accepted, OrderOf(orders, "bb-race")?.Status), Patience);
        // The venue fills it in two prints; our cancel leaves after them.
        Fake.Venue.PublishTrade("BTCUSDT", 60_060m, 0.15m, Side.Buy);
        Fake.Venue.PublishTrade("BTCUSDT", 60_060m, 0.15m, Side.Buy);

        var cancel = Ask<CancelResult>(gateway, new CancelOrder(Id("bb-race"), "test", At(2)));
        Assert.False(cancel.Sent);
        AwaitAssert(() => Assert.Equal((OrderStatus.Filled, 0.2m), (OrderOf(orders, "bb-race")!.Status, OrderOf(orders, "bb-race")!.FilledQty)), Patience);
        var booked = Enumerable.Range(0, 2).Select(_ => portfolio.FishForMessage<PortfolioProtocol.BookFill>(_ => true, Patience).Fill.Qty).Sum();
        Assert.Equal(0.2m, booked);
        portfolio.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.Equal(-0.2m, Fake.Venue.PositionOf("BTCUSDT"));
    }

    /// <summary>An order manager (its portfolio a probe) and a gateway without the private stream, with two buy limits below the market registered.</summary>
    private (IActorRef Orders, IActorRef Gateway, OrderRequest First, OrderRequest Second) TwoBuyLimits(string first, string second)
    {
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        var gateway = Gateway(orders, portfolio.Ref, null);
        var (a, b) = (Limit(first, Side.Buy, 0.01m, 59_000m), Limit(second, Side.Buy, 0.01m, 58_900m));
        Register(orders, a);
        Register(orders, b);
        return (orders, gateway, a, b);
    }

    [Fact]
    public async Task A_slow_place_holds_up_neither_market_data_nor_the_answer_to_it_and_a_cancel_or_sync_behind_it_waits_for_its_answer()
    {
        var (orders, gateway, first, second) = TwoBuyLimits("bb-slow-1", "bb-slow-2");
        Fake.Faults.DelayPath("/v5/order/create", TimeSpan.FromSeconds(2)); // Bybit takes the order, and answers late

        var placed = gateway.Ask<PlaceResult>(new PlaceOrder(first, At(1)), Patience);
        // The REST call is off the mailbox: market data is applied while Bybit has not answered (it used to wait behind it).
        var trade = new Hean.Core.MarketData.Trade(first.Symbol, At(1), 60_000m, 0.1m, Side.Buy, 1);
        Assert.Equal(1, Ask<MarketDataApplied>(gateway, new ApplyMarketData([trade])).Events);
        Assert.False(placed.IsCompleted, "the market data waited for Bybit's answer to the place");

        // A cancel of the same order waits for the place's answer: Bybit sees the create, then the cancel.
        var cancelled = gateway.Ask<CancelResult>(new CancelOrder(first.ClientOrderId, "test", At(2)), Patience);
        Assert.True((await placed).Sent);
        Assert.True((await cancelled).Sent);
        AwaitAssert(() => Assert.Equal(OrderStatus.Cancelled, OrderOf(orders, "bb-slow-1")?.Status), Patience);

        // Sync answers once the places sent before it have their answers, and the order manager has their reports.
        var placedSecond = gateway.Ask<PlaceResult>(new PlaceOrder(second, At(3)), Patience);
        SyncWith(gateway);
        Assert.True(placedSecond.IsCompletedSuccessfully, "Sync answered before the place sent before it");
        Assert.True((await placedSecond).Sent);
        Assert.Equal(OrderStatus.Accepted, OrderOf(orders, "bb-slow-2")?.Status);
        Fake.Faults.DelayPath("/v5/order/create", TimeSpan.Zero);
    }

    [Fact]
    public async Task A_slow_cancel_holds_up_neither_market_data_nor_other_orders_and_one_orders_amend_and_cancel_reach_the_venue_in_order()
    {
        var (orders, gateway, slow, other) = TwoBuyLimits("bb-slowc", "bb-other");
        Assert.True(Ask<PlaceResult>(gateway, new PlaceOrder(slow, At(1))).Sent);
        AwaitAssert(() => Assert.Equal(OrderStatus.Accepted, OrderOf(orders, "bb-slowc")?.Status), Patience);
        Fake.Faults.DelayPath("/v5/order/cancel", TimeSpan.FromSeconds(2)); // Bybit cancels, and answers late
        try
        {
            // An amend and a cancel of one order, back to back: the cancel leaves once the amend has its answer.
            var amended = gateway.Ask<AmendResult>(new AmendOrder(slow.ClientOrderId, null, 59_010m, At(2)), Patience);
            var cancelled = gateway.Ask<CancelResult>(new CancelOrder(slow.ClientOrderId, "test", At(2)), Patience);
            Assert.True((await amended).Amended);

            // While Bybit sits on the cancel, the mailbox goes on: market data, a quote, another order's place.
            var trade = new Hean.Core.MarketData.Trade(slow.Symbol, At(2), 60_000m, 0.1m, Side.Buy, 1);
            Assert.Equal(1, Ask<MarketDataApplied>(gateway, new ApplyMarketData([trade])).Events);
            Ask<Hean.Core.Execution.MarketQuote>(gateway, new GetQuote(slow.Symbol));
            Assert.True(Ask<PlaceResult>(gateway, new PlaceOrder(other, At(2))).Sent);
            Assert.False(cancelled.IsCompleted, "the cancel was answered before Bybit answered it");
            AwaitAssert(() => Assert.Equal(OrderStatus.PendingCancel, OrderOf(orders, "bb-slowc")?.Status), Patience);

            Assert.True((await cancelled).Sent);
            AwaitAssert(() => Assert.Equal(OrderStatus.Cancelled, OrderOf(orders, "bb-slowc")?.Status), Patience);
            Assert.Equal(59_010m, Fake.Venue.OrderByLinkId("bb-slowc")!.Price); // amended at the venue, then cancelled
            Assert.Equal(1, Fake.RestCalls("/v5/order/cancel"));

            // Sync answers once the cancels sent before it have their answers and the order manager their reports.
            var second = gateway.Ask<CancelResult>(new CancelOrder(other.ClientOrderId, "test", At(3)), Patience);
            SyncWith(gateway);
            Assert.True(second.IsCompletedSuccessfully, "Sync answered before the cancel sent before it");
            Assert.True((await second).Sent);
        }
        finally
        {
            Fake.Faults.DelayPath("/v5/order/cancel", TimeSpan.Zero);
        }
    }

    [Fact]
    public async Task A_cancel_that_wins_goes_through_PendingCancel_to_Cancelled()
    {
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        var gateway = Gateway(orders, portfolio.Ref, null);
        var order = Limit("bb-win", Side.Buy, 0.2m, 59_000m);
        Register(orders, order);
        Assert.True(Ask<PlaceResult>(gateway, new PlaceOrder(order, At(1))).Sent);
        AwaitAssert(() => Assert.Equal(OrderStatus.Accepted, OrderOf(orders, "bb-win")?.Status), Patience);
        // The venue answers slowly: meanwhile the order is PendingCancel in our books.
        Fake.Faults.ResponseDelay = TimeSpan.FromMilliseconds(800);
        var pending = gateway.Ask<CancelResult>(new CancelOrder(Id("bb-win"), "test", At(2)), Patience);
        AwaitAssert(() => Assert.Equal(OrderStatus.PendingCancel, OrderOf(orders, "bb-win")?.Status), Patience);
        Assert.True((await pending).Sent);
        Fake.Faults.ResponseDelay = TimeSpan.Zero;
        AwaitAssert(() => Assert.Equal(OrderStatus.Cancelled, OrderOf(orders, "bb-win")?.Status), Patience);
    }

    [Fact]
    public async Task A_cancel_answered_before_the_fill_push_books_the_fill_first_and_the_order_closes_with_it()
    {
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        var gateway = Gateway(orders, portfolio.Ref, await PrivateStream());
        var order = Limit("bb-part", Side.Sell, 0.2m, 60_050m);
        Register(orders, order);
        Assert.True(Ask<PlaceResult>(gateway, new PlaceOrder(order, At(1))).Sent);
        AwaitAssert(() => Assert.Equal(OrderStatus.Accepted, OrderOf(orders, "bb-part")?.Status), Patience);
        // A print fills 0.05; its execution push is late (Bybit orders neither its topics nor them against REST).
        Fake.Faults.HoldExecutionPushes = true;
        Fake.Venue.PublishTrade("BTCUSDT", 60_060m, 0.05m, Side.Buy);

        Assert.True(Ask<CancelResult>(gateway, new CancelOrder(Id("bb-part"), "test", At(2))).Sent);
        // The cancel's answer never says "cancelled, 0 filled": the fill is in the books when the order is closed.
        var closed = OrderOf(orders, "bb-part")!;
        Assert.Equal(0.05m, closed.FilledQty);
        AwaitAssert(() => Assert.Equal((OrderStatus.Cancelled, 0.05m, false),
            (OrderOf(orders, "bb-part")!.Status, OrderOf(orders, "bb-part")!.FilledQty, OrderOf(orders, "bb-part")!.AwaitingFills)), Patience);
        Assert.Equal(0.05m, portfolio.FishForMessage<PortfolioProtocol.BookFill>(_ => true, Patience).Fill.Qty);

        Fake.Faults.HoldExecutionPushes = false; // the late push is the same execution: dropped as a duplicate
        portfolio.ExpectNoMsg(TimeSpan.FromMilliseconds(400));
        Assert.Equal(0.05m, OrderOf(orders, "bb-part")!.FilledQty);
        Assert.Equal(-0.05m, Fake.Venue.PositionOf("BTCUSDT"));
    }

    [Fact]
    public async Task An_order_closed_by_the_venue_before_its_fill_arrives_awaits_the_fill_then_a_pass_fetches_it_if_the_push_never_comes()
    {
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        var gateway = Gateway(orders, portfolio.Ref, await PrivateStream(TimeSpan.FromMilliseconds(100)));
        // An IOC that takes 1 of the 1.5 offered up to its limit: the venue closes the rest at once.
        var order = new OrderRequest(Id("bb-ioc"), new Symbol("BTCUSDT"), Side.Buy, OrderType.Limit, 1.5m, 60_000.1m, TimeInForce.ImmediateOrCancel);
        Register(orders, order);
        Fake.Faults.HoldExecutionPushes = true;
        Assert.True(Ask<PlaceResult>(gateway, new PlaceOrder(order, At(1))).Sent);

        // The order push (PartiallyFilledCanceled, cumExecQty 1) came; the execution did not: closed, but awaiting 1.
        AwaitAssert(() => Assert.Equal(OrderStatus.Cancelled, OrderOf(orders, "bb-ioc")?.Status), Patience);
        var awaiting = OrderOf(orders, "bb-ioc")!;
        Assert.Equal((0m, (decimal?)1m, true), (awaiting.FilledQty, awaiting.VenueFilledQty, awaiting.AwaitingFills));
        Assert.Equal("bb-ioc", Assert.Single(Ask<OrdersProtocol.OpenOrders>(orders, new OrdersProtocol.GetOrdersAwaitingFills()).Orders).Id.Value);

        // The connection drops with the push still unsent: the pass after the reconnect fetches the execution.
        Fake.Faults.DropWebSocketConnections();
        AwaitAssert(() => Assert.Equal((1m, false), (OrderOf(orders, "bb-ioc")!.FilledQty, OrderOf(orders, "bb-ioc")!.AwaitingFills)), Patience);
        Assert.Equal(1m, portfolio.FishForMessage<PortfolioProtocol.BookFill>(_ => true, Patience).Fill.Qty);
        Assert.Empty(Ask<OrdersProtocol.OpenOrders>(orders, new OrdersProtocol.GetOrdersAwaitingFills()).Orders);
        Fake.Faults.HoldExecutionPushes = false; // released to the dropped connection: nobody hears them
        portfolio.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void Five_unknown_outcomes_open_the_breaker_new_orders_are_refused_and_two_trial_successes_close_it()
    {
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        var breaker = Hean.Actors.Execution.CircuitBreakerSettings.Default with { ResetTimeout = TimeSpan.FromSeconds(1) };
        var gateway = Gateway(orders, portfolio.Ref, null, Quick with { Breaker = breaker });
        Fake.Faults.AcceptThenAbortNext(1_000); // every create is carried out and its answer lost
        for (var i = 1; i <= 5; i++)
        {
            var order = Limit($"bb-cb{i}", Side.Buy, 0.01m, 59_000m);
            Register(orders, order);
            Assert.Contains("outcome unknown", Ask<PlaceResult>(gateway, new PlaceOrder(order, At(i))).Error);
            Assert.Equal((i < 5 ? "closed" : "open", i < 5 ? i : 5), (Ask<CircuitState>(gateway, new GetCircuitState()).State, Ask<CircuitState>(gateway, new GetCircuitState()).Failures));
        }
        Fake.Faults.AcceptThenAbortNext(0);

        // Open: refused at once, never sent, closed in our books as rejected.
        var refused = Limit("bb-cb6", Side.Buy, 0.01m, 59_000m);
        Register(orders, refused);
        var answer = Ask<PlaceResult>(gateway, new PlaceOrder(refused, At(6)));
        Assert.False(answer.Sent);
        Assert.Contains("circuit breaker open", answer.Error);
        AwaitAssert(() => Assert.Equal(OrderStatus.Rejected, OrderOf(orders, "bb-cb6")?.Status), Patience);
        Assert.DoesNotContain(Fake.Venue.Orders, o => o.OrderLinkId == "bb-cb6");

        // After the reset timeout: half open, trial calls go; the second success closes it.
        AwaitAssert(() => Assert.Equal("half_open", Ask<CircuitState>(gateway, new GetCircuitState()).State), Patience);
        foreach (var (id, after) in new[] { ("bb-cb7", "half_open"), ("bb-cb8", "closed") })
        {
            var trial = Limit(id, Side.Buy, 0.01m, 59_000m);
            Register(orders, trial);
            Assert.True(Ask<PlaceResult>(gateway, new PlaceOrder(trial, At(7))).Sent);
            Assert.Equal(after, Ask<CircuitState>(gateway, new GetCircuitState()).State);
        }
        // The five in flight were found at the venue by their targeted queries; each is there once (the client's
        // retries of a lost create were refused by the venue as the same orderLinkId).
        AwaitAssert(() => Assert.All(Enumerable.Range(1, 5), i => Assert.Equal(OrderStatus.Accepted, OrderOf(orders, $"bb-cb{i}")?.Status)), Patience);
        Assert.All(Enumerable.Range(1, 8).Where(i => i != 6), i => Assert.Single(Fake.Venue.Orders, o => o.OrderLinkId == $"bb-cb{i}"));
    }

    [Fact]
    public void A_market_order_whose_create_went_unanswered_is_not_taken_as_never_placed_while_the_order_history_lags()
    {
        // Bybit's order history lags (10 s here), a filled order leaves the open orders at once, and after a venue
        // restart the recent closed orders are not kept either: for 10 s the venue knows the order in no list. Taken
        // as never placed then, the strategy would send it again.
        Fake.Faults.HistoryLag = TimeSpan.FromSeconds(10);
        Fake.Faults.ClosedOrdersOnlyInHistory = true;
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        var settings = Quick with { NotFoundPeriod = TimeSpan.FromSeconds(15) };
        var gateway = Gateway(orders, portfolio.Ref, null, settings); // no stream: only the queries can settle it
        var order = Market("bb-lag", Side.Buy, 0.5m);
        Register(orders, order);
        Fake.Faults.AcceptThenAbortNext(1); // carried out (and filled at once), the answer lost
        var watch = System.Diagnostics.Stopwatch.StartNew();
        Assert.Contains("outcome unknown", Ask<PlaceResult>(gateway, new PlaceOrder(order, DateTime.UtcNow)).Error);

        // In flight the whole time the history lags: never rejected, while the targeted queries keep asking.
        var queries = Fake.RestCalls("/v5/order/history");
        while (watch.Elapsed < TimeSpan.FromSeconds(9))
        {
            Assert.Equal(OrderStatus.Submitted, OrderOf(orders, "bb-lag")?.Status);
            Thread.Sleep(250);
        }
        Assert.True(Fake.RestCalls("/v5/order/history") > queries, "the order was looked up while the history lagged");

        // Once the history has it: filled, the fill booked once, and the venue has the one order.
        AwaitAssert(() => Assert.Equal(OrderStatus.Filled, OrderOf(orders, "bb-lag")?.Status), TimeSpan.FromSeconds(15));
        Assert.Equal(0.5m, portfolio.FishForMessage<PortfolioProtocol.BookFill>(_ => true, Patience).Fill.Qty);
        Assert.Single(Fake.Venue.Orders, o => o.OrderLinkId == "bb-lag");
        Assert.Equal(0.5m, Fake.Venue.PositionOf("BTCUSDT"));
        SyncWith(gateway);
    }

    [Fact]
    public void A_failed_real_time_query_is_no_answer_an_open_order_is_not_taken_as_missing_because_the_history_does_not_list_it_yet()
    {
        Fake.Faults.HistoryLag = TimeSpan.FromMinutes(5);
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        var gateway = Gateway(orders, portfolio.Ref, null, Quick with { NotFoundPeriod = TimeSpan.FromSeconds(1) });
        var order = Limit("bb-open", Side.Buy, 0.01m, 59_000m);
        Register(orders, order);
        Fake.Faults.AcceptThenAbortNext(1); // rests at the venue, the answer lost
        Ask<PlaceResult>(gateway, new PlaceOrder(order, DateTime.UtcNow));
        // Every real-time query is refused (10006) for a while: the history alone does not list it, so nothing is concluded.
        Fake.Faults.RefuseNext("/v5/order/realtime", 1_000);
        Thread.Sleep(2_500);
        Assert.NotEqual(OrderStatus.Rejected, OrderOf(orders, "bb-open")?.Status);
        Fake.Faults.RefuseNext("/v5/order/realtime", 0);
        AwaitAssert(() => Assert.Equal(OrderStatus.Accepted, OrderOf(orders, "bb-open")?.Status), Patience);
        Assert.Single(Fake.Venue.Orders, o => o.OrderLinkId == "bb-open");
    }

    [Fact]
    public void A_fill_for_an_order_taken_as_never_placed_revives_it_and_positions_keep_agreeing()
    {
        // A period shorter than the lag: the order is wrongly closed as never placed; its fill, found by the next
        // pass's execution catch-up, revives it instead of being dropped.
        Fake.Faults.HistoryLag = TimeSpan.FromSeconds(30);
        Fake.Faults.ClosedOrdersOnlyInHistory = true;
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        var gateway = Gateway(orders, portfolio.Ref, null, Quick with { NotFoundPeriod = TimeSpan.FromSeconds(1), ReconcileEvery = TimeSpan.FromSeconds(2) });
        var order = Market("bb-revive", Side.Buy, 0.5m);
        Register(orders, order);
        Fake.Faults.AcceptThenAbortNext(1);
        Ask<PlaceResult>(gateway, new PlaceOrder(order, DateTime.UtcNow));
        AwaitAssert(() => Assert.Equal(OrderStatus.Rejected, OrderOf(orders, "bb-revive")?.Status), Patience);

        // The next periodic pass catches up on executions.
        AwaitAssert(() => Assert.Equal(OrderStatus.Filled, OrderOf(orders, "bb-revive")?.Status), Patience);
        var revived = OrderOf(orders, "bb-revive")!;
        Assert.Equal(0.5m, revived.FilledQty);
        Assert.Contains("closed as rejected", revived.Reason);
        Assert.Equal(0.5m, portfolio.FishForMessage<PortfolioProtocol.BookFill>(_ => true, Patience).Fill.Qty);
    }

    [Fact]
    public void During_an_ip_ban_no_request_is_sent_the_breaker_opens_health_says_why_and_reconciliation_resumes_after()
    {
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        // Reconciliation every 250 ms: it would poll right through the ban.
        var settings = Quick with { ReconcileEvery = TimeSpan.FromMilliseconds(250) };
        var gateway = Sys.ActorOf(Props.Create(() => new BybitGateway(Rest(TimeSpan.FromSeconds(3)), null, orders, portfolio.Ref, HeanTimeouts.Default, settings)));
        SyncWith(gateway);

        Fake.Faults.BanIp(TimeSpan.FromSeconds(2.5));
        var order = Limit("bb-ban", Side.Buy, 0.01m, 59_000m);
        Register(orders, order);
        var placed = Ask<PlaceResult>(gateway, new PlaceOrder(order, At(1)));
        Assert.False(placed.Sent);
        AwaitAssert(() => Assert.Equal(OrderStatus.Rejected, OrderOf(orders, "bb-ban")?.Status), Patience); // refused, not processed
        var state = Ask<CircuitState>(gateway, new GetCircuitState());
        Assert.Equal("open", state.State);
        Assert.Contains("banned", state.Problem);

        // Three seconds of periodic passes and a second order: not one request reaches the venue.
        var second = Limit("bb-ban-2", Side.Buy, 0.01m, 59_000m);
        Register(orders, second);
        Assert.False(Ask<PlaceResult>(gateway, new PlaceOrder(second, At(2))).Sent);
        Thread.Sleep(2_000);
        Assert.Equal(1, Fake.Faults.RequestsDuringBan);

        // The pause over: reconciliation talks to the venue again, and the breaker lets trial calls through.
        var before = Fake.RestCalls("/v5/execution/list");
        AwaitAssert(() => Assert.True(Fake.RestCalls("/v5/execution/list") > before), TimeSpan.FromSeconds(10));
        AwaitAssert(() => Assert.Null(Ask<CircuitState>(gateway, new GetCircuitState()).Problem), Patience);
        Assert.Equal(1, Fake.Faults.RequestsDuringBan);
    }

    [Fact]
    public async Task Fills_of_an_order_resting_for_8_days_are_all_recovered_old_and_new()
    {
        // A buy has rested at the venue for 8 days (fake time) with one fill then; another came just now, its push lost.
        // (Alone at its price: no queue ahead of it.)
        Fake.Venue.PublishBook("BTCUSDT", [(59_999.9m, 2m)], [(60_000.1m, 1m)]);
        using (var rest = Rest())
            Assert.True((await rest.PlaceOrderAsync(Limit("bb-old", Side.Buy, 0.02m, 60_000.0m))).IsOk);
        Fake.Venue.PublishTrade("BTCUSDT", 60_000.0m, 0.01m, Side.Sell);
        Fake.Venue.Backdate("bb-old", TimeSpan.FromDays(8));
        Fake.Venue.PublishTrade("BTCUSDT", 60_000.0m, 0.005m, Side.Sell);

        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        var order = Limit("bb-old", Side.Buy, 0.02m, 60_000.0m);
        orders.Tell(new OrdersProtocol.RegisterOrder(new OrderCreated(order, DateTime.UtcNow.AddDays(-8), "test", 60_000m)), TestActor);
        ExpectMsg<OrdersProtocol.OrderRegistered>(Patience);
        Ask<Synced>(orders, new OrdersProtocol.MarkSubmitted(order.ClientOrderId, order.Symbol, DateTime.UtcNow.AddDays(-8)));

        // The start-up catch-up reaches from the order's creation to now, in 7-day windows.
        Gateway(orders, portfolio.Ref, null);
        AwaitAssert(() => Assert.Equal(0.015m, OrderOf(orders, "bb-old")?.FilledQty), Patience);
        var booked = new[] { portfolio.FishForMessage<PortfolioProtocol.BookFill>(_ => true, Patience), portfolio.FishForMessage<PortfolioProtocol.BookFill>(_ => true, Patience) };
        Assert.Equal([0.01m, 0.005m], booked.Select(b => b.Fill.Qty).Order().Reverse());
        Assert.Equal(OrderStatus.PartiallyFilled, OrderOf(orders, "bb-old")!.Status);
    }

    [Fact]
    public async Task Every_page_of_the_venues_open_orders_is_read_25_placed_by_hand_are_all_adopted()
    {
        using (var rest = Rest())
            for (var i = 0; i < 25; i++)
                Assert.True((await rest.PlaceOrderAsync(Limit($"hand-{i:00}", Side.Buy, 0.001m, 59_000m - i))).IsOk);
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        Gateway(orders, portfolio.Ref, null);
        // The venue answers 20 a page by default and 50 at most: all 25 need the cursor or a second page.
        AwaitAssert(() => Assert.Equal(25, Ask<OrdersProtocol.OpenOrders>(orders, new OrdersProtocol.GetOpenOrders()).Orders.Count), Patience);
    }

    [Fact]
    public async Task A_private_stream_refused_on_reconnect_makes_the_gateway_unhealthy_and_refuse_new_exposure()
    {
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        var gateway = Gateway(orders, portfolio.Ref, await PrivateStream(TimeSpan.FromMilliseconds(100)));
        Assert.Null(Ask<CircuitState>(gateway, new GetCircuitState()).Problem);

        // The key is revoked while we run: the reconnect's auth is refused.
        Fake.Faults.RejectSignatures = true;
        Fake.Faults.DropWebSocketConnections();
        AwaitAssert(() => Assert.Contains("private stream stopped", Ask<CircuitState>(gateway, new GetCircuitState()).Problem), Patience);

        var order = Limit("bb-nostream", Side.Buy, 0.01m, 59_000m);
        Register(orders, order);
        var placed = Ask<PlaceResult>(gateway, new PlaceOrder(order, At(1)));
        Assert.False(placed.Sent);
        Assert.Contains("private stream stopped", placed.Error);
        Assert.DoesNotContain(Fake.Venue.Orders, o => o.OrderLinkId == "bb-nostream");
    }

    [Fact]
    public async Task Auto_deleveraging_liquidation_and_funding_are_booked_once_so_positions_and_cash_keep_agreeing_with_the_venue()
    {
        var portfolio = Portfolio();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio, 200)));
        var gateway = Gateway(orders, portfolio, await PrivateStream(),
            Quick with { CheckPositions = true, ReconcileEvery = TimeSpan.FromMilliseconds(500) });
        var order = Market("bb-long", Side.Buy, 0.5m);
        Register(orders, order);
        Assert.True(Ask<PlaceResult>(gateway, new PlaceOrder(order, At(1))).Sent);
        AwaitAssert(() => Assert.Equal(0.5m, Ask<PortfolioProtocol.PortfolioView>(portfolio, new PortfolioProtocol.GetPortfolio()).State.PositionOf(Btc).Qty), Patience);

        // The venue closes 0.2 by auto-deleveraging and 0.1 by a liquidation; then a funding settlement of what is left.
        var adl = "adl-" + Fake.Venue.CloseByVenue("BTCUSDT", 0.2m, 59_000m, liquidation: false).Replace("-", "")[..32];
        var liquidation = "liq-" + Fake.Venue.CloseByVenue("BTCUSDT", 0.1m, 58_000m, liquidation: true).Replace("-", "")[..32];
        var paid = Fake.Venue.SettleFunding("BTCUSDT", 0.0001m);
        Assert.True(paid > 0);

        PortfolioState State() => Ask<PortfolioProtocol.PortfolioView>(portfolio, new PortfolioProtocol.GetPortfolio()).State;
        AwaitAssert(() => Assert.Equal((0.2m, paid), (State().PositionOf(Btc).Qty, State().Funding)), Patience);
        Assert.Equal(Fake.Venue.PositionOf("BTCUSDT"), State().PositionOf(Btc).Qty);
        Assert.Equal((OrderStatus.Filled, "venue:auto-deleveraging", 0.2m), (OrderOf(orders, adl)?.Status, OrderOf(orders, adl)?.Origin, OrderOf(orders, adl)?.FilledQty));
        Assert.Equal((OrderStatus.Filled, "venue:liquidation"), (OrderOf(orders, liquidation)?.Status, OrderOf(orders, liquidation)?.Origin));
        Assert.True(OrderOf(orders, liquidation)!.Fees > 0, "the liquidation fee is booked");

        // Several reconciliation passes later (each reads the executions again): booked once, nothing disagrees.
        Thread.Sleep(1_500);
        Assert.Equal((0.2m, paid), (State().PositionOf(Btc).Qty, State().Funding));
        Assert.Null(Ask<CircuitState>(gateway, new GetCircuitState()).Problem);
        using var rest = Rest();
        var wallet = (await rest.GetWalletBalanceAsync()).GetValueOrThrow();
        Assert.Equal(wallet.TotalWalletBalance!.Value, State().Cash); // cash = the venue's wallet balance: fees, liquidation fee and funding included
    }
}
