using Xunit;

namespace Hean.Host.Tests;

/// <summary>`hean reset`: a new paper account, the old one kept in a dated backup, and every refusal moving nothing.</summary>
public sealed class ResetCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hean-reset-").FullName;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private string DataDir => Path.Combine(_dir, ".hean");

    private Dictionary<string, string> Env(params (string Key, string Value)[] extra)
    {
        var env = new Dictionary<string, string> { ["HEAN_DATA_DIR"] = DataDir, ["HEAN_TOKEN"] = "" };
        foreach (var (k, v) in extra) env[k] = v;
        return env;
    }

    private async Task RunBriefly(string capital)
    {
        var (code, stdout, err) = await HeanProcess.RunAsync(_dir, Env(), Timeout, "run", "--duration", "4s", "--speed", "20", "--http-port", "0", "--capital", capital);
        Assert.True(code == 0, err);
        Assert.Contains($"(start {capital}.00)", stdout);
    }

    private string[] AccountFiles() => Directory.EnumerateFileSystemEntries(DataDir).Select(Path.GetFileName).Where(n => !n!.StartsWith("backup-", StringComparison.Ordinal))
        .Order(StringComparer.Ordinal).ToArray()!;

    [Fact]
    public async Task With_yes_the_old_account_moves_to_a_backup_and_the_next_run_starts_a_new_one()
    {
        await RunBriefly("5000");
        var token = await File.ReadAllTextAsync(Path.Combine(DataDir, "api-token"));
        var journal = await File.ReadAllBytesAsync(Path.Combine(DataDir, "journal.db"));

        var (code, stdout, err) = await HeanProcess.RunAsync(_dir, Env(), Timeout, "reset", "--yes");
        Assert.True(code == 0, err);
        var backup = Assert.Single(Directory.GetDirectories(DataDir, "backup-*"));
        Assert.Matches(@"backup-\d{8}-\d{6}$", backup);
        Assert.Contains(backup, stdout);
        Assert.Equal(journal, await File.ReadAllBytesAsync(Path.Combine(backup, "journal.db")));
        Assert.True(File.Exists(Path.Combine(backup, "snapshots.db")));
        Assert.True(Directory.Exists(Path.Combine(backup, "logs")));
        // The node's credentials stay: scripts and operators keep their token.
        Assert.Equal(["api-token", "node.lock"], AccountFiles());
        Assert.Equal(token, await File.ReadAllTextAsync(Path.Combine(DataDir, "api-token")));

        // An existing journal keeps its cash whatever --capital says: 7000 shows the account is new.
        await RunBriefly("7000");
    }

    [Fact]
    public async Task Without_yes_and_without_a_terminal_it_refuses_and_moves_nothing()
    {
        await RunBriefly("5000");
        var before = AccountFiles();

        var (code, _, err) = await HeanProcess.RunAsync(_dir, Env(), Timeout, "reset");
        Assert.Equal(2, code);
        Assert.Contains("no terminal to confirm the reset on: pass --yes", err);
        Assert.Equal(before, AccountFiles());
        Assert.Empty(Directory.GetDirectories(DataDir, "backup-*"));
    }

    [Fact]
    public async Task While_a_node_runs_on_the_folder_it_refuses_and_so_does_a_second_node()
    {
        await using var node = HeanProcess.Start(_dir, Env(), "run", "--http-port", "0", "--paused");
        await node.AddressAsync(TimeSpan.FromSeconds(60));
        var before = AccountFiles();

        var (code, _, err) = await HeanProcess.RunAsync(_dir, Env(), Timeout, "reset", "--yes");
        Assert.Equal(2, code);
        Assert.Contains($"a node is running on {DataDir}", err);
        // Nothing moved: every file is still there (the running node may have made more since, e.g. history.db). SQLite's
        // rollback journal (*-journal) lives only for one transaction of a database not yet in WAL: it may be gone by now.
        var after = AccountFiles();
        Assert.All(before.Where(f => !f.EndsWith("-journal", StringComparison.Ordinal)), f => Assert.Contains(f, after));
        Assert.Empty(Directory.GetDirectories(DataDir, "backup-*"));

        (code, _, err) = await HeanProcess.RunAsync(_dir, Env(), Timeout, "run", "--duration", "2s", "--http-port", "0");
        Assert.Equal(2, code);
        Assert.Contains($"a node is running on {DataDir}", err);
        Assert.False(node.HasExited);
    }

    [Fact]
    public async Task A_live_account_is_reset_only_with_live_and_a_journal_elsewhere_never()
    {
        await RunBriefly("5000");
        var before = AccountFiles();

        var (code, _, err) = await HeanProcess.RunAsync(_dir, Env(("EXCHANGE", "bybit")), Timeout, "reset", "--yes");
        Assert.Equal(2, code);
        Assert.Contains("EXCHANGE=bybit: this is a live account", err);
        Assert.Contains("pass --live", err);
        (code, _, err) = await HeanProcess.RunAsync(_dir, Env(("HEAN_PERSISTENCE", "redis"), ("HEAN_REDIS", "127.0.0.1:1")), Timeout, "reset", "--yes");
        Assert.Equal(2, code);
        Assert.Contains("HEAN_PERSISTENCE=redis: the journal is not in the data folder", err);
        Assert.Equal(before, AccountFiles());

        // A folder whose last node traded on Bybit is live too, whatever the settings say now.
        await File.WriteAllTextAsync(Path.Combine(DataDir, "node.lock"), "exchange=bybit\npid=1\n");
        (code, _, err) = await HeanProcess.RunAsync(_dir, Env(), Timeout, "reset", "--yes");
        Assert.Equal(2, code);
        Assert.Contains("the last node on this folder traded on Bybit", err);
        Assert.Equal(before, AccountFiles());

        (code, _, err) = await HeanProcess.RunAsync(_dir, Env(("EXCHANGE", "bybit")), Timeout, "reset", "--yes", "--live");
        Assert.True(code == 0, err);
        Assert.Single(Directory.GetDirectories(DataDir, "backup-*"));
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
