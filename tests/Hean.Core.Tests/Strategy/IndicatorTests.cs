using System.Globalization;
using Hean.Core.Indicators;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Core.Tests.Strategy;

public sealed class IndicatorTests(ITestOutputHelper output)
{
    [Fact]
    public void Ema3_of_1_to_10_is_seeded_by_the_sma_then_lags_by_one()
    {
        var ema = new Ema(3);
        var values = new List<double>();
        for (var x = 1; x <= 10; x++)
        {
            ema.Update(x);
            Assert.Equal(x >= 3, ema.IsReady);
            values.Add(ema.Value);
        }
        Assert.True(double.IsNaN(values[0]) && double.IsNaN(values[1]));
        // SMA(1,2,3) = 2, then alpha = 0.5 on a linear series keeps it exactly one step behind
        Assert.Equal([2.0, 3, 4, 5, 6, 7, 8, 9], values.Skip(2));
    }

    [Fact]
    public void Ema_hand_computed_with_a_non_trivial_alpha()
    {
        var ema = new Ema(4); // alpha = 0.4
        foreach (var x in new[] { 10.0, 12, 11, 13 }) ema.Update(x);
        Assert.Equal(11.5, ema.Value, 12);
        ema.Update(8);
        Assert.Equal(11.5 + 0.4 * (8 - 11.5), ema.Value, 12);
    }

    [Fact]
    public void Ema_of_period_one_is_the_input()
    {
        var ema = new Ema(1);
        Assert.False(ema.IsReady);
        ema.Update(5);
        Assert.True(ema.IsReady);
        Assert.Equal(5, ema.Value);
        ema.Update(-2.5);
        Assert.Equal(-2.5, ema.Value);
    }

    [Fact]
    public void Periods_below_one_and_non_finite_inputs_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Ema(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Rsi(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Ema(-3));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Ema(3).Update(double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Rsi(3).Update(double.PositiveInfinity));
    }

    // The classic 14-day Wilder RSI worked example (StockCharts "RSI" spreadsheet).
    private static readonly double[] WilderCloses =
    [
        44.3389, 44.0902, 44.1497, 43.6124, 44.3278, 44.8264, 45.0955, 45.4245, 45.8433, 46.0826,
        45.8931, 46.0328, 45.6140, 46.2820, 46.2820, 46.0028, 46.0328, 46.4116, 46.2222, 45.6439,
        46.2122, 46.2521, 45.7137, 46.4515, 45.7835, 45.3548, 44.0288, 44.1783, 44.2181, 44.5672,
        43.4205, 42.6628, 43.1314,
    ];

    private static readonly double[] WilderRsi =
    [
        70.53, 66.32, 66.55, 69.41, 66.36, 57.97, 62.93, 63.26, 56.06, 62.38,
        54.71, 50.42, 39.99, 41.46, 41.87, 45.46, 37.30, 33.08, 37.77,
    ];

    [Fact]
    public void Rsi14_matches_wilders_worked_example_and_its_warm_up()
    {
        var rsi = new Rsi(14);
        var values = new List<double>();
        for (var i = 0; i < WilderCloses.Length; i++)
        {
            rsi.Update(WilderCloses[i]);
            Assert.Equal(i >= 14, rsi.IsReady); // period + 1 inputs
            if (i < 14) Assert.True(double.IsNaN(rsi.Value));
            else values.Add(rsi.Value);
        }
        Assert.Equal(WilderRsi.Length, values.Count);
        for (var i = 0; i < values.Count; i++) Assert.Equal(WilderRsi[i], Math.Round(values[i], 2));
    }

    [Fact]
    public void Rsi_extremes()
    {
        Assert.Equal(100, Run(new Rsi(3), 1, 2, 3, 4));
        Assert.Equal(0, Run(new Rsi(3), 4, 3, 2, 1));
        Assert.Equal(50, Run(new Rsi(3), 7, 7, 7, 7)); // flat: neutral, not TA-Lib's 0
        Assert.Equal(100.0 * 2 / 3, Run(new Rsi(2), 1, 3, 2), 12); // gains 2, losses 1
        // Wilder step from avg gain 1, avg loss 0.5 with a change of -3: gain (1 + 0)/2 = 0.5, loss (0.5 + 3)/2 = 1.75
        Assert.Equal(100.0 * 0.5 / 2.25, Run(new Rsi(2), 1, 3, 2, -1), 12);

        static double Run(Rsi rsi, params double[] xs)
        {
            foreach (var x in xs) rsi.Update(x);
            return rsi.Value;
        }
    }

    [Fact]
    public void Ema20_and_rsi14_match_the_shared_reference_values()
    {
        const string dir = "/work/shared/data/indicators";
        if (!File.Exists(Path.Combine(dir, "expected.csv")))
        {
            output.WriteLine("shared data missing");
            return;
        }
        var closes = File.ReadLines(Path.Combine(dir, "quotes.csv")).Skip(1)
            .Select(l => double.Parse(l.Split(',')[4], CultureInfo.InvariantCulture)).ToArray();
        var expected = File.ReadLines(Path.Combine(dir, "expected.csv")).Skip(1)
            .Select(l => l.Split(','))
            .Where(f => f[0] is "EMA" or "RSI")
            .ToLookup(f => f[0], f => (Index: int.Parse(f[3], CultureInfo.InvariantCulture), Value: double.Parse(f[5], CultureInfo.InvariantCulture)));

        var ema = new Ema(20);
        var rsi = new Rsi(14);
        var emaValues = new double[closes.Length];
        var rsiValues = new double[closes.Length];
        for (var i = 0; i < closes.Length; i++)
        {
            ema.Update(closes[i]);
            rsi.Update(closes[i]);
            emaValues[i] = ema.Value;
            rsiValues[i] = rsi.Value;
        }

        Assert.Equal(19, expected["EMA"].Min(e => e.Index));
        Assert.Equal(14, expected["RSI"].Min(e => e.Index));
        Assert.True(double.IsNaN(emaValues[18]) && double.IsNaN(rsiValues[13]));
        foreach (var (index, value) in expected["EMA"]) Assert.Equal(value, emaValues[index], value * 1e-9);
        foreach (var (index, value) in expected["RSI"]) Assert.Equal(value, rsiValues[index], value * 1e-9);
    }
}
