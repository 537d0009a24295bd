using System.Text;
using Spectre.Console;

namespace Hean.Host.Reports;

/// <summary>
/// A table of plain text cells drawn exactly as Spectre.Console draws its default (square) table to a file or a pipe (no
/// colours): a centred title, one space of padding in each cell, columns as wide as their widest cell. A one-shot command
/// like <c>hean backtest</c> spent about 20 ms in Spectre's first render (code run for the first time) to print two small
/// tables, which a script or an optimisation running it thousands of times pays each time; this draws them in well under a
/// millisecond. What it does not draw the same (a table wider than the width, which Spectre fits by wrapping cells; a
/// title wider than its table; characters not one column wide; an output without Unicode) goes to Spectre, and so does a
/// terminal (<see cref="Write"/> with <c>terminal</c>), where Spectre colours the title.
/// </summary>
public sealed class TextTable
{
    private readonly List<string> _columns = [];
    private readonly List<bool> _right = [];
    private readonly List<string[]> _rows = [];

    public TextTable(string title, bool headers = true) => (Title, Headers) = (title, headers);

    public string Title { get; }

    /// <summary>Whether the column names are drawn as a header row.</summary>
    public bool Headers { get; }

    public TextTable Column(string name, bool right = false)
    {
        if (_rows.Count > 0) throw new InvalidOperationException("columns come before rows");
        _columns.Add(name);
        _right.Add(right);
        return this;
    }

    public TextTable Row(params string[] cells)
    {
        if (cells.Length != _columns.Count) throw new ArgumentException($"a row of {cells.Length} cells in a table of {_columns.Count} columns");
        _rows.Add(cells);
        return this;
    }

    /// <summary>Writes the table for an output of the given width: drawn here when it can be and the output is no terminal, else by Spectre.</summary>
    public void Write(TextWriter output, int width, bool terminal = false)
    {
        if (!terminal && Render(width, Unicode(output.Encoding)) is { } text) output.Write(text);
        else WriteWithSpectre(output, width, terminal);
    }

    /// <summary>The table as Spectre would draw it on a console <paramref name="width"/> columns wide, or null when this does not draw it the same.</summary>
    public string? Render(int width, bool unicode = true)
    {
        // Without headers and rows Spectre draws the title alone: left to it.
        if (!unicode || _columns.Count == 0 || !OneColumnEach(Title) || (!Headers && _rows.Count == 0)) return null;
        var widths = new int[_columns.Count];
        for (var c = 0; c < _columns.Count; c++)
        {
            // A column is as wide as its name even when the names are not drawn, as Spectre measures it.
            if (!OneColumnEach(_columns[c])) return null;
            widths[c] = _columns[c].Length;
            foreach (var row in _rows)
            {
                if (!OneColumnEach(row[c])) return null;
                widths[c] = Math.Max(widths[c], row[c].Length);
            }
        }
        var total = 3 * widths.Length + 1; // a space either side of each cell, a border between and around
        foreach (var w in widths) total += w;
        if (total > width || Title.Length > total) return null;

        var text = new StringBuilder((total + 1) * (_rows.Count + 6));
        if (Title.Length > 0)
        {
            var left = (total - Title.Length) / 2;
            Repeat(text, ' ', left).Append(Title);
            Repeat(text, ' ', total - Title.Length - left).Append('\n');
        }
        Rule(text, widths, '┌', '┬', '┐');
        if (Headers)
        {
            Line(text, widths, _columns);
            if (_rows.Count > 0) Rule(text, widths, '├', '┼', '┤');
        }
        foreach (var row in _rows) Line(text, widths, row);
        Rule(text, widths, '└', '┴', '┘');
        return text.ToString();
    }

    private void Line(StringBuilder text, int[] widths, IReadOnlyList<string> cells)
    {
        text.Append('│');
        for (var c = 0; c < widths.Length; c++)
        {
            var pad = widths[c] - cells[c].Length;
            text.Append(' ');
            if (_right[c]) Repeat(text, ' ', pad).Append(cells[c]);
            else Repeat(text.Append(cells[c]), ' ', pad);
            text.Append(" │");
        }
        text.Append('\n');
    }

    // One character at a time: StringBuilder's repeated append fills with vector code the JIT compiled in every process.
    private static StringBuilder Repeat(StringBuilder text, char c, int count)
    {
        for (var i = 0; i < count; i++) text.Append(c);
        return text;
    }

    private static void Rule(StringBuilder text, int[] widths, char left, char between, char right)
    {
        text.Append(left);
        for (var c = 0; c < widths.Length; c++)
        {
            if (c > 0) text.Append(between);
            Repeat(text, '─', widths[c] + 2);
        }
        text.Append(right).Append('\n');
    }

    /// <summary>
    /// Characters known to be one column wide in every terminal: printable ASCII and Latin-1 (not the soft hyphen), the
    /// basic Greek and Cyrillic letters, and the punctuation, currency, letter-like, arrow and mathematical blocks. Anything
    /// else (control characters, combining marks, Hangul, CJK, emoji, surrogates…) is left to Spectre's own measure.
    /// </summary>
    private static bool OneColumnEach(string text)
    {
        foreach (var ch in text)
        {
            var known = ch is (>= ' ' and <= '~') or (>= '\u00a0' and <= '\u00ff' and not '\u00ad')
                or (>= '\u0391' and <= '\u03c9') or (>= '\u0410' and <= '\u044f')
                or (>= '\u2010' and <= '\u2027') or (>= '\u2030' and <= '\u205e') or (>= '\u20a0' and <= '\u20c0')
                or (>= '\u2100' and <= '\u214f') or (>= '\u2190' and <= '\u22ff');
            if (!known) return false;
        }
        return true;
    }

    /// <summary>UTF-8, -16 or -32 (by code page: the console's encoding is a wrapper of its own).</summary>
    private static bool Unicode(Encoding encoding) => encoding.CodePage is 65001 or 1200 or 1201 or 12000 or 12001;

    private void WriteWithSpectre(TextWriter output, int width, bool terminal)
    {
        var settings = new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) };
        if (!terminal) (settings.Ansi, settings.ColorSystem) = (AnsiSupport.No, ColorSystemSupport.NoColors); // a file or a pipe: no escape codes
        var console = AnsiConsole.Create(settings);
        console.Profile.Width = width;
        console.Write(ToSpectre());
    }

    /// <summary>The same table for Spectre.Console.</summary>
    public Table ToSpectre()
    {
        var table = new Table();
        if (Title.Length > 0) table.Title = new TableTitle(Markup.Escape(Title));
        for (var c = 0; c < _columns.Count; c++)
        {
            var column = new TableColumn(Markup.Escape(_columns[c]));
            table.AddColumn(_right[c] ? column.RightAligned() : column.LeftAligned());
        }
        if (!Headers) table.HideHeaders();
        foreach (var row in _rows) table.AddRow(row.Select(Markup.Escape).ToArray());
        return table;
    }
}
