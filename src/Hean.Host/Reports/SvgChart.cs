using System.Globalization;
using System.Text;

using static Hean.Host.Reports.ReportFormat;

namespace Hean.Host.Reports;

/// <summary>A point on a chart marked with a shape: its CSS classes say what it is (e.g. "entry buy"), its label shows on hover.</summary>
public sealed record ChartMarker(DateTime Time, double Value, string Classes, string Label);

/// <summary>
/// A time series as an inline SVG line chart, with no script and nothing fetched: a polyline of at most
/// <see cref="MaxPoints"/> points (longer series keep the lowest and highest point of each stretch, so peaks and troughs
/// stay), horizontal grid lines labelled with values, the first and last time on the time axis, and optional markers
/// (buys as triangles up, sells as triangles down).
/// </summary>
public static class SvgChart
{
    public const int MaxPoints = 2_000;
    private const double Width = 960, Height = 260, Left = 80, Right = 12, Top = 12, Bottom = 28, MarkerSize = 5;
    private const int GridLines = 4;

    public static string Line(string id, string title, IReadOnlyList<(DateTime Time, double Value)> series, IReadOnlyList<ChartMarker> markers,
        Func<double, string> label)
    {
        var points = Downsample(series, MaxPoints);
        if (points.Count == 0) return $"<p class=\"empty\" id=\"{Html(id)}\">{Html(title)}: no data</p>";
        var times = points.Select(p => p.Time).Concat(markers.Select(m => m.Time)).ToList();
        var values = points.Select(p => p.Value).Concat(markers.Select(m => m.Value)).ToList();
        var (t0, t1) = (times.Min(), times.Max());
        var (v0, v1) = Padded(values.Min(), values.Max());
        double X(DateTime t) => Left + (t1 > t0 ? (t - t0) / (t1 - t0) : 0.5) * (Width - Left - Right);
        double Y(double v) => Top + (v1 - v) / (v1 - v0) * (Height - Top - Bottom);

        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"<svg id=\"{Html(id)}\" class=\"chart\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Html(title)}\">");
        svg.Append(CultureInfo.InvariantCulture, $"<title>{Html(title)}</title>");
        for (var i = 0; i <= GridLines; i++)
        {
            var v = v0 + (v1 - v0) * i / GridLines;
            svg.Append(CultureInfo.InvariantCulture,
                $"<line class=\"grid\" x1=\"{Left}\" x2=\"{Width - Right}\" y1=\"{N(Y(v))}\" y2=\"{N(Y(v))}\"/><text class=\"axis\" x=\"{Left - 6}\" y=\"{N(Y(v) + 4)}\" text-anchor=\"end\">{Html(label(v))}</text>");
        }
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{Left}\" y=\"{Height - 8}\">{Html(Time(t0))}</text>");
        svg.Append(CultureInfo.InvariantCulture, $"<text class=\"axis\" x=\"{Width - Right}\" y=\"{Height - 8}\" text-anchor=\"end\">{Html(Time(t1))}</text>");
        svg.Append("<polyline class=\"series\" points=\"");
        svg.AppendJoin(' ', points.Select(p => $"{N(X(p.Time))},{N(Y(p.Value))}"));
        svg.Append("\"/>");
        foreach (var m in markers)
        {
            var (x, y) = (X(m.Time), Y(m.Value));
            var dy = m.Classes.Contains("sell", StringComparison.Ordinal) ? -MarkerSize : MarkerSize; // a sell points down
            svg.Append(CultureInfo.InvariantCulture,
                $"<path class=\"marker {Html(m.Classes)}\" d=\"M{N(x)},{N(y)} l{N(-MarkerSize)},{N(dy * 1.6)} h{N(2 * MarkerSize)} z\"><title>{Html(m.Label)}</title></path>");
        }
        return svg.Append("</svg>").ToString();
    }

    /// <summary>
    /// At most <paramref name="max"/> points in time order: the first and the last (the chart's span), and between them the
    /// series cut into (max − 2) / 2 equal stretches, each giving its lowest and highest point (one when they are the same).
    /// </summary>
    public static IReadOnlyList<(DateTime Time, double Value)> Downsample(IReadOnlyList<(DateTime Time, double Value)> series, int max)
    {
        if (series.Count <= max) return series;
        var inner = series.Count - 2;
        var stretches = (max - 2) / 2;
        var result = new List<(DateTime, double)>(max) { series[0] };
        for (var s = 0; s < stretches; s++)
        {
            var (from, to) = (1 + (int)((long)s * inner / stretches), 1 + (int)((long)(s + 1) * inner / stretches));
            int low = from, high = from;
            for (var i = from; i < to; i++)
            {
                if (series[i].Value < series[low].Value) low = i;
                if (series[i].Value > series[high].Value) high = i;
            }
            result.Add(series[Math.Min(low, high)]);
            if (low != high) result.Add(series[Math.Max(low, high)]);
        }
        result.Add(series[^1]);
        return result;
    }

    private static (double Low, double High) Padded(double low, double high)
    {
        var pad = high > low ? (high - low) * 0.05 : Math.Max(Math.Abs(low) * 0.01, 1);
        return (low - pad, high + pad);
    }

    private static string N(double v) => v.ToString("0.#", CultureInfo.InvariantCulture);
}
