using LinqToDB.Data;
using Hean.Actors.Persistence;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Hean.Actors.Tests.Persistence;

/// <summary>
/// <see cref="WalCheckpointer"/> on real SQLite files: with the journal's pragmas (no checkpoint in a commit) the log only
/// stays short because the checkpointer copies it and the next commit starts it over; files that are missing or not
/// databases are skipped without stopping the others.
/// </summary>
public sealed class WalCheckpointerTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hean-wal-" + Guid.NewGuid().ToString("N"));

    public WalCheckpointerTests() => Directory.CreateDirectory(_dir);

    private static SqliteConnection Open(string file)
    {
        var c = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = file, Pooling = false }.ToString());
        c.Open();
        Exec(c, HeanConfig.SqlitePragmas);
        Exec(c, "CREATE TABLE IF NOT EXISTS journal(ordering INTEGER PRIMARY KEY, persistence_id TEXT, message BLOB)");
        return c;
    }

    private static void Exec(SqliteConnection c, string sql)
    {
        using var command = c.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>Commits of one 400-byte row each: at least one new page of the log each.</summary>
    private static void Commit(SqliteConnection c, int commits)
    {
        for (var i = 0; i < commits; i++)
        {
            using var command = c.CreateCommand();
            command.CommandText = "INSERT INTO journal(persistence_id, message) VALUES ('orders-BTCUSDT', $m)";
            command.Parameters.AddWithValue("$m", new byte[400]);
            command.ExecuteNonQuery();
        }
    }

    private static long LogBytes(string file) => new FileInfo(file + "-wal") is { Exists: true } f ? f.Length : 0;

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting for {what}");
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Without_it_the_log_grows_with_every_commit_and_with_it_the_log_starts_over()
    {
        var alone = Path.Combine(_dir, "alone.db");
        long aloneBytes;
        using (var c = Open(alone)) // read before closing: the last connection to close checkpoints and removes the log
        {
            Commit(c, 1_500);
            aloneBytes = LogBytes(alone);
            Assert.True(aloneBytes > 1_500 * 4_000L, $"log of {aloneBytes} bytes: the pragmas should have turned the commit's checkpoints off");
        }

        var watched = Path.Combine(_dir, "watched.db");
        using var connection = Open(watched);
        using var checkpointer = new WalCheckpointer([watched], TimeSpan.FromMilliseconds(20));
        for (var round = 0; round < 5; round++)
        {
            Commit(connection, 300);
            var copied = checkpointer.FramesCopied;
            await Eventually(() => checkpointer.FramesCopied >= copied + 300, $"the checkpoint of round {round}");
        }
        // 1,500 commits as before, but the log was started over after the checkpoints: a round or two of pages, not five
        // (a checkpoint that ran beside a commit copies what it can and the log starts over after the next one).
        Assert.True(LogBytes(watched) < aloneBytes / 2, $"log of {LogBytes(watched)} bytes against {aloneBytes} without checkpoints");
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT COUNT(*) FROM journal";
        Assert.Equal(1_500L, (long)count.ExecuteScalar()!);
    }

    /// <summary>A commit every 20 ms until <paramref name="stop"/> says so (or 10 s): a log never quiet for long.</summary>
    private static async Task CommitSteadily(SqliteConnection c, Func<bool> stop)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!stop() && DateTime.UtcNow < until)
        {
            Commit(c, 1);
            await Task.Delay(20);
        }
    }

    [Fact]
    public async Task A_log_being_written_is_checkpointed_at_its_first_quiet_moment()
    {
        var file = Path.Combine(_dir, "busy.db");
        using var connection = Open(file);
        using var checkpointer = new WalCheckpointer([file], TimeSpan.FromMilliseconds(20), quiet: TimeSpan.FromSeconds(2), longest: TimeSpan.FromMinutes(1));
        // Commits for 3 s, never 2 s apart: no checkpoint lands among them.
        var writing = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        await CommitSteadily(connection, () => DateTime.UtcNow > writing);
        Assert.Equal(0, checkpointer.Checkpoints);
        await Eventually(() => checkpointer.Checkpoints >= 1 && checkpointer.FramesCopied > 0, "the checkpoint once the commits stopped");
    }

    [Fact]
    public async Task A_log_written_without_a_pause_is_checkpointed_after_the_longest_wait()
    {
        var file = Path.Combine(_dir, "never-quiet.db");
        using var connection = Open(file);
        using var checkpointer = new WalCheckpointer([file], TimeSpan.FromMilliseconds(20), quiet: TimeSpan.FromMinutes(1), longest: TimeSpan.FromMilliseconds(400));
        await CommitSteadily(connection, () => checkpointer.FramesCopied > 0);
        Assert.True(checkpointer.FramesCopied > 0, "no checkpoint in 10 s of commits: the longest wait did not bound it");
    }

    [Fact]
    public async Task A_missing_file_is_not_created_and_a_file_that_is_no_database_does_not_stop_the_others()
    {
        var missing = Path.Combine(_dir, "missing.db");
        var garbage = Path.Combine(_dir, "garbage.db");
        await File.WriteAllTextAsync(garbage, new string('x', 5_000));
        var good = Path.Combine(_dir, "good.db");
        using var connection = Open(good);
        using var checkpointer = new WalCheckpointer([missing, garbage, good], TimeSpan.FromMilliseconds(20));
        Commit(connection, 50);
        await Eventually(() => checkpointer.FramesCopied >= 50, "the good file's checkpoint");
        Assert.False(File.Exists(missing));
        Assert.Equal(new string('x', 5_000), await File.ReadAllTextAsync(garbage));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
    /// <summary>
    /// The journal's connections (opened as <see cref="HeanConfig.SqliteDataOptions"/> opens them) wait inside SQLite for
    /// another connection's write lock: without busy_timeout, Microsoft.Data.Sqlite meets SQLITE_BUSY with a 150 ms sleep.
    /// </summary>
    [Fact]
    public async Task The_journals_connections_wait_for_another_writer_inside_SQLite()
    {
        var file = Path.Combine(_dir, "journal.db");
        using var holder = Open(file);
        using var journal = new LinqToDB.Data.DataConnection(HeanConfig.SqliteDataOptions(file));
        Assert.Equal(5000L, journal.Execute<long>("PRAGMA busy_timeout"));
        Assert.Equal("wal", journal.Execute<string>("PRAGMA journal_mode"));

        Exec(holder, "BEGIN IMMEDIATE");
        Exec(holder, "INSERT INTO journal(persistence_id, message) VALUES ('holder', x'00')");
        var write = Task.Run(() => journal.Execute(
            "INSERT INTO journal(persistence_id, message) VALUES ('journal', x'01')"));
        await Task.Delay(100);
        Assert.False(write.IsCompleted, "the second writer went through while the first held the write lock");
        Exec(holder, "COMMIT");
        await write.WaitAsync(Patience);
        Assert.Equal(2L, journal.Execute<long>("SELECT COUNT(*) FROM journal"));
    }
}
