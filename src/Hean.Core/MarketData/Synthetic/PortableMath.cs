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

    // The coefficients one by one: static readonly doubles are constants in optimized code, array elements are loads.
    private static readonly double A0 = AtanhCoefficients[0], A1 = AtanhCoefficients[1], A2 = AtanhCoefficients[2],
        A3 = AtanhCoefficients[3], A4 = AtanhCoefficients[4], A5 = AtanhCoefficients[5], A6 = AtanhCoefficients[6],
        A7 = AtanhCoefficients[7], A8 = AtanhCoefficients[8], A9 = AtanhCoefficients[9], A10 = AtanhCoefficients[10],
        A11 = AtanhCoefficients[11], A12 = AtanhCoefficients[12];

    private static readonly double E0 = ExpCoefficients[0], E1 = ExpCoefficients[1], E2 = ExpCoefficients[2],
        E3 = ExpCoefficients[3], E4 = ExpCoefficients[4], E5 = ExpCoefficients[5], E6 = ExpCoefficients[6],
        E7 = ExpCoefficients[7], E8 = ExpCoefficients[8], E9 = ExpCoefficients[9], E10 = ExpCoefficients[10],
        E11 = ExpCoefficients[11], E12 = ExpCoefficients[12], E13 = ExpCoefficients[13], E14 = ExpCoefficients[14],
        E15 = ExpCoefficients[15], E16 = ExpCoefficients[16], E17 = ExpCoefficients[17], E18 = ExpCoefficients[18];

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
        // Horner from the highest power down, written out (the loop's sum starts at 0.0, and 0.0 * z2 + A12 is A12).
        var sum = A12;
        sum = sum * z2 + A11; sum = sum * z2 + A10; sum = sum * z2 + A9; sum = sum * z2 + A8;
        sum = sum * z2 + A7; sum = sum * z2 + A6; sum = sum * z2 + A5; sum = sum * z2 + A4;
        sum = sum * z2 + A3; sum = sum * z2 + A2; sum = sum * z2 + A1; sum = sum * z2 + A0;
        return exponent * Ln2Hi + (2.0 * z * sum + exponent * Ln2Lo);
    }

    public static double Exp(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x > 709.782712893384) return double.PositiveInfinity;
        if (x < -745.1332191019412) return 0.0;

        var k = Math.Round(x / Ln2);
        var r = x - k * Ln2Hi - k * Ln2Lo; // |r| <= 0.35

        // Horner written out, as in Log: the same operations in the same order as the loop over the coefficients.
        var sum = E18;
        sum = sum * r + E17; sum = sum * r + E16; sum = sum * r + E15; sum = sum * r + E14; sum = sum * r + E13;
        sum = sum * r + E12; sum = sum * r + E11; sum = sum * r + E10; sum = sum * r + E9; sum = sum * r + E8;
        sum = sum * r + E7; sum = sum * r + E6; sum = sum * r + E5; sum = sum * r + E4; sum = sum * r + E3;
        sum = sum * r + E2; sum = sum * r + E1; sum = sum * r + E0;
        return Math.ScaleB(sum, (int)k);
    }
}
