using Hean.Host.Commands;

namespace Hean.Host.Reports;

/// <summary>The summary of `hean backtest` on standard output: the run's statistics, then one row per symbol against buy-and-hold.</summary>
public static class BacktestTable
{
    /// <summary>Wide enough for the symbol table when the output goes to a file or a pipe (Spectre would assume 80 columns).</summary>
    public const int RedirectedWidth = 160;

    public static void Write(BacktestReport report, TextWriter output, bool redirected)
    {
        var width = redirected ? RedirectedWidth : ConsoleWidth();
        var (summary, symbols) = Tables(report);
        summary.Write(output, width, terminal: !redirected);
        output.WriteLine(ReportFormat.RatioNote(report.Statistics));
        symbols.Write(output, width, terminal: !redirected);
    }

    /// <summary>The two tables: the run's statistics, and one row per symbol.</summary>
    public static (TextTable Summary, TextTable Symbols) Tables(BacktestReport report)
    {
        var stats = report.Statistics;
        var summary = new TextTable("Backtest summary", headers: false).Column("").Column("", right: true);
        foreach (var (name, value) in ReportFormat.SummaryRows(stats)) summary.Row(name, value);
        var symbols = new TextTable("Per symbol (returns on the initial cash; buy & hold: all of it bought at the first price, no fees)");
        for (var c = 0; c < ReportFormat.SymbolColumns.Length; c++) symbols.Column(ReportFormat.SymbolColumns[c], right: c > 0);
        foreach (var row in ReportFormat.SymbolRows(stats)) symbols.Row(row);
        return (summary, symbols);
    }

    /// <summary>The terminal's width, as Spectre.Console takes it (80 when it cannot be read).</summary>
    private static int ConsoleWidth()
    {
        try
        {
            return Console.BufferWidth is > 0 and var w ? w : 80;
        }
        catch (IOException)
        {
            return 80;
        }
    }
}
