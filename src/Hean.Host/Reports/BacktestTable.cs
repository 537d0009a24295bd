using Hean.Host.Commands;
using Spectre.Console;

namespace Hean.Host.Reports;

/// <summary>The summary of `hean backtest` on standard output: the run's statistics, then one row per symbol against buy-and-hold.</summary>
public static class BacktestTable
{
    /// <summary>Wide enough for the symbol table when the output goes to a file or a pipe (Spectre would assume 80 columns).</summary>
    private const int RedirectedWidth = 160;

    public static void Write(BacktestReport report, TextWriter output, bool redirected)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        if (redirected) console.Profile.Width = RedirectedWidth;
        var stats = report.Statistics;
        var summary = new Table { Title = new TableTitle("Backtest summary") }.AddColumn("").AddColumn(new TableColumn("").RightAligned()).HideHeaders();
        foreach (var (name, value) in ReportFormat.SummaryRows(stats)) summary.AddRow(Markup.Escape(name), Markup.Escape(value));
        console.Write(summary);
        console.WriteLine(ReportFormat.RatioNote(stats));

        var symbols = new Table { Title = new TableTitle("Per symbol (returns on the initial cash; buy & hold: all of it bought at the first price, no fees)") };
        foreach (var column in ReportFormat.SymbolColumns) symbols.AddColumn(new TableColumn(Markup.Escape(column)).RightAligned());
        symbols.Columns[0].LeftAligned();
        foreach (var row in ReportFormat.SymbolRows(stats)) symbols.AddRow(row.Select(Markup.Escape).ToArray());
        console.Write(symbols);
    }
}
