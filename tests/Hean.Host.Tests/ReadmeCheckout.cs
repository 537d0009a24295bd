using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;

namespace Hean.Host.Tests;

/// <summary>
/// A fresh clone of the repository (committed files only, as CI and a newcomer have it) in a temporary folder, with
/// <c>shared</c> beside it: a link to the real shared data, or, when this machine has none (or
/// <c>HEAN_README_FIXTURES=1</c> asks for them), small fixture files at the paths the README names.
/// </summary>
public sealed class ReadmeCheckout : IDisposable
{
    private static readonly Regex SharedPath = new(@"\.\./shared/data/[^\s,+:'""]+");
    private readonly string _dir = Directory.CreateTempSubdirectory("hean-readme-").FullName;

    private ReadmeCheckout() => Root = Path.Combine(_dir, "repo");

    /// <summary>The clone's root, where every command runs.</summary>
    public string Root { get; }

    /// <summary>What <c>../shared/data</c> is in this checkout, for the test output.</summary>
    public string SharedDataSource { get; private set; } = "";

    public static async Task<ReadmeCheckout> CloneAsync()
    {
        var checkout = new ReadmeCheckout();
        var (code, err) = await GitCloneAsync(RepoPaths.Root, checkout.Root);
        if (code != 0) throw new InvalidOperationException($"git clone failed ({code}): {err}");
        return checkout;
    }

    /// <summary>Puts <c>../shared/data</c> beside the clone: the real one, else fixtures for the paths the given command lines name.</summary>
    public void ProvideSharedData(IEnumerable<string> commandLines)
    {
        var shared = Path.Combine(_dir, "shared");
        Directory.CreateDirectory(shared);
        if (SharedData.Dir is { } real && Environment.GetEnvironmentVariable("HEAN_README_FIXTURES") != "1")
        {
            Directory.CreateSymbolicLink(Path.Combine(shared, "data"), real);
            SharedDataSource = $"../shared/data → {real}";
            return;
        }
        var paths = commandLines.SelectMany(l => SharedPath.Matches(l).Select(m => m.Value)).Distinct().ToList();
        foreach (var path in paths) ReadmeFixtures.Write(Path.GetFullPath(Path.Combine(Root, path)));
        SharedDataSource = $"no shared data: fixtures written for {string.Join(", ", paths)}";
    }

    private static async Task<(int Code, string Err)> GitCloneAsync(string from, string to)
    {
        var psi = new ProcessStartInfo("git") { RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "clone", "--quiet", "--no-hardlinks", from, to }) psi.ArgumentList.Add(a);
        using var git = Process.Start(psi) ?? throw new InvalidOperationException("could not start git");
        var err = await git.StandardError.ReadToEndAsync();
        await git.WaitForExitAsync();
        return (git.ExitCode, err);
    }

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { /* a temporary folder */ }
    }
}

/// <summary>Small valid stand-ins for the shared data files, by the name's kind: a Binance capture (<c>*_ws.gz</c>) or OHLCV bars.</summary>
public static class ReadmeFixtures
{
    public static void Write(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var name = Path.GetFileName(path);
        var text = name.EndsWith("_ws.gz", StringComparison.Ordinal)
            ? BinanceCapture(Regex.Match(name, "[A-Z]{3,}USDT").Value is { Length: > 0 } s ? s : "BTCUSDT")
            : OhlcvBars(name.Contains("_1d_", StringComparison.Ordinal) ? TimeSpan.FromDays(1) : TimeSpan.FromHours(1), bars: 6_500);
        using var file = File.Create(path);
        using Stream stream = name.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(file, CompressionLevel.Fastest) : file;
        stream.Write(Encoding.UTF8.GetBytes(text));
    }

    /// <summary>A seeded random walk as <c>open_time_ms,open,high,low,close,volume</c> (the Coinbase files' first columns).</summary>
    private static string OhlcvBars(TimeSpan interval, int bars)
    {
        var random = new Random(17);
        var sb = new StringBuilder("open_time_ms,open,high,low,close,volume\n");
        var time = new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var close = 10_000.0;
        for (var i = 0; i < bars; i++, time += interval)
        {
            var open = close;
            close = Math.Round(open * (1 + (random.NextDouble() - 0.5) * 0.02), 2);
            var high = Math.Round(Math.Max(open, close) * (1 + random.NextDouble() * 0.005), 2);
            var low = Math.Round(Math.Min(open, close) * (1 - random.NextDouble() * 0.005), 2);
            sb.Append(CultureInfo.InvariantCulture, $"{time.ToUnixTimeMilliseconds()},{open},{high},{low},{close},{random.Next(1, 500)}\n");
        }
        return sb.ToString();
    }

    /// <summary>A futures capture at about the symbol's real price: a REST snapshot, then a depth diff and a trade every second for 5 minutes.</summary>
    private static string BinanceCapture(string symbol)
    {
        var stream = symbol.ToLowerInvariant();
        var mid = symbol.StartsWith("BTC", StringComparison.Ordinal) ? 60_000m : 3_000m;
        string Price(decimal offset) => (mid + offset).ToString("0.0", CultureInfo.InvariantCulture);
        var sb = new StringBuilder();
        var local = 1_723_161_255_000_000_000L;
        void Line(string json) => sb.Append(local += 1_000_000).Append(' ').Append(json).Append('\n');
        Line($$"""{"lastUpdateId":1000,"E":1723161256000,"T":1723161256000,"bids":[["{{Price(-0.1m)}}","1"],["{{Price(-0.2m)}}","2"]],"asks":[["{{Price(0.1m)}}","1"],["{{Price(0.2m)}}","2"]]}""");
        long u = 1000;
        for (var i = 0; i < 300; i++)
        {
            var t = 1_723_161_256_000L + i * 1000;
            Line($$"""{"stream":"{{stream}}@depth@0ms","data":{"e":"depthUpdate","E":{{t}},"T":{{t}},"s":"{{symbol}}","U":{{u + 1}},"u":{{u + 3}},"pu":{{u}},"b":[["{{Price(-1m + i % 7 / 10m)}}","{{i % 5}}"]],"a":[]""" + "}}");
            u += 3;
            Line($$"""{"stream":"{{stream}}@trade","data":{"e":"trade","E":{{t + 1}},"T":{{t}},"s":"{{symbol}}","t":{{5000 + i}},"p":"{{Price(i % 3 / 10m)}}","q":"0.010","X":"MARKET","m":{{(i % 2 == 0 ? "true" : "false")}}""" + "}}");
        }
        return sb.ToString();
    }
}
