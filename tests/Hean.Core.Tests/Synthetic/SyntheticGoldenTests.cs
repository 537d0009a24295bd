using Hean.Core.MarketData.Synthetic;
using Xunit;

namespace Hean.Core.Tests.Synthetic;

/// <summary>
/// The seed-42 market, pinned to the bit: every backtest fingerprint of the synthetic market rests on these events, so a
/// faster generator must make exactly the same ones (hashes taken with the generator of b7c4574, before its speed-ups).
/// </summary>
public sealed class SyntheticGoldenTests
{
    private static SyntheticMarket Seed42() =>
        new(SyntheticMarketOptions.Default(new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc)) with { Seed = 42 });

    [Fact]
    public void The_first_hour_of_seed_42_is_the_same_event_for_event()
    {
        Assert.Equal("c38d50a48975a69ae37dc9bd17dcb1f710063e45662c2b2fdd1560adc7fdf5ec", StreamHash.Of(Seed42().Generate(TimeSpan.FromHours(1))));
    }

    [Fact]
    public void The_first_50000_events_of_the_endless_market_are_the_same()
    {
        Assert.Equal("027dda0241437d230abdc3d1cdfcbdb1040860cb34e1b50e7c9438f3969a6091", StreamHash.Of(Seed42().Generate().Take(50_000)));
    }
}
