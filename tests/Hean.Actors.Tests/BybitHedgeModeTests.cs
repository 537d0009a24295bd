using Akka.Actor;
using Hean.Actors.Common;
using Hean.Actors.Orders;
using Hean.Actors.Persistence;
using Hean.Venues.Bybit;
using Hean.Bybit.Rest;
using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.FakeBybit;
using Xunit;
using static Hean.Actors.Execution.ExecutionProtocol;
using static Hean.Actors.Tests.Fixtures;

namespace Hean.Actors.Tests;

/// <summary>The Bybit gateway against a fake whose BTCUSDT is in hedge mode: every order must name its leg.</summary>
public sealed class BybitHedgeModeTests() : HeanActorTest(PersistenceBackend.Sqlite), IAsyncLifetime
{
    private FakeBybitServer _fake = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeBybitServer.StartAsync(new FakeBybitOptions { HedgeModeSymbols = new HashSet<string> { "BTCUSDT" } });
        _fake.Venue.PublishBook("BTCUSDT", [(60_000.0m, 5m), (59_999.9m, 5m)], [(60_000.1m, 5m), (60_000.2m, 5m)]);
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    private OrderState? OrderOf(IActorRef orders, string id) => Ask<OrdersProtocol.OrderView>(orders, new OrdersProtocol.GetOrder(Id(id))).Order;

    [Fact]
    public async Task In_hedge_mode_orders_name_their_leg_a_sell_closes_the_long_leg_and_a_larger_one_opens_the_short_leg()
    {
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        var rest = new BybitRestClient(new BybitRestOptions { BaseUrl = _fake.RestUrl, Credentials = _fake.Credentials });
        var settings = new BybitGatewaySettings(TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5), CheckPositions: false);
        var gateway = Sys.ActorOf(Props.Create(() => new BybitGateway(rest, null, orders, portfolio.Ref, HeanTimeouts.Default, settings, null)));
        SyncWith(gateway);
        var rows = await rest.GetPositionsAsync("BTCUSDT");
        Assert.True(rows.IsOk, rows.ToString());
        Assert.Equal([1, 2], rows.Value!.List.Select(r => r.PositionIdx));

        void Trade(string id, Side side, decimal qty)
        {
            var order = Market(id, side, qty);
            orders.Tell(new OrdersProtocol.RegisterOrder(Created(order)), TestActor);
            ExpectMsg<OrdersProtocol.OrderRegistered>(Patience);
            var placed = Ask<PlaceResult>(gateway, new PlaceOrder(order, At(1)));
            Assert.True(placed.Sent, placed.Error);
            AwaitAssert(() => Assert.Equal(OrderStatus.Filled, OrderOf(orders, id)?.Status), Patience);
        }

        // Without a positionIdx the venue refuses every order of a hedge-mode symbol; the gateway read the mode first.
        Trade("hedge-1", Side.Buy, 0.5m);
        Assert.Equal((0.5m, 0m), (_fake.Venue.LegOf("BTCUSDT", 1), _fake.Venue.LegOf("BTCUSDT", 2)));
        Assert.Equal(1, _fake.Venue.Orders.Single(o => o.OrderLinkId == "hedge-1").PositionIdx);

        // A sell the long leg covers closes it, rather than opening a short beside it.
        Trade("hedge-2", Side.Sell, 0.2m);
        Assert.Equal((0.3m, 0m), (_fake.Venue.LegOf("BTCUSDT", 1), _fake.Venue.LegOf("BTCUSDT", 2)));
        Assert.Equal(1, _fake.Venue.Orders.Single(o => o.OrderLinkId == "hedge-2").PositionIdx);

        // A sell larger than the long leg opens the short leg; the net position is what our books hold.
        Trade("hedge-3", Side.Sell, 0.4m);
        Assert.Equal((0.3m, -0.4m), (_fake.Venue.LegOf("BTCUSDT", 1), _fake.Venue.LegOf("BTCUSDT", 2)));
        Assert.Equal(2, _fake.Venue.Orders.Single(o => o.OrderLinkId == "hedge-3").PositionIdx);
        Assert.Equal(-0.1m, _fake.Venue.PositionOf("BTCUSDT"));
    }
}
