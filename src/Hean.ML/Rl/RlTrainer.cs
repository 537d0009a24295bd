using Hean.Core.Execution;

namespace Hean.ML.Rl;

/// <summary>How the agent is trained: passes over the training events, exploration falling linearly from start to end, the seed, the state grid.</summary>
public sealed record RlTrainingOptions(int Passes, double EpsilonStart, double EpsilonEnd, ulong Seed, int TimeBuckets = 4, int QtyBuckets = 4)
{
    public string? Validate() =>
        Passes is < 1 or > 100_000 ? "passes must be 1 to 100000"
        : EpsilonStart is < 0 or > 1 || EpsilonEnd is < 0 or > 1 ? "exploration rates must be in [0, 1]"
        : TimeBuckets is < 1 or > 100 || QtyBuckets is < 1 or > 100 ? "time and quantity buckets must be 1 to 100"
        : null;
}

/// <summary>What one training pass did: the exploration rate and the mean shortfall of its episodes (exploring, penalty excluded).</summary>
public sealed record RlPassStats(int Pass, double Epsilon, int Episodes, double MeanShortfallBps, double MeanForcedShare);

public sealed record RlTrainingResult(RlPolicy Policy, IReadOnlyList<RlPassStats> Passes, long Updates);

/// <summary>Trains the tabular execution agent on one environment.</summary>
public static class RlTrainer
{
    /// <summary>Imbalance buckets: the book leans against us, is balanced, leans with us.</summary>
    public static readonly double[] ImbalanceEdges = [-1.0 / 3, 1.0 / 3];

    /// <summary>
    /// The state grid for this data: spread and volatility cut at their terciles over the decision steps (so
    /// each bucket is seen about as often; a spread that never changes gives one bucket in effect).
    /// </summary>
    public static RlStateSpace StateSpaceFor(IReadOnlyList<ExecutionEnvironment> envs, RlTrainingOptions options)
    {
        var quotes = envs.SelectMany(e => e.SampleQuotes()).ToList();
        return new RlStateSpace(options.TimeBuckets, options.QtyBuckets,
            Terciles(quotes.Select(q => q.SpreadBps)), ImbalanceEdges, Terciles(quotes.Select(q => q.VolatilityBpsPerSqrtSecond)));
    }

    public static RlTrainingResult Train(ExecutionEnvironment env, RlTrainingOptions options, RlStateSpace? space = null) =>
        Train([env], options, space);

    /// <summary>Each pass runs every environment in turn (e.g. captures of different days).</summary>
    public static RlTrainingResult Train(IReadOnlyList<ExecutionEnvironment> envs, RlTrainingOptions options, RlStateSpace? space = null)
    {
        ArgumentNullException.ThrowIfNull(envs);
        ArgumentNullException.ThrowIfNull(options);
        if (envs.Count == 0) throw new ArgumentException("no training environment", nameof(envs));
        if (options.Validate() is { } invalid) throw new ArgumentException(invalid, nameof(options));
        space ??= StateSpaceFor(envs, options);
        var learner = new QLearner(space, options.Seed);
        var passes = new List<RlPassStats>(options.Passes);
        for (var p = 0; p < options.Passes; p++)
        {
            var share = options.Passes == 1 ? 1.0 : p / (double)(options.Passes - 1);
            learner.Epsilon = options.EpsilonStart + (options.EpsilonEnd - options.EpsilonStart) * share;
            var shift = ShiftOf(p, envs[0].Settings);
            var episodes = envs.SelectMany(env => env.Run(space, learner.Choose, learner.Learn, sideOffset: p % 2, shift)).ToList();
            passes.Add(new RlPassStats(p + 1, learner.Epsilon, episodes.Count,
                episodes.Count > 0 ? episodes.Average(e => e.Quality.ShortfallBps) : double.NaN,
                episodes.Count > 0 ? episodes.Average(e => e.ForcedShare) : double.NaN));
        }
        return new RlTrainingResult(learner.Policy(), passes, learner.Updates);
    }

    /// <summary>
    /// Pass p starts its episodes (p × 0.382 mod 1) of a horizon later (golden-ratio steps spread the shifts evenly), so
    /// that the passes see many different stretches of the same data, not the same few episodes again and again.
    /// </summary>
    public static TimeSpan ShiftOf(int pass, RlEnvironmentSettings settings)
    {
        var share = pass * 0.3819660112501051 % 1.0;
        return TimeSpan.FromMilliseconds(Math.Floor(settings.Horizon.TotalMilliseconds * share));
    }

    private static double[] Terciles(IEnumerable<double?> values)
    {
        var sorted = values.Where(v => v is { } x && double.IsFinite(x)).Select(v => v!.Value).Order().ToArray();
        if (sorted.Length == 0) return [];
        var low = sorted[sorted.Length / 3];
        var high = sorted[2 * sorted.Length / 3];
        return high > low ? [low, high] : [low];
    }
}
