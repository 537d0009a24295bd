using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.MarketData;
using Hean.Core.Orders;

namespace Hean.Actors.Tests;

/// <summary>Small builders for the domain values the actor tests send around.</summary>
internal static class Fixtures
{
    public static readonly Symbol Btc = new("BTCUSDT");
    public static readonly Symbol Eth = new("ETHUSDT");
    public static readonly DateTime T0 = new(2024, 3, 1, 12, 0, 0, DateTimeKind.Utc);

    public static DateTime At(int seconds) => T0.AddSeconds(seconds);

    public static ClientOrderId Id(string id) => new(id);

    public static OrderRequest Limit(string id, Side side, decimal qty, decimal price, Symbol? symbol = null) =>
        new(Id(id), symbol ?? Btc, side, OrderType.Limit, qty, price);

    public static OrderRequest Market(string id, Side side, decimal qty, Symbol? symbol = null) =>
        new(Id(id), symbol ?? Btc, side, OrderType.Market, qty, null, TimeInForce.ImmediateOrCancel);

    public static OrderCreated Created(OrderRequest request, int atSeconds = 0, decimal? arrival = 50_000m) =>
        new(request, At(atSeconds), "test", arrival);

    public static Fill Fill(string orderId, string tradeId, Side side, decimal price, decimal qty, decimal fee = 0m,
        int atSeconds = 1, Symbol? symbol = null, Liquidity liquidity = Liquidity.Taker) =>
        new(Id(orderId), symbol ?? Btc, side, tradeId, price, qty, fee, liquidity, At(atSeconds));

    public static OrderAcceptedReport Accepted(string orderId, int atSeconds = 1) =>
        new(Id(orderId), Btc, At(atSeconds), "venue-" + orderId);

    public static OrderFilledReport Filled(Fill fill, decimal leaves) =>
        new(fill.ClientOrderId, fill.Symbol, fill.Time, fill, leaves);

    public static OrderCancelledReport Cancelled(string orderId, string reason, int atSeconds = 2) =>
        new(Id(orderId), Btc, At(atSeconds), reason);

    public static BookUpdate Book(long sequence, DateTime time, BookLevel[] bids, BookLevel[] asks, Symbol? symbol = null) =>
        new(symbol ?? Btc, time, sequence, 0, true, bids, asks);

    public static BookLevel L(decimal price, decimal qty) => new(price, qty);
}
