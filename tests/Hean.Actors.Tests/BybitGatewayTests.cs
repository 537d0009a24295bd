using Akka.Actor;
using Akka.TestKit;
using Hean.Actors.Common;
using Hean.Actors.Orders;
using Hean.Actors.Persistence;
using Hean.Actors.Portfolio;
using Hean.Actors.Venues;
using Hean.Bybit.Rest;
using Hean.Bybit.WebSocket;
using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.FakeBybit;
using Xunit;
using static Hean.Actors.Execution.ExecutionProtocol;
using static Hean.Actors.Tests.Fixtures;

namespace Hean.Actors.Tests;

/// <summary>The Bybit gateway with the real order manager against the project's fake Bybit on loopback.</summary>
public sealed class BybitGatewayTests() : HeanActorTest(PersistenceBackend.Sqlite), IAsyncLifetime
{
    private FakeBybitServer _fake = null!;
    private readonly List<IAsyncDisposable> _streams = new();

    public async Task InitializeAsync()
    {
        _fake = await FakeBybitServer.StartAsync();
        _fake.Venue.PublishBook("BTCUSDT", [(60_000.0m, 1m), (59_999.9m, 2m)], [(60_000.1m, 1m), (60_000.2m, 2m)]);
    }

    public async Task DisposeAsync()
    {
        foreach (var s in _streams) await s.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private BybitRestClient Rest() => new(new BybitRestOptions
    {
        BaseUrl = _fake.RestUrl,
        Credentials = _fake.Credentials,
        RequestTimeout = TimeSpan.FromSeconds(3),
        Retry = new RetryPolicy(3, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200)),
    });

    private async Task<BybitPrivateStream> PrivateStream()
    {
        var stream = new BybitPrivateStream(new BybitStreamOptions(_fake.PrivateWsUrl), _fake.Credentials);
        _streams.Add(stream);
        stream.Start();
        using var cts = new CancellationTokenSource(Patience);
        await stream.WaitUntilReadyAsync(cts.Token);
        return stream;
    }

    /// <summary>A gateway that has finished its start-up reconciliation (it answers Sync only then).</summary>
    private IActorRef Gateway(IActorRef orders, IActorRef portfolio, BybitPrivateStream? stream)
    {
        var gateway = Sys.ActorOf(Props.Create(() => new BybitGateway(Rest(), stream, orders, portfolio, HeanTimeouts.Default)));
        SyncWith(gateway);
        return gateway;
    }

    private OrderState? OrderOf(IActorRef orders, string id) => Ask<OrdersProtocol.OrderView>(orders, new OrdersProtocol.GetOrder(Id(id))).Order;

    private void Register(IActorRef orders, OrderRequest order)
    {
        orders.Tell(new OrdersProtocol.RegisterOrder(Created(order)), TestActor);
        ExpectMsg<OrdersProtocol.OrderRegistered>(Patience);
    }

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
        Assert.Equal(0.5m, _fake.Venue.PositionOf("BTCUSDT"));
        Assert.Single(_fake.Venue.Orders, o => o.OrderLinkId == "bb-1");
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
        // Two orders were registered and marked Submitted, then the process died: one reached Bybit, one did not.
        var reached = Limit("bb-reached", Side.Buy, 0.01m, 59_000m);
        var lost = Limit("bb-lost", Side.Buy, 0.01m, 59_000m);
        foreach (var o in new[] { reached, lost })
        {
            Register(orders, o);
            Ask<Synced>(orders, new OrdersProtocol.MarkSubmitted(o.ClientOrderId, At(1)));
        }
        using (var rest = Rest()) Assert.True((await rest.PlaceOrderAsync(reached)).IsOk);

        Gateway(orders, portfolio.Ref, null); // reconciles before anything else
        AwaitAssert(() =>
        {
            Assert.Equal(OrderStatus.Accepted, OrderOf(orders, "bb-reached")?.Status);
            Assert.Equal(OrderStatus.Rejected, OrderOf(orders, "bb-lost")?.Status);
        }, Patience);
        Assert.Single(_fake.Venue.Orders, o => o.OrderLinkId == "bb-reached"); // nothing placed twice
        Assert.DoesNotContain(_fake.Venue.Orders, o => o.OrderLinkId == "bb-lost");
    }
}
