using System.Text;
using Hean.Host.Commands;
using Hean.Host.Configuration;
using Hean.Host.Reports;
using Microsoft.Extensions.Configuration;
using Spectre.Console;
using Xunit;

namespace Hean.Host.Tests;

/// <summary>
/// The backtest's tables drawn without Spectre.Console are character for character what Spectre draws, and what this
/// cannot draw the same (too wide for the console, wide characters, no Unicode) is left to Spectre.
/// </summary>
public sealed class TextTableTests
{
    private static string Spectre(TextTable table, int width)
    {
        var text = new StringWriter();
        // As Spectre writes to a file or a pipe: no ANSI codes, no colours.
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = width;
        console.Write(table.ToSpectre());
        return text.ToString();
    }

    private static void SameAsSpectre(TextTable table, int width = 160)
    {
        var drawn = table.Render(width);
        Assert.NotNull(drawn);
        Assert.Equal(Spectre(table, width), drawn);
    }

    [Fact]
    public async Task The_backtest_summary_and_symbol_tables_are_drawn_as_Spectre_draws_them()
    {
        var report = await BacktestCommand.RunAsync(HeanSettings.From(new ConfigurationBuilder().Build()),
            new BacktestOptions(null, null, 7, TimeSpan.FromHours(3), new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc), TimeSpan.FromMinutes(1), null),
            CancellationToken.None);
        var (summary, symbols) = BacktestTable.Tables(report);
        SameAsSpectre(summary);
        SameAsSpectre(symbols);
        Assert.Contains("│ BTCUSDT │", symbols.Render(160));
        Assert.Contains("│ ETHUSDT │", symbols.Render(160));

        var written = new StringWriter();
        BacktestTable.Write(report, written, redirected: true);
        var width = BacktestTable.RedirectedWidth;
        Assert.Equal(Spectre(summary, width) + ReportFormat.RatioNote(report.Statistics) + Environment.NewLine + Spectre(symbols, width), written.ToString());
    }

    [Fact]
    public void Headers_alignment_empty_cells_and_titles_of_every_parity_are_drawn_as_Spectre_draws_them()
    {
        SameAsSpectre(new TextTable("T").Column("a").Column("bb", right: true).Row("", "").Row("longer cell", "1"));
        SameAsSpectre(new TextTable("even").Column("x", right: true).Row("46,377 → 38,544").Row("-0.15%"));
        SameAsSpectre(new TextTable("an odd title").Column("one").Column("two").Column("three").Row("1", "22", "333"));
        SameAsSpectre(new TextTable("", headers: false).Column("name").Column("value", right: true).Row("Win rate", "18.00%"));
        SameAsSpectre(new TextTable("Title", headers: false).Column("").Row("µ ± σ, ≤ ≥ €"));
        SameAsSpectre(new TextTable("exactly as wide").Column("123456789").Column("1").Row("a", "b"), width: 17);
        SameAsSpectre(new TextTable("no rows").Column("first").Column("b"));
        SameAsSpectre(new TextTable("hidden names", headers: false).Column("a long name").Column("value", right: true).Row("x", "1"));
    }

    [Fact]
    public void What_would_not_be_drawn_the_same_is_left_to_Spectre()
    {
        var wide = new TextTable("too wide").Column("a").Column("b").Row(new string('x', 50), new string('y', 50));
        Assert.Null(wide.Render(80)); // Spectre wraps the cells to fit the console
        Assert.Null(new TextTable("a title much longer than its table").Column("a").Row("1").Render(160)); // Spectre wraps the title
        Assert.Null(new TextTable("t").Column("a").Row("比特币").Render(160)); // two columns a character
        Assert.Null(new TextTable("t").Column("a").Row("🚀").Render(160));
        Assert.Null(new TextTable("t").Column("a").Row("\u1100").Render(160)); // Hangul Jamo: two columns, below U+2600
        Assert.Null(new TextTable("t").Column("a").Row("a\u0301").Render(160)); // a combining accent: no column of its own
        Assert.Null(new TextTable("t").Column("a").Row("soft\u00adhyphen").Render(160));
        Assert.Null(new TextTable("t").Column("a").Row("two\nlines").Render(160));
        Assert.Null(new TextTable("t").Column("a").Row("1").Render(160, unicode: false)); // Spectre draws an ASCII border
        var bare = new TextTable("only a title", headers: false).Column("a");
        Assert.Null(bare.Render(160)); // no headers and no rows: Spectre draws the title alone
        var drawn = new StringWriter();
        bare.Write(drawn, 160);
        Assert.Equal(Spectre(bare, 160), drawn.ToString());

        // Written, the table that does not fit is Spectre's, fitted to the width.
        var written = new StringWriter();
        wide.Write(written, 80);
        Assert.Equal(Spectre(wide, 80), written.ToString());
        Assert.All(written.ToString().Split('\n'), line => Assert.True(line.Length <= 80, line));
    }

    [Fact]
    public void A_row_must_have_a_cell_per_column_and_columns_come_first()
    {
        var table = new TextTable("t").Column("a").Column("b");
        Assert.Throws<ArgumentException>(() => table.Row("only one"));
        table.Row("1", "2");
        Assert.Throws<InvalidOperationException>(() => table.Column("c"));
    }
}
