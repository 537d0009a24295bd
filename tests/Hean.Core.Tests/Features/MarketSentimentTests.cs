using Hean.Core.Domain;
using Hean.Core.Features;
using Xunit;

namespace Hean.Core.Tests.Features;

/// <summary>Hand-made events of the kinds the Bybit client will produce (tickers, allLiquidation).</summary>
public sealed class MarketSentimentTests
{
    private static readonly Symbol Eth = new("ETHUSDT");
    private static readonly DateTime T0 = new(2025, 2, 14, 3, 5, 2, DateTimeKind.Utc);

    [Fact]
    public void Absent_until_the_first_event_of_each_kind()
    {
        var s = new MarketSentiment();
        Assert.True(double.IsNaN(s.FundingRate));
        Assert.True(double.IsNaN(s.OpenInterestChange));
        Assert.True(double.IsNaN(s.LongLiquidationNotional));
        Assert.True(double.IsNaN(s.ShortLiquidationNotional));

        s.OnFundingRate(new FundingRateUpdate(Eth, T0, -0.000212m, T0.AddHours(5)));
        Assert.Equal(-0.000212, s.FundingRate);
        Assert.True(double.IsNaN(s.LongLiquidationNotional)); // one feed says nothing about another
    }

    [Fact]
    public void Open_interest_change_is_relative_to_the_window_start()
    {
        var s = new MarketSentiment();
        s.OnOpenInterest(new OpenInterestUpdate(Eth, T0, 1000m));
        Assert.Equal(0, s.OpenInterestChange);
        s.OnOpenInterest(new OpenInterestUpdate(Eth, T0.AddSeconds(1), 1100m));
        Assert.Equal(0.1, s.OpenInterestChange, 12);
        s.ResetWindow();
        Assert.Equal(0, s.OpenInterestChange);
        s.OnOpenInterest(new OpenInterestUpdate(Eth, T0.AddSeconds(2), 990m));
        Assert.Equal(-0.1, s.OpenInterestChange, 12);
    }

    [Fact]
    public void Liquidation_notional_by_the_side_that_was_liquidated_per_window()
    {
        var s = new MarketSentiment();
        // allLiquidation_linear.json: S = Sell, v 20000 at 0.04499 → a short was liquidated
        s.OnLiquidation(new Liquidation(Eth, T0, Side.Sell, 0.04499m, 20000m));
        s.OnLiquidation(new Liquidation(Eth, T0, Side.Buy, 2700m, 1.5m));
        s.OnLiquidation(new Liquidation(Eth, T0, Side.Buy, 2690m, 0.5m));
        Assert.Equal(0.04499 * 20000, s.ShortLiquidationNotional, 9);
        Assert.Equal(2700 * 1.5 + 2690 * 0.5, s.LongLiquidationNotional, 9);

        s.ResetWindow();
        Assert.Equal(0, s.LongLiquidationNotional); // the feed exists; nothing happened this window
        Assert.Equal(0, s.ShortLiquidationNotional);
        Assert.Throws<ArgumentOutOfRangeException>(() => s.OnLiquidation(new Liquidation(Eth, T0, Side.Buy, 0m, 1m)));
    }
}
