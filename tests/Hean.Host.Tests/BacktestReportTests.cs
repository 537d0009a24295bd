using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Playwright;
using Xunit;

namespace Hean.Host.Tests;

/// <summary>`hean backtest --html --out` once on the synthetic market (2 hours, seed 42), for the tests of its reports.</summary>
public sealed class BacktestReportRun : IAsyncLifetime
{
    public string Dir { get; } = Directory.CreateTempSubdirectory("hean-report-").FullName;
    public string Html => Path.Combine(Dir, "report.html");
    public (int Code, string Out, string Err) Result { get; private set; }
    public JsonElement Json { get; private set; }

    public async Task InitializeAsync()
    {
        Result = await HeanProcess.RunAsync(Dir, new Dictionary<string, string> { ["HEAN_DATA_DIR"] = Path.Combine(Dir, ".hean") }, TimeSpan.FromMinutes(3),
            "backtest", "--seed", "42", "--duration", "2h", "--html", "report.html", "--out", "report.json");
        Json = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(Dir, "report.json"))).RootElement;
    }

    public Task DisposeAsync()
    {
        Directory.Delete(Dir, recursive: true);
        return Task.CompletedTask;
    }
}

/// <summary>
/// The summary table on standard output, the statistics in the JSON report, and the HTML report opened in headless Chromium
/// (Debian's, through Playwright): charts with their points and marks, the tables, and not one request beyond the file itself.
/// </summary>
public sealed class BacktestReportTests(BacktestReportRun run) : IClassFixture<BacktestReportRun>
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly string[] Symbols = ["BTCUSDT", "ETHUSDT"];

    [Fact]
    public void The_summary_table_is_printed_with_a_row_per_symbol_and_no_annualised_ratio_for_two_hours()
    {
        var (code, output, err) = run.Result;
        Assert.True(code == 0, err);
        Assert.Contains("Backtest summary", output);
        foreach (var row in new[] { "Win rate", "Average win / average loss", "Profit factor", "Exposure (time in a position)", "Fees",
                     "Gross PnL (before fees)", "Net PnL", "Max drawdown duration", "Sharpe (annualised)", "Sortino (annualised)", "Calmar" })
            Assert.Contains(row, output);
        // Two hours are 1 hourly return: n/a, and the line says why.
        Assert.Matches(@"Sharpe \(annualised\)\s*│\s*n/a\s*│", output);
        Assert.Contains("n/a under 30 (this run has 1)", output);
        var trades = run.Json.GetProperty("statistics").GetProperty("trades").GetInt32();
        Assert.Matches($@"Trades \(closed round trips\)\s*│\s*{trades}\b", output);
        foreach (var symbol in Symbols) Assert.Matches($@"│ {symbol}\s*│\s*\d+\s*│", output);
        Assert.Contains("HTML report written to report.html", output);
    }

    [Fact]
    public void The_json_report_keeps_its_fields_and_adds_the_statistics()
    {
        var json = run.Json;
        foreach (var field in new[] { "fingerprint", "pnl", "fees", "max_drawdown", "sharpe", "fills", "execution", "settings" })
            Assert.True(json.TryGetProperty(field, out _), field);
        Assert.Equal(JsonValueKind.Null, json.GetProperty("sharpe").ValueKind);
        var stats = json.GetProperty("statistics");
        Assert.Equal(json.GetProperty("pnl").GetDecimal(), stats.GetProperty("net_pnl").GetDecimal());
        Assert.Equal(json.GetProperty("fees").GetDecimal(), stats.GetProperty("fees").GetDecimal());
        Assert.Equal(1, stats.GetProperty("return_samples").GetInt32());
        Assert.InRange(stats.GetProperty("exposure").GetDouble(), 0.01, 1);
        var symbols = stats.GetProperty("symbols").EnumerateArray().ToList();
        Assert.Equal(Symbols, symbols.Select(s => s.GetProperty("symbol").GetString()));
        Assert.All(symbols, s => Assert.Equal(JsonValueKind.Number, s.GetProperty("buy_and_hold_return").ValueKind));
        Assert.Equal(Math.Round(stats.GetProperty("net_pnl").GetDecimal(), 8), Math.Round(symbols.Sum(s => s.GetProperty("net_pnl").GetDecimal()), 8));
        Assert.Equal("42", json.GetProperty("settings").GetProperty("--seed").GetString());
    }

    [SkippableFact]
    public async Task The_html_report_shows_its_charts_marks_and_tables_in_chromium_and_requests_nothing()
    {
        Skip.If(!File.Exists(Chromium), $"{Chromium} is not installed (./test.sh installs Debian's chromium): the HTML report was not opened in a browser");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"],
        });
        var page = await browser.NewPageAsync();
        var requests = new List<string>();
        var errors = new List<string>();
        page.Request += (_, r) => requests.Add(r.Url);
        // A request the page's Content-Security-Policy refuses never leaves, but Chromium says so on the console.
        page.Console += (_, m) => { if (m.Type == "error") errors.Add(m.Text); };
        var url = new Uri(run.Html).AbsoluteUri;
        await page.GotoAsync(url);

        Assert.StartsWith("HEAN backtest: synthetic", await page.TitleAsync());
        // At most a sample a minute for 2 hours (none while the equity does not move); a price a minute.
        Assert.InRange(await PointCount(page, "svg#equity"), 30, 121);
        Assert.Equal(await PointCount(page, "svg#equity"), await PointCount(page, "svg#drawdown"));
        var fills = run.Json.GetProperty("fills").EnumerateArray().ToList();
        foreach (var symbol in Symbols)
        {
            Assert.InRange(await PointCount(page, $"svg#price-{symbol}"), 100, 122);
            var marks = page.Locator($"svg#price-{symbol} path.marker");
            Assert.Equal(fills.Count(f => f.GetProperty("symbol").GetString() == symbol), await marks.CountAsync());
            Assert.True(await page.Locator($"svg#price-{symbol} path.marker.entry, svg#price-{symbol} path.marker.reversal").CountAsync() > 0, $"{symbol}: no entry");
            Assert.True(await page.Locator($"svg#price-{symbol} path.marker.exit, svg#price-{symbol} path.marker.reversal").CountAsync() > 0, $"{symbol}: no exit");
        }
        Assert.Equal(Symbols, await page.Locator("table#symbols tbody tr td:first-child").AllTextContentsAsync());
        Assert.Contains("market", await page.Locator("table#execution tbody tr td:first-child").AllTextContentsAsync());
        Assert.Contains("Profit factor", await page.Locator("table#summary").TextContentAsync());
        Assert.Contains("42", await page.Locator("table#settings tr", new() { HasText = "--seed" }).TextContentAsync());

        Assert.Equal([url], requests);
        Assert.Empty(errors);
    }

    [Fact]
    public async Task Sixty_days_of_hourly_bars_get_annualised_ratios()
    {
        // A seeded random walk of hourly bars, written here: 1,440 hourly returns are enough to annualise.
        var rng = new Random(3);
        var csv = new StringBuilder("open_time_ms,open,high,low,close,volume\n");
        var (time, price) = (new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero), 40_000.0);
        for (var i = 0; i < 24 * 60; i++, time = time.AddHours(1))
        {
            var close = price * Math.Exp((rng.NextDouble() - 0.5) * 0.02);
            csv.Append(CultureInfo.InvariantCulture,
                $"{time.ToUnixTimeMilliseconds()},{price:0.00},{Math.Max(price, close) * 1.002:0.00},{Math.Min(price, close) * 0.998:0.00},{close:0.00},10\n");
            price = close;
        }
        var dir = Directory.CreateTempSubdirectory("hean-report-bars-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(dir, "bars.csv"), csv.ToString());
            var (code, output, err) = await HeanProcess.RunAsync(dir, new Dictionary<string, string> { ["HEAN_DATA_DIR"] = Path.Combine(dir, ".hean") },
                TimeSpan.FromMinutes(2), "backtest", "--data", "bars.csv", "--symbol", "BTCUSDT");
            Assert.True(code == 0, err);
            Assert.Matches(@"Sharpe \(annualised\)\s*│\s*-?\d+\.\d\d\s*│", output);
            Assert.Matches(@"Sortino \(annualised\)\s*│\s*-?\d+\.\d\d\s*│", output);
            Assert.Contains("annualised from 1439 hourly returns", output);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static async Task<int> PointCount(IPage page, string chart)
    {
        var points = await page.Locator($"{chart} polyline.series").GetAttributeAsync("points") ?? "";
        return points.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
    }
}
