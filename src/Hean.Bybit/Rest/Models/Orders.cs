using System.Text.Json;
using Hean.Bybit.Json;
using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Bybit.Rest;

namespace Hean.Bybit.Rest.Models;

/// <summary>Bybit's order states (V5 <c>orderStatus</c>).</summary>
public enum BybitOrderStatus
{
    New,
    PartiallyFilled,
    Untriggered,
    Triggered,
    Filled,
    Cancelled,
    PartiallyFilledCanceled,
    Rejected,
    Deactivated,
}

public static class BybitOrderStatusExtensions
{
    public static bool IsTerminal(this BybitOrderStatus s) =>
        s is BybitOrderStatus.Filled or BybitOrderStatus.Cancelled or BybitOrderStatus.PartiallyFilledCanceled
            or BybitOrderStatus.Rejected or BybitOrderStatus.Deactivated;

    public static BybitOrderStatus Parse(string s) => s switch
    {
        "New" => BybitOrderStatus.New,
        "PartiallyFilled" => BybitOrderStatus.PartiallyFilled,
        "Untriggered" => BybitOrderStatus.Untriggered,
        "Triggered" => BybitOrderStatus.Triggered,
        "Filled" => BybitOrderStatus.Filled,
        "Cancelled" => BybitOrderStatus.Cancelled,
        "PartiallyFilledCanceled" => BybitOrderStatus.PartiallyFilledCanceled,
        "Rejected" => BybitOrderStatus.Rejected,
        "Deactivated" => BybitOrderStatus.Deactivated,
        _ => throw new BybitFormatException($"unknown order status '{(s.Length > 30 ? s[..30] : s)}'")
    };

    public static string ToWire(this BybitOrderStatus s) => s.ToString();
}

/// <summary>The answer to create, amend and cancel: the venue's id and ours. Fills arrive separately.</summary>
/// <summary>One order to cancel in a batch: by orderId, or by orderLinkId.</summary>
public sealed record BatchCancelEntry(string Symbol, string? OrderId, string? OrderLinkId);

/// <summary>What the venue did with one order of a batch cancel.</summary>
public sealed record BybitBatchCancelItem(BatchCancelEntry Order, BybitOutcome Outcome, BybitErrorKind Kind, int RetCode, string Message, string OrderId);

public sealed record OrderAck(string OrderId, string OrderLinkId)
{
    public static OrderAck FromJson(JsonElement e) => new(e.Str("orderId"), e.StrOrEmpty("orderLinkId"));
}

/// <summary>One order as Bybit reports it (REST order lists and the private <c>order</c> topic).</summary>
public sealed record BybitOrder(
    string Category,
    string Symbol,
    string OrderId,
    string OrderLinkId,
    Side Side,
    string OrderType,
    decimal? Price,
    decimal Qty,
    BybitOrderStatus Status,
    string TimeInForce,
    decimal? LeavesQty,
    decimal CumExecQty,
    decimal? CumExecValue,
    decimal? CumExecFee,
    decimal? AvgPrice,
    bool ReduceOnly,
    string CancelType,
    string RejectReason,
    DateTime CreatedTime,
    DateTime UpdatedTime)
{
    /// <summary>
    /// An order row, checked for meaning as well as shape: prices within the domain limits (0 where Bybit means "none":
    /// market orders, unfilled averages), and executed and remaining quantities within the order's (when it has one:
    /// take-profit and stop-loss orders on the whole position have qty 0).
    /// </summary>
    public static BybitOrder FromJson(JsonElement e, string defaultCategory = "") => Checked(new(
        e.Has("category") ? e.Str("category") : defaultCategory,
        e.SymbolName("symbol"),
        e.Str("orderId"),
        e.StrOrEmpty("orderLinkId"),
        e.Side("side"),
        e.StrOrEmpty("orderType"),
        e.OptDec("price")?.PriceOrZero("price"),
        e.Dec("qty").Quantity("qty"),
        BybitOrderStatusExtensions.Parse(e.Str("orderStatus")),
        e.StrOrEmpty("timeInForce"),
        e.OptDec("leavesQty")?.Quantity("leavesQty"),
        e.OptDec("cumExecQty")?.Quantity("cumExecQty") ?? 0m,
        e.OptDec("cumExecValue")?.NonNegative("cumExecValue"),
        e.OptDec("cumExecFee"),
        e.OptDec("avgPrice")?.PriceOrZero("avgPrice"),
        e.OptBool("reduceOnly") ?? false,
        e.StrOrEmpty("cancelType"),
        e.StrOrEmpty("rejectReason"),
        e.Time("createdTime"),
        e.Time("updatedTime")));

    private static BybitOrder Checked(BybitOrder o)
    {
        // A spot market buy states qty in the quote coin by default (marketUnit quoteCoin) and executed quantities in the
        // base coin: the two do not compare.
        if (o.Category == "spot" && o.OrderType == "Market" && o.Side == Side.Buy) return o;
        if (o.Qty > 0 && o.CumExecQty > o.Qty)
            throw new BybitFormatException($"order {o.OrderId}: executed quantity {o.CumExecQty} is more than its quantity {o.Qty}");
        if (o.Qty > 0 && o.LeavesQty > o.Qty)
            throw new BybitFormatException($"order {o.OrderId}: remaining quantity {o.LeavesQty} is more than its quantity {o.Qty}");
        return o;
    }
}

