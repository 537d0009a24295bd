using System.Diagnostics;

namespace Hean.Host.Commands;

/// <summary>
/// With HEAN_PHASES=1, how long each phase of a command took, on standard error at its end: the runtime's start before
/// Main (from the process's start time), then each phase since the one before. Off, it costs one check per phase.
/// </summary>
public static class StartupPhases
{
    private static readonly bool On = Environment.GetEnvironmentVariable("HEAN_PHASES") == "1";
    private static readonly List<(string Name, long At, long Jitted, TimeSpan JitTime)> Marks = [];

    /// <summary>The end of a phase.</summary>
    public static void Mark(string phase)
    {
        if (On) Marks.Add((phase, Stopwatch.GetTimestamp(), System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime()));
    }

    /// <summary>The phases so far on standard error (nothing when off).</summary>
    public static void Report()
    {
        if (!On || Marks.Count == 0) return;
        var process = Process.GetCurrentProcess();
        var sinceStart = DateTime.Now - process.StartTime;
        var first = Stopwatch.GetElapsedTime(Marks[0].At);
        var before = sinceStart - first; // from the process's start to the first mark
        Console.Error.WriteLine($"phase {Marks[0].Name,-24} {before.TotalMilliseconds,8:0.0} ms (since the process started; JIT: {Marks[0].Jitted} methods, {Marks[0].JitTime.TotalMilliseconds:0.0} ms)");
        for (var i = 1; i < Marks.Count; i++)
            Console.Error.WriteLine($"phase {Marks[i].Name,-24} {Stopwatch.GetElapsedTime(Marks[i - 1].At, Marks[i].At).TotalMilliseconds,8:0.0} ms " +
                                    $"(JIT: {Marks[i].Jitted - Marks[i - 1].Jitted} methods, {(Marks[i].JitTime - Marks[i - 1].JitTime).TotalMilliseconds:0.0} ms)");
        Console.Error.WriteLine($"phase {"total",-24} {sinceStart.TotalMilliseconds,8:0.0} ms (cpu {process.TotalProcessorTime.TotalMilliseconds:0} ms)");
        Marks.Clear();
    }
}
