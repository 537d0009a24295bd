using System.Diagnostics;
using System.Globalization;
using Akka.Actor;
using Hean.Actors.Common;
using Hean.Actors.Orders;
using Hean.Actors.Persistence;
using Hean.Bybit.Rest;
using Hean.Bybit.Rest.Models;
using Hean.Bybit.WebSocket;
using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Core.Orders;
using Hean.FakeBybit;
using Hean.Venues.Bybit;
using Xunit;
using static Hean.Actors.Execution.ExecutionProtocol;
using static Hean.Actors.Tests.Fixtures;

namespace Hean.Actors.Tests;

/// <summary>
/// The Bybit gateway's reconciliation off its mailbox, its resumption after a restart and its batched cancel-all, with the
/// real order manager against the fake Bybit on loopback.
/// </summary>
public sealed class BybitReconcilerTests : FakeBybitActorTest
{
    private const string Executions = "/v5/execution/list";
    // The slow-fetch test stalls the execution list for 8 s: one call may take that long.
    protected override TimeSpan RequestTimeout => TimeSpan.FromSeconds(10);

    private Task<BybitPrivateStream> PrivateStream() => PrivateStream(TimeSpan.FromMilliseconds(100));

    private long CatchUps(IActorRef gateway) => Ask<ReconciliationState>(gateway, new GetReconciliationState()).CatchUps;

    [Fact]
    public async Task Market_data_and_an_order_are_handled_while_a_slow_reconciliation_fetch_is_in_flight_and_the_order_is_neither_unknown_nor_missing()
    {
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        var gateway = Gateway(orders, portfolio.Ref, await PrivateStream());
        var passesBefore = CatchUps(gateway);

        // The venue's execution list now takes 8 s; the private stream drops and reconnects, which starts a pass.
        var calls = Fake.RestCalls(Executions);
        Fake.Faults.DelayPath(Executions, TimeSpan.FromSeconds(8));
        Fake.Faults.DropWebSocketConnections();
        AwaitCondition(() => Fake.RestCalls(Executions) > calls, Patience);
        var stuck = Stopwatch.StartNew();

        // Meanwhile the gateway takes market data and places an order: the pass blocks neither.
        var trade = new Trade(new Symbol("BTCUSDT"), At(1), 60_000.1m, 0.01m, Side.Buy, 1);
        Assert.Equal(1, Ask<MarketDataApplied>(gateway, new ApplyMarketData([trade])).Events);
        var order = Limit("bb-during", Side.Buy, 0.01m, 59_000m);
        Register(orders, order);
        Assert.True(Ask<PlaceResult>(gateway, new PlaceOrder(order, At(1))).Sent);
        Assert.Equal(60_000.1m, Ask<Hean.Core.Execution.MarketQuote>(gateway, new GetQuote(new Symbol("BTCUSDT"))).Last);
        Assert.True(stuck.Elapsed < TimeSpan.FromSeconds(6), $"the gateway answered only after {stuck.Elapsed}: the fetch blocked it");
        Assert.Equal(passesBefore, CatchUps(gateway)); // the slow pass has not been applied yet

        // The pass ends: the order placed while it was fetched is ours (not adopted as unknown) and open (not missing).
        Fake.Faults.DelayPath(Executions, TimeSpan.Zero);
        AwaitAssert(() => Assert.True(CatchUps(gateway) >= passesBefore + 1), Patience);
        var state = OrderOf(orders, "bb-during")!;
        Assert.Equal((OrderStatus.Accepted, "test"), (state.Status, state.Origin));
        Assert.Single(Fake.Venue.Orders, o => o.OrderLinkId == "bb-during");
    }