/// <summary>A new order. Price only for limit orders. OrderLinkId is our client order id, chosen before the first send.</summary>
public sealed record PlaceOrderRequest(
    string Symbol,
    Side Side,
    OrderType OrderType,
    decimal Qty,
    decimal? Price,
    string? OrderLinkId,
    TimeInForce TimeInForce = TimeInForce.GoodTillCancel,
    bool ReduceOnly = false)
{
    /// <summary>
    /// Which position the order trades: null or 0 in one-way mode; in hedge mode 1 the long leg, 2 the short leg
    /// ("Under hedge-mode, this param is required", https://bybit-exchange.github.io/docs/v5/order/create-order).
    /// </summary>
    public int? PositionIdx { get; init; }

    public static PlaceOrderRequest FromCore(OrderRequest r) =>
        new(r.Symbol.Value, r.Side, r.Type, r.Qty, r.Type == OrderType.Limit ? r.Price : null, r.ClientOrderId.Value, r.TimeInForce, r.ReduceOnly);
}

/// <summary>A change of a resting order: new total quantity and/or new price. One of the two ids is required.</summary>
public sealed record AmendOrderRequest(string Symbol, string? OrderId, string? OrderLinkId, decimal? Qty = null, decimal? Price = null);

/// <summary>
/// Filters of the order and execution lists. Cursor pages on from a previous page's NextPageCursor. StartTime/EndTime
/// bound the execution list (Bybit: startTime/endTime in ms, at most 7 days apart), e.g. to catch up after a reconnect.
/// </summary>
public sealed record OrderQuery(string? Symbol = null, string? OrderId = null, string? OrderLinkId = null, int? Limit = null, string? Cursor = null,
    DateTime? StartTime = null, DateTime? EndTime = null)
{
    /// <summary>
    /// /v5/order/realtime: the recent closed orders (openOnly=1) instead of the open ones (the default); the venue keeps
    /// the last 500 and forgets them at a restart (https://bybit-exchange.github.io/docs/v5/order/open-order).
    /// </summary>
    public bool Closed { get; init; }

    /// <summary>Which settle coin's contracts a list without a symbol covers (USDT when not given).</summary>
    public string? SettleCoin { get; init; }
}

/// <summary>One page of a list endpoint; NextPageCursor is null on the last page.</summary>
public sealed record BybitPage<T>(IReadOnlyList<T> List, string? NextPageCursor)
{
    public static BybitPage<T> FromJson(JsonElement result, Func<JsonElement, string, T> row)
    {
        var category = result.Has("category") ? result.Str("category") : "";
        var list = result.Array("list");
        var rows = new List<T>(list.GetArrayLength());
        foreach (var item in list.EnumerateArray()) rows.Add(row(item, category));
        var cursor = result.StrOrEmpty("nextPageCursor");
        return new BybitPage<T>(rows, cursor.Length == 0 ? null : cursor);
    }
}
