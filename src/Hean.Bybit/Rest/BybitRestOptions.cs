namespace Hean.Bybit.Rest;

/// <summary>
/// Settings of <see cref="BybitRestClient"/>. BaseUrl is the venue (mainnet https://api.bybit.com, testnet
/// https://api-testnet.bybit.com) or a fake on loopback in tests. Credentials are needed for private endpoints only.
/// </summary>
public sealed record BybitRestOptions
{
    public Uri BaseUrl { get; init; } = new("https://api.bybit.com");
    public BybitCredentials? Credentials { get; init; }
    /// <summary>Product line of every request: linear (USDT perpetuals), inverse, spot or option.</summary>
    public string Category { get; init; } = "linear";
    /// <summary>How long after its timestamp the venue still accepts a request.</summary>
    public int RecvWindowMs { get; init; } = 5000;
    /// <summary>A request without a response after this long is abandoned and reported as ambiguous.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Longest wait for a rate-limit window the venue names before the call gives up with RateLimited.</summary>
    public TimeSpan MaxRateLimitWait { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// After an IP ban (HTTP 403, retCode 10018) no request is sent for this long: "terminate all HTTP sessions and
    /// wait for at least 10 minutes" (https://bybit-exchange.github.io/docs/v5/rate-limit).
    /// </summary>
    public TimeSpan IpBanPause { get; init; } = TimeSpan.FromMinutes(10);
    public BybitRateLimits RateLimits { get; init; } = BybitRateLimits.Vip0;
    public RetryPolicy Retry { get; init; } = new();
}
