using Spectre.Console;
using Spectre.Console.Rendering;

namespace Hean.Host.Commands.Display;

/// <summary>A titled two-column table of names and values (one section of an operator view).</summary>
public sealed class KeyValues
{
    private readonly Table _table;

    public KeyValues(string title)
    {
        _table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title)).HideHeaders();
        _table.AddColumn(new TableColumn("name"));
        _table.AddColumn(new TableColumn("value").RightAligned());
    }

    public KeyValues Add(string name, string? value) => Add(name, Cells.Plain(value));

    public KeyValues Add(string name, IRenderable value)
    {
        _table.AddRow(new Text(name), value);
        return this;
    }

    public Table Table => _table;
}
