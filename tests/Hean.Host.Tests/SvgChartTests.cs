using Hean.Host.Reports;
using Xunit;

namespace Hean.Host.Tests;

public sealed class SvgChartTests
{
    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_long_series_is_cut_to_the_limit_keeping_its_ends_and_its_lowest_and_highest_points_in_order()
    {
        var series = Enumerable.Range(0, 100_000).Select(i => (T0.AddMinutes(i), Math.Sin(i / 500.0) + (i == 77_777 ? 5 : 0) - (i == 123 ? 5 : 0))).ToList();
        var kept = SvgChart.Downsample(series, SvgChart.MaxPoints);
        Assert.InRange(kept.Count, SvgChart.MaxPoints / 2, SvgChart.MaxPoints);
        Assert.Contains(series[77_777], kept);
        Assert.Contains(series[123], kept);
        Assert.Equal((series[0], series[^1]), (kept[0], kept[^1])); // the chart spans the whole series
        Assert.Equal(kept.OrderBy(p => p.Item1), kept);
        Assert.Same(series, SvgChart.Downsample(series, series.Count));
    }

    [Fact]
    public void Every_text_in_a_chart_is_escaped()
    {
        var svg = SvgChart.Line("c\"x", "<script>alert(1)</script>", [(T0, 1.0), (T0.AddHours(1), 2.0)],
            [new ChartMarker(T0, 1.5, "entry buy", "a & <b>")], v => v.ToString("0.0", System.Globalization.CultureInfo.InvariantCulture));
        Assert.DoesNotContain("<script>", svg);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", svg);
        Assert.Contains("id=\"c&quot;x\"", svg);
        Assert.Contains("<title>a &amp; &lt;b&gt;</title>", svg);
        Assert.Contains("<polyline class=\"series\" points=\"80,", svg);
        Assert.Contains("class=\"marker entry buy\"", svg);
    }
}
