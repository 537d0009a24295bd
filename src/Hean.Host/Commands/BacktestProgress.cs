using System.Diagnostics;
using System.Globalization;
using Hean.Core.Kernel;
using Spectre.Console;

namespace Hean.Host.Commands;

/// <summary>
/// Progress of a kernel backtest on standard error (standard output keeps the result): on a terminal a Spectre.Console
/// progress bar (a bar with an ETA when the market time to cover is known, as for the synthetic market; otherwise the
/// market time reached), elsewhere a plain line every <see cref="LineEvery"/>. Events, market time and events/s either way.
/// </summary>
public sealed class BacktestProgress
{
    public static readonly TimeSpan LineEvery = TimeSpan.FromSeconds(5);

    private readonly DateTime? _from;
    private readonly DateTime? _to;
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private TimeSpan _lastLine;

    /// <param name="from">Market time the run starts at, when known.</param>
    /// <param name="to">Market time it ends at, when known (then there is an ETA).</param>
    public BacktestProgress(DateTime? from, DateTime? to) => (_from, _to) = (from, to);

    /// <summary>Runs <paramref name="run"/>, reporting what it passes to the callback it receives.</summary>
    public T Around<T>(Func<Action<KernelResult>, T> run)
    {
        if (Console.IsErrorRedirected || !AnsiConsole.Profile.Capabilities.Interactive)
            return run(Line);
        T result = default!;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) });
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
            .Start(ctx =>
            {
                var task = ctx.AddTask("backtest", maxValue: 1.0);
                task.IsIndeterminate = !Bounded;
                result = run(r =>
                {
                    task.Description = Describe(r);
                    if (Fraction(r) is { } f) task.Value = f;
                });
                task.Value = 1.0;
            });
        return result;
    }

    private void Line(KernelResult r)
    {
        if (_wall.Elapsed - _lastLine < LineEvery) return;
        _lastLine = _wall.Elapsed;
        Console.Error.WriteLine("backtest: " + Describe(r) + (Fraction(r) is { } f && f > 0
            ? string.Create(CultureInfo.InvariantCulture, $", {f:P0}, about {_wall.Elapsed.TotalSeconds * (1 - f) / f:0}s left")
            : ""));
    }

    private string Describe(KernelResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Events:N0} events, market time {r.Last:yyyy-MM-dd HH:mm}, {r.Events / Math.Max(_wall.Elapsed.TotalSeconds, 1e-3):N0} events/s");

    /// <summary>The market time to cover is known (then there is a share and an ETA).</summary>
    private bool Bounded => _from is { } from && _to is { } to && to > from;

    private double? Fraction(KernelResult r) =>
        Bounded && r.Last is { } now ? Math.Clamp((now - _from!.Value).TotalSeconds / (_to!.Value - _from.Value).TotalSeconds, 0, 1) : null;
}
