using System.Diagnostics;
using System.Globalization;
using Spectre.Console;

namespace Hean.Host.Commands;

/// <summary>Where a long command is: a description and, when the end is known, the share done.</summary>
public sealed record ProgressUpdate(string Text, double? Fraction = null);

/// <summary>
/// Progress of a long command on standard error (standard output keeps the result): on a terminal a Spectre.Console
/// progress bar (with the share and the time left when the end is known), elsewhere a plain line every
/// <see cref="LineEvery"/>. Used by backtest, train, data download and record.
/// </summary>
public static class CommandProgress
{
    public static readonly TimeSpan LineEvery = TimeSpan.FromSeconds(5);

    private static bool OnTerminal => !Console.IsErrorRedirected && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="run"/>, showing what it reports through the callback it receives.</summary>
    public static T Run<T>(string name, Func<Action<ProgressUpdate>, T> run) =>
        RunAsync(name, report => Task.FromResult(run(report))).GetAwaiter().GetResult();

    public static async Task<T> RunAsync<T>(string name, Func<Action<ProgressUpdate>, Task<T>> run)
    {
        if (!OnTerminal) return await run(new Lines(name).Report);
        T result = default!;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(name, maxValue: 1.0);
                task.IsIndeterminate = true;
                result = await run(u =>
                {
                    task.Description = Markup.Escape($"{name}: {u.Text}");
                    if (u.Fraction is not { } f) return;
                    task.IsIndeterminate = false;
                    task.Value = Math.Clamp(f, 0, 1);
                });
                task.Value = 1.0;
            });
        return result;
    }

    /// <summary>A line every <see cref="LineEvery"/>: "name: text, 40%, about 12s left".</summary>
    private sealed class Lines(string name)
    {
        private readonly Stopwatch _wall = Stopwatch.StartNew();
        private readonly Lock _lock = new();
        private TimeSpan _last;

        public void Report(ProgressUpdate u)
        {
            lock (_lock)
            {
                if (_wall.Elapsed - _last < LineEvery) return;
                _last = _wall.Elapsed;
            }
            Console.Error.WriteLine($"{name}: {u.Text}" + (u.Fraction is { } f and > 0
                ? string.Create(CultureInfo.InvariantCulture, $", {Math.Min(f, 1):P0}, about {_wall.Elapsed.TotalSeconds * (1 - Math.Min(f, 1)) / f:0}s left")
                : ""));
        }
    }
}
