using System.Globalization;
using System.Text;
using Hean.Core.Domain;
using Hean.Core.MarketData;

namespace Hean.ML.Tests;

/// <summary>Seeded hourly bars (a random walk whose returns persist: r(t) = persistence · r(t−1) + noise), and where the shared real data is.</summary>
internal static class TestCandles
{
    public static readonly Symbol Symbol = new("BTCUSD");
    public static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static List<Candle> Walk(int count, int seed, double startPrice = 30000, double persistence = 0.3)
    {
        var random = new Random(seed);
        var candles = new List<Candle>(count);
        var close = startPrice;
        var drift = 0.0;
        for (var i = 0; i < count; i++)
        {
            var open = close;
            drift = persistence * drift + (random.NextDouble() - 0.5) * 0.01;
            close = Math.Round(open * Math.Exp(drift), 2);
            var high = Math.Round(Math.Max(open, close) * (1 + random.NextDouble() * 0.003), 2);
            var low = Math.Round(Math.Min(open, close) * (1 - random.NextDouble() * 0.003), 2);
            var volume = Math.Round(10 + random.NextDouble() * 100, 3);
            candles.Add(new Candle(Symbol, Start.AddHours(i), TimeSpan.FromHours(1), (decimal)open, (decimal)high, (decimal)low, (decimal)close, (decimal)volume));
        }
        return candles;
    }

    public static string WriteCsv(IEnumerable<Candle> candles, string path)
    {
        var text = new StringBuilder("open_time_utc,open,high,low,close,volume\n");
        foreach (var c in candles)
            text.Append(CultureInfo.InvariantCulture, $"{c.Time:yyyy-MM-ddTHH:mm:ssZ},{c.Open},{c.High},{c.Low},{c.Close},{c.Volume}\n");
        File.WriteAllText(path, text.ToString());
        return path;
    }

    /// <summary>The shared data folder, found by walking up from the test directory; null when absent.</summary>
    public static string? SharedData(string relative)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data", relative);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }

    public const string CoinbaseHourly = "ohlcv/coinbase_BTCUSD_1h_2017-07-01_2019-10-17.csv";
}
