namespace Hean.Bybit.Rest;

/// <summary>
/// A token bucket: <see cref="Capacity"/> requests per <see cref="Window"/>, refilled continuously. Callers reserve a
/// token and wait the returned time, so concurrent callers queue fairly instead of polling. Time is passed in
/// (a monotonic TimeSpan), which keeps the arithmetic pure and testable. Not thread-safe; <see cref="BybitRateLimiter"/> locks.
/// </summary>
public sealed class TokenBucket
{
    private readonly double _perTick;
    private double _tokens;
    private TimeSpan _last;
    private TimeSpan _blockedUntil;

    public TokenBucket(int capacity, TimeSpan window, TimeSpan now = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        if (window <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(window), window, "window must be positive");
        Capacity = capacity;
        Window = window;
        _perTick = capacity / (double)window.Ticks;
        _tokens = capacity;
        _last = now;
    }

    public int Capacity { get; }
    public TimeSpan Window { get; }

    /// <summary>Tokens free at <paramref name="now"/> (negative while callers wait on reservations).</summary>
    public double Available(TimeSpan now)
    {
        Refill(now);
        return _tokens;
    }

    /// <summary>Takes one token; returns how long the caller must wait before sending (zero when a token was free).</summary>
    public TimeSpan Reserve(TimeSpan now)
    {
        Refill(now);
        _tokens -= 1;
        var wait = _tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromTicks((long)Math.Ceiling(-_tokens / _perTick));
        var blocked = _blockedUntil - now;
        return blocked > wait ? blocked : wait;
    }

    /// <summary>Nothing passes before <paramref name="until"/> (the venue said the window is used up).</summary>
    public void BlockUntil(TimeSpan now, TimeSpan until)
    {
        Refill(now);
        if (until > _blockedUntil) _blockedUntil = until;
        if (_tokens > 0) _tokens = 0;
    }

    /// <summary>The venue reports <paramref name="remaining"/> calls left: never believe we have more than that.</summary>
    public void CapAt(TimeSpan now, int remaining)
    {
        Refill(now);
        if (_tokens > remaining) _tokens = remaining;
    }

    private void Refill(TimeSpan now)
    {
        if (now <= _last) return;
        _tokens = Math.Min(Capacity, _tokens + (now - _last).Ticks * _perTick);
        _last = now;
    }
}

/// <summary>
/// Bybit's limits. Defaults are VIP0 for linear contracts: 600 requests per 5 s per IP, order create/amend/cancel
/// 10 per second each, cancel-all 10 per second, account and order queries 50 per second. Higher VIP tiers and
/// market makers get more order writes per second: set <see cref="OrderWritesPerSecond"/> to the account's tier.
/// (https://bybit-exchange.github.io/docs/v5/rate-limit: the IP limit, the per-UID table, the X-Bapi-Limit headers.)
/// </summary>
public sealed record BybitRateLimits
{
    public int IpRequestsPerWindow { get; init; } = 600;
    public TimeSpan IpWindow { get; init; } = TimeSpan.FromSeconds(5);
    public int OrderWritesPerSecond { get; init; } = 10;
    public int CancelAllPerSecond { get; init; } = 10;
    public int QueriesPerSecond { get; init; } = 50;

    public static BybitRateLimits Vip0 { get; } = new();
}

/// <summary>Which per-endpoint limit a REST endpoint falls under (all share the IP limit).</summary>
public enum BybitLimitGroup
{
    /// <summary>Public market data: only the IP limit.</summary>
    Public,
    /// <summary>Private reads: orders, executions, positions, wallet.</summary>
    Query,
    /// <summary>Order create, amend, cancel (one bucket per endpoint).</summary>
    OrderWrite,
    CancelAll,
}

/// <summary>
/// Client-side rate limiting: a global IP bucket plus one bucket per private endpoint. The venue's view wins: its
/// <c>X-Bapi-Limit-Status</c> header caps our count, and a used-up window or a 10006 blocks the endpoint until the
/// reset time it names (https://bybit-exchange.github.io/docs/v5/rate-limit). Thread-safe.
/// </summary>
public sealed class BybitRateLimiter
{
    private readonly BybitRateLimits _limits;
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly TokenBucket _ip;
    private readonly Dictionary<string, TokenBucket> _endpoints = [];
    private readonly Lock _lock = new();

    public BybitRateLimiter(BybitRateLimits limits, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(limits);
        _limits = limits;
        _time = time ?? TimeProvider.System;
        _origin = _time.GetTimestamp();
        _ip = new TokenBucket(limits.IpRequestsPerWindow, limits.IpWindow, Now);
    }

    private TimeSpan Now => _time.GetElapsedTime(_origin);

    /// <summary>Takes a token from the IP bucket and the endpoint's bucket; returns the time to wait before sending.</summary>
    public TimeSpan Reserve(string endpoint, BybitLimitGroup group)
    {
        lock (_lock)
        {
            var now = Now;
            var wait = _ip.Reserve(now);
            if (group != BybitLimitGroup.Public)
            {
                var endpointWait = BucketOf(endpoint, group, now).Reserve(now);
                if (endpointWait > wait) wait = endpointWait;
            }
            return wait;
        }
    }

    public async ValueTask AcquireAsync(string endpoint, BybitLimitGroup group, CancellationToken ct)
    {
        var wait = Reserve(endpoint, group);
        if (wait > TimeSpan.Zero) await Task.Delay(wait, _time, ct).ConfigureAwait(false);
    }

    /// <summary>What the venue said about an endpoint's window: calls left and time until it resets.</summary>
    public void Observe(string endpoint, BybitLimitGroup group, int remaining, TimeSpan resetIn)
    {
        lock (_lock)
        {
            var now = Now;
            var bucket = group == BybitLimitGroup.Public ? _ip : BucketOf(endpoint, group, now);
            if (remaining <= 0 && resetIn > TimeSpan.Zero) bucket.BlockUntil(now, now + resetIn);
            else bucket.CapAt(now, remaining);
        }
    }

    /// <summary>The venue refused a call with a rate limit: nothing more to this endpoint for <paramref name="delay"/>.</summary>
    public void BlockFor(string endpoint, BybitLimitGroup group, TimeSpan delay)
    {
        lock (_lock)
        {
            var now = Now;
            var bucket = group == BybitLimitGroup.Public ? _ip : BucketOf(endpoint, group, now);
            bucket.BlockUntil(now, now + delay);
        }
    }

    private TokenBucket BucketOf(string endpoint, BybitLimitGroup group, TimeSpan now)
    {
        if (_endpoints.TryGetValue(endpoint, out var bucket)) return bucket;
        var perSecond = group switch
        {
            BybitLimitGroup.OrderWrite => _limits.OrderWritesPerSecond,
            BybitLimitGroup.CancelAll => _limits.CancelAllPerSecond,
            _ => _limits.QueriesPerSecond,
        };
        return _endpoints[endpoint] = new TokenBucket(perSecond, TimeSpan.FromSeconds(1), now);
    }
}
