using Hean.Core.Domain;

namespace Hean.Core.Orders;

/// <summary>
/// Our id for an order (Bybit orderLinkId), chosen before the first send so that a retry or a
/// restart can never place the same order twice. At most 36 characters of [A-Za-z0-9_-].
/// </summary>
public readonly record struct ClientOrderId
{
    public string Value { get; }

    public ClientOrderId(string value)
    {
        if (string.IsNullOrEmpty(value) || value.Length > 36 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            throw new ArgumentException($"'{value}' is not a valid client order id (1-36 of A-Z a-z 0-9 - _)", nameof(value));
        Value = value;
    }

    public override string ToString() => Value;
}

public enum OrderType : byte { Market = 1, Limit = 2 }

public enum TimeInForce : byte { GoodTillCancel = 1, ImmediateOrCancel = 2, PostOnly = 3 }

public enum Liquidity : byte { Maker = 1, Taker = 2 }

public static class LiquidityExtensions
{
    /// <summary>The member's name, as ToString gives it, without the reflection Enum.ToString runs the first time in a process.</summary>
    public static string Name(this Liquidity liquidity) => liquidity switch { Liquidity.Maker => "Maker", Liquidity.Taker => "Taker", _ => liquidity.ToString() };
}

/// <summary>What we ask the venue to do. Price is required for limit orders, ignored for market orders.</summary>
public sealed record OrderRequest(
    ClientOrderId ClientOrderId,
    Symbol Symbol,
    Side Side,
    OrderType Type,
    decimal Qty,
    decimal? Price,
    TimeInForce TimeInForce = TimeInForce.GoodTillCancel,
    bool ReduceOnly = false);

/// <summary>One execution of our order. Fee is in the quote currency (USDT), positive = paid.</summary>
public sealed record Fill(
    ClientOrderId ClientOrderId,
    Symbol Symbol,
    Side Side,
    string TradeId,
    decimal Price,
    decimal Qty,
    decimal Fee,
    Liquidity Liquidity,
    DateTime Time);

public enum OrderStatus : byte
{
    New = 1,             // created and persisted by us, not yet sent
    Submitted = 2,       // sent; the venue's answer is not known yet
    Accepted = 3,        // resting or working at the venue
    PartiallyFilled = 4,
    PendingCancel = 5,
    Filled = 6,
    Cancelled = 7,
    Rejected = 8,
    PendingAmend = 9,    // a change of price or quantity was sent; the venue's answer is not known yet
}

public static class OrderStatusExtensions
{
    public static bool IsTerminal(this OrderStatus s) => s is OrderStatus.Filled or OrderStatus.Cancelled or OrderStatus.Rejected;
    public static bool IsOpen(this OrderStatus s) => !s.IsTerminal();
}
