using System.Globalization;
using System.Text;
using Hean.Core.Domain;
using Hean.Core.Performance;
using Hean.Host.Commands;
using static Hean.Host.Reports.ReportFormat;

namespace Hean.Host.Reports;

/// <summary>
/// `hean backtest --html FILE`: one self-contained page — inline CSS and inline SVG, no script, no font, nothing fetched
/// (its Content-Security-Policy forbids every request) — with the summary, the equity and drawdown curves, each symbol's
/// price with its entries and exits, the per-symbol and per-algorithm tables and the run's settings. Every text is escaped.
/// </summary>
public static class BacktestHtml
{
    public static void Write(BacktestReport report, string path, string? warning) =>
        Hean.ML.Inference.AtomicFile.WriteAllText(path, Render(report, warning));

    public static string Render(BacktestReport report, string? warning)
    {
        var stats = report.Statistics;
        var title = $"HEAN backtest: {report.Source} {string.Join(", ", report.Symbols)}";
        var page = new StringBuilder();
        page.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append($"<title>{Html(title)}</title><style>{Style}</style></head><body>\n")
            .Append($"<h1>{Html(title)}</h1>\n<p class=\"meta\">{Html(RunLine(report))}</p>\n");
        if (warning is not null) page.Append($"<p class=\"warning\">nothing traded: {Html(warning)}</p>\n");
        if (report.Errors > 0) page.Append($"<p class=\"warning\">{report.Errors} step(s) failed, the first: {Html(report.FirstError ?? "")}; the results are not to be trusted</p>\n");

        page.Append("<section><h2>Summary</h2>").Append(KeyValues("summary", SummaryRows(stats)))
            .Append($"<p class=\"note\">{Html(RatioNote(stats))}. Trades are closed round trips, net of their entry and exit fees.</p></section>\n");
        page.Append("<section><h2>Equity</h2>").Append(EquityChart(report)).Append("</section>\n");
        page.Append("<section><h2>Drawdown</h2>").Append(DrawdownChart(report)).Append("</section>\n");
        page.Append("<section><h2>Per symbol</h2>")
            .Append(Table("symbols", SymbolColumns, SymbolRows(stats)))
            .Append("<p class=\"note\">Returns are on the initial cash. Buy &amp; hold: all of the initial cash bought at the symbol's first price of the span (a trade or a bar's close) and held to its last, without fees.</p></section>\n");
        page.Append("<section><h2>Prices, entries and exits</h2><p class=\"legend\">")
            .Append("<span class=\"key entry\">▲ entry</span> <span class=\"key exit\">△ exit</span> <span class=\"key reversal\">▲ reversal (exit and entry)</span>; ")
            .Append("up: buy, down: sell; the label of a mark tells the fill.</p>");
        foreach (var symbol in stats.Symbols) page.Append($"<h3>{Html(symbol.Symbol)}</h3>").Append(PriceChart(report, symbol.Symbol));
        page.Append("</section>\n");
        page.Append("<section><h2>Execution per algorithm</h2>").Append(Table("execution",
            ["Algorithm", "Parents", "Fill rate", "Mean time to fill", "Slippage (bps)", "Fees (bps)", "Opportunity (bps)", "Shortfall (bps)"],
            report.Execution.Select(e => new[]
            {
                e.Algo, e.Parents.ToString(CultureInfo.InvariantCulture), Percent(e.FillRate),
                e.MeanTimeToFillSeconds is { } s ? s.ToString("0.###", CultureInfo.InvariantCulture) + " s" : NotAvailable,
                Bps(e.SlippageBps), Bps(e.FeeBps), Bps(e.OpportunityBps), Bps(e.ShortfallBps),
            }).ToList())).Append("</section>\n");
        page.Append("<section><h2>Settings</h2>").Append(KeyValues("settings", report.Settings.Select(kv => (kv.Key, kv.Value)).ToList()))
            .Append($"<p class=\"note\">fingerprint {Html(report.Fingerprint)}</p></section>\n");
        return page.Append("</body></html>\n").ToString();
    }

    private static string RunLine(BacktestReport r) => string.Create(CultureInfo.InvariantCulture,
        $"{(r.From is { } f ? Time(f) : "?")} → {(r.To is { } t ? Time(t) : "?")} UTC · engine {r.Engine} · {r.MarketEvents:N0} market events · {r.Signals} signals · {r.Orders} orders · {r.FillCount} fills · final equity {Plain(r.FinalEquity)}");

