using System.Globalization;
using Hean.Core.Indicators;

namespace Hean.Core.Tests.Indicators;

/// <summary>Bars for indicator tests: the shared reference quotes when present, or a series made here.</summary>
internal static class IndicatorData
{
    public const string ReferenceDir = "/work/shared/data/indicators";

    public static bool ReferenceAvailable => File.Exists(Path.Combine(ReferenceDir, "expected.csv")) && File.Exists(Path.Combine(ReferenceDir, "quotes.csv"));

    /// <summary>Reads date,open,high,low,close,volume rows (dates are UTC).</summary>
    public static OhlcvBar[] ReadQuotes(string file) =>
        File.ReadLines(file).Skip(1).Where(l => l.Length > 0).Select(l =>
        {
            var f = l.Split(',');
            return new OhlcvBar(
                DateTime.Parse(f[0], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal),
                D(f[1]), D(f[2]), D(f[3]), D(f[4]), D(f[5]));
        }).ToArray();

    public static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    /// <summary>Splits a CSV line with double-quoted fields.</summary>
    public static string[] SplitCsv(string line)
    {
        var fields = new List<string>();
        var current = new System.Text.StringBuilder();
        var quoted = false;
        foreach (var ch in line)
        {
            if (ch == '"') quoted = !quoted;
            else if (ch == ',' && !quoted)
            {
                fields.Add(current.ToString());
                current.Clear();
            }
            else current.Append(ch);
        }
        fields.Add(current.ToString());
        return fields.ToArray();
    }

    /// <summary>Runs an indicator over the bars: result[output][bar].</summary>
    public static double[][] Run(IBarIndicator indicator, IReadOnlyList<OhlcvBar> bars)
    {
        var result = new double[indicator.OutputCount][];
        for (var o = 0; o < result.Length; o++) result[o] = new double[bars.Count];
        for (var i = 0; i < bars.Count; i++)
        {
            indicator.Update(bars[i]);
            for (var o = 0; o < result.Length; o++) result[o][i] = indicator.Output(o);
        }
        return result;
    }

    /// <summary>
    /// A deterministic random walk with the awkward cases in it: flat stretches (equal OHLC), zero
    /// volume, price gaps between bars, a session boundary every 24 bars of 1h.
    /// </summary>
    public static OhlcvBar[] Generated(int count, int seed)
    {
        var random = new Random(seed);
        var bars = new OhlcvBar[count];
        var close = 100.0 + random.NextDouble() * 50;
        var t0 = new DateTime(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < count; i++)
        {
            var time = t0.AddHours(i);
            var phase = i % 97;
            if (phase is >= 40 and < 70)
            {
                // flat: nothing trades, or trades at one price
                var volume = phase < 55 ? 0.0 : Math.Round(random.NextDouble() * 5, 3);
                bars[i] = new OhlcvBar(time, close, close, close, close, volume);
                continue;
            }
            var open = phase == 80 ? close * (1 + (random.NextDouble() - 0.5) * 0.2) : close; // a gap
            close = Math.Max(1, open * (1 + (random.NextDouble() - 0.5) * 0.04));
            var high = Math.Max(open, close) * (1 + random.NextDouble() * 0.01);
            var low = Math.Min(open, close) * (1 - random.NextDouble() * 0.01);
            var vol = random.Next(10) == 0 ? 0.0 : Math.Round(random.NextDouble() * 1000, 3);
            bars[i] = new OhlcvBar(time, open, high, low, close, vol);
        }
        return bars;
    }
}
