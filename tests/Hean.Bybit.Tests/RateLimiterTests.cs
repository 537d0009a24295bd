using Hean.Bybit.Rest;

namespace Hean.Bybit.Tests;

public class RateLimiterTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void A_bucket_lets_its_capacity_through_then_spaces_callers_by_the_refill_rate()
    {
        var bucket = new TokenBucket(10, Second);
        var t = TimeSpan.Zero;
        for (var i = 0; i < 10; i++) Assert.Equal(TimeSpan.Zero, bucket.Reserve(t));
        Assert.Equal(TimeSpan.FromMilliseconds(100), bucket.Reserve(t));
        Assert.Equal(TimeSpan.FromMilliseconds(200), bucket.Reserve(t));
        // Half a second later five tokens came back; two were already promised.
        Assert.Equal(TimeSpan.Zero, bucket.Reserve(t + TimeSpan.FromMilliseconds(500)));
        Assert.Equal(2, bucket.Available(t + TimeSpan.FromMilliseconds(500)), 6);
    }

    [Fact]
    public void A_bucket_never_holds_more_than_its_capacity()
    {
        var bucket = new TokenBucket(600, TimeSpan.FromSeconds(5));
        Assert.Equal(600, bucket.Available(TimeSpan.FromHours(1)), 6);
        for (var i = 0; i < 600; i++) bucket.Reserve(TimeSpan.FromHours(1));
        Assert.True(bucket.Reserve(TimeSpan.FromHours(1)) > TimeSpan.Zero);
    }

    [Fact]
    public void The_venue_view_caps_and_blocks_the_bucket()
    {
        var bucket = new TokenBucket(10, Second);
        bucket.CapAt(TimeSpan.Zero, 1);
        Assert.Equal(TimeSpan.Zero, bucket.Reserve(TimeSpan.Zero));
        Assert.True(bucket.Reserve(TimeSpan.Zero) > TimeSpan.Zero);

        var blocked = new TokenBucket(10, Second);
        blocked.BlockUntil(TimeSpan.Zero, TimeSpan.FromMilliseconds(700));
        Assert.Equal(TimeSpan.FromMilliseconds(700), blocked.Reserve(TimeSpan.Zero));
        Assert.Equal(TimeSpan.FromMilliseconds(400), blocked.Reserve(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public void Order_writes_are_limited_per_endpoint_and_by_tier()
    {
        var time = new ManualTime();
        var vip0 = new BybitRateLimiter(BybitRateLimits.Vip0, time);
        for (var i = 0; i < 10; i++) Assert.Equal(TimeSpan.Zero, vip0.Reserve("/v5/order/create", BybitLimitGroup.OrderWrite));
        Assert.True(vip0.Reserve("/v5/order/create", BybitLimitGroup.OrderWrite) > TimeSpan.Zero);
        // Cancel has a bucket of its own.
        Assert.Equal(TimeSpan.Zero, vip0.Reserve("/v5/order/cancel", BybitLimitGroup.OrderWrite));

        var higherTier = new BybitRateLimiter(BybitRateLimits.Vip0 with { OrderWritesPerSecond = 20 }, time);
        for (var i = 0; i < 20; i++) Assert.Equal(TimeSpan.Zero, higherTier.Reserve("/v5/order/create", BybitLimitGroup.OrderWrite));
        Assert.True(higherTier.Reserve("/v5/order/create", BybitLimitGroup.OrderWrite) > TimeSpan.Zero);
    }

    [Fact]
    public void The_ip_limit_covers_every_endpoint()
    {
        var time = new ManualTime();
        var limiter = new BybitRateLimiter(BybitRateLimits.Vip0 with { IpRequestsPerWindow = 5 }, time);
        for (var i = 0; i < 5; i++) Assert.Equal(TimeSpan.Zero, limiter.Reserve($"/v5/market/p{i}", BybitLimitGroup.Public));
        Assert.True(limiter.Reserve("/v5/order/realtime", BybitLimitGroup.Query) > TimeSpan.Zero);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(TimeSpan.Zero, limiter.Reserve("/v5/market/time", BybitLimitGroup.Public));
    }

    [Fact]
    public void A_zero_limit_status_blocks_the_endpoint_until_the_reset()
    {
        var time = new ManualTime();
        var limiter = new BybitRateLimiter(BybitRateLimits.Vip0, time);
        limiter.Observe("/v5/order/create", BybitLimitGroup.OrderWrite, 0, TimeSpan.FromMilliseconds(800));
        Assert.Equal(TimeSpan.FromMilliseconds(800), limiter.Reserve("/v5/order/create", BybitLimitGroup.OrderWrite));
        Assert.Equal(TimeSpan.Zero, limiter.Reserve("/v5/order/amend", BybitLimitGroup.OrderWrite));
    }

    [Fact]
    public void Backoff_grows_exponentially_with_jitter_and_is_capped()
    {
        var policy = new RetryPolicy(5, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(1), new Random(7));
        var delays = Enumerable.Range(1, 8).Select(policy.Delay).ToList();
        for (var i = 0; i < delays.Count; i++)
        {
            var ceiling = Math.Min(1000, 100 * (1 << i));
            Assert.InRange(delays[i].TotalMilliseconds, ceiling / 2.0, ceiling);
        }
        var jittered = Enumerable.Range(0, 50).Select(_ => policy.Delay(3)).Distinct().Count();
        Assert.True(jittered > 40, "jitter spreads the retries");
    }

    /// <summary>A clock the test moves.</summary>
    private sealed class ManualTime : TimeProvider
    {
        private long _ticks;
        public void Advance(TimeSpan by) => _ticks += by.Ticks;
        public override long GetTimestamp() => _ticks;
        public override long TimestampFrequency => TimeSpan.TicksPerSecond;
    }
}
