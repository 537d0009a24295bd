using System.Diagnostics;
using System.Runtime.CompilerServices;
using Akka.Actor;
using Akka.Event;
using Hean.Actors.Monitoring;
using Microsoft.Data.Sqlite;

namespace Hean.Actors.Persistence;

/// <summary>
/// Runs SQLite's WAL checkpoints of the journal and snapshot files on a thread of its own, so that no journal write pays
/// for one. SQLite's default is an automatic checkpoint inside the commit that takes the write-ahead log past 1,000
/// pages: with synchronous=NORMAL that is the one moment a commit copies pages into the database and syncs both files,
/// and the actor whose event it was (an order on its way to the venue) waits tens of milliseconds for it. The journal's
/// connections therefore run with <c>wal_autocheckpoint=0</c> (<see cref="HeanConfig.SqlitePragmas"/>) and this loop
/// runs a PASSIVE checkpoint of each file every <see cref="Every"/>: it copies what no reader still needs, never waits
/// for a lock and never blocks a writer, and the next commit after a complete checkpoint starts the log from its
/// beginning again, so the log stays as small as one interval's writes. A file that does not exist yet is skipped (it is
/// never created here); an error is logged once per file and the loop goes on.
/// </summary>
public sealed class WalCheckpointer : IDisposable
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    private static readonly ConditionalWeakTable<ActorSystem, WalCheckpointer> Running = new();

    private readonly string[] _files;
    private readonly TimeSpan _every;
    private readonly ILoggingAdapter? _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly HashSet<string> _failing = new(StringComparer.Ordinal);
    private long _checkpoints, _frames;

    public WalCheckpointer(IEnumerable<string> files, TimeSpan every, ILoggingAdapter? log = null)
    {
        if (every <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(every), every, "must be positive");
        _files = files.Select(Path.GetFullPath).ToArray();
        (_every, _log) = (every, log);
        _thread = new Thread(Loop) { IsBackground = true, Name = "hean-wal-checkpoint", Priority = ThreadPriority.BelowNormal };
        _thread.Start();
    }

    /// <summary>Checkpoints run so far (one file each).</summary>
    public long Checkpoints => Interlocked.Read(ref _checkpoints);

    /// <summary>Pages copied from the logs into the databases so far.</summary>
    public long FramesCopied => Interlocked.Read(ref _frames);

    /// <summary>Starts the checkpoints of the SQLite files in <paramref name="dataDir"/> for as long as <paramref name="system"/> runs.</summary>
    public static WalCheckpointer Start(ActorSystem system, string dataDir)
    {
        var checkpointer = new WalCheckpointer([Path.Combine(dataDir, HeanConfig.JournalFile), Path.Combine(dataDir, HeanConfig.SnapshotFile)],
            Every, Logging.GetLogger(system, typeof(WalCheckpointer)));
        Running.AddOrUpdate(system, checkpointer);
        system.RegisterOnTermination(checkpointer.Dispose);
        return checkpointer;
    }

    /// <summary>The checkpointer <see cref="Start"/> runs for <paramref name="system"/>, if any.</summary>
    public static WalCheckpointer? Of(ActorSystem system) => Running.TryGetValue(system, out var c) ? c : null;

    private void Loop()
    {
        var token = _stop.Token;
        while (!token.WaitHandle.WaitOne(_every))
            foreach (var file in _files)
                Checkpoint(file);
        // A last one when the system stops: the next start finds a short log.
        foreach (var file in _files) Checkpoint(file);
    }

    private void Checkpoint(string file)
    {
        if (!File.Exists(file)) return;
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
            {
                DataSource = file, Mode = SqliteOpenMode.ReadWrite, Pooling = false,
            }.ToString());
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
            using var reader = command.ExecuteReader();
            // busy (always 0 for PASSIVE), pages in the log, pages copied (-1 when the file is not in WAL mode)
            if (reader.Read() && reader.GetInt64(2) > 0) Interlocked.Add(ref _frames, reader.GetInt64(2));
            Interlocked.Increment(ref _checkpoints);
            _failing.Remove(file);
        }
        catch (Exception e) when (e is SqliteException or IOException or UnauthorizedAccessException or InvalidOperationException)
        {
            if (_failing.Add(file)) _log?.Warning("WAL checkpoint of {0} failed: {1}; trying again every {2}", file, e.Message, _every);
            return;
        }
        var took = Stopwatch.GetElapsedTime(started);
        HeanMetrics.WalCheckpoint.Observe(took.TotalSeconds);
        if (took > TimeSpan.FromSeconds(1)) _log?.Warning("WAL checkpoint of {0} took {1:0.0} s (a slow disk): journal writes did not wait for it", file, took.TotalSeconds);
    }

    public void Dispose()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        if (Thread.CurrentThread != _thread) _thread.Join(TimeSpan.FromSeconds(10));
    }
}
