using Hean.Core.Indicators;
using Xunit;

namespace Hean.Core.Tests.Indicators;

/// <summary>Small series worked out by hand (the arithmetic is in the comments), with their warm-up boundaries.</summary>
public sealed class HandCheckedTests
{
    private static readonly DateTime T0 = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static OhlcvBar Bar(int i, double high, double low, double close, double volume = 0) =>
        new(T0.AddHours(i), close, high, low, close, volume);

    // (high, low, close): used by ATR, ADX, stochastic, Williams %R and CCI below.
    private static readonly OhlcvBar[] Hlc =
    [
        Bar(0, 10, 8, 9), Bar(1, 11, 9, 10), Bar(2, 12, 10, 11), Bar(3, 11, 8, 9), Bar(4, 10, 7, 8),
    ];

    private static void Near(double expected, double actual) => Assert.Equal(expected, actual, 1e-12);

    [Fact]
    public void Sma3_of_1_to_5()
    {
        var sma = new Sma(3);
        var values = new List<double>();
        foreach (var x in new[] { 1.0, 2, 3, 4, 5 })
        {
            sma.Update(x);
            values.Add(sma.Value);
        }
        Assert.True(double.IsNaN(values[0]) && double.IsNaN(values[1]));
        Assert.Equal([2.0, 3, 4], values.Skip(2));
    }

    [Fact]
    public void Wma3_weights_the_newest_most()
    {
        var wma = new Wma(3);
        wma.Update(1);
        wma.Update(2);
        Assert.False(wma.IsReady);
        wma.Update(3);
        Near((1 + 2 * 2 + 3 * 3) / 6.0, wma.Value); // 14/6
        wma.Update(4);
        Near((2 + 2 * 3 + 3 * 4) / 6.0, wma.Value); // 20/6
    }

