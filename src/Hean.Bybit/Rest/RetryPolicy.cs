namespace Hean.Bybit.Rest;

/// <summary>
/// Exponential backoff with jitter: attempt n waits a random time in [d/2, d] with d = base · 2^(n-1), at most
/// <see cref="MaxDelay"/>. The jitter keeps many clients (or many orders) from retrying in lockstep.
/// </summary>
public sealed class RetryPolicy(int maxAttempts = 4, TimeSpan? baseDelay = null, TimeSpan? maxDelay = null, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;
    private readonly Lock _lock = new();

    /// <summary>Requests sent at most, the first one included.</summary>
    public int MaxAttempts { get; } = maxAttempts >= 1 ? maxAttempts : throw new ArgumentOutOfRangeException(nameof(maxAttempts));
    public TimeSpan BaseDelay { get; } = baseDelay ?? TimeSpan.FromMilliseconds(100);
    public TimeSpan MaxDelay { get; } = maxDelay ?? TimeSpan.FromSeconds(5);

    /// <summary>The wait before retry number <paramref name="retry"/> (1 = the first retry).</summary>
    public TimeSpan Delay(int retry)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(retry, 1);
        var exponent = Math.Min(retry - 1, 20);
        var ceiling = Math.Min(MaxDelay.Ticks, BaseDelay.Ticks * (1L << exponent));
        double u;
        lock (_lock) u = _random.NextDouble();
        return TimeSpan.FromTicks((long)(ceiling / 2.0 + u * ceiling / 2.0));
    }
}
