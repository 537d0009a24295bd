using Hean.ML.Training;

namespace Hean.ML.Tests;

public class SignalBacktestTests
{
    [Fact]
    public void Positions_follow_the_sign_and_pay_fees_per_unit_traded()
    {
        // closes 100 → 110 → 99 → 99 → 108.9; positions long, short, flat, long; fee 10 bps
        double[] closes = [100, 110, 99, 99, 108.9];
        var result = SignalBacktest.Run([0.4, -0.2, 0, 0.9], closes, 0.001);
        var gross = Math.Log(1.1) - Math.Log(0.9) + 0 + Math.Log(1.1);
        // traded units: 0→1 (1), 1→−1 (2), −1→0 (1), 0→1 (1), close out (1) = 6
        Assert.Equal(gross, result.GrossReturn, 12);
        Assert.Equal(gross - 0.006, result.NetReturn, 12);
        Assert.Equal(4, result.Bars);
        Assert.Equal(3, result.ActiveBars);
        Assert.Equal(4, result.PositionChanges);
        Assert.Equal(1.0, result.HitRate, 12);
        Assert.Equal(Math.Log(108.9 / 100), result.BuyAndHold, 12);
    }

    [Fact]
    public void A_wrong_signal_loses_and_flat_signals_trade_nothing()
    {
        double[] closes = [100, 101, 102, 103];
        var wrong = SignalBacktest.Run([-1, -1, -1], closes, 0.0005);
        Assert.True(wrong.NetReturn < wrong.GrossReturn && wrong.GrossReturn < 0);
        Assert.Equal(0.0, wrong.HitRate);
        var flat = SignalBacktest.Run([0, double.NaN, 0], closes, 0.0005);
        Assert.Equal(0.0, flat.NetReturn);
        Assert.Equal(0, flat.PositionChanges);
        Assert.True(double.IsNaN(flat.HitRate));
        Assert.Throws<ArgumentException>(() => SignalBacktest.Run([1, 1], closes, 0.001));
    }
}
