using Hean.Bybit.Rest.Models;
using Hean.Core.Domain;
using Hean.Core.MarketData;

namespace Hean.Bybit.WebSocket;

/// <summary>One message from a Bybit V5 WebSocket, as <see cref="BybitMessageParser"/> understood it.</summary>
public abstract record BybitMessage;

/// <summary>
/// <c>orderbook.{depth}.{symbol}</c>: a snapshot replaces the book, a delta sets levels (size 0 deletes).
/// UpdateId (<c>u</c>) rises by one per message of a stream; 1 after a service restart. Time is the matching
/// engine's (<c>cts</c>) when given, else the push time (<c>ts</c>).
/// </summary>
public sealed record BybitOrderBookMessage(
    string Symbol,
    int Depth,
    bool IsSnapshot,
    long UpdateId,
    long CrossSequence,
    DateTime Time,
    IReadOnlyList<BookLevel> Bids,
    IReadOnlyList<BookLevel> Asks) : BybitMessage
{
    public string Topic => BybitTopics.OrderBook(Depth, Symbol);

    public BookUpdate ToBookUpdate() => new(new Symbol(Symbol), Time, UpdateId, 0, IsSnapshot, Bids, Asks);
}

/// <summary><c>publicTrade.{symbol}</c>: one or more prints.</summary>
public sealed record BybitPublicTradesMessage(string Symbol, DateTime Time, IReadOnlyList<BybitPublicTrade> Trades) : BybitMessage;

/// <summary><c>kline.{interval}.{symbol}</c>: the current bar (Confirm false) or a closed one (Confirm true).</summary>
public sealed record BybitKlineMessage(string Symbol, string Interval, DateTime Time, IReadOnlyList<BybitKline> Klines) : BybitMessage;

/// <summary><c>tickers.{symbol}</c>: a full snapshot, or a delta with only the changed fields.</summary>
public sealed record BybitTickerMessage(string Symbol, bool IsSnapshot, DateTime Time, BybitTicker Ticker) : BybitMessage;

/// <summary><c>allLiquidation.{symbol}</c>.</summary>
public sealed record BybitLiquidationMessage(string Symbol, DateTime Time, IReadOnlyList<BybitLiquidation> Liquidations) : BybitMessage;

/// <summary>Private <c>order</c>: the full state of each order after a change.</summary>
public sealed record BybitOrderUpdateMessage(DateTime Time, IReadOnlyList<BybitOrder> Orders) : BybitMessage;

/// <summary>Private <c>execution</c> (or <c>execution.fast</c> when Fast): one row per fill.</summary>
public sealed record BybitExecutionMessage(DateTime Time, bool Fast, IReadOnlyList<BybitExecution> Executions) : BybitMessage;

/// <summary>Private <c>position</c>.</summary>
public sealed record BybitPositionMessage(DateTime Time, IReadOnlyList<BybitPosition> Positions) : BybitMessage;

/// <summary>Private <c>wallet</c>.</summary>
public sealed record BybitWalletMessage(DateTime Time, IReadOnlyList<BybitWalletAccount> Accounts) : BybitMessage;

/// <summary>
/// The answer to an op (<c>subscribe</c>, <c>unsubscribe</c>, <c>auth</c>, <c>ping</c>/<c>pong</c>) in any of its shapes:
/// <c>success</c>/<c>ret_msg</c>, <c>retCode</c>/<c>retMsg</c>, or the option style with <c>data.failTopics</c>.
/// </summary>
public sealed record BybitOpResponse(
    string Op,
    bool Success,
    int RetCode,
    string Message,
    string? ReqId,
    string? ConnId,
    IReadOnlyList<string> FailedTopics) : BybitMessage
{
    public bool IsPong => Op is "pong" || (Op is "ping" && Message == "pong");
}

/// <summary>The answer to a WebSocket order-entry request (<c>order.create</c>, <c>order.amend</c>, <c>order.cancel</c>).</summary>
public sealed record BybitTradeResponse(
    string Op,
    string? ReqId,
    int RetCode,
    string Message,
    string? OrderId,
    string? OrderLinkId,
    int? LimitRemaining) : BybitMessage;

/// <summary>
/// Not from the venue: the private stream is authenticated and subscribed again after a lost connection. Whatever
/// was pushed while it was down is gone; the reader asks REST for it (executions since the last one seen, open orders).
/// </summary>
public sealed record BybitPrivateStreamResumed(DateTime Time, long Connects) : BybitMessage;

/// <summary>
/// Not from the venue: the private stream stopped for good, because the venue refused its authentication on a
/// reconnect (a revoked or expired key). No order or fill news arrives any more; the reader must say so and stop
/// taking new exposure.
/// </summary>
public sealed record BybitPrivateStreamStopped(DateTime Time, string Reason) : BybitMessage;

/// <summary>A message that could not be understood, or made no sense (see <see cref="BybitMessageParser"/>); it was counted and dropped.</summary>
public sealed record BybitMalformed(string Reason, string Kind = "unreadable") : BybitMessage;

/// <summary>A refused message: its kind, why, and how many of that kind the parser has refused so far (1 for the first).</summary>
public sealed record BybitRejection(string Kind, string Reason, long CountOfKind);
