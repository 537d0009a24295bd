namespace Hean.Bybit.Rest;

/// <summary>
/// Bybit retCode → what it means for the request. The rule that matters for orders: only codes that prove the
/// venue did not act are <see cref="BybitOutcome.Rejected"/> or <see cref="BybitOutcome.RateLimited"/>; anything
/// that leaves doubt (server errors, duplicates, "being processed", unknown codes) is <see cref="BybitOutcome.Ambiguous"/>.
/// The codes and their meaning: https://bybit-exchange.github.io/docs/v5/error.
/// </summary>
public static class BybitErrors
{
    public readonly record struct Classification(BybitOutcome Outcome, BybitErrorKind Kind)
    {
        /// <summary>The request was certainly not carried out, so sending it again cannot duplicate anything.</summary>
        public bool NotProcessed => Outcome is BybitOutcome.Rejected or BybitOutcome.RateLimited;
    }

    private static readonly Dictionary<int, BybitErrorKind> Known = new()
    {
        [10000] = BybitErrorKind.ServerError,
        [10001] = BybitErrorKind.BadRequest,
        [10002] = BybitErrorKind.ClockSkew,
        [10003] = BybitErrorKind.Auth,
        [10004] = BybitErrorKind.Auth,
        [10005] = BybitErrorKind.Auth,
        [10006] = BybitErrorKind.RateLimit,
        [10007] = BybitErrorKind.Auth,
        [10008] = BybitErrorKind.Auth,
        [10009] = BybitErrorKind.Auth,
        [10010] = BybitErrorKind.Auth,
        [10014] = BybitErrorKind.Duplicate,
        [10016] = BybitErrorKind.ServerError,
        [10017] = BybitErrorKind.BadRequest,
        [10018] = BybitErrorKind.IpBanned,
        [10024] = BybitErrorKind.Auth,
        [10027] = BybitErrorKind.Auth,
        [10028] = BybitErrorKind.BadRequest,
        [10029] = BybitErrorKind.BadRequest,
        [10404] = BybitErrorKind.BadRequest,
        [10429] = BybitErrorKind.RateLimit,
        [20003] = BybitErrorKind.RateLimit,
        [20006] = BybitErrorKind.BadRequest,
        [110001] = BybitErrorKind.OrderNotOpen,
        [110003] = BybitErrorKind.OrderRejected,
        [110004] = BybitErrorKind.InsufficientFunds,
        [110006] = BybitErrorKind.InsufficientFunds,
        [110007] = BybitErrorKind.InsufficientFunds,
        [110008] = BybitErrorKind.OrderNotOpen,
        [110009] = BybitErrorKind.OrderRejected,
        [110010] = BybitErrorKind.OrderNotOpen,
        [110012] = BybitErrorKind.InsufficientFunds,
        [110013] = BybitErrorKind.OrderRejected,
        [110017] = BybitErrorKind.OrderRejected,
        [110020] = BybitErrorKind.OrderRejected,
        [110021] = BybitErrorKind.OrderRejected,
        [110025] = BybitErrorKind.NotModified,
        [110026] = BybitErrorKind.NotModified,
        [110043] = BybitErrorKind.NotModified,
        [110072] = BybitErrorKind.Duplicate,
        [110079] = BybitErrorKind.ServerError,
        [110094] = BybitErrorKind.OrderRejected,
        [170005] = BybitErrorKind.RateLimit,
        [170007] = BybitErrorKind.ServerError,
        [170130] = BybitErrorKind.BadRequest,
        [170131] = BybitErrorKind.InsufficientFunds,
        [170132] = BybitErrorKind.OrderRejected,
        [170133] = BybitErrorKind.OrderRejected,
        [170134] = BybitErrorKind.OrderRejected,
        [170136] = BybitErrorKind.OrderRejected,
        [170137] = BybitErrorKind.OrderRejected,
        [170139] = BybitErrorKind.OrderNotOpen,
        [170140] = BybitErrorKind.OrderRejected,
        [170141] = BybitErrorKind.Duplicate,
        // Spot "order creation timed out": the order's state is unknown.
        [170146] = BybitErrorKind.ServerError,
        [170213] = BybitErrorKind.OrderNotOpen,
        [170810] = BybitErrorKind.OrderRejected,
    };

    public static Classification Classify(int retCode)
    {
        if (retCode == 0) return new(BybitOutcome.Ok, BybitErrorKind.None);
        var kind = Known.GetValueOrDefault(retCode, BybitErrorKind.UnknownCode);
        return new(OutcomeOf(kind), kind);
    }

    /// <summary>
    /// An HTTP status that is not 200: 403 is an IP ban ("403, access too frequent": stop all HTTP for at least 10
    /// minutes, https://bybit-exchange.github.io/docs/v5/rate-limit), 429 system protection, 5xx may have acted.
    /// </summary>
    public static Classification ClassifyHttp(int status) => status switch
    {
        403 => new(BybitOutcome.RateLimited, BybitErrorKind.IpBanned),
        429 => new(BybitOutcome.RateLimited, BybitErrorKind.RateLimit),
        401 => new(BybitOutcome.Rejected, BybitErrorKind.Auth),
        >= 400 and < 500 => new(BybitOutcome.Rejected, BybitErrorKind.BadRequest),
        _ => new(BybitOutcome.Ambiguous, BybitErrorKind.ServerError),
    };

    public static BybitOutcome OutcomeOf(BybitErrorKind kind) => kind switch
    {
        BybitErrorKind.None or BybitErrorKind.NotModified => BybitOutcome.Ok,
        BybitErrorKind.RateLimit or BybitErrorKind.IpBanned => BybitOutcome.RateLimited,
        BybitErrorKind.BadRequest or BybitErrorKind.ClockSkew or BybitErrorKind.Auth or BybitErrorKind.InsufficientFunds
            or BybitErrorKind.OrderNotOpen or BybitErrorKind.OrderRejected => BybitOutcome.Rejected,
        _ => BybitOutcome.Ambiguous,
    };
}
