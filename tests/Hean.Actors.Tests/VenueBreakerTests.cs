using Hean.Actors.Common;
using Hean.Actors.Execution;
using Xunit;

namespace Hean.Actors.Tests;

/// <summary>The gateways' circuit breaker with the seed's thresholds, on a clock the test moves.</summary>
public sealed class VenueBreakerTests
{
    private DateTime _now = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly List<(string From, string To)> _changes = [];

    private VenueBreaker Breaker() => new(CircuitBreakerSettings.Default, "test", () => _now) { Changed = (f, t, _) => _changes.Add((f, t)) };

    [Fact]
    public void It_opens_after_five_consecutive_failures_and_a_success_in_between_starts_the_count_again()
    {
        var b = Breaker();
        for (var i = 0; i < 4; i++) b.OnFailure("timeout");
        b.OnSuccess();
        Assert.Equal((VenueBreaker.Closed, 0), (b.State, b.Failures));
        for (var i = 0; i < 4; i++) b.OnFailure("timeout");
        Assert.True(b.AllowsCalls);
        b.OnFailure("timeout");
        Assert.Equal(VenueBreaker.Open, b.State);
        Assert.False(b.AllowsCalls);
        Assert.Equal(_now.AddSeconds(60), b.RetryAt);
    }

    [Fact]
    public void After_sixty_seconds_it_is_half_open_and_closes_only_after_two_trial_successes()
    {
        var b = Breaker();
        for (var i = 0; i < 5; i++) b.OnFailure("timeout");
        _now = _now.AddSeconds(59);
        Assert.Equal(VenueBreaker.Open, b.State);
        _now = _now.AddSeconds(1);
        Assert.Equal(VenueBreaker.HalfOpen, b.State);
        b.OnSuccess();
        Assert.Equal(VenueBreaker.HalfOpen, b.State);
        b.OnSuccess();
        Assert.Equal(VenueBreaker.Closed, b.State);
        Assert.Equal([("closed", "open"), ("open", "half_open"), ("half_open", "closed")], _changes);
    }

    [Fact]
    public void A_failed_trial_opens_it_again_for_another_reset_period_and_a_slow_success_is_a_failure()
    {
        var b = Breaker();
        for (var i = 0; i < 5; i++) b.OnFailure("timeout");
        _now = _now.AddSeconds(60);
        b.OnSuccess();
        b.Record(true, TimeSpan.FromSeconds(11), "place"); // answered, but after the 10 s call timeout
        Assert.Equal(VenueBreaker.Open, b.State);
        _now = _now.AddSeconds(30);
        Assert.Equal(VenueBreaker.Open, b.State);
        _now = _now.AddSeconds(30);
        Assert.Equal(VenueBreaker.HalfOpen, b.State);
        Assert.Throws<ArgumentException>(() => new VenueBreaker(CircuitBreakerSettings.Default with { SuccessesToClose = 0 }, "bad"));
    }
}
