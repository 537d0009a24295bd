using Hean.ML.Inference;

namespace Hean.ML.Tests;

/// <summary>Seeded feature rows with a learnable target and some missing values.</summary>
internal static class SyntheticData
{
    public const int Features = 40;

    public static double[][] Rows(int count, int seed, double missingShare = 0.05)
    {
        var random = new Random(seed);
        var rows = new double[count][];
        for (var r = 0; r < count; r++)
        {
            var row = new double[Features];
            for (var f = 0; f < Features; f++)
                row[f] = random.NextDouble() < missingShare ? double.NaN : (random.NextDouble() * 2 - 1) * (f + 1);
            rows[r] = row;
        }
        return rows;
    }

    public static double Target(double[] row, Random noise) =>
        (double.IsNaN(row[0]) ? -0.5 : row[0]) * 0.3 + Math.Sin(double.IsNaN(row[3]) ? 0 : row[3]) - (row[7] > 2 ? 1 : 0) + noise.NextDouble() * 0.2;

    public static float[][] Encode(IEnumerable<double[]> rows) => rows.Select(r => ModelInput.Encode(r)).ToArray();
}
