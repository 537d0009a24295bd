using Hean.Core.Domain;
using Hean.Core.MarketData.Replay;
using Hean.ML.Rl;
using Xunit;

namespace Hean.ML.Tests.Rl;

/// <summary>The whole of <c>hean train --model rl-execution</c> but the command line: data, training, held-out evaluation, saved version.</summary>
public sealed class RlTrainingRunTests : IDisposable
{
    private static readonly RlRunSettings Quick = RlRunSettings.Default with { Passes = 3, EvaluationShifts = 1 };
    private readonly string _root = Path.Combine(Path.GetTempPath(), "hean-rl-run-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private RlRunResult Run(string data, ulong seed, string folder, RlRunSettings? settings = null) =>
        RlTrainingRun.Run(data, Path.Combine(_root, folder), seed, settings ?? Quick, InstrumentCatalog.Default, _ => { });

    [Fact]
    public void Synthetic_data_trains_evaluates_against_twap_and_saves_a_version_the_same_for_the_same_seed()
    {
        var a = Run(RlData.Synthetic, 7, "a");
        var b = Run(RlData.Synthetic, 7, "b");

        Assert.Equal("v0001", a.Saved.Version);
        Assert.Equal(["rl", "twap", "market"], a.Evaluation.Select(s => s.Algo));
        Assert.All(a.Evaluation, s => Assert.True(s.Parents >= 10 && s.MeanFillRate == 1, s.ToString()));
        Assert.Equal(64, a.Saved.TrainDataSha256.Length);
        Assert.Equal(a.Saved.TrainDataSha256, b.Saved.TrainDataSha256);
        Assert.Equal(File.ReadAllBytes(Path.Combine(_root, "a", "rl-execution", "v0001", RlPolicyStore.PolicyFileName)),
            File.ReadAllBytes(Path.Combine(_root, "b", "rl-execution", "v0001", RlPolicyStore.PolicyFileName)));
        Assert.Equal(a.Evaluation, b.Evaluation);
        var (policy, info) = new RlPolicyStore(Path.Combine(_root, "a")).Load();
        Assert.Equal(a.Training.Policy.Q, policy.Q);
        Assert.Equal((a.Settings.Horizon, a.Settings.Periods, "BTCUSDT"), (info.Horizon, info.Periods, info.Symbol));
    }

    [Fact]
    public void Bad_data_is_refused_with_the_reason()
    {
        Assert.Contains("does not exist", Assert.Throws<FileNotFoundException>(() => Run("/nonexistent/capture_ws.gz", 1, "x")).Message);
        Assert.Throws<ArgumentException>(() => Run(" ", 1, "x"));
        Directory.CreateDirectory(_root);
        var junk = Path.Combine(_root, "junk.csv");
        File.WriteAllText(junk, "hello,world\n1,2\n");
        Assert.Throws<MarketDataFormatException>(() => Run(junk, 1, "x"));
        Assert.False(Directory.Exists(Path.Combine(_root, "x", "rl-execution")));
    }

    [SkippableFact]
    public void On_a_real_binance_capture_every_held_out_parent_of_every_algorithm_completes()
    {
        var capture = SharedData.File("binance", "usdm_BTCUSDT_2024-08-08_ws.gz");
        Skip.If(capture is null, SharedData.Missing);
        var run = Run(capture!, 3, "real", Quick with { Passes = 2 });
        Assert.Equal(2, run.Training.Passes.Count);
        Assert.True(run.Evaluation.All(s => s.Parents >= 4 && s.MeanFillRate == 1), string.Join("; ", run.Evaluation));
        // Crossing a one-tick BTC spread costs the taker fee and a fraction of a bp.
        var market = run.Evaluation.Single(s => s.Algo == "market");
        Assert.InRange(market.MeanShortfallBps, 5.3, 6.5);
    }
}

/// <summary>shared/data, found by walking up from the test directory; null (with a reason) on a clone without it.</summary>
internal static class SharedData
{
    private static readonly string? Root = Find();

    public static string Missing => "shared/data not found in any folder above " + AppContext.BaseDirectory + ": the real capture was not used";

    public static string? File(params string[] parts) => Root is null ? null : Path.Combine([Root, .. parts]) is var p && System.IO.File.Exists(p) ? p : null;

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "data");
            if (Directory.Exists(candidate)) return candidate;
        }
        return null;
    }
}
