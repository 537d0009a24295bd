using Spectre.Console;
using Spectre.Console.Rendering;

namespace Hean.Host.Commands.Display;

/// <summary>Table cells from a node's values: text as text (never markup), "-" for none, signed money in colour.</summary>
public static class Cells
{
    public static IRenderable Plain(string? text) => new Text(text ?? "-");

    public static IRenderable Pnl(decimal? v) => v switch
    {
        null => Plain(null),
        > 0 => new Text(Formats.SignedMoney(v.Value), new Style(Color.Green)),
        < 0 => new Text(Formats.SignedMoney(v.Value), new Style(Color.Red)),
        _ => Plain(Formats.SignedMoney(0m)),
    };

    /// <summary>healthy / degraded / unhealthy (and the kill switch's ENGAGED) in traffic-light colours.</summary>
    public static IRenderable Status(string? status) => new Text(status ?? "-", StatusStyle(status));

    public static Style StatusStyle(string? status) => status switch
    {
        "healthy" or "active" or "off" => new Style(Color.Green),
        "degraded" or "reducing" or "starting" => new Style(Color.Yellow),
        "unhealthy" or "halted" or "ENGAGED" => new Style(Color.Red, decoration: Decoration.Bold),
        _ => Style.Plain,
    };

    public static string YesNo(bool? flag) => flag switch { true => "yes", false => "no", null => "-" };

    public static string? Or(this decimal? v, Func<decimal, string> format) => v is { } x ? format(x) : null;

    public static string? Or(this long? v, Func<long, string> format) => v is { } x ? format(x) : null;
}
