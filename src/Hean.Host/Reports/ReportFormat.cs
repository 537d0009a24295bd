using System.Globalization;
using System.Net;
using Hean.Core.Performance;

namespace Hean.Host.Reports;

/// <summary>How the backtest reports write numbers: invariant culture, signed money, percentages, "n/a" for what has no value.</summary>
public static class ReportFormat
{
    public const string NotAvailable = "n/a";

    /// <summary>Text made safe for HTML content and attribute values.</summary>
    public static string Html(string text) => WebUtility.HtmlEncode(text);

    public static string Money(decimal value) => value.ToString("+#,0.00;-#,0.00;0.00", CultureInfo.InvariantCulture);

    public static string Plain(decimal value) => value.ToString("#,0.00", CultureInfo.InvariantCulture);

    public static string Price(decimal? value) => value?.ToString("#,0.########", CultureInfo.InvariantCulture) ?? NotAvailable;

    public static string Percent(double? value) => value?.ToString("0.00%", CultureInfo.InvariantCulture) ?? NotAvailable;

    public static string Percent(decimal value) => Percent((double)value);

    public static string Ratio(double? value) => value?.ToString("0.00", CultureInfo.InvariantCulture) ?? NotAvailable;

    public static string Duration(TimeSpan t) => t.TotalDays >= 1
        ? t.ToString(@"d\d\ hh\h\ mm\m", CultureInfo.InvariantCulture)
        : t.ToString(@"hh\h\ mm\m\ ss\s", CultureInfo.InvariantCulture);

    public static string Time(DateTime t) => t.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The deepest drawdown with its duration, and whether the equity came back.</summary>
    public static string DrawdownDuration(BacktestStatistics s) =>
        s.MaxDrawdown == 0 ? "none" : Duration(s.MaxDrawdownDuration) + (s.MaxDrawdownRecovered ? " (recovered)" : " (not recovered by the end)");

    /// <summary>Why the annualised ratios are n/a, or how many returns they came from.</summary>
    public static string RatioNote(BacktestStatistics s) => s.ReturnSamples < ReturnSeries.MinSamples
        ? $"Sharpe, Sortino and Calmar are annualised from hourly returns: n/a under {ReturnSeries.MinSamples} (this run has {s.ReturnSamples})"
        : $"Sharpe, Sortino and Calmar annualised from {s.ReturnSamples} hourly returns (365.25 days a year, risk-free rate 0)";

    /// <summary>The summary rows both reports show: what, value.</summary>
    public static IReadOnlyList<(string Name, string Value)> SummaryRows(BacktestStatistics s) =>
    [
        ("Trades (closed round trips)", s.Trades.ToString(CultureInfo.InvariantCulture) + (s.OpenAtEnd > 0 ? $" (+{s.OpenAtEnd} open at the end)" : "")),
        ("Win rate", s.Trades > 0 ? Percent(s.WinRate) : NotAvailable),
        ("Average win / average loss", $"{Money(s.AverageWin)} / {Money(s.AverageLoss)}"),
        ("Profit factor", Ratio(s.ProfitFactor)),
        ("Exposure (time in a position)", Percent(s.Exposure)),
        ("Fees", Plain(s.Fees)),
        ("Gross PnL (before fees)", Money(s.GrossPnl)),
        ("Net PnL", $"{Money(s.NetPnl)} ({Percent(s.InitialCash > 0 ? (double)(s.NetPnl / s.InitialCash) : null)})"),
        ("Max drawdown", Percent(s.MaxDrawdown)),
        ("Max drawdown duration", DrawdownDuration(s)),
        ("Sharpe (annualised)", Ratio(s.Sharpe)),
        ("Sortino (annualised)", Ratio(s.Sortino)),
        ("Calmar", Ratio(s.Calmar)),
    ];

    public static readonly string[] SymbolColumns =
        ["Symbol", "Trades", "Win rate", "Exposure", "Fees", "Net PnL", "Return", "Buy & hold", "Buy & hold PnL", "First → last price"];

    /// <summary>One row per symbol under <see cref="SymbolColumns"/>; returns are on the initial cash.</summary>
    public static IReadOnlyList<string[]> SymbolRows(BacktestStatistics s) => s.Symbols.Select(x => new[]
    {
        x.Symbol,
        x.Trades.ToString(CultureInfo.InvariantCulture),
        x.Trades > 0 ? Percent(x.WinRate) : NotAvailable,
        Percent(x.Exposure),
        Plain(x.Fees),
        Money(x.NetPnl),
        Percent(s.InitialCash > 0 ? (double)(x.NetPnl / s.InitialCash) : null),
        Percent(x.BuyAndHoldReturn),
        x.BuyAndHoldPnl is { } pnl ? Money(pnl) : NotAvailable,
        $"{Price(x.FirstPrice)} → {Price(x.LastPrice)}",
    }).ToList();
}
