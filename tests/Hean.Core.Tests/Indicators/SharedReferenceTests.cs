using Hean.Core.Indicators;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Core.Tests.Indicators;

/// <summary>
/// Agreement with ../shared/data/indicators: every value of expected.csv within 1e-9 relative and
/// the same warm-up (defined exactly where expected.csv has a row). Skipped, saying so, on a machine
/// without the shared data.
/// </summary>
public sealed class SharedReferenceTests(ITestOutputHelper output)
{
    private const double Relative = 1e-9;

    [Fact]
    public void Every_reference_value_is_matched_within_1e_9_relative_with_the_same_warm_up()
    {
        if (!IndicatorData.ReferenceAvailable)
        {
            output.WriteLine($"shared reference data not found in {IndicatorData.ReferenceDir}: test skipped (the generated-series tests still run)");
            return;
        }
        var bars = IndicatorData.ReadQuotes(Path.Combine(IndicatorData.ReferenceDir, "quotes.csv"));
        Assert.Equal(502, bars.Length);

        var rows = File.ReadLines(Path.Combine(IndicatorData.ReferenceDir, "expected.csv")).Skip(1)
            .Select(IndicatorData.SplitCsv)
            .Select(f => (Indicator: f[0], Params: f[1], Field: f[2], Index: int.Parse(f[3]), Date: f[4], Value: IndicatorData.D(f[5])))
            .ToList();
        Assert.NotEmpty(rows);

        var checkedValues = 0;
        foreach (var group in rows.GroupBy(r => (r.Indicator, r.Params, r.Field)))
        {
            var spec = IndicatorSpec.Parse(group.Key.Indicator.ToLowerInvariant() + ":" + group.Key.Params.Replace(',', ':'));
            var column = spec.Fields.Count == 0 ? 0 : spec.Fields.ToList().IndexOf(group.Key.Field);
            Assert.True(column >= 0, $"{spec.Name} has no field {group.Key.Field}");
            var series = IndicatorData.Run(spec.Create(), bars)[column];
            var expected = group.ToDictionary(r => r.Index);

            for (var i = 0; i < bars.Length; i++)
            {
                if (!expected.TryGetValue(i, out var row))
                {
                    Assert.True(double.IsNaN(series[i]), $"{spec.Columns[column]}[{i}] should be undefined (warm-up), got {series[i]}");
                    continue;
                }
                Assert.Equal(row.Date, bars[i].Time.ToString("yyyy-MM-dd"));
                var tolerance = Relative * Math.Max(Math.Abs(row.Value), 1e-300);
                Assert.True(Math.Abs(series[i] - row.Value) <= tolerance,
                    $"{spec.Columns[column]}[{i}] = {series[i]:R}, expected {row.Value:R} (diff {Math.Abs(series[i] - row.Value):E2})");
                checkedValues++;
            }
        }
        output.WriteLine($"{checkedValues} reference values matched");
        Assert.Equal(rows.Count, checkedValues);
    }