    [Fact]
    public void Macd_2_3_2_on_10_12_11_13_15()
    {
        // EMA2 (alpha 2/3) seeded at i1 = 11; i2 11; i3 11 + 2/3·2 = 37/3; i4 37/3 + 2/3·(15 − 37/3) = 127/9.
        // EMA3 (alpha 1/2) seeded at i2 = 11; i3 12; i4 13.5. Line: i2 0, i3 1/3, i4 127/9 − 27/2 = 11/18.
        // Signal EMA2 of the line seeded at i3 = (0 + 1/3)/2 = 1/6; i4 1/6 + 2/3·(11/18 − 1/6) = 25/54.
        var macd = new Macd(2, 3, 2);
        var closes = new[] { 10.0, 12, 11, 13, 15 };
        for (var i = 0; i < closes.Length; i++)
        {
            macd.Update(closes[i]);
            Assert.Equal(i >= 2, !double.IsNaN(macd.Line));
            Assert.Equal(i >= 3, macd.IsReady);
            if (i == 2) Near(0, macd.Line);
            if (i == 3) { Near(1 / 3.0, macd.Line); Near(1 / 6.0, macd.Signal); Near(1 / 6.0, macd.Histogram); }
        }
        Near(11 / 18.0, macd.Line);
        Near(25 / 54.0, macd.Signal);
        Near(4 / 27.0, macd.Histogram);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Macd(26, 12, 9));
    }

    [Fact]
    public void Bollinger_3_2_on_1_2_3_uses_the_population_deviation()
    {
        var bb = new BollingerBands(3, 2);
        bb.Update(1);
        bb.Update(2);
        Assert.True(double.IsNaN(bb.Upper) && double.IsNaN(bb.PercentB));
        bb.Update(3);
        var sd = Math.Sqrt(2.0 / 3); // ((1−2)² + 0 + (3−2)²) / 3, not / 2
        Near(2, bb.Middle);
        Near(2 + 2 * sd, bb.Upper);
        Near(2 - 2 * sd, bb.Lower);
        Near((3 - (2 - 2 * sd)) / (4 * sd), bb.PercentB);
        Near(4 * sd / 2, bb.Width);
    }

    [Fact]
    public void Bollinger_on_a_flat_window_has_zero_width_and_percent_b_one_half()
    {
        var bb = new BollingerBands(3, 2);
        foreach (var x in new[] { 5.0, 0.1, 0.1, 0.1 }) bb.Update(x);
        Assert.Equal(0.1, bb.Middle);
        Assert.Equal(0.1, bb.Upper);
        Assert.Equal(0, bb.Width);
        Assert.Equal(0.5, bb.PercentB);
    }

    [Fact]
    public void Atr2_with_a_gap_takes_the_previous_close_into_the_true_range()
    {
        // TR1 = max(11−9, |11−9|, |9−9|) = 2; TR2 = max(12−10, |12−10|, |10−10|) = 2 → ATR(2) at i2 = 2.
        // TR3 = max(11−8, |11−11|, |8−11|) = 3 → (2 + 3)/2 = 2.5.
        var atr = new Atr(2);
        var values = Hlc.Take(4).Select(b => { atr.Update(b.High, b.Low, b.Close); return atr.Value; }).ToArray();
        Assert.True(double.IsNaN(values[0]) && double.IsNaN(values[1]));
        Near(2, values[2]);
        Near(2.5, values[3]);
        // A gap up: the bar ranges 20…19, but the true range reaches back to the close of 9: 11.
        atr.Update(20, 19, 19.5);
        Near(11, atr.TrueRange);
        Near((2.5 + 11) / 2, atr.Value);
    }

    [Fact]
    public void Adx2_worked_through_five_bars()
    {
        // i1: up 1, down −1 → +DM 1, TR 2.  i2: +DM 1, TR 2.  Seed at i2: TR 2, +DM 1, −DM 0 → +DI 50, −DI 0, DX 100.
        // i3: up −1, down 2 → −DM 2, TR 3 → TR 2.5, +DM 0.5, −DM 1 → +DI 20, −DI 40, DX 100·20/60.
        // ADX at i3 (2n − 1) = (100 + 33.33…)/2.
        // i4: up −1, down 1 → −DM 1, TR max(3, 1, 2) = 3 → TR 2.75, +DM 0.25, −DM 1 → +DI 100/11, −DI 400/11, DX 60.
        var adx = new Adx(2);
        for (var i = 0; i < Hlc.Length; i++)
        {
            adx.Update(Hlc[i].High, Hlc[i].Low, Hlc[i].Close);
            Assert.Equal(i >= 2, !double.IsNaN(adx.PlusDi));
            Assert.Equal(i >= 3, adx.IsReady);
            if (i == 2) { Near(50, adx.PlusDi); Near(0, adx.MinusDi); }
            if (i == 3) { Near(20, adx.PlusDi); Near(40, adx.MinusDi); Near((100 + 100 / 3.0) / 2, adx.Value); }
        }
        Near(100 / 11.0, adx.PlusDi);
        Near(400 / 11.0, adx.MinusDi);
        Near(((100 + 100 / 3.0) / 2 + 60) / 2, adx.Value);
    }

    [Fact]
    public void Stochastic_2_2_2_and_williams_r()
    {
        // raw %K(2): i1 (10−8)/(11−8) = 2/3; i2 (11−9)/(12−9) = 2/3; i3 (9−8)/(12−8) = 1/4; i4 (8−7)/(11−7) = 1/4.
        // %K = SMA2(raw): i2 200/3, i3 (200/3 + 25)/2, i4 25. %D = SMA2(%K): i3, i4.
        var stoch = new Stochastic(2, 2, 2);
        var willr = new WilliamsR(2);
        var k = new double[5];
        var d = new double[5];
        var w = new double[5];
        for (var i = 0; i < Hlc.Length; i++)
        {
            stoch.Update(Hlc[i].High, Hlc[i].Low, Hlc[i].Close);
            willr.Update(Hlc[i].High, Hlc[i].Low, Hlc[i].Close);
            (k[i], d[i], w[i]) = (stoch.K, stoch.D, willr.Value);
        }
        Assert.True(double.IsNaN(k[1]) && double.IsNaN(d[2]) && double.IsNaN(w[0]));
        Near(200 / 3.0, k[2]);
        Near((200 / 3.0 + 25) / 2, k[3]);
        Near(25, k[4]);
        Near((200 / 3.0 + (200 / 3.0 + 25) / 2) / 2, d[3]);
        Near(((200 / 3.0 + 25) / 2 + 25) / 2, d[4]);
        Near(-100 * (11 - 10) / 3.0, w[1]);
        Near(-100 * (12 - 9) / 4.0, w[3]);
    }

    [Fact]
    public void Flat_windows_read_neutral_not_undefined()
    {
        var stoch = new Stochastic(3, 1, 1);
        var willr = new WilliamsR(3);
        var cci = new Cci(3);
        for (var i = 0; i < 3; i++)
        {
            stoch.Update(7, 7, 7);
            willr.Update(7, 7, 7);
            cci.Update(7, 7, 7);
        }
        Assert.Equal(50, stoch.K);
        Assert.Equal(-50, willr.Value);
        Assert.Equal(0, cci.Value);
    }

    [Fact]
    public void Cci3_uses_the_mean_absolute_deviation_times_0_015()
    {
        // TP 9, 10, 11: mean 10, mean |deviation| 2/3 → (11 − 10) / (0.015 · 2/3) = 100.
        var cci = new Cci(3);
        for (var i = 0; i < 3; i++)
        {
            Assert.True(double.IsNaN(cci.Value));
            cci.Update(Hlc[i].High, Hlc[i].Low, Hlc[i].Close);
        }
        Near(100, cci.Value);
    }

    [Fact]
    public void Roc2_compares_with_the_close_two_bars_back()
    {
        var roc = new Roc(2);
        roc.Update(10);
        roc.Update(12);
        Assert.False(roc.IsReady);
        roc.Update(15);
        Near(50, roc.Value);
        roc.Update(6);
        Near(-50, roc.Value);
    }

    [Fact]
    public void Mfi2_positive_negative_and_unchanged_flows()
    {
        // TP 9 (v 100), 10 (v 200): +2000; 9.5 (v 100): −950 → 100 − 100/(1 + 2000/950).
        // TP 9.5 again (v 50): no flow; the window holds −950 and nothing → 0.
        var mfi = new Mfi(2);
        mfi.Update(10, 8, 9, 100);
        mfi.Update(11, 9, 10, 200);
        Assert.False(mfi.IsReady);
        mfi.Update(10.5, 8.5, 9.5, 100);
        Near(100 - 100 / (1 + 2000 / 950.0), mfi.Value);
        mfi.Update(10.5, 8.5, 9.5, 50);
        Near(0, mfi.Value);
    }

    [Fact]
    public void Mfi_with_zero_volume_is_neutral_and_obv_does_not_move()
    {
        var mfi = new Mfi(3);
        var obv = new Obv();
        foreach (var (c, v) in new[] { (10.0, 0.0), (11, 0), (9, 0), (12, 0) })
        {
            mfi.Update(c + 1, c - 1, c, v);
            obv.Update(c, v);
        }
        Assert.Equal(50, mfi.Value);
        Assert.Equal(0, obv.Value);
    }

    [Fact]
    public void Obv_starts_at_zero_and_adds_signed_volume()
    {
        var obv = new Obv();
        Assert.False(obv.IsReady);
        var values = new[] { (10.0, 100.0), (11, 50), (10.5, 30), (10.5, 99) }.Select(b => { obv.Update(b.Item1, b.Item2); return obv.Value; });
        Assert.Equal([0.0, 50, 20, 20], values);
    }

    [Fact]
    public void Vwap_cumulative_session_and_zero_volume()
    {
        var cumulative = new Vwap();
        var daily = Vwap.Session(TimeSpan.FromDays(1));
        var day = new DateTime(2024, 1, 1, 22, 0, 0, DateTimeKind.Utc);
        // TP = (h + l + c)/3: 10 with v 1, then 13 with v 2, then (next day) 20 with v 1, then 30 with v 0.
        OhlcvBar[] bars =
        [
            new(day, 10, 11, 9, 10, 1), new(day.AddHours(1), 13, 14, 12, 13, 2),
            new(day.AddHours(2), 20, 21, 19, 20, 1), new(day.AddHours(3), 30, 31, 29, 30, 0),
        ];
        Assert.True(double.IsNaN(cumulative.Value));
        cumulative.Update(bars[0]); daily.Update(bars[0]);
        cumulative.Update(bars[1]); daily.Update(bars[1]);
        Near(12, cumulative.Value); // (10 + 26) / 3
        Near(12, daily.Value);
        cumulative.Update(bars[2]); daily.Update(bars[2]);
        Near(14, cumulative.Value); // (36 + 20) / 4
        Near(20, daily.Value);      // new day: only the 20
        cumulative.Update(bars[3]); daily.Update(bars[3]);
        Near(14, cumulative.Value); // no volume: no weight
        Near(20, daily.Value);

        var quiet = Vwap.Session(TimeSpan.FromDays(1));
        quiet.Update(new OhlcvBar(day, 5, 5, 5, 5, 0));
        Assert.True(double.IsNaN(quiet.Value)); // nothing traded yet: undefined, not 0
        Assert.Throws<ArgumentOutOfRangeException>(() => quiet.Update(new OhlcvBar(day.AddHours(-1), 5, 5, 5, 5, 1)));
    }

    [Fact]
    public void Realized_volatility_is_the_root_of_summed_squared_log_returns_and_sees_gaps()
    {
        var rv = new RealizedVolatility(2);
        rv.Update(100);
        rv.Update(110);
        Assert.False(rv.IsReady);
        rv.Update(99);
        Near(Math.Sqrt(Math.Pow(Math.Log(1.1), 2) + Math.Pow(Math.Log(0.9), 2)), rv.Value);
        rv.Update(198); // a gap: doubling
        Near(Math.Sqrt(Math.Pow(Math.Log(0.9), 2) + Math.Pow(Math.Log(2), 2)), rv.Value);
        Assert.Throws<ArgumentOutOfRangeException>(() => rv.Update(0));
    }

    public static TheoryData<string> AllSpecs() =>
        ["sma:3", "ema:3", "wma:3", "rsi:3", "macd:2:3:2", "bb:3:2", "atr:3", "adx:3", "stoch:3:2:2", "willr:3", "cci:3", "roc:3", "mfi:3", "obv", "vwap", "vwap:1d", "rv:3"];

    [Theory]
    [MemberData(nameof(AllSpecs))]
    public void Nan_infinite_and_negative_volume_inputs_are_refused_and_change_nothing(string specText)
    {
        var spec = IndicatorSpec.Parse(specText);
        var bars = IndicatorData.Generated(30, seed: 7);
        var clean = spec.Create();
        var poked = spec.Create();
        for (var i = 0; i < bars.Length; i++)
        {
            clean.Update(bars[i]);
            var b = bars[i];
            Assert.Throws<ArgumentOutOfRangeException>(() => poked.Update(b with { Close = double.NaN }));
            Assert.Throws<ArgumentOutOfRangeException>(() => poked.Update(b with { High = double.PositiveInfinity, Close = double.PositiveInfinity }));
            if (spec.Kind is "mfi" or "obv" or "vwap")
                Assert.Throws<ArgumentOutOfRangeException>(() => poked.Update(b with { Volume = -1 }));
            poked.Update(b);
            for (var o = 0; o < clean.OutputCount; o++)
                Assert.Equal(clean.Output(o), poked.Output(o));
        }
        Assert.True(poked.IsReady);
    }

    [Theory]
    [InlineData("sma:5", 4)]
    [InlineData("ema:5", 4)]
    [InlineData("wma:5", 4)]
    [InlineData("rsi:5", 5)]
    [InlineData("macd:3:5:4", 7)]
    [InlineData("bb:5:2", 4)]
    [InlineData("atr:5", 5)]
    [InlineData("adx:5", 9)]
    [InlineData("stoch:5:3:2", 7)]
    [InlineData("willr:5", 4)]
    [InlineData("cci:5", 4)]
    [InlineData("roc:5", 5)]
    [InlineData("mfi:5", 5)]
    [InlineData("obv", 0)]
    [InlineData("vwap", 0)]
    [InlineData("rv:5", 5)]
    public void Every_output_is_undefined_before_the_warm_up_ends_and_defined_from_then_on(string specText, int firstIndex)
    {
        var indicator = IndicatorSpec.Parse(specText).Create();
        var random = new Random(3);
        for (var i = 0; i < 40; i++)
        {
            var c = 100 + random.NextDouble() * 10;
            indicator.Update(new OhlcvBar(T0.AddMinutes(i), c, c + 1 + random.NextDouble(), c - 1 - random.NextDouble(), c, 1 + random.NextDouble()));
            Assert.Equal(i >= firstIndex, indicator.IsReady);
            if (i >= firstIndex)
                for (var o = 0; o < indicator.OutputCount; o++)
                    Assert.False(double.IsNaN(indicator.Output(o)), $"{specText} output {o} at {i}");
            if (i == firstIndex - 1)
                Assert.Contains(Enumerable.Range(0, indicator.OutputCount), o => double.IsNaN(indicator.Output(o)));
        }
    }

    [Fact]
    public void Periods_below_one_are_refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Sma(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Wma(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Atr(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adx(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Stochastic(14, 0, 3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new BollingerBands(20, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Vwap.Session(TimeSpan.Zero));
    }
}
