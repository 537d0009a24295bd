namespace Hean.Bybit.Rest;

/// <summary>What a request did at the venue, as far as we can know.</summary>
public enum BybitOutcome
{
    /// <summary>The request succeeded (or the setting was already in place).</summary>
    Ok,
    /// <summary>Definitive: the venue refused the request and changed nothing (a rejected order does not exist there).</summary>
    Rejected,
    /// <summary>Unknown: the request may or may not have taken effect (timeout, disconnect, 10016, an unknown code).
    /// An order in this state stays in flight until reconciliation finds it or proves it absent.</summary>
    Ambiguous,
    /// <summary>Definitive: refused by a rate limit before it was processed; it is safe to send again later.</summary>
    RateLimited,
}

/// <summary>Why a request did not simply succeed; refines <see cref="BybitOutcome"/>.</summary>
public enum BybitErrorKind
{
    None,
    /// <summary>A parameter is missing or invalid, or the route is wrong: a bug or bad input, never retried.</summary>
    BadRequest,
    /// <summary>The request time was outside the receive window (10002): resync the clock and sign again.</summary>
    ClockSkew,
    /// <summary>Key, signature or permission problem: a configuration error.</summary>
    Auth,
    /// <summary>A per-endpoint, system or IP rate limit.</summary>
    RateLimit,
    /// <summary>
    /// The IP is banned (HTTP 403 "access too frequent", retCode 10018): no HTTP at all for at least 10 minutes
    /// (https://bybit-exchange.github.io/docs/v5/rate-limit). Nothing was carried out.
    /// </summary>
    IpBanned,
    /// <summary>The venue had an internal problem or timed out (10000, 10016): the request may have taken effect.</summary>
    ServerError,
    /// <summary>Not enough balance or margin for the order.</summary>
    InsufficientFunds,
    /// <summary>The order is not open at the venue (unknown, filled or cancelled): reconcile instead of retrying.</summary>
    OrderNotOpen,
    /// <summary>The order violates a trading rule (price band, quantity, reduce-only, limits).</summary>
    OrderRejected,
    /// <summary>The requested setting is already in place (treated as success).</summary>
    NotModified,
    /// <summary>An identical request (same orderLinkId) was seen before: the order may exist, query it.</summary>
    Duplicate,
    /// <summary>A retCode this client does not know.</summary>
    UnknownCode,
    /// <summary>No response within the request timeout.</summary>
    Timeout,
    /// <summary>The connection failed or was closed before a response arrived.</summary>
    Transport,
    /// <summary>A response arrived but did not have the documented shape.</summary>
    MalformedResponse,
    /// <summary>A paged read stopped before its last page: what it returned is not everything.</summary>
    Incomplete,
}

/// <summary>
/// The typed result of one REST call (after any retries). Value is set when the outcome is Ok.
/// RetCode is Bybit's code (-1 when no envelope was read); Attempts counts the HTTP requests sent.
/// </summary>
public sealed record BybitResult<T>(
    BybitOutcome Outcome,
    T? Value,
    int RetCode,
    string Message,
    BybitErrorKind Kind,
    int Attempts)
{
    public bool IsOk => Outcome == BybitOutcome.Ok;

    /// <summary>The value of a successful call; throws with the venue's message otherwise.</summary>
    public T GetValueOrThrow() =>
        IsOk && Value is not null ? Value : throw new BybitRequestException(Outcome, Kind, RetCode, Message);

    public override string ToString() =>
        IsOk ? $"Ok {Value}" : $"{Outcome} ({Kind}, retCode {RetCode}): {Message} after {Attempts} attempt(s)";
}

public sealed class BybitRequestException(BybitOutcome outcome, BybitErrorKind kind, int retCode, string message)
    : Exception($"Bybit request {outcome} ({kind}, retCode {retCode}): {message}")
{
    public BybitOutcome Outcome { get; } = outcome;
    public BybitErrorKind Kind { get; } = kind;
    public int RetCode { get; } = retCode;
}
