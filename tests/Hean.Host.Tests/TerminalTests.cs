using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Host.Tests;

/// <summary>What a person at a terminal sees, captured from a real one (tmux): the backtest's progress bar, the live screen of `hean run`, the reset's question.</summary>
public sealed class TerminalTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _session = "hean-test-" + Guid.NewGuid().ToString("N")[..8];
    private readonly string _dir = Directory.CreateTempSubdirectory("hean-tty-").FullName;

    public void Dispose()
    {
        Tmux("kill-session", "-t", _session);
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { /* temp */ }
    }

    private static string Tmux(params string[] args)
    {
        var start = new ProcessStartInfo("tmux") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var text = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return text;
    }

    [SkippableFact]
    public async Task A_backtest_on_a_terminal_shows_a_progress_bar_with_events_market_time_speed_and_eta_then_its_result()
    {
        Skip.If(!File.Exists("/usr/bin/tmux"), "tmux is not installed (apt-get install tmux): the terminal test did not run");
        var command = $"cd '{_dir}' && HEAN_DATA_DIR='{_dir}/.hean' dotnet '{HeanProcess.HeanDll}' backtest --seed 42 --duration 24h; sleep 60";
        Tmux("new-session", "-d", "-s", _session, "-x", "160", "-y", "20", command);
        string screen = "", bar = "";
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(120))
        {
            screen = Tmux("capture-pane", "-t", _session, "-p");
            if (bar.Length == 0 && screen.Contains("events/s") && screen.Contains('━')) bar = screen;
            if (screen.Contains("fingerprint ")) break;
            await Task.Delay(200);
        }
        output.WriteLine("while running:\n" + bar + "\nat the end:\n" + screen);
        Assert.True(bar.Length > 0, "no progress bar was seen on the terminal: " + screen);
        Assert.Matches(@"[\d,]+ events, market time 2025-01-01 \d\d:\d\d, [\d,]+ events/s", bar);
        Assert.Matches(@"\d+%", bar);          // the share of the market time covered
        Assert.Matches(@"\d\d:\d\d:\d\d", bar); // the time left
        Assert.Contains("fingerprint ", screen);
        Assert.DoesNotContain('━', screen.Split("backtest synthetic")[^1]); // the bar is gone once the result is printed
    }

    [SkippableFact]
    public async Task The_live_screen_keeps_the_urls_and_shows_state_recent_fills_and_signals_and_health()
    {
        Skip.If(!File.Exists("/usr/bin/tmux"), "tmux is not installed (apt-get install tmux): the terminal test did not run");
        var command = $"cd '{_dir}' && HEAN_DATA_DIR='{_dir}/.hean' HEAN_PERSISTENCE=inmem dotnet '{HeanProcess.HeanDll}' run --http-port 0 --speed 60 --seed 4; sleep 60";
        Tmux("new-session", "-d", "-s", _session, "-x", "200", "-y", "60", command);
        string screen = "", live = "";
        var redraws = 0;
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < TimeSpan.FromSeconds(150))
        {
            screen = Tmux("capture-pane", "-t", _session, "-p");
            if (screen.Contains("recent fills")) redraws++;
            // A fill in the table (its time, symbol and side), after a few redraws.
            if (redraws > 3 && Regex.IsMatch(screen, @"\d\d:\d\d:\d\d\s+(BTCUSDT|ETHUSDT)\s+(BUY|SELL)"))
            {
                live = screen;
                break;
            }
            await Task.Delay(500);
        }
        output.WriteLine(screen);
        Assert.True(live.Length > 0, "no fill on the live screen: " + screen);
        Assert.Matches(@"health http://127\.0\.0\.1:\d+/health\s+metrics http://127\.0\.0\.1:\d+/metrics", live); // the URLs survive the redraws
        Assert.Contains("API token in ", live);
        Assert.Matches(@"trading ACTIVE\s+kill switch off\s+events [\d,]+ \([\d,]+/s\)\s+signals \d+", live);
        Assert.Contains("recent signals", live);
        Assert.Matches(@"(BTCUSDT|ETHUSDT)\s+(long|short)\s+\d\.\d\d", live);
        Assert.Matches(@"health orchestrator ok .*portfolio ok", live);
        Assert.Contains("positions", live);
    }

    [SkippableFact]
    public async Task Reset_on_a_terminal_asks_first_and_moves_the_account_on_yes()
    {
        Skip.If(!File.Exists("/usr/bin/tmux"), "tmux is not installed (apt-get install tmux): the terminal test did not run");
        var data = Path.Combine(_dir, ".hean");
        Directory.CreateDirectory(data);
        await File.WriteAllTextAsync(Path.Combine(data, "journal.db"), "the old account");
        Tmux("new-session", "-d", "-s", _session, "-x", "160", "-y", "20", $"cd '{_dir}' && HEAN_DATA_DIR='{data}' dotnet '{HeanProcess.HeanDll}' reset; sleep 60");
        Assert.Contains("Start a new paper account? [y/n] (n)", await ScreenWith("[y/n] (n)")); // the default is drawn a moment after the question
        Assert.True(File.Exists(Path.Combine(data, "journal.db")), "nothing moves before the answer");
        Tmux("send-keys", "-t", _session, "y", "Enter");
        Assert.Contains("the old account (journal.db) is in", await ScreenWith("is in"));
        var backup = Assert.Single(Directory.GetDirectories(data, "backup-*"));
        Assert.Equal("the old account", await File.ReadAllTextAsync(Path.Combine(backup, "journal.db")));
    }

    private async Task<string> ScreenWith(string text)
    {
        var screen = "";
        for (var sw = Stopwatch.StartNew(); sw.Elapsed < TimeSpan.FromSeconds(60) && !screen.Contains(text, StringComparison.Ordinal); await Task.Delay(200))
            screen = Tmux("capture-pane", "-t", _session, "-p");
        output.WriteLine(screen);
        return screen;
    }
}
