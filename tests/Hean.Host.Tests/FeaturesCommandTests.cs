using System.Globalization;
using System.Text;
using Hean.Core.Indicators;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Host.Tests;

/// <summary>`hean features` through the real executable.</summary>
public sealed class FeaturesCommandTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hean-features-").FullName;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private const string ReferenceDir = "/work/shared/data/indicators";

    private Task<(int Code, string Out, string Err)> Hean(params string[] args) =>
        HeanProcess.RunAsync(_dir, new Dictionary<string, string> { ["HEAN_DATA_DIR"] = Path.Combine(_dir, ".hean") }, Timeout, args);

    /// <summary>60 hourly bars of a deterministic walk, with a zero-volume stretch.</summary>
    private string WriteBars(out List<OhlcvBar> bars)
    {
        var random = new Random(9);
        var text = new StringBuilder("date,open,high,low,close,volume\n");
        bars = new List<OhlcvBar>();
        var close = 250.0;
        for (var i = 0; i < 60; i++)
        {
            var time = new DateTime(2024, 5, 1, 0, 0, 0, DateTimeKind.Utc).AddHours(i);
            var open = close;
            close = Math.Round(open * (1 + (random.NextDouble() - 0.5) / 50), 2);
            var high = Math.Round(Math.Max(open, close) + random.NextDouble(), 2);
            var low = Math.Round(Math.Min(open, close) - random.NextDouble(), 2);
            var volume = i is >= 20 and < 25 ? 0 : random.Next(1, 5000);
            bars.Add(new OhlcvBar(time, open, high, low, close, volume));
            text.Append(CultureInfo.InvariantCulture, $"{time:yyyy-MM-dd HH:mm},{open},{high},{low},{close},{volume}\n");
        }
        var file = Path.Combine(_dir, "bars.csv");
        File.WriteAllText(file, text.ToString());
        return file;
    }

    private static string[][] ReadCsv(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(',')).ToArray();

    [Fact]
    public async Task Writes_one_column_per_output_with_empty_warm_up_cells_and_the_streaming_values()
    {
        var input = WriteBars(out var bars);
        var outFile = Path.Combine(_dir, "features.csv");
        const string spec = "sma:3,macd:2:3:2,bb:3:2,adx:2,stoch:3:2:2,mfi:3,obv,vwap,rv:3";
        var (code, _, err) = await Hean("features", "--data", input, "--indicators", spec, "--out", outFile);
        Assert.True(code == 0, err);

        var rows = ReadCsv(await File.ReadAllTextAsync(outFile));
        var specs = IndicatorSpec.ParseList(spec);
        Assert.Equal(["date", .. specs.SelectMany(s => s.Columns)], rows[0]);
        Assert.Contains("macd_2_3_2.histogram", rows[0]);
        Assert.Contains("bb_3_2.percent_b", rows[0]);
        Assert.Equal(bars.Count + 1, rows.Length);
        Assert.Equal("2024-05-01T00:00:00Z", rows[1][0]);

        var column = 1;
        foreach (var s in specs)
        {
            var indicator = s.Create();
            var series = new List<double[]>();
            foreach (var bar in bars)
            {
                indicator.Update(bar);
                series.Add(Enumerable.Range(0, indicator.OutputCount).Select(indicator.Output).ToArray());
            }
            for (var o = 0; o < indicator.OutputCount; o++, column++)
            for (var i = 0; i < bars.Count; i++)
            {
                var cell = rows[i + 1][column];
                var expected = series[i][o];
                if (double.IsNaN(expected)) Assert.True(cell == "", $"{rows[0][column]} row {i}: warm-up cell should be empty, got '{cell}'");
                else Assert.Equal(expected, double.Parse(cell, CultureInfo.InvariantCulture)); // round-trip format: exact
            }
        }
        Assert.Equal("", rows[1][1]);   // sma_3 undefined on the first two bars
        Assert.Equal("0", rows[1][rows[0].ToList().IndexOf("obv")]);
    }

    [Fact]
    public async Task Reproduces_the_shared_reference_values_when_present()
    {
        if (!File.Exists(Path.Combine(ReferenceDir, "expected.csv")))
        {
            output.WriteLine($"shared reference data not found in {ReferenceDir}: test skipped");
            return;
        }
        var (code, stdout, err) = await Hean("features", "--data", Path.Combine(ReferenceDir, "quotes.csv"),
            "--indicators", "sma:20,ema:20,rsi:14,macd:12:26:9,bb:20:2");
        Assert.True(code == 0, err);
        var rows = ReadCsv(stdout);
        var header = rows[0].ToList();
        var expected = File.ReadLines(Path.Combine(ReferenceDir, "expected.csv")).Skip(1)
            .Select(l => l.Replace("\"12,26,9\"", "12_26_9").Replace("\"20,2\"", "20_2").Split(','))
            .ToDictionary(f => (f[0].ToLowerInvariant() + "_" + f[1] + (f[0] is "MACD" or "BB" ? "." + f[2] : ""), int.Parse(f[3])),
                f => (Date: f[4], Value: double.Parse(f[5], CultureInfo.InvariantCulture)));

        var checkedCells = 0;
        var referenced = header.Where(h => expected.Keys.Any(k => k.Item1 == h)).ToList();
        Assert.Equal(9, referenced.Count); // sma, ema, rsi, 3 of macd, 3 of bb (%B and width have no reference rows)
        foreach (var c in referenced.Select(h => header.IndexOf(h)))
        for (var i = 0; i < rows.Length - 1; i++)
        {
            var cell = rows[i + 1][c];
            if (!expected.TryGetValue((header[c], i), out var e))
            {
                Assert.True(cell == "", $"{header[c]} row {i} should be empty, got '{cell}'");
                continue;
            }
            Assert.Equal(e.Date, rows[i + 1][0]);
            var actual = double.Parse(cell, CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(actual - e.Value) <= 1e-9 * Math.Abs(e.Value), $"{header[c]} row {i}: {actual:R} vs {e.Value:R}");
            checkedCells++;
        }
        Assert.Equal(expected.Count, checkedCells);
    }

    [Fact]
    public async Task Bad_specs_and_bad_files_exit_2_with_a_message_that_says_what_is_wrong()
    {
        var input = WriteBars(out _);

        var (code, _, err) = await Hean("features", "--data", input, "--indicators", "sma:20,supertrend:7");
        Assert.Equal(2, code);
        Assert.Contains("unknown indicator 'supertrend'", err);
        Assert.Contains("stoch:PERIOD:K_SMOOTHING:D_PERIOD", err);
        Assert.Contains("willr:PERIOD", err);

        (code, _, err) = await Hean("features", "--data", input, "--indicators", "rsi:0");
        Assert.Equal(2, code);
        Assert.Contains("rsi period must be a whole number", err);

        var bad = Path.Combine(_dir, "bad.csv");
        await File.WriteAllTextAsync(bad, "date,open,high,low,close,volume\n2024-01-01,100,101,99,100.5,10\n2024-01-02,100.5,abc,99,100,12\n");
        (code, _, err) = await Hean("features", "--input", bad, "--indicators", "sma:2"); // the first name of --data, still taken
        Assert.Equal(2, code);
        Assert.Contains("bad.csv, line 3", err);

        (code, _, err) = await Hean("features", "--indicators", "sma:2");
        Assert.Equal(2, code);
        Assert.Contains("Option '--data' is required", err);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
