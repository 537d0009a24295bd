using Hean.Bybit.Rest.Models;
using Hean.Core.Domain;
using Hean.Core.Orders;

namespace Hean.FakeBybit;

/// <summary>An order at the fake venue. Mutated only under the venue's lock.</summary>
public sealed class FakeOrder
{
    internal FakeOrder(string orderId, string orderLinkId, Symbol symbol, Side side, OrderType type, decimal qty, decimal? price,
        string timeInForce, bool reduceOnly, DateTime now, int positionIdx = 0)
    {
        PositionIdx = positionIdx;
        OrderId = orderId;
        OrderLinkId = orderLinkId;
        Symbol = symbol;
        Side = side;
        Type = type;
        Qty = qty;
        Price = price;
        TimeInForce = timeInForce;
        ReduceOnly = reduceOnly;
        CreatedTime = UpdatedTime = now;
    }

    public string OrderId { get; }
    public string OrderLinkId { get; }
    public Symbol Symbol { get; }
    public Side Side { get; }
    public OrderType Type { get; }
    public decimal Qty { get; internal set; }
    public decimal? Price { get; internal set; }
    public string TimeInForce { get; }
    public bool ReduceOnly { get; }
    /// <summary>0 one-way; in hedge mode 1 the long leg, 2 the short leg.</summary>
    public int PositionIdx { get; }
    public BybitOrderStatus Status { get; internal set; } = BybitOrderStatus.New;
    public decimal CumExecQty { get; internal set; }
    public decimal CumExecValue { get; internal set; }
    public decimal CumExecFee { get; internal set; }
    public string CancelType { get; internal set; } = "UNKNOWN";
    public string RejectReason { get; internal set; } = "EC_NoError";
    public DateTime CreatedTime { get; internal set; }
    public DateTime UpdatedTime { get; internal set; }
    /// <summary>The id of this order's current incarnation in the matching engine (an amend replaces it).</summary>
    internal string EngineId { get; set; } = "";
    internal decimal Leaves => Status.IsTerminal() ? 0m : Qty - CumExecQty;
}

/// <summary>One fill at the fake venue.</summary>
public sealed record FakeExecution(
    string ExecId,
    string OrderId,
    string OrderLinkId,
    Symbol Symbol,
    Side Side,
    string OrderType,
    decimal? OrderPrice,
    decimal OrderQty,
    decimal Price,
    decimal Qty,
    decimal Fee,
    decimal FeeRate,
    bool IsMaker,
    decimal LeavesQty,
    decimal ClosedSize,
    DateTime Time,
    long Seq)
{
    /// <summary>Trade (ours), AdlTrade (auto-deleveraging), BustTrade (liquidation) or Funding (a settlement).</summary>
    public string ExecType { get; init; } = "Trade";
}

/// <summary>
/// A position: one-way (index 0, Size positive long, negative short), or one leg of a hedge-mode symbol (index 1 the
/// long leg, Size ≥ 0; index 2 the short leg, Size ≤ 0).
/// </summary>
public sealed class FakePosition(Symbol symbol, decimal leverage, int index = 0)
{
    public Symbol Symbol { get; } = symbol;
    public int Index { get; } = index;
    public decimal Size { get; private set; }
    public decimal AvgPrice { get; private set; }
    public decimal RealisedPnl { get; private set; }
    public decimal Leverage { get; } = leverage;
    public decimal? MarkPrice { get; internal set; }
    public DateTime UpdatedTime { get; private set; } = DateTime.UtcNow; // a flat row is listed too, with a time
    public long Seq { get; private set; }
    public decimal UnrealisedPnl => MarkPrice is { } m && Size != 0 ? Size * (m - AvgPrice) : 0m;

    /// <summary>Books a fill; returns the quantity it closed.</summary>
    internal decimal Apply(Side side, decimal qty, decimal price, DateTime now, long seq)
    {
        var signed = side.Sign() * qty;
        var closed = 0m;
        if (Size == 0 || Math.Sign(Size) == Math.Sign(signed))
        {
            AvgPrice = (Math.Abs(Size) * AvgPrice + qty * price) / (Math.Abs(Size) + qty);
            Size += signed;
        }
        else
        {
            closed = Math.Min(qty, Math.Abs(Size));
            RealisedPnl += closed * (price - AvgPrice) * Math.Sign(Size);
            var before = Size;
            Size += signed;
            if (Size == 0) AvgPrice = 0m;
            else if (Math.Sign(Size) != Math.Sign(before)) AvgPrice = price;
        }
        UpdatedTime = now;
        Seq = seq;
        return closed;
    }
}

/// <summary>The unified account's USDT totals at one moment.</summary>
public sealed record FakeWallet(decimal Balance, decimal RealisedPnl, decimal UnrealisedPnl, decimal InitialMargin)
{
    public decimal Equity => Balance + UnrealisedPnl;
    public decimal Available => Equity - InitialMargin;
}
