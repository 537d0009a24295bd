using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Hean.Host.Commands.Display;

/// <summary>`hean state`: the portfolio, positions, open orders, order counts, risk and feed of /api/state as tables.</summary>
public static class StateView
{
    public static IRenderable Render(JsonElement state, DateTime wall)
    {
        var parts = new List<IRenderable> { new Text($"HEAN node state at wall time {Formats.Time(wall)}") };
        if (state.Field("portfolio") is { } p) parts.Add(Portfolio(p));
        parts.Add(Positions(state));
        parts.Add(OpenOrders(state));
        if (state.Field("orders") is { } o) parts.Add(Orders(o));
        if (state.Field("risk") is { } r) parts.Add(Risk(r));
        if (state.Field("feed") is { } f) parts.Add(FeedView.Section(f, wall));
        return new Rows(parts);
    }

    private static Table Portfolio(JsonElement p) => new KeyValues("portfolio (USDT)")
        .Add("equity", p.Decimal("equity").Or(Formats.Money))
        .Add("initial cash", p.Decimal("initial_cash").Or(Formats.Money))
        .Add("cash", p.Decimal("cash").Or(Formats.Money))
        .Add("pnl", Cells.Pnl(p.Decimal("pnl")))
        .Add("realized pnl", Cells.Pnl(p.Decimal("realized_pnl")))
        .Add("unrealized pnl", Cells.Pnl(p.Decimal("unrealized_pnl")))
        .Add("fees", p.Decimal("fees").Or(Formats.Money))
        .Add("funding (paid)", p.Decimal("funding").Or(Formats.Money))
        .Add("gross exposure", p.Decimal("gross_exposure").Or(Formats.Money))
        .Add("fills", p.Long("fills").Or(Formats.Count))
        .Table;

    private static Table Positions(JsonElement state)
    {
        var t = new Table().Border(TableBorder.Rounded).Title("positions");
        t.AddColumn("symbol");
        foreach (var name in new[] { "qty", "avg price", "mark", "unrealized pnl", "realized pnl", "fees" }) t.AddColumn(new TableColumn(name).RightAligned());
        foreach (var x in state.Items("positions"))
            t.AddRow(Cells.Plain(x.Text("symbol")), Cells.Plain(x.Decimal("qty").Or(Formats.SignedQuantity)), Cells.Plain(x.Decimal("avg_price").Or(Formats.Price)),
                Cells.Plain(x.Decimal("mark").Or(Formats.Price)), Cells.Pnl(x.Decimal("unrealized_pnl")), Cells.Pnl(x.Decimal("realized_pnl")),
                Cells.Plain(x.Decimal("fees").Or(Formats.Money)));
        if (t.Rows.Count == 0) t.AddRow(new Text("flat"));
        return t;
    }

    private static Table OpenOrders(JsonElement state)
    {
        var t = new Table().Border(TableBorder.Rounded).Title("open orders");
        foreach (var name in new[] { "id", "symbol", "side", "type" }) t.AddColumn(name);
        foreach (var name in new[] { "qty", "price", "filled" }) t.AddColumn(new TableColumn(name).RightAligned());
        t.AddColumn("status");
        t.AddColumn("created (market time)");
        foreach (var x in state.Items("open_orders"))
            t.AddRow(Cells.Plain(x.Text("client_order_id")), Cells.Plain(x.Text("symbol")), Cells.Plain(x.Text("side")), Cells.Plain(x.Text("type")),
                Cells.Plain(x.Decimal("qty").Or(Formats.Quantity)), Cells.Plain(x.Decimal("price").Or(Formats.Price) ?? "market"),
                Cells.Plain(x.Decimal("filled_qty").Or(Formats.Quantity)), Cells.Plain(x.Text("status")),
                Cells.Plain(x.Time("created_at") is { } at ? Formats.Time(at) : null));
        if (t.Rows.Count == 0) t.AddRow(new Text("none"));
        return t;
    }

    private static readonly string[] OrderCounts = ["created", "filled", "cancelled", "rejected", "open", "fills", "duplicate_reports", "overfills"];

    private static Table Orders(JsonElement o) =>
        OrderCounts.Aggregate(new KeyValues("orders"), (t, count) => t.Add(count.Replace('_', ' '), o.Long(count).Or(Formats.Count))).Table;

    private static Table Risk(JsonElement r) => new KeyValues("risk")
        .Add("kill switch", Cells.Status(r.Flag("kill_switch_engaged") == true ? "ENGAGED" : "off"))
        .Add("kill switch reason", r.Text("kill_switch_reason"))
        .Add("orders approved", r.Long("approved").Or(Formats.Count))
        .Add("orders rejected", r.Long("rejected").Or(Formats.Count))
        .Add("day start equity", r.Decimal("day_start_equity").Or(Formats.Money))
        .Add("daily drawdown", r.Decimal("daily_drawdown").Or(Formats.Percent))
        .Table;
}
