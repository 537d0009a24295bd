using Hean.Core.Domain;
using Hean.Core.Features;
using Xunit;

namespace Hean.Core.Tests.Features;

public sealed class TradeFlowTests
{
    private static readonly DateTime Day = new(2025, 1, 1, 23, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Nothing_is_defined_before_the_first_trade()
    {
        var flow = new TradeFlow(TimeSpan.FromDays(1));
        Assert.False(flow.HasTrades);
        Assert.True(double.IsNaN(flow.TakerBuyRatio));
        Assert.True(double.IsNaN(flow.SignedVolume));
        Assert.True(double.IsNaN(flow.Intensity(60)));
        Assert.True(double.IsNaN(flow.VwapDeviation));
    }

    [Fact]
    public void Window_ratio_signed_volume_intensity_and_vwap_deviation_by_hand()
    {
        var flow = new TradeFlow(TimeSpan.FromDays(1));
        flow.OnTrade(Day, 100, 3, Side.Buy);
        flow.OnTrade(Day.AddSeconds(10), 102, 1, Side.Sell);
        flow.OnTrade(Day.AddSeconds(20), 101, 1, Side.Buy);
        Assert.Equal(4 / 5.0, flow.TakerBuyRatio);
        Assert.Equal(3, flow.SignedVolume);
        Assert.Equal(3 / 60.0, flow.Intensity(60));
        var vwap = (300 + 102 + 101) / 5.0;
        Assert.Equal((101 - vwap) / vwap, flow.VwapDeviation, 12);

        flow.ResetWindow(); // a quiet window: zero flow, but the feed exists
        Assert.True(double.IsNaN(flow.TakerBuyRatio));
        Assert.Equal(0, flow.SignedVolume);
        Assert.Equal(0, flow.Intensity(60));
        Assert.Equal((101 - vwap) / vwap, flow.VwapDeviation, 12); // the session VWAP spans windows

        flow.OnTrade(Day.AddHours(1), 110, 2, Side.Sell); // next UTC day: a new VWAP session
        Assert.Equal(0, flow.VwapDeviation);
        Assert.Equal(0, flow.TakerBuyRatio);
        Assert.Throws<ArgumentOutOfRangeException>(() => flow.OnTrade(Day, 0, 1, Side.Buy));
        Assert.Throws<ArgumentOutOfRangeException>(() => flow.OnTrade(Day, 1, -1, Side.Buy));
    }
}
