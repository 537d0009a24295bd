namespace Hean.Core.Domain;

/// <summary>
/// SplitMix64: small, fast, and the same numbers from the same seed on every machine and .NET version
/// (System.Random's seeded sequence is not part of its contract). For seeding, Monte Carlo draws and
/// exploration; a mutable struct: keep it in a non-readonly field or local.
/// </summary>
public struct SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong Next() => Step(ref _state);

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (Next() >> 11) * (1.0 / (1UL << 53));

    /// <summary>One step of the generator over <paramref name="state"/>.</summary>
    public static ulong Step(ref ulong state)
    {
        var z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }
}
