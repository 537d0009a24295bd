using Hean.Core.Domain;
using Hean.Core.Execution;
using Xunit;
using static Hean.Core.Tests.Execution.AlgoFixtures;

namespace Hean.Core.Tests.Execution;

public sealed class ExecutionQualityTests
{
    [Fact]
    public void A_filled_buy_costs_the_price_above_the_arrival_mid_plus_fees()
    {
        // 2 BTC at 50 010 against a 50 000 mid: 2 bps of price; 55 USDT of fees on 100 000 of notional: 5.5 bps.
        var q = ExecutionQuality.Measure(Side.Buy, 2m, 50_000m, 2m, 50_010m, 55m, null, T0, T0.AddSeconds(90), 4);

        Assert.Equal(2.0, q.PriceBps);
        Assert.Equal(5.5, q.FeeBps);
        Assert.Equal(0.0, q.OpportunityBps);
        Assert.Equal(7.5, q.ShortfallBps);
        Assert.Equal(1.0, q.FillRate);
        Assert.Equal(90.0, q.TimeToFillSeconds);
        Assert.Equal(4, q.Children);
    }

    [Fact]
    public void A_sell_above_the_mid_is_a_gain_and_a_maker_rebate_lowers_the_shortfall()
    {
        var q = ExecutionQuality.Measure(Side.Sell, 1m, 50_000m, 1m, 50_005m, -1m, null, T0, T0, 1);

        Assert.Equal(-1.0, q.PriceBps);
        Assert.Equal(-0.2, q.FeeBps);
        Assert.Equal(-1.2, q.ShortfallBps);
    }

    [Fact]
    public void What_was_never_filled_costs_the_move_of_the_mid_since_arrival()
    {
        // Half filled at the mid; the mid then ran 20 bps away: the unfilled half costs 10 bps of the parent.
        var q = ExecutionQuality.Measure(Side.Buy, 2m, 50_000m, 1m, 50_000m, 0m, 50_100m, T0, T0.AddSeconds(30), 2);

        Assert.Equal(0.0, q.PriceBps);
        Assert.Equal(10.0, q.OpportunityBps);
        Assert.Equal(10.0, q.ShortfallBps);
        Assert.Equal(0.5, q.FillRate);
    }

    [Fact]
    public void Nonsense_is_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ExecutionQuality.Measure(Side.Buy, 0m, 50_000m, 0m, 0m, 0m, null, T0, T0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExecutionQuality.Measure(Side.Buy, 1m, 0m, 0m, 0m, 0m, null, T0, T0, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ExecutionQuality.Measure(Side.Buy, 1m, 50_000m, 2m, 50_000m, 0m, null, T0, T0, 0));
    }
}
