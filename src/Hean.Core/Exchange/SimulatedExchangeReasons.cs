namespace Hean.Core.Exchange;

/// <summary>The reason texts of the rejections and cancellations the <see cref="SimulatedExchange"/> reports.</summary>
public static class SimulatedExchangeReasons
{
    public const string DuplicateClientOrderId = "duplicate client order id";
    public const string UnknownSymbol = "unknown symbol";
    public const string LimitWithoutPrice = "limit order without price";
    public const string PostOnlyNeedsLimit = "post-only requires a limit order";
    public const string NoMarketData = "no market data";
    public const string PostOnlyWouldCross = "post-only order would cross";
    public const string ReduceOnlyWouldIncrease = "reduce-only order would increase position";
    public const string NoLiquidity = "no liquidity";
    public const string ImmediateOrCancelRemainder = "immediate-or-cancel remainder";
    public const string CancelledByRequest = "cancelled by request";

    /// <summary>
    /// Reason of the <see cref="CancelRejectedReport"/> answering a cancel of an order that is not open
    /// (never seen, already filled or cancelled). It rejects the cancel, not the order.
    /// </summary>
    public const string CancelUnknownOrder = "cancel rejected: unknown order";
}
