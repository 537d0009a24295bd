using System.Diagnostics;
using Hean.Core.Models;

namespace Hean.ML.Inference;

/// <summary>Per-call latency percentiles of a predictor, in microseconds (each call timed alone, timer overhead included).</summary>
public sealed record LatencyStats(int Calls, double MeanMicros, double P50Micros, double P90Micros, double P99Micros, double P999Micros, double MaxMicros);

/// <summary>Times every <see cref="IPredictor.Predict"/> call separately, so the tail (p99) is visible, not only the mean.</summary>
public static class PredictorLatency
{
    public static LatencyStats Measure(IPredictor predictor, IReadOnlyList<double[]> rows, int rounds, int warmUpRounds = 1)
    {
        ArgumentNullException.ThrowIfNull(predictor);
        ArgumentNullException.ThrowIfNull(rows);
        if (rows.Count == 0) throw new ArgumentException("no feature rows to predict");
        if (rounds < 1) throw new ArgumentException($"rounds must be ≥ 1, got {rounds}");
        var sink = 0.0;
        for (var r = 0; r < warmUpRounds; r++)
            foreach (var row in rows) sink += predictor.Predict(row).Score;

        var ticks = new long[rows.Count * rounds];
        var k = 0;
        for (var r = 0; r < rounds; r++)
            foreach (var row in rows)
            {
                var start = Stopwatch.GetTimestamp();
                sink += predictor.Predict(row).Score;
                ticks[k++] = Stopwatch.GetTimestamp() - start;
            }
        GC.KeepAlive(sink);
        Array.Sort(ticks);
        var toMicros = 1e6 / Stopwatch.Frequency;
        double At(double q) => ticks[Math.Min(ticks.Length - 1, (int)Math.Ceiling(q * ticks.Length) - 1)] * toMicros;
        return new LatencyStats(ticks.Length, ticks.Average() * toMicros, At(0.5), At(0.9), At(0.99), At(0.999), ticks[^1] * toMicros);
    }
}
