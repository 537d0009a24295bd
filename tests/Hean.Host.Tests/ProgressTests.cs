using System.Text.RegularExpressions;
using Xunit;

namespace Hean.Host.Tests;

/// <summary>Long work says where it is: the warm-up of `hean run` on its status lines.</summary>
public sealed class ProgressTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hean-progress-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { /* temp */ }
    }

    [Fact]
    public async Task A_run_warming_up_on_a_week_of_history_says_so_with_the_market_time_and_the_share_done()
    {
        var env = new Dictionary<string, string> { ["HEAN_DATA_DIR"] = Path.Combine(_dir, ".hean"), ["HEAN_PERSISTENCE"] = "inmem" };
        var (code, stdout, stderr) = await HeanProcess.RunAsync(_dir, env, TimeSpan.FromSeconds(90), "run", "--warmup", "7d", "--duration", "12s", "--http-port", "0");
        Assert.True(code == 0, stderr);
        // A status line every 5 s; a week of history takes longer than that to replay, so the first says it is warming up.
        var warming = stdout.Split('\n').Where(l => l.Contains("warming up on history", StringComparison.Ordinal)).ToList();
        Assert.True(warming.Count > 0, stdout);
        Assert.Matches(@"\| warming up on history: market time (\d\d:\d\d:\d\d|not yet), live from \d\d:\d\d:\d\d UTC \(\d+%\)$", warming[0].TrimEnd());
        Assert.Matches(@"^\[00:00:\d\d\] events \d+", warming[0]);
    }
}
