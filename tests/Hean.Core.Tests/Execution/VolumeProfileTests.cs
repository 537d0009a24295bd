using Hean.Core.Domain;
using Hean.Core.Execution;
using Hean.Core.MarketData;
using Xunit;
using static Hean.Core.Tests.Execution.AlgoFixtures;

namespace Hean.Core.Tests.Execution;

public sealed class VolumeProfileTests
{
    private static Trade Trade(DateTime time, decimal qty) => new(Btc.Symbol, time, 50_000m, qty, Side.Buy, 1);

    [Fact]
    public void A_bucket_is_its_average_volume_over_the_periods_it_traded_in()
    {
        // Two hours: minute 0 trades 3 then 1 (average 2), minute 1 trades 2 in one hour only (average 2), minute 2 trades 4 once.
        var trades = new[]
        {
            Trade(T0.AddSeconds(10), 2), Trade(T0.AddSeconds(50), 1), Trade(T0.AddMinutes(1), 2),
            Trade(T0.AddHours(1), 1), Trade(T0.AddHours(1).AddMinutes(2).AddSeconds(5), 4),
        };

        var profile = VolumeProfile.FromTrades(trades, TimeSpan.FromMinutes(3), 3);

        Assert.Equal(TimeSpan.FromMinutes(1), profile.Bucket);
        Assert.Equal(new[] { 0.25, 0.25, 0.5 }, profile.Shares.Select(s => Math.Round(s, 12)));
    }

    [Fact]
    public void Buckets_never_seen_take_the_average_of_the_others_so_a_gap_in_the_data_is_not_a_quiet_time()
    {
        var builder = new VolumeProfileBuilder(TimeSpan.FromHours(1), 4);
        builder.Add(T0, 1);                     // quarter 0
        builder.Add(T0.AddMinutes(15), 3);      // quarter 1

        var profile = builder.Build()!;

        Assert.Equal(new[] { 0.125, 0.375, 0.25, 0.25 }, profile.Shares);
        Assert.Equal(1, builder.PeriodsObserved);
        Assert.Null(new VolumeProfileBuilder(TimeSpan.FromHours(1), 4).Build());
    }

    [Fact]
    public void Slice_weights_integrate_the_profile_over_parts_that_straddle_buckets()
    {
        var profile = new VolumeProfile(TimeSpan.FromMinutes(4), [1, 3, 0, 0]);

        // From 0:30 for 2 minutes in 2 slices: [0:30, 1:30) holds half of bucket 0 and half of bucket 1 (0.125 + 0.375),
        // [1:30, 2:30) half of bucket 1 and half of the empty bucket 2 (0.375).
        var weights = profile.SliceWeights(T0.AddSeconds(30), TimeSpan.FromMinutes(2), 2);
        Assert.Equal(new[] { Math.Round(4.0 / 7, 12), Math.Round(3.0 / 7, 12) }, weights.Select(w => Math.Round(w, 12)));

        // Across the end of the period: [3:30, 4:30) = half of bucket 0 of the next period, [4:30, 5:30) = half of 0 and half of 1.
        var wrapped = profile.SliceWeights(T0.AddMinutes(3).AddSeconds(30), TimeSpan.FromMinutes(2), 2);
        Assert.Equal(new[] { 0.2, 0.8 }, wrapped.Select(w => Math.Round(w, 12)));

        // Nothing expected at all: uniform.
        Assert.Equal(new[] { 0.5, 0.5 }, profile.SliceWeights(T0.AddMinutes(2), TimeSpan.FromMinutes(2), 2));
    }

    [Fact]
    public void Bad_profiles_are_refused()
    {
        // 7 minutes do not split into 9 equal buckets of whole ticks.
        Assert.Throws<ArgumentException>(() => new VolumeProfile(TimeSpan.FromMinutes(7), Enumerable.Repeat(1.0, 9).ToArray()));
        Assert.Throws<ArgumentException>(() => new VolumeProfile(TimeSpan.FromHours(1), [0, 0]));
        Assert.Throws<ArgumentException>(() => new VolumeProfile(TimeSpan.FromHours(1), [1, -1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VolumeProfile(TimeSpan.Zero, [1]));
    }
}
