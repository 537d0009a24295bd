using System.Globalization;

namespace Hean.Host.Commands.Display;

/// <summary>
/// How the operator tables write numbers and times. Prices keep up to 8 decimals with trailing zeros trimmed (an average
/// fill price or a mid falls between ticks: rounding it to the tick would show a price that is not the number) and no
/// thousands separator, so one can be pasted into `--price`; money has 2 decimals; shares of something are percentages.
/// </summary>
public static class Formats
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Money(decimal v) => v.ToString("#,0.00", Inv);

    public static string SignedMoney(decimal v) => v.ToString("+#,0.00;-#,0.00;0.00", Inv);

    public static string Price(decimal v) => v.ToString("0.########", Inv);

    public static string Quantity(decimal v) => v.ToString("0.########", Inv);

    public static string SignedQuantity(decimal v) => v.ToString("+0.########;-0.########;0", Inv);

    /// <summary>A share (0.05) as a percentage (5.00 %).</summary>
    public static string Percent(decimal share) => (share * 100).ToString("0.00", Inv) + " %";

    public static string Count(long n) => n.ToString("#,0", Inv);

    public static string Rate(double perSecond) => perSecond.ToString("#,0", Inv) + "/s";

    /// <summary>A UTC time to the second; the caller's label says whether it is wall or market time.</summary>
    public static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd HH:mm:ss", Inv) + " UTC";

    /// <summary>A span as an operator reads it: 45s, 3m 20s, 2h 05m, 3d 04h.</summary>
    public static string Span(TimeSpan span)
    {
        var t = span.Duration();
        return t.TotalMinutes < 1 ? $"{t.Seconds}s"
            : t.TotalHours < 1 ? $"{t.Minutes}m {t.Seconds:00}s"
            : t.TotalDays < 1 ? $"{(int)t.TotalHours}h {t.Minutes:00}m"
            : $"{(int)t.TotalDays}d {t.Hours:00}h";
    }

    /// <summary>Where market time stands against the wall clock (at --speed 10 it runs ahead, during warm-up behind).</summary>
    public static string MarketLag(DateTime market, DateTime wall)
    {
        var gap = market - wall;
        return gap.Duration() < TimeSpan.FromSeconds(1) ? "level with wall time"
            : $"{Span(gap)} {(gap > TimeSpan.Zero ? "ahead of" : "behind")} wall time";
    }
}