    /// <summary>
    /// Sample values the Stock.Indicators project (Apache-2.0) publishes in its own unit tests for this
    /// same quotes series, rounded there to 4 (Bollinger: 6) decimals; they cover the indicators
    /// expected.csv does not. Wilder averages seeded a bar apart converge long before these indexes.
    /// </summary>
    [Theory]
    [InlineData("wma:20", "wma_20", 149, 235.5253, 4)]
    [InlineData("wma:20", "wma_20", 501, 246.5110, 4)]
    [InlineData("atr:14", "atr_14", 249, 1.3381, 4)]
    [InlineData("atr:14", "atr_14", 501, 6.1497, 4)]
    [InlineData("adx:14", "adx_14.plus_di", 19, 21.0361, 4)]
    [InlineData("adx:14", "adx_14.minus_di", 19, 25.0124, 4)]
    [InlineData("adx:14", "adx_14.plus_di", 29, 37.9719, 4)]
    [InlineData("adx:14", "adx_14.minus_di", 29, 14.1658, 4)]
    [InlineData("adx:14", "adx_14.adx", 29, 19.7949, 4)]
    [InlineData("adx:14", "adx_14.plus_di", 248, 32.3167, 4)]
    [InlineData("adx:14", "adx_14.minus_di", 248, 18.2471, 4)]
    [InlineData("adx:14", "adx_14.adx", 248, 30.5903, 4)]
    [InlineData("adx:14", "adx_14.plus_di", 501, 17.7565, 4)]
    [InlineData("adx:14", "adx_14.minus_di", 501, 31.1510, 4)]
    [InlineData("adx:14", "adx_14.adx", 501, 34.2987, 4)]
    [InlineData("stoch:14:3:3", "stoch_14_3_3.k", 501, 43.1353, 4)]
    [InlineData("stoch:14:3:3", "stoch_14_3_3.d", 501, 35.5674, 4)]
    [InlineData("stoch:5:1:10", "stoch_5_1_10.k", 501, 91.6233, 4)]
    [InlineData("stoch:5:1:10", "stoch_5_1_10.d", 501, 36.0608, 4)]
    [InlineData("stoch:5:1:10", "stoch_5_1_10.k", 487, 25.0353, 4)]
    [InlineData("stoch:5:1:10", "stoch_5_1_10.d", 487, 60.5706, 4)]
    [InlineData("willr:14", "willr_14", 343, -19.8211, 4)]
    [InlineData("willr:14", "willr_14", 501, -52.0121, 4)]
    [InlineData("cci:20", "cci_20", 501, -52.9946, 4)]
    [InlineData("roc:20", "roc_20", 249, 2.4827, 4)]
    [InlineData("roc:20", "roc_20", 501, -8.2482, 4)]
    [InlineData("mfi:14", "mfi_14", 439, 69.0622, 4)]
    [InlineData("mfi:14", "mfi_14", 501, 39.9494, 4)]
    [InlineData("mfi:4", "mfi_4", 31, 100.0, 4)]
    [InlineData("mfi:4", "mfi_4", 43, 0.0, 4)]
    [InlineData("obv", "obv", 249, 1780918888.0, 0)]
    [InlineData("obv", "obv", 501, 539843504.0, 0)]
    [InlineData("bb:20:2", "bb_20_2.percent_b", 249, 0.803923, 6)]
    [InlineData("bb:20:2", "bb_20_2.width", 249, 0.031416, 6)]
    [InlineData("bb:20:2", "bb_20_2.percent_b", 501, 0.349362, 6)]
    [InlineData("bb:20:2", "bb_20_2.width", 501, 0.173433, 6)]
    public void Published_stock_indicators_sample_values_on_the_same_quotes(string specText, string column, int index, double expected, int decimals)
    {
        if (!IndicatorData.ReferenceAvailable)
        {
            output.WriteLine($"shared reference data not found in {IndicatorData.ReferenceDir}: test skipped");
            return;
        }
        var bars = IndicatorData.ReadQuotes(Path.Combine(IndicatorData.ReferenceDir, "quotes.csv"));
        var spec = IndicatorSpec.Parse(specText);
        var series = IndicatorData.Run(spec.Create(), bars)[spec.Columns.ToList().IndexOf(column)];
        Assert.Equal(expected, Math.Round(series[index], decimals));
    }

    /// <summary>Published VWAP values on the first 391 one-minute bars of quotes_intraday.csv.</summary>
    [Fact]
    public void Published_vwap_sample_values_cumulative_and_anchored()
    {
        var file = Path.Combine(IndicatorData.ReferenceDir, "quotes_intraday.csv");
        if (!File.Exists(file))
        {
            output.WriteLine($"{file} not found: test skipped");
            return;
        }
        var bars = IndicatorData.ReadQuotes(file).Take(391).ToArray();
        var cumulative = IndicatorData.Run(new Vwap(), bars)[0];
        Assert.Equal(367.4800, Math.Round(cumulative[0], 4));
        Assert.Equal(367.4223, Math.Round(cumulative[1], 4));
        Assert.Equal(367.9494, Math.Round(cumulative[369], 4));
        Assert.Equal(368.1804, Math.Round(cumulative[390], 4));

        var anchored = IndicatorData.Run(Vwap.AnchoredAt(new DateTime(2020, 12, 15, 10, 0, 0, DateTimeKind.Utc)), bars)[0];
        Assert.True(double.IsNaN(anchored[29]));
        Assert.Equal(366.8100, Math.Round(anchored[30], 4));
        Assert.Equal(368.0511, Math.Round(anchored[369], 4));
        Assert.Equal(368.2908, Math.Round(anchored[390], 4));
        Assert.Equal(361, anchored.Count(v => !double.IsNaN(v)));
    }

    /// <summary>Where each indicator's first value falls on the reference quotes (counts published by Stock.Indicators, conventions in its README).</summary>
    [Theory]
    [InlineData("wma:20", 19)]
    [InlineData("atr:14", 14)]
    [InlineData("adx:14", 27)]
    [InlineData("stoch:14:3:3", 17)]
    [InlineData("willr:14", 13)]
    [InlineData("cci:20", 19)]
    [InlineData("roc:20", 20)]
    [InlineData("mfi:14", 14)]
    [InlineData("obv", 0)]
    public void Warm_up_ends_where_the_conventions_say(string specText, int firstIndex)
    {
        if (!IndicatorData.ReferenceAvailable)
        {
            output.WriteLine($"shared reference data not found in {IndicatorData.ReferenceDir}: test skipped");
            return;
        }
        var bars = IndicatorData.ReadQuotes(Path.Combine(IndicatorData.ReferenceDir, "quotes.csv"));
        var outputs = IndicatorData.Run(IndicatorSpec.Parse(specText).Create(), bars);
        var firstDefined = Enumerable.Range(0, bars.Length).First(i => outputs.All(o => !double.IsNaN(o[i])));
        Assert.Equal(firstIndex, firstDefined);
        Assert.All(outputs, o => Assert.All(o.Skip(firstIndex), v => Assert.False(double.IsNaN(v))));
    }
}
