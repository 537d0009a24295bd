using System.Diagnostics;
using System.Globalization;
using Hean.Core.Kernel;

namespace Hean.Host.Commands;

/// <summary>
/// What a kernel backtest reports to <see cref="CommandProgress"/>: events, market time and events/s, and the share
/// done when the market time to cover is known (as for the synthetic market; then there is an ETA).
/// </summary>
public sealed class BacktestProgress
{
    private readonly DateTime? _from;
    private readonly DateTime? _to;
    private readonly Stopwatch _wall = Stopwatch.StartNew();

    /// <param name="from">Market time the run starts at, when known.</param>
    /// <param name="to">Market time it ends at, when known (then there is an ETA).</param>
    public BacktestProgress(DateTime? from, DateTime? to) => (_from, _to) = (from, to);

    /// <summary>Runs <paramref name="run"/>, reporting what it passes to the callback it receives.</summary>
    public T Around<T>(Func<Action<KernelResult>, T> run) =>
        CommandProgress.Run("backtest", report => run(r => report(new ProgressUpdate(Describe(r), Fraction(r)))));

    private string Describe(KernelResult r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Events:N0} events, market time {r.Last:yyyy-MM-dd HH:mm}, {r.Events / Math.Max(_wall.Elapsed.TotalSeconds, 1e-3):N0} events/s");

    /// <summary>The market time to cover is known (then there is a share and an ETA).</summary>
    private bool Bounded => _from is { } from && _to is { } to && to > from;

    private double? Fraction(KernelResult r) =>
        Bounded && r.Last is { } now ? Math.Clamp((now - _from!.Value).TotalSeconds / (_to!.Value - _from.Value).TotalSeconds, 0, 1) : null;
}
