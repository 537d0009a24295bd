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
/// runs a PASSIVE checkpoint of a file whose log has new pages: it copies what no reader still needs, never waits for a
/// lock and never blocks a writer, and the next commit after a complete checkpoint starts the log from its beginning again.
/// Its syncs still slow the file system's other writes for a few milliseconds, so it waits for a quiet moment: at least
/// <see cref="Every"/> after the file's last checkpoint, once the log has not been written for <see cref="Quiet"/> (orders
/// come in bursts, at a candle's close: a checkpoint once a second used to land in one of them about one order in fifty),
/// and at the latest <see cref="Longest"/> after the last, whatever is being written. A file that does not exist yet is
/// skipped (it is never created here); an error is logged once per file and the loop goes on.
/// </summary>
public sealed class WalCheckpointer : IDisposable
{
    public static readonly TimeSpan Every = TimeSpan.FromSeconds(1);

    /// <summary>How long a log must go unwritten before it is checkpointed (once <see cref="Every"/> has passed).</summary>
    public static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest a written log waits for a quiet moment.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(30);

    private static readonly ConditionalWeakTable<ActorSystem, WalCheckpointer> Running = new();

    private readonly string[] _files;
    private readonly TimeSpan _every, _quiet, _longest;
    private readonly ILoggingAdapter? _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _thread;
    private readonly HashSet<string> _failing = new(StringComparer.Ordinal);
    private long _checkpoints, _frames;

    /// <param name="every">Least time between two checkpoints of a file.</param>
    /// <param name="quiet">How long its log must go unwritten first; default the shorter of <paramref name="every"/> and <see cref="Quiet"/>.</param>
    /// <param name="longest">The longest a written log waits for that; default 30 × <paramref name="every"/>.</param>
    public WalCheckpointer(IEnumerable<string> files, TimeSpan every, ILoggingAdapter? log = null, TimeSpan? quiet = null, TimeSpan? longest = null)
    {
        if (every <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(every), every, "must be positive");
        _files = files.Select(Path.GetFullPath).ToArray();
        (_every, _log) = (every, log);
        _quiet = quiet ?? (every < Quiet ? every : Quiet);
        _longest = longest ?? every * 30;
        if (_quiet <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(quiet), _quiet, "must be positive");
        if (_longest < _every) throw new ArgumentOutOfRangeException(nameof(longest), _longest, "must be at least every");
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
            Every, Logging.GetLogger(system, typeof(WalCheckpointer)), Quiet, Longest);
        Running.AddOrUpdate(system, checkpointer);
        system.RegisterOnTermination(checkpointer.Dispose);
        return checkpointer;
    }

    /// <summary>The checkpointer <see cref="Start"/> runs for <paramref name="system"/>, if any.</summary>
    public static WalCheckpointer? Of(ActorSystem system) => Running.TryGetValue(system, out var c) ? c : null;

    private void Loop()
    {
        var token = _stop.Token;
        // Per file: when its log was last written as of its last checkpoint, and when that checkpoint ran.
        var checkpointed = _files.ToDictionary(f => f, _ => (Written: DateTime.MinValue, At: DateTime.UtcNow), StringComparer.Ordinal);
        var look = _quiet / 2 < _every ? _quiet / 2 : _every;
        while (!token.WaitHandle.WaitOne(look))
            foreach (var file in _files)
            {
                var log = new FileInfo(file + "-wal");
                if (!log.Exists) continue;
                var written = log.LastWriteTimeUtc;
                var (before, at) = checkpointed[file];
                var now = DateTime.UtcNow;
                if (written <= before || now - at < _every) continue; // nothing new, or too soon
                if (now - written < _quiet && now - at < _longest) continue; // being written: wait for a quiet moment
                Checkpoint(file);
                checkpointed[file] = (written, DateTime.UtcNow);
            }
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
