using Hean.Core.Domain;
using Hean.Core.Execution;
using Xunit;
using static Hean.Core.Tests.Execution.AlgoFixtures;

namespace Hean.Core.Tests.Execution;

public sealed class SmartRouterTests
{
    private const decimal Taker = 0.00055m, Maker = 0.0002m;
    private static readonly MarketQuote Tight = new(Btc.Symbol, T0, 49_999.9m, 50_000m, 50_000m);

    private static MarketConditions Depth(decimal depth, double? volatility = 1.0, double? volumePerSecond = null, VolumeProfile? profile = null) =>
        new(depth, depth, volatility, volumePerSecond, profile);

    private static RoutingDecision Choose(decimal qty, MarketConditions conditions, Urgency urgency = Urgency.Normal, decimal? limit = null,
        MarketQuote? quote = null) =>
        SmartRouter.Choose(Parent(qty, limit: limit), Btc, quote ?? Tight, conditions, urgency, Taker, Maker);

    [Fact]
    public void A_small_order_in_a_calm_market_is_posted_for_the_maker_fee()
    {
        var d = Choose(0.1m, Depth(10m));

        Assert.IsType<LimitAlgo>(d.Spec);
        Assert.Equal(0.01, d.Numbers["size_to_depth"]);
        Assert.True(d.Numbers["passive_edge_bps"] > d.Numbers["wait_risk_bps"]);
        Assert.Contains("passive fill saves", d.Reason);
    }

    [Fact]
    public void A_small_order_in_a_fast_market_crosses_unless_urgency_is_low()
    {
        var fast = Depth(10m, volatility: 5.0); // 5 bps/√s: ~16 bps of drift while waiting 10 s

        Assert.IsType<MarketAlgo>(Choose(0.1m, fast).Spec);
        Assert.IsType<LimitAlgo>(Choose(0.1m, fast, Urgency.Low).Spec);
    }

    [Fact]
    public void Urgent_orders_cross_when_the_book_takes_them_and_slice_aggressively_when_it_does_not()
    {
        Assert.IsType<MarketAlgo>(Choose(5m, Depth(10m), Urgency.High).Spec);

        var big = Choose(40m, Depth(10m), Urgency.High);
        var twap = Assert.IsType<TwapAlgo>(big.Spec);
        Assert.Equal(SliceStyle.Aggressive, twap.Style);
        Assert.Equal(TimeSpan.FromMinutes(2), twap.Horizon); // 30 s per multiple of the depth
        Assert.Equal(8, twap.Slices);
    }

    [Fact]
    public void A_medium_order_with_a_limit_price_becomes_an_iceberg()
    {
        var d = Choose(4m, Depth(10m), limit: 49_990m);

        var iceberg = Assert.IsType<IcebergAlgo>(d.Spec);
        Assert.Equal(1m, iceberg.VisibleQty);
    }

    [Fact]
    public void A_large_order_is_sliced_over_the_participation_horizon_vwap_with_a_profile_twap_without()
    {
        // 30 BTC at 10 % of 0.5 BTC/s: 600 s; volatility 0.5 bps/√s caps the horizon at (25 / 0.5)² = 2 500 s.
        var conditions = Depth(10m, volatility: 0.5, volumePerSecond: 0.5);

        var twap = Assert.IsType<TwapAlgo>(Choose(30m, conditions).Spec);
        Assert.Equal((TimeSpan.FromSeconds(600), 40, SliceStyle.Passive), (twap.Horizon, twap.Slices, twap.Style));

        var profiled = Choose(30m, conditions with { Profile = VolumeProfile.Flat(TimeSpan.FromHours(1), 60) });
        var vwap = Assert.IsType<VwapAlgo>(profiled.Spec);
        Assert.Equal(TimeSpan.FromSeconds(600), vwap.Horizon);
        Assert.Contains("VWAP over 600 s", profiled.Reason);
        Assert.Equal(600, profiled.Numbers["horizon_s"]);
    }

    [Fact]
    public void High_volatility_shortens_the_horizon_to_cap_the_drift_risk()
    {
        // 4 bps/√s: (25 / 4)² = 39 s instead of the 600 s participation horizon.
        var d = Choose(30m, Depth(10m, volatility: 4.0, volumePerSecond: 0.5));

        var twap = Assert.IsType<TwapAlgo>(d.Spec);
        Assert.Equal(39.0625, twap.Horizon.TotalSeconds, 3);
        Assert.Contains("drift risk capped", d.Reason);
    }

    [Fact]
    public void Without_a_book_the_size_is_measured_against_a_minute_of_volume_and_the_reason_says_so()
    {
        var tradesOnly = new MarketQuote(Btc.Symbol, T0, null, null, 50_000m);

        var d = Choose(0.5m, new MarketConditions(null, null, 0.3, 1.0, null), quote: tradesOnly);

        Assert.IsType<LimitAlgo>(d.Spec); // 0.5 of 60 BTC a minute is small
        Assert.Contains("a minute of volume", d.Reason);
        Assert.Equal(0.04, d.Numbers["spread_bps"]); // two ticks of 0.1 on 50 000: the venue's synthetic spread
    }
}
