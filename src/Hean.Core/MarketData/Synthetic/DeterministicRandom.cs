namespace Hean.Core.MarketData.Synthetic;

/// <summary>
/// xoshiro256** seeded through SplitMix64, with normal (Marsaglia polar), exponential, Poisson and
/// Pareto draws. Only integer arithmetic, IEEE basic operations, square root and
/// <see cref="PortableMath"/> are used, so a seed gives the same numbers on every runtime and
/// machine (System.Random's algorithm is not part of its contract).
/// </summary>
internal sealed class DeterministicRandom
{
    private const double UnitScale = 1.0 / (1UL << 53);
    private ulong _s0, _s1, _s2, _s3;
    private double _spareNormal;
    private bool _hasSpare;

    public DeterministicRandom(ulong seed)
    {
        var x = seed;
        _s0 = Hean.Core.Domain.SplitMix64.Step(ref x);
        _s1 = Hean.Core.Domain.SplitMix64.Step(ref x);
        _s2 = Hean.Core.Domain.SplitMix64.Step(ref x);
        _s3 = Hean.Core.Domain.SplitMix64.Step(ref x);
    }

    public ulong NextUInt64()
    {
        var result = ulong.RotateLeft(_s1 * 5, 7) * 9;
        var t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = ulong.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>Uniform in [0, 1).</summary>
    public double NextDouble() => (NextUInt64() >> 11) * UnitScale;

    /// <summary>Uniform in (0, 1): safe to take the logarithm of.</summary>
    public double NextOpenDouble() => ((NextUInt64() >> 11) + 0.5) * UnitScale;

    public bool NextBool(double probability) => NextDouble() < probability;

    /// <summary>Standard normal.</summary>
    public double NextNormal()
    {
        if (_hasSpare)
        {
            _hasSpare = false;
            return _spareNormal;
        }
        double u, v, s;
        do
        {
            u = 2.0 * NextDouble() - 1.0;
            v = 2.0 * NextDouble() - 1.0;
            s = u * u + v * v;
        } while (s >= 1.0 || s == 0.0);
        var f = Math.Sqrt(-2.0 * PortableMath.Log(s) / s);
        _spareNormal = v * f;
        _hasSpare = true;
        return u * f;
    }

    /// <summary>Poisson count with mean <paramref name="mean"/> (Knuth's method; mean is capped at 500).</summary>
    public int NextPoisson(double mean)
    {
        if (mean <= 0) return 0;
        var limit = PortableMath.Exp(-Math.Min(mean, 500.0));
        var k = 0;
        var p = NextOpenDouble();
        while (p > limit)
        {
            k++;
            p *= NextOpenDouble();
        }
        return k;
    }

    /// <summary>Pareto with minimum <paramref name="scale"/> and tail index <paramref name="alpha"/>.</summary>
    public double NextPareto(double scale, double alpha) =>
        scale * PortableMath.Exp(-PortableMath.Log(NextOpenDouble()) / alpha);

    /// <summary>Log-normal with mean 1 and log-standard deviation <paramref name="sigma"/>.</summary>
    public double NextUnitLogNormal(double sigma) =>
        PortableMath.Exp(NextUnitLogNormalExponent(sigma));

    /// <summary>The exponent of <see cref="NextUnitLogNormal"/>'s draw (the same draw, the exponential left to the caller).</summary>
    public double NextUnitLogNormalExponent(double sigma) => sigma * NextNormal() - 0.5 * sigma * sigma;
}
