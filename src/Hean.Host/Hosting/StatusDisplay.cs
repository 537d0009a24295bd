using System.Globalization;
using Spectre.Console;

namespace Hean.Host.Hosting;

/// <summary>
/// The status of `hean run`: a redrawn table on a terminal, one line per update otherwise, or with LOG_FORMAT=json a
/// log event per update (stdout then carries JSON lines only).
/// </summary>
public sealed class StatusDisplay(bool interactive, bool json)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public void Show(StateSnapshot s, TimeSpan elapsed)
    {
        if (json)
        {
            Serilog.Log.Information("status {Status:l}", Line(s, elapsed));
            return;
        }
        if (!interactive)
        {
            Console.WriteLine(Line(s, elapsed));
            return;
        }
        AnsiConsole.Cursor.SetPosition(0, 0);
        AnsiConsole.Clear();
        AnsiConsole.Write(Table(s, elapsed));
        AnsiConsole.MarkupLine("[grey]Ctrl-C stops (final checkpoint, then exit)[/]");
    }

    public static string Line(StateSnapshot s, TimeSpan elapsed)
    {
        var positions = s.Positions.Count == 0 ? "flat"
            : string.Join(" ", s.Positions.Select(p => string.Create(Inv, $"{p.Symbol} {p.Qty:+0.####;-0.####} @{p.AvgPrice:0.##}")));
        var feed = s.Feed is { } f ? string.Create(Inv, $"events {f.Events} ({f.EventsPerSecond:0}/s) signals {f.Signals}") : "no feed";
        return string.Create(Inv,
            $"[{elapsed:hh\\:mm\\:ss}] {feed} | orders {s.Orders.Created} open {s.OpenOrders.Count} fills {s.Orders.Fills} | {positions} | equity {s.Portfolio.Equity:0.00} pnl {s.Portfolio.Pnl:+0.00;-0.00} fees {s.Portfolio.Fees:0.00} | kill switch {(s.Risk.KillSwitchEngaged ? "ENGAGED" : "off")}");
    }

    private static Table Table(StateSnapshot s, TimeSpan elapsed)
    {
        var t = new Table().Border(TableBorder.Rounded).Title($"HEAN paper trading — {elapsed:hh\\:mm\\:ss}");
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
            $"equity {s.Portfolio.Equity:0.00}  pnl {s.Portfolio.Pnl:+0.00;-0.00}  fees {s.Portfolio.Fees:0.00}  |  orders {s.Orders.Created}  open {s.OpenOrders.Count}  fills {s.Orders.Fills}  risk rejections {s.Risk.Rejected}  |  " +
            $"{(s.Feed is { } f ? $"events {f.Events} ({f.EventsPerSecond:0}/s)  signals {f.Signals}" : "")}  |  kill switch {(s.Risk.KillSwitchEngaged ? "ENGAGED" : "off")}"));
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
