using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hean.Bybit.Rest;
using Hean.Bybit.Rest.Models;
using Hean.Bybit.WebSocket;
using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.Features;
using Hean.Core.MarketData;
using Hean.Core.Portfolio;
using Hean.Core.Orders;

namespace Hean.Bybit.Mapping;

/// <summary>
/// Bybit's view → Core types. An order is named by its orderLinkId when that is a valid <see cref="ClientOrderId"/>;
/// one placed without (by hand in Bybit's web or app) by <see cref="VenueIdPrefix"/> + its orderId, so that
/// reconciliation can adopt it and its fills reach our books. Liquidation and ADL executions map to nothing.
/// </summary>
public static class BybitCoreMapping
{
    /// <summary>
    /// Core's <see cref="Trade.TradeId"/> is a number; Bybit's linear trade ids are UUIDs. Numeric ids pass through,
    /// others become a stable positive 63-bit hash (SHA-256 prefix) so duplicates still compare equal.
    /// </summary>
    public static long TradeIdOf(string bybitTradeId)
    {
        if (long.TryParse(bybitTradeId, NumberStyles.None, CultureInfo.InvariantCulture, out var n)) return n;
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(bybitTradeId), hash);
        return (long)(BinaryPrimitives.ReadUInt64BigEndian(hash) & long.MaxValue);
    }

    public static Trade ToTrade(this BybitPublicTrade t) =>
        new(new Symbol(t.Symbol), t.Time, t.Price, t.Qty, t.TakerSide, TradeIdOf(t.TradeId));

    /// <summary>Names an order placed without an orderLinkId: "ext-" and the venue's orderId without dashes (36 characters at most).</summary>
    public const string VenueIdPrefix = "ext-";

    /// <summary>The id of a venue order: its orderLinkId when it has one, else <see cref="VenueIdPrefix"/> + its orderId.</summary>
    public static bool TryClientOrderId(string orderLinkId, string orderId, out ClientOrderId id)
    {
        if (!string.IsNullOrEmpty(orderLinkId)) return TryClientOrderId(orderLinkId, out id);
        id = default;
        var compact = (orderId ?? "").Replace("-", "", StringComparison.Ordinal);
        if (compact.Length is 0 or > 32 || !compact.All(char.IsAsciiLetterOrDigit)) return false;
        id = new ClientOrderId(VenueIdPrefix + compact);
        return true;
    }

    /// <summary>True when the id may have been made from a venue orderId (<see cref="VenueIdPrefix"/>): query and cancel it by orderId.</summary>
    public static bool IsVenueNamed(ClientOrderId id) => id.Value.StartsWith(VenueIdPrefix, StringComparison.Ordinal);

    public static ClientOrderId? ClientOrderIdOf(this BybitOrder o) => TryClientOrderId(o.OrderLinkId, o.OrderId, out var id) ? id : null;

    public static bool TryClientOrderId(string orderLinkId, out ClientOrderId id)
    {
        id = default;
        if (string.IsNullOrEmpty(orderLinkId) || orderLinkId.Length > 36
            || !orderLinkId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')) return false;
        id = new ClientOrderId(orderLinkId);
        return true;
    }

    /// <summary>
    /// An order open at the venue that our books do not hold as open (placed by hand, with or without an orderLinkId, or ours from
    /// before what the journal keeps), as the creation event that adopts it: origin "external", the venue's terms and
    /// creation time. Null when it cannot be ours to track: no usable id, a symbol the core cannot name, or not open.
    /// </summary>
    /// <param name="executed">Also a closed order that executed something (a manual market order found through its
    /// fill): adopted so that its fills, and so our positions, follow the venue's.</param>
    public static OrderCreated? ToExternalOrder(this BybitOrder o, bool executed = false)
    {
        if (!TryClientOrderId(o.OrderLinkId, o.OrderId, out var id) || !IsCoreSymbol(o.Symbol) || o.Qty <= 0) return null;
        var open = o.Status is BybitOrderStatus.New or BybitOrderStatus.PartiallyFilled or BybitOrderStatus.Untriggered;
        if (!open && !(executed && o.CumExecQty > 0)) return null;
        var limit = string.Equals(o.OrderType, "Limit", StringComparison.OrdinalIgnoreCase) && o.Price is > 0;
        var tif = o.TimeInForce switch
        {
            "PostOnly" => TimeInForce.PostOnly,
            "IOC" or "FOK" => TimeInForce.ImmediateOrCancel,
            _ => TimeInForce.GoodTillCancel,
        };
        var request = new OrderRequest(id, new Symbol(o.Symbol), o.Side, limit ? OrderType.Limit : OrderType.Market, o.Qty,
            limit ? o.Price : null, tif, o.ReduceOnly);
        return new OrderCreated(request, o.CreatedTime, "external", null);
    }

    /// <summary>
    /// The report an order-state push means for us: accepted while working, cancelled, rejected. Fills are not
    /// taken from here but from executions (which carry price, fee and a dedupe id). Null for orders not ours.
    /// </summary>
    public static ExecutionReport? ToReport(this BybitOrder o)
    {
        if (!TryClientOrderId(o.OrderLinkId, o.OrderId, out var id) || !IsCoreSymbol(o.Symbol)) return null;
        var symbol = new Symbol(o.Symbol);
        var reason = o.RejectReason is "" or "EC_NoError" ? o.CancelType : o.RejectReason;
        return o.Status switch
        {
            BybitOrderStatus.New or BybitOrderStatus.PartiallyFilled or BybitOrderStatus.Filled
                or BybitOrderStatus.Untriggered or BybitOrderStatus.Triggered => new OrderAcceptedReport(id, symbol, o.UpdatedTime, o.OrderId),
            BybitOrderStatus.Cancelled or BybitOrderStatus.PartiallyFilledCanceled or BybitOrderStatus.Deactivated =>
                new OrderCancelledReport(id, symbol, o.UpdatedTime, reason.Length > 0 ? reason : "cancelled", o.CumExecQty),
            BybitOrderStatus.Rejected => new OrderRejectedReport(id, symbol, o.UpdatedTime, reason.Length > 0 ? reason : "rejected"),
            _ => null,
        };
    }

    /// <summary>
    /// A fill of one of our orders. Needs the full <c>execution</c> row (fee and leaves quantity); the fast topic
    /// lacks both and maps to null, as do funding and other non-trade executions.
    /// </summary>
    public static OrderFilledReport? ToReport(this BybitExecution e)
    {
        if (e.ExecType != "Trade" || e.ExecFee is not { } fee || e.LeavesQty is not { } leaves || e.ExecQty <= 0) return null;
        if (!TryClientOrderId(e.OrderLinkId, e.OrderId, out var id) || !IsCoreSymbol(e.Symbol)) return null;
        var symbol = new Symbol(e.Symbol);
        var fill = new Fill(id, symbol, e.Side, e.ExecId, e.ExecPrice, e.ExecQty, fee, e.IsMaker ? Liquidity.Maker : Liquidity.Taker, e.ExecTime);
        return new OrderFilledReport(id, symbol, e.ExecTime, fill, leaves);
    }

    /// <summary>
    /// An execution the venue made on its own against our position: auto-deleveraging (AdlTrade) or a liquidation
    /// (BustTrade) (https://bybit-exchange.github.io/docs/v5/order/execution, execType). It belongs to no order of ours,
    /// so it becomes one: a filled market order named after the execution ("adl-"/"liq-" and the execId), reduce-only,
    /// and its fill. Null for any other execution.
    /// </summary>
    public static (OrderCreated Order, OrderFilledReport Fill)? ToVenueInitiated(this BybitExecution e)
    {
        var prefix = e.ExecType switch { "AdlTrade" => "adl-", "BustTrade" => "liq-", _ => null };
        if (prefix is null || e.ExecQty <= 0 || !IsCoreSymbol(e.Symbol)) return null;
        var compact = new string(e.ExecId.Where(char.IsAsciiLetterOrDigit).ToArray());
        if (compact.Length == 0) return null;
        var id = new ClientOrderId(prefix + compact[..Math.Min(32, compact.Length)]);
        var symbol = new Symbol(e.Symbol);
        var request = new OrderRequest(id, symbol, e.Side, OrderType.Market, e.ExecQty, null, TimeInForce.ImmediateOrCancel, ReduceOnly: true);
        var fill = new Fill(id, symbol, e.Side, e.ExecId, e.ExecPrice, e.ExecQty, e.ExecFee ?? 0m, Liquidity.Taker, e.ExecTime);
        var origin = e.ExecType == "AdlTrade" ? "venue:auto-deleveraging" : "venue:liquidation";
        return (new OrderCreated(request, e.ExecTime, origin, null), new OrderFilledReport(id, symbol, e.ExecTime, fill, 0m));
    }

    /// <summary>
    /// A funding settlement (execType Funding): execFee is what the position paid (negative: received), feeRate the
    /// funding rate (https://bybit-exchange.github.io/docs/v5/order/execution). Null for any other execution.
    /// </summary>
    public static FundingPayment? ToFunding(this BybitExecution e) =>
        e.ExecType == "Funding" && e.ExecFee is { } paid && IsCoreSymbol(e.Symbol)
            ? new FundingPayment(e.ExecId, new Symbol(e.Symbol), e.ExecTime, paid, e.FeeRate ?? 0m)
            : null;

    /// <summary>
    /// What a create call means for the order: accepted (Ok), rejected (Rejected, or RateLimited after the client gave
    /// up: the venue never took it), or null when the outcome is ambiguous — the order stays in flight until
    /// reconciliation (the order/execution streams or a query by orderLinkId) settles it.
    /// </summary>
    public static ExecutionReport? ToReport(this BybitResult<OrderAck> result, OrderRequest request, DateTime time) => result.Outcome switch
    {
        BybitOutcome.Ok => new OrderAcceptedReport(request.ClientOrderId, request.Symbol, time, result.Value!.OrderId),
        BybitOutcome.Rejected or BybitOutcome.RateLimited =>
            new OrderRejectedReport(request.ClientOrderId, request.Symbol, time, $"{result.Kind} {result.RetCode}: {result.Message}"),
        _ => null,
    };

    /// <summary>
    /// Market sentiment from a tickers push: the funding rate and the open interest it carries (a delta
    /// carries only what changed, so either may be absent). Not faked when missing.
    /// </summary>
    public static IReadOnlyList<IMarketEvent> ToSentimentEvents(this BybitTickerMessage m)
    {
        if (!IsCoreSymbol(m.Symbol)) return [];
        var symbol = new Symbol(m.Symbol);
        var events = new List<IMarketEvent>(2);
        if (m.Ticker.FundingRate is { } rate) events.Add(new FundingRateUpdate(symbol, m.Time, rate, m.Ticker.NextFundingTime));
        if (m.Ticker.OpenInterest is { } oi) events.Add(new OpenInterestUpdate(symbol, m.Time, oi));
        return events;
    }

    /// <summary>Liquidations from allLiquidation: Bybit's S is the side of the liquidated position.</summary>
    public static IReadOnlyList<IMarketEvent> ToSentimentEvents(this BybitLiquidationMessage m) =>
        m.Liquidations.Where(l => IsCoreSymbol(l.Symbol))
            .Select(l => (IMarketEvent)new Liquidation(new Symbol(l.Symbol), l.Time, l.Side, l.Price, l.Qty)).ToList();

    private static bool IsCoreSymbol(string s) => s.Length is > 0 and <= 32 && s.All(char.IsAsciiLetterOrDigit);
}