    [Fact]
    public async Task After_a_restart_the_execution_catch_up_starts_from_the_last_fill_in_our_books_not_from_the_oldest_open_order()
    {
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        // A buy has rested for two days, far below the market.
        var resting = Limit("bb-resting", Side.Buy, 0.01m, 59_000m);
        orders.Tell(new OrdersProtocol.RegisterOrder(new OrderCreated(resting, DateTime.UtcNow.AddDays(-2), "test", 60_000m)), TestActor);
        ExpectMsg<OrdersProtocol.OrderRegistered>(Patience);
        Ask<Synced>(orders, new OrdersProtocol.MarkSubmitted(resting.ClientOrderId, resting.Symbol, DateTime.UtcNow.AddDays(-2)));
        using (var rest = Rest()) Assert.True((await rest.PlaceOrderAsync(resting)).IsOk);

        // A market order fills now.
        var gateway = Gateway(orders, portfolio.Ref, await PrivateStream());
        var market = Market("bb-filled", Side.Buy, 0.1m);
        Register(orders, market);
        Assert.True(Ask<PlaceResult>(gateway, new PlaceOrder(market, At(1))).Sent);
        AwaitAssert(() => Assert.Equal(OrderStatus.Filled, OrderOf(orders, "bb-filled")?.Status), Patience);
        var lastFill = Ask<OrdersProtocol.LastFill>(orders, new OrdersProtocol.GetLastFill()).Time!.Value;

        // The process dies: gateway and order manager stop; the order manager recovers from its journal.
        Watch(gateway);
        Sys.Stop(gateway);
        ExpectTerminated(gateway, Patience);
        Watch(orders);
        Sys.Stop(orders);
        ExpectTerminated(orders, Patience);
        var recovered = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        Assert.Equal(lastFill, Ask<OrdersProtocol.LastFill>(recovered, new OrdersProtocol.GetLastFill()).Time);

        var before = Fake.RestQueries(Executions).Count;
        var restarted = Gateway(recovered, portfolio.Ref, null);
        var first = Fake.RestQueries(Executions).Skip(before).First(q => q.Contains("startTime=", StringComparison.Ordinal));
        var startMs = long.Parse(first.Split('&').Single(p => p.StartsWith("startTime=", StringComparison.Ordinal))["startTime=".Length..], CultureInfo.InvariantCulture);
        var start = DateTime.UnixEpoch.AddMilliseconds(startMs);
        // From the last fill minus the 5 s margin (not two days back, where the resting order was created).
        Assert.InRange(start, lastFill - TimeSpan.FromSeconds(6), lastFill);
        Assert.Equal(lastFill, Ask<ReconciliationState>(restarted, new GetReconciliationState()).LastExecutionTime);
        Assert.Equal(OrderStatus.Accepted, OrderOf(recovered, "bb-resting")?.Status);
    }

    [Fact]
    public void A_cancel_all_over_45_open_orders_runs_in_batches_and_sends_again_only_the_orders_whose_cancel_failed()
    {
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        var gateway = Gateway(orders, portfolio.Ref, null);
        var ids = Enumerable.Range(0, 45).Select(i => $"ks-{i:00}").ToList();
        for (var i = 0; i < ids.Count; i++)
        {
            var order = Limit(ids[i], Side.Buy, 0.001m, 59_000m - i);
            Register(orders, order);
            Assert.True(Ask<PlaceResult>(gateway, new PlaceOrder(order, At(1))).Sent);
        }
        Assert.Equal(45, Fake.Venue.Orders.Count(o => !o.Status.IsTerminal()));

        // Three orders of the first batch come back "service busy" (10016): their outcome is unknown, the rest are cancelled.
        Fake.Faults.FailNextCancelItems(3);
        var result = Ask<CancelAllResult>(gateway, new CancelAllOrders(null, "kill switch"));

        Assert.Equal((45, (string?)null), (result.Cancelled, result.Error));
        // 20 + 20 + 5, then one more request with only the three that failed.
        Assert.Equal(4, Fake.RestCalls("/v5/order/cancel-batch"));
        Assert.Equal(48, Fake.Venue.CancelBatchItems);
        Assert.Equal(3, ids.Count(id => Fake.Venue.CancelBatchItemsFor(id) == 2));
        Assert.All(ids, id => Assert.InRange(Fake.Venue.CancelBatchItemsFor(id), 1, 2));
        Assert.DoesNotContain(Fake.Venue.Orders, o => !o.Status.IsTerminal());
        AwaitAssert(() => Assert.All(ids, id => Assert.Equal(OrderStatus.Cancelled, OrderOf(orders, id)?.Status)), Patience);
    }

    [Fact]
    public void A_cancel_all_whose_orders_stay_unknown_says_which()
    {
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        var gateway = Gateway(orders, portfolio.Ref, null);
        var order = Limit("ks-stuck", Side.Buy, 0.001m, 59_000m);
        Register(orders, order);
        Assert.True(Ask<PlaceResult>(gateway, new PlaceOrder(order, At(1))).Sent);

        // Every attempt of the venue client (3) comes back busy.
        Fake.Faults.FailNextCancelItems(3);
        var result = Ask<CancelAllResult>(gateway, new CancelAllOrders(null, "kill switch"));

        Assert.Equal(0, result.Cancelled);
        Assert.Contains("ks-stuck", result.Error);
        Assert.Equal(3, Fake.Venue.CancelBatchItemsFor("ks-stuck"));
        Assert.Equal(OrderStatus.Accepted, OrderOf(orders, "ks-stuck")?.Status);
    }
}
