namespace Hean.Core.MarketData.Synthetic;

/// <summary>
/// Natural logarithm and exponential written with IEEE basic operations only, so they give the
/// same bits everywhere (Math.Log and Math.Exp come from the platform's C library, whose last-bit
/// rounding differs between systems). Accurate to a few ulps, which is plenty for simulation.
/// </summary>
internal static class PortableMath
{
    private const double Ln2 = 0.6931471805599453;
    // Cody-Waite split of ln 2 (fdlibm): Ln2Hi has trailing zero bits so k * Ln2Hi is exact.
    private const double Ln2Hi = 6.93147180369123816490e-01;
    private const double Ln2Lo = 1.90821492927058770002e-10;
    private const double Sqrt2 = 1.4142135623730951;

    // 1 / (2j + 1) for j = 0..12: the series of atanh(z) / z in powers of z^2.
    private static readonly double[] AtanhCoefficients = Enumerable.Range(0, 13).Select(j => 1.0 / (2 * j + 1)).ToArray();

    // 1 / n! for n = 0..18: the Taylor series of e^r.
    private static readonly double[] ExpCoefficients = Enumerable.Range(0, 19)
        .Select(n => 1.0 / Enumerable.Range(1, n).Aggregate(1.0, (f, k) => f * k)).ToArray();

    public static double Log(double x)
    {
        if (double.IsNaN(x) || x < 0) return double.NaN;
        if (x == 0) return double.NegativeInfinity;
        if (double.IsPositiveInfinity(x)) return x;

        var exponent = 0;
        if (x < 2.2250738585072014e-308) // subnormal: scale into the normal range
        {
            x *= 18014398509481984.0; // 2^54
            exponent = -54;
        }
        var bits = BitConverter.DoubleToInt64Bits(x);
        exponent += (int)((bits >> 52) & 0x7FF) - 1023;
        var m = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L); // [1, 2)
        if (m > Sqrt2)
        {
            m *= 0.5;
            exponent++;
        }

        // ln m = 2 atanh(z), z = (m - 1) / (m + 1), |z| <= 0.172
        var z = (m - 1.0) / (m + 1.0);
        var z2 = z * z;
        var sum = 0.0;
        for (var k = AtanhCoefficients.Length - 1; k >= 0; k--) sum = sum * z2 + AtanhCoefficients[k];
        return exponent * Ln2Hi + (2.0 * z * sum + exponent * Ln2Lo);
    }

    public static double Exp(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x > 709.782712893384) return double.PositiveInfinity;
        if (x < -745.1332191019412) return 0.0;

        var k = Math.Round(x / Ln2);
        var r = x - k * Ln2Hi - k * Ln2Lo; // |r| <= 0.35

        var sum = 0.0;
        for (var n = ExpCoefficients.Length - 1; n >= 0; n--) sum = sum * r + ExpCoefficients[n];
        return Math.ScaleB(sum, (int)k);
    }
}