    private static string EquityChart(BacktestReport r)
    {
        var points = Curve(r).Select(p => (p.Time, (double)p.Equity)).ToList();
        return SvgChart.Line("equity", "Equity (USDT)", points, [], v => v.ToString("#,0.##", CultureInfo.InvariantCulture));
    }

    private static string DrawdownChart(BacktestReport r)
    {
        var curve = Curve(r);
        var points = curve.Zip(EquityCurve.Underwater(curve.Select(p => p.Equity)), (p, under) => (p.Time, -(double)under)).ToList();
        return SvgChart.Line("drawdown", "Drawdown from the running peak", points, [], v => Percent(v));
    }

    private static List<EquityPoint> Curve(BacktestReport r) =>
        (r.Series?.Equity ?? []).Select(s => new EquityPoint(s.Time, s.Equity))
            .Prepend(new EquityPoint(r.From ?? DateTime.UnixEpoch, r.Statistics.InitialCash)).ToList();

    private static string PriceChart(BacktestReport r, string symbol)
    {
        var path = r.Series?.Prices.PathOf(symbol) ?? [];
        var markers = (r.Series?.Fills ?? []).Where(f => f.Fill.Symbol.Value == symbol).Select(f => new ChartMarker(f.Fill.Time, (double)f.Fill.Price,
            $"{f.Role.ToString().ToLowerInvariant()} {(f.Fill.Side == Side.Buy ? "buy" : "sell")}",
            string.Create(CultureInfo.InvariantCulture, $"{f.Role} {f.Fill.Side} {f.Fill.Qty} @ {f.Fill.Price} at {Time(f.Fill.Time)} ({f.Fill.ClientOrderId})"))).ToList();
        return SvgChart.Line("price-" + symbol, $"{symbol} price", path.Select(p => (p.Time, (double)p.Price)).ToList(), markers,
            v => v.ToString("#,0.##", CultureInfo.InvariantCulture));
    }

    private static string Bps(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);

    private static string KeyValues(string id, IReadOnlyList<(string Name, string Value)> rows)
    {
        var table = new StringBuilder($"<table id=\"{Html(id)}\" class=\"kv\">");
        foreach (var (name, value) in rows) table.Append($"<tr><th>{Html(name)}</th><td>{Html(value)}</td></tr>");
        return table.Append("</table>").ToString();
    }

    private static string Table(string id, IReadOnlyList<string> columns, IReadOnlyList<string[]> rows)
    {
        if (rows.Count == 0) return $"<p class=\"empty\" id=\"{Html(id)}\">none</p>";
        var table = new StringBuilder($"<table id=\"{Html(id)}\"><thead><tr>");
        foreach (var c in columns) table.Append($"<th>{Html(c)}</th>");
        table.Append("</tr></thead><tbody>");
        foreach (var row in rows) table.Append("<tr>").AppendJoin("", row.Select(cell => $"<td>{Html(cell)}</td>")).Append("</tr>");
        return table.Append("</tbody></table>").ToString();
    }

    private const string Style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:24px auto;max-width:1000px;color:#1f2328;padding:0 12px}
        h1{font-size:20px}h2{font-size:16px;margin-top:28px;border-bottom:1px solid #d0d7de}h3{font-size:14px;margin:16px 0 4px}
        .meta,.note,.legend{color:#59636e}.warning{background:#fff8c5;border:1px solid #d4a72c;padding:6px 10px}
        table{border-collapse:collapse;margin:8px 0}th,td{padding:3px 10px;border-bottom:1px solid #eaeef2;text-align:right}
        th:first-child,td:first-child{text-align:left}.kv th{font-weight:normal;color:#59636e}
        svg.chart{width:100%;height:auto;background:#fff;border:1px solid #eaeef2}
        .grid{stroke:#eaeef2}.axis{font-size:11px;fill:#59636e}.series{fill:none;stroke:#0969da;stroke-width:1.2}
        #drawdown .series{stroke:#cf222e}
        .marker{stroke-width:1.2}.marker.buy{fill:#1a7f37;stroke:#1a7f37}.marker.sell{fill:#cf222e;stroke:#cf222e}
        .marker.exit{fill:#fff}.marker.reversal{stroke:#1f2328}
        .key.entry{color:#1a7f37}.key.exit{color:#cf222e}.key.reversal{color:#1f2328}
        """;
}
