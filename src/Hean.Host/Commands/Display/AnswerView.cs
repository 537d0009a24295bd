using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Hean.Host.Commands.Display;

/// <summary>
/// A node's short answers (an order submitted, cancelled or amended, the running algorithms, one algorithm's state) as
/// names and values: numbers trimmed of trailing zeros, lists of objects as a table.
/// </summary>
public static class AnswerView
{
    public static IRenderable Render(JsonElement answer, DateTime wall) =>
        new Rows(new Text($"at wall time {Formats.Time(wall)}"), Value(answer));

    private static IRenderable Value(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Object => Object(v),
        JsonValueKind.Array when v.EnumerateArray().Any(x => x.ValueKind == JsonValueKind.Object) => List(v),
        JsonValueKind.Array => Cells.Plain(v.GetArrayLength() == 0 ? "none" : string.Join(", ", v.EnumerateArray().Select(Scalar))),
        _ => Cells.Plain(Scalar(v)),
    };

    private static Table Object(JsonElement o)
    {
        var t = new Table().Border(TableBorder.Rounded).HideHeaders();
        t.AddColumn("name");
        t.AddColumn("value");
        foreach (var p in o.EnumerateObject()) t.AddRow(new Text(p.Name.Replace('_', ' ')), Value(p.Value));
        return t;
    }

    private static Table List(JsonElement items)
    {
        var t = new Table().Border(TableBorder.Rounded);
        var names = items.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object).SelectMany(x => x.EnumerateObject().Select(p => p.Name)).Distinct().ToList();
        foreach (var name in names) t.AddColumn(new TableColumn(Markup.Escape(name.Replace('_', ' '))));
        foreach (var item in items.EnumerateArray())
            t.AddRow(names.Select(n => Cells.Plain(item.Field(n) is { } x ? Scalar(x) : null)));
        return t;
    }

    private static string Scalar(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Number => v.TryGetDecimal(out var d) ? Formats.Quantity(d) : v.GetRawText(),
        JsonValueKind.String => Hean.Core.Domain.DisplayText.Printable(v.GetString()!, 300),
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.Null => "-",
        _ => Hean.Core.Domain.DisplayText.Printable(v.GetRawText(), 300),
    };
}
