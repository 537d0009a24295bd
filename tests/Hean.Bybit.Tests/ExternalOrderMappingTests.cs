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
    [InlineData("", "BTCUSDT", BybitOrderStatus.New)]                // placed in the web UI: no orderLinkId to track it by
    [InlineData("has space", "BTCUSDT", BybitOrderStatus.New)]       // not a client order id
    [InlineData("hand-2", "BTC/USDT", BybitOrderStatus.New)]         // not a symbol the core can name
    [InlineData("hand-3", "BTCUSDT", BybitOrderStatus.Filled)]       // not open
    [InlineData("hand-4", "BTCUSDT", BybitOrderStatus.Cancelled)]
    public void Orders_we_cannot_track_are_not_adopted(string linkId, string symbol, BybitOrderStatus status) =>
        Assert.Null(Order(linkId, symbol, status: status).ToExternalOrder());
}
