using Hean.Core.Domain;

namespace Hean.ML.Rl;

/// <summary>
/// Core's <see cref="SplitMix64"/> behind a reference (a learner shares one stream across calls): the same numbers
/// from the same seed on every machine and .NET version. Training exploration only.
/// </summary>
public sealed class SeededRandom(ulong seed)
{
    private SplitMix64 _mix = new(seed);

    public ulong NextUInt64() => _mix.Next();

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => _mix.NextDouble();
}
