using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.Orders;

namespace Hean.Core.Tests.Orders;

/// <summary>One limit buy of 1.000 BTC at 50000.0 and the events and reports that move it.</summary>
internal static class OrderFixture
{
    public static readonly Symbol Btc = new("BTCUSDT");
    public static readonly ClientOrderId Id = new("o-1");
    public static readonly DateTime T0 = new(2024, 1, 2, 10, 0, 0, DateTimeKind.Utc);
    public const decimal Qty = 1.000m;

    public static readonly OrderStatus[] AllStatuses = Enum.GetValues<OrderStatus>();

    public static DateTime At(int seconds) => T0.AddSeconds(seconds);

    public static OrderRequest Request(decimal qty = Qty) =>
        new(Id, Btc, Side.Buy, OrderType.Limit, qty, 50_000.0m);

    public static OrderState New(decimal qty = Qty) =>
        OrderState.Create(new OrderCreated(Request(qty), T0, "test", 49_999.95m));

    public static Fill Fill(string tradeId, decimal qty, decimal price = 50_000.0m, decimal fee = 0m, int second = 5) =>
        new(Id, Btc, Side.Buy, tradeId, price, qty, fee, Liquidity.Maker, At(second));

    public static OrderSubmitted Submitted(int s = 1) => new(Id, At(s));
    public static OrderAccepted Accepted(int s = 2, string venueId = "v-1") => new(Id, At(s), venueId);
    public static OrderRejected Rejected(int s = 3, string reason = "insufficient margin") => new(Id, At(s), reason);
    public static OrderFilled Filled(string tradeId, decimal qty, decimal price = 50_000.0m, decimal fee = 0m, int second = 5) =>
        new(Fill(tradeId, qty, price, fee, second));
    public static OrderAmendRequested AmendRequested(int s = 4, decimal? qty = null, decimal? price = 49_100m) => new(Id, At(s), qty, price);
    public static OrderCancelRequested CancelRequested(int s = 4, string reason = "signal flat") => new(Id, At(s), reason);
    public static OrderCancelled Cancelled(int s = 6, string reason = "user cancel") => new(Id, At(s), reason);

    /// <summary>
    /// An order in the given status, reached through legal events only. PartiallyFilled has 0.300
    /// of 1.000 filled (trade "t-part"); Filled has all of it (trade "t-all").
    /// </summary>
    public static OrderState InStatus(OrderStatus status) => status switch
    {
        OrderStatus.New => New(),
        OrderStatus.Submitted => New().Apply(Submitted()),
        OrderStatus.Accepted => New().Apply(Submitted()).Apply(Accepted()),
        OrderStatus.PartiallyFilled => InStatus(OrderStatus.Accepted).Apply(Filled("t-part", 0.300m)),
        OrderStatus.PendingCancel => InStatus(OrderStatus.Accepted).Apply(CancelRequested()),
        OrderStatus.PendingAmend => InStatus(OrderStatus.Accepted).Apply(AmendRequested()),
        OrderStatus.Filled => InStatus(OrderStatus.Accepted).Apply(Filled("t-all", Qty)),
        OrderStatus.Cancelled => InStatus(OrderStatus.Accepted).Apply(Cancelled()),
        OrderStatus.Rejected => New().Apply(Submitted()).Apply(Rejected()),
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static OrderAcceptedReport AcceptedReport(int s = 2, string venueId = "v-1") => new(Id, Btc, At(s), venueId);
    public static OrderRejectedReport RejectedReport(int s = 3, string reason = "rejected by venue") => new(Id, Btc, At(s), reason);
    public static OrderFilledReport FilledReport(string tradeId, decimal qty, decimal leaves, decimal price = 50_000.0m, decimal fee = 0m, int second = 5) =>
        new(Id, Btc, At(second), Fill(tradeId, qty, price, fee, second), leaves);
    public static OrderCancelledReport CancelledReport(int s = 6, string reason = "cancelled by venue") => new(Id, Btc, At(s), reason);
    public static CancelRejectedReport CancelRejectedReport(int s = 7, string reason = "order not exists") => new(Id, Btc, At(s), reason);
}
