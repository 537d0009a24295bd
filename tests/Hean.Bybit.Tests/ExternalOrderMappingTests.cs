using Hean.Bybit.Mapping;
using Hean.Bybit.Rest.Models;
using Hean.Core.Domain;
using Hean.Core.Orders;
using Xunit;

namespace Hean.Bybit.Tests;

/// <summary>Which venue orders reconciliation can adopt as external, and on what terms.</summary>
public sealed class ExternalOrderMappingTests
{
    private static readonly DateTime Created = new(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    private static BybitOrder Order(string linkId = "hand-1", string symbol = "BTCUSDT", string type = "Limit", decimal? price = 59_990m,
        string tif = "GTC", BybitOrderStatus status = BybitOrderStatus.New, decimal qty = 0.2m, bool reduceOnly = false) =>
        new("linear", symbol, "venue-1", linkId, Side.Sell, type, price, qty, status, tif, qty, 0m, 0m, 0m, null, reduceOnly, "", "", Created, Created);

    [Fact]
    public void A_resting_limit_with_an_order_link_id_is_adopted_on_the_venue_terms()
    {
        var created = Order(tif: "PostOnly", reduceOnly: true).ToExternalOrder()!;
        Assert.Equal("external", created.Origin);
        Assert.Equal(Created, created.Time);
        Assert.Null(created.ArrivalPrice);
        Assert.Equal(new OrderRequest(new ClientOrderId("hand-1"), new Symbol("BTCUSDT"), Side.Sell, OrderType.Limit, 0.2m, 59_990m,
            TimeInForce.PostOnly, ReduceOnly: true), created.Request);
        Assert.Equal(TimeInForce.ImmediateOrCancel, Order(tif: "IOC").ToExternalOrder()!.Request.TimeInForce);
        var market = Order(type: "Market", price: 0m).ToExternalOrder()!.Request;
        Assert.Equal((OrderType.Market, (decimal?)null), (market.Type, market.Price));
    }

    [Theory]
    [InlineData("has space", "BTCUSDT", BybitOrderStatus.New)]       // not a client order id
    [InlineData("hand-2", "BTC/USDT", BybitOrderStatus.New)]         // not a symbol the core can name
    [InlineData("hand-3", "BTCUSDT", BybitOrderStatus.Filled)]       // not open
    [InlineData("hand-4", "BTCUSDT", BybitOrderStatus.Cancelled)]
    public void Orders_we_cannot_track_are_not_adopted(string linkId, string symbol, BybitOrderStatus status) =>
        Assert.Null(Order(linkId, symbol, status: status).ToExternalOrder());

    [Fact]
    public void An_order_placed_in_the_web_UI_without_an_orderLinkId_is_adopted_under_ext_and_its_venue_id_and_so_are_its_reports()
    {
        var venueId = "fd4300ae-7847-404e-b947-b46980a4d140"; // a linear orderId: a UUID
        var order = Order(linkId: "") with { OrderId = venueId };
        var created = order.ToExternalOrder()!;
        Assert.Equal("ext-fd4300ae7847404eb947b46980a4d140", created.Request.ClientOrderId.Value);
        Assert.Equal(36, created.Request.ClientOrderId.Value.Length);
        Assert.True(BybitCoreMapping.IsVenueNamed(created.Request.ClientOrderId));
        Assert.Equal(created.Request.ClientOrderId, order.ToReport()!.ClientOrderId); // its state pushes find it
        Assert.Equal(created.Request.ClientOrderId, order.ClientOrderIdOf());
        Assert.False(BybitCoreMapping.IsVenueNamed(Order().ToExternalOrder()!.Request.ClientOrderId));
        Assert.Null((order with { OrderId = "" }).ToExternalOrder()); // nothing to name it by
    }
}
