using Hean.Host.Commands;
using Spectre.Console;

namespace Hean.Host.Reports;

/// <summary>The summary of `hean backtest` on standard output: the run's statistics, then one row per symbol against buy-and-hold.</summary>
public static class BacktestTable
{
    /// <summary>Wide enough for the symbol table when the output goes to a file or a pipe (Spectre would assume 80 columns).</summary>
    private const int RedirectedWidth = 160;

    /// <summary>
    /// Runs the table's rendering once on an empty table, to nothing: Spectre's first render costs a one-shot command about
    /// 10 ms of code run for the first time, which <c>hean backtest</c> pays on an idle core while it measures the run.
    /// </summary>
    public static void Prepare()
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null) });
        console.Profile.Width = RedirectedWidth;
        var table = new Table { Title = new TableTitle("-") }.AddColumn("").AddColumn(new TableColumn("").RightAligned()).HideHeaders();
        table.AddRow(Markup.Escape("-"), Markup.Escape(ReportFormat.Money(-1.5m)));
        console.Write(table);
    }

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
