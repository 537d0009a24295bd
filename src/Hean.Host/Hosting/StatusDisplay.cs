using System.Globalization;
using Hean.Actors.Orchestration;
using Spectre.Console;

namespace Hean.Host.Hosting;

/// <summary>
/// The status of `hean run`: on a terminal a live screen redrawn every second under the start lines (URLs and token),
/// with trading state, kill switch, events/s, positions, recent fills and signals and each component's health; one line
/// per update otherwise; or with LOG_FORMAT=json a log event per update (stdout then carries JSON lines only).
/// </summary>
public sealed class StatusDisplay(bool interactive, bool json)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The lines printed at start (what runs, the token's place, the URLs): kept at the top of the live screen.</summary>
    public IReadOnlyList<string> Header { get; init; } = [];

    public RecentActivity? Recent { get; init; }

    /// <summary>The indicators warm up on market history from <c>From</c> until the market time reaches <c>Live</c>.</summary>
    public (DateTime From, DateTime Live)? Warmup { get; init; }

    /// <summary>"warming up on history: market time 12:40:00, live from 14:05:00 UTC (60%)" while the feed is before the live boundary.</summary>
    public string? WarmingUp(StateSnapshot s) =>
        Warmup is { } w && s.Feed is { } f && (f.LastMarketTime is not { } now || now < w.Live)
            ? string.Create(Inv, $"warming up on history: market time {f.LastMarketTime?.ToString("HH:mm:ss", Inv) ?? "not yet"}, live from {w.Live:HH:mm:ss} UTC ") +
              string.Create(Inv, $"({100 * (f.LastMarketTime is { } t && w.Live > w.From ? Math.Clamp((t - w.From) / (w.Live - w.From), 0, 1) : 0):0}%)")
            : null;

    public void Show(StateSnapshot s, TimeSpan elapsed, HealthReport? health = null)
    {
        if (json)
        {
            Serilog.Log.Information("status {Status:l}", Line(s, elapsed) + (WarmingUp(s) is { } wj ? " | " + wj : ""));
            return;
        }
        if (!interactive)
        {
            Console.WriteLine(Line(s, elapsed) + (WarmingUp(s) is { } wl ? " | " + wl : ""));
            return;
        }
        AnsiConsole.Cursor.SetPosition(0, 0);
        AnsiConsole.Clear();
        foreach (var line in Header) AnsiConsole.MarkupLine("[grey]" + Markup.Escape(line) + "[/]");
        AnsiConsole.Write(new Rule($"HEAN paper trading — {elapsed:hh\\:mm\\:ss}").LeftJustified());
        AnsiConsole.MarkupLine(StateLine(s));
        if (WarmingUp(s) is { } warming) AnsiConsole.MarkupLine("[yellow]" + Markup.Escape(warming) + "[/]");
        AnsiConsole.Write(Table(s));
        if (Recent is { } recent) AnsiConsole.Write(new Columns(Fills(recent), Signals(recent)).Collapse());
        if (health is not null) AnsiConsole.MarkupLine(HealthLine(health));
        AnsiConsole.MarkupLine("[grey]Ctrl-C stops (final checkpoint, then exit)[/]");
    }

    private static string StateLine(StateSnapshot s)
    {
        var state = s.Risk.TradingState switch
        {
            "active" => "[green]ACTIVE[/]",
            "reducing" => "[yellow]REDUCING[/]",
            var other => $"[red]{Markup.Escape(other.ToUpperInvariant())}[/]",
        };
        var kill = s.Risk.KillSwitchEngaged ? $"[red bold]ENGAGED[/] ({Markup.Escape(s.Risk.KillSwitchReason ?? "")})" : "[green]off[/]";
        var feed = s.Feed is { } f ? string.Create(Inv, $"events {f.Events:N0} ([bold]{f.EventsPerSecond:N0}/s[/])  signals {f.Signals}") : "no feed";
        return $"trading {state}  kill switch {kill}  {feed}";
    }

    private static Table Fills(RecentActivity recent)
    {
        var fills = recent.Fills;
        var t = new Table().Border(TableBorder.Simple).Title("recent fills (market time)");
        foreach (var c in new[] { "time", "symbol", "side", "qty", "price" }) t.AddColumn(c);
        foreach (var f in fills)
            t.AddRow(f.Time.ToString("HH:mm:ss", Inv), f.Symbol.Value, f.Side == Hean.Core.Domain.Side.Buy ? "[green]BUY[/]" : "[red]SELL[/]",
                f.Qty.ToString("0.########", Inv), f.Price.ToString("0.########", Inv));
        if (fills.Count == 0) t.AddRow("[grey]none yet[/]", "", "", "", "");
        return t;
    }

    private static Table Signals(RecentActivity recent)
    {
        var signals = recent.Signals;
        var t = new Table().Border(TableBorder.Simple).Title("recent signals (market time)");
        foreach (var c in new[] { "time", "symbol", "direction", "confidence" }) t.AddColumn(c);
        foreach (var s in signals)
            t.AddRow(s.Time.ToString("HH:mm:ss", Inv), s.Symbol.Value, s.Direction.ToString().ToLowerInvariant(), s.Confidence.ToString("0.00", Inv));
        if (signals.Count == 0) t.AddRow("[grey]none yet[/]", "", "", "");
        return t;
    }

    private static string HealthLine(HealthReport h) =>
        "health " + string.Join("  ", h.Components.Select(c => c.Status switch
        {
            ComponentHealth.Healthy => $"[green]{Markup.Escape(c.Component)} ok[/]",
            ComponentHealth.Degraded => $"[yellow]{Markup.Escape(c.Component)} degraded[/]",
            _ => $"[red]{Markup.Escape(c.Component)} {Markup.Escape(c.Status)}[/]",
        }));

    public static string Line(StateSnapshot s, TimeSpan elapsed)
    {
        var positions = s.Positions.Count == 0 ? "flat"
            : string.Join(" ", s.Positions.Select(p => string.Create(Inv, $"{p.Symbol} {p.Qty:+0.####;-0.####} @{p.AvgPrice:0.##}")));
        var feed = s.Feed is { } f ? string.Create(Inv, $"events {f.Events} ({f.EventsPerSecond:0}/s) signals {f.Signals}") : "no feed";
        return string.Create(Inv,
            $"[{elapsed:hh\\:mm\\:ss}] {feed} | orders {s.Orders.Created} open {s.OpenOrders.Count} fills {s.Orders.Fills} | {positions} | equity {s.Portfolio.Equity:0.00} pnl {s.Portfolio.Pnl:+0.00;-0.00} fees {s.Portfolio.Fees:0.00} | kill switch {(s.Risk.KillSwitchEngaged ? "ENGAGED" : "off")}");
    }

    private static Table Table(StateSnapshot s)
    {
        var t = new Table().Border(TableBorder.Rounded).Title("positions");
        t.AddColumn("symbol");
        t.AddColumn(new TableColumn("qty").RightAligned());
        t.AddColumn(new TableColumn("avg price").RightAligned());
        t.AddColumn(new TableColumn("mark").RightAligned());
        t.AddColumn(new TableColumn("unrealized").RightAligned());
        t.AddColumn(new TableColumn("realized").RightAligned());
        foreach (var p in s.Positions)
            t.AddRow(p.Symbol, p.Qty.ToString("0.####", Inv), p.AvgPrice.ToString("0.00", Inv), p.Mark?.ToString("0.00", Inv) ?? "-",
                Colored(p.UnrealizedPnl), Colored(p.RealizedPnl));
        if (s.Positions.Count == 0) t.AddRow("[grey]flat[/]", "", "", "", "", "");
        t.Caption(string.Create(Inv,
            $"equity {s.Portfolio.Equity:0.00}  pnl {s.Portfolio.Pnl:+0.00;-0.00}  fees {s.Portfolio.Fees:0.00}  |  orders {s.Orders.Created}  open {s.OpenOrders.Count}  fills {s.Orders.Fills}  risk rejections {s.Risk.Rejected}"));
        return t;
    }

    private static string Colored(decimal v) =>
        v > 0 ? $"[green]{v.ToString("+0.00", Inv)}[/]" : v < 0 ? $"[red]{v.ToString("0.00", Inv)}[/]" : "0.00";

    /// <summary>The closing summary, line by line.</summary>
    public static IReadOnlyList<string> Summary(StateSnapshot s, TimeSpan elapsed)
    {
        var lines = new List<string>();
        lines.Add($"HEAN summary after {elapsed:hh\\:mm\\:ss}");
        lines.Add(string.Create(Inv, $"  equity {s.Portfolio.Equity:0.00} USDT (start {s.Portfolio.InitialCash:0.00}), pnl {s.Portfolio.Pnl:+0.00;-0.00} (realized {s.Portfolio.RealizedPnl:+0.00;-0.00}, unrealized {s.Portfolio.UnrealizedPnl:+0.00;-0.00}, fees {s.Portfolio.Fees:0.00})"));
        lines.Add($"  orders {s.Orders.Created} (filled {s.Orders.Filled}, cancelled {s.Orders.Cancelled}, rejected {s.Orders.Rejected}), fills {s.Orders.Fills}, open {s.OpenOrders.Count}, risk rejections {s.Risk.Rejected}");
        foreach (var p in s.Positions)
            lines.Add(string.Create(Inv, $"  position {p.Symbol} {p.Qty:+0.####;-0.####} @ {p.AvgPrice:0.00} (mark {p.Mark:0.00}, unrealized {p.UnrealizedPnl:+0.00;-0.00})"));
        if (s.Positions.Count == 0) lines.Add("  no open positions");
        if (s.Feed is { } f) lines.Add(string.Create(Inv, $"  market events {f.Events} ({f.EventsPerSecond:0}/s), signals {f.Signals}, feed errors {f.Errors}"));
        lines.Add(s.Risk.KillSwitchEngaged ? $"  KILL SWITCH ENGAGED: {s.Risk.KillSwitchReason}" : "  kill switch off");
        return lines;
    }
}
