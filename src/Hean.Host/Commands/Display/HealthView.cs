using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Hean.Host.Commands.Display;

/// <summary>`hean health`: the node's status and every component's, with the reason of any that is not healthy.</summary>
public static class HealthView
{
    public static IRenderable Render(JsonElement health, DateTime wall)
    {
        var status = health.Text("status");
        var uptime = health.Decimal("uptime") is { } seconds ? $", up {Formats.Span(TimeSpan.FromSeconds((double)seconds))}" : "";
        var headline = new Paragraph("node ").Append(status ?? "-", Cells.StatusStyle(status)).Append($"{uptime}, at wall time {Formats.Time(wall)}");
        var t = new Table().Border(TableBorder.Rounded).Title("components");
        t.AddColumn("component");
        t.AddColumn("status");
        t.AddColumn("reason");
        if (health.Field("components") is { ValueKind: JsonValueKind.Object } components)
            foreach (var c in components.EnumerateObject())
                t.AddRow(Cells.Plain(c.Name), Cells.Status(c.Value.Text("status")), Cells.Plain(c.Value.Text("reason") ?? ""));
        return new Rows(headline, t);
    }
}
