using System.Data.Common;
using Akka.Configuration;
using Akka.Persistence.Sql;
using Akka.Persistence.Sql.Config;
using LinqToDB;
using Microsoft.Data.Sqlite;

namespace Hean.Actors.Persistence;

public enum PersistenceBackend { Sqlite, InMemory, Redis, Postgres }

/// <summary>Builds the Akka configuration from the files in hocon/ (embedded in this assembly).</summary>
public static class HeanConfig
{
    public static string Resource(string file)
    {
        using var stream = typeof(HeanConfig).Assembly.GetManifestResourceStream("hocon." + file)
                           ?? throw new InvalidOperationException($"hocon/{file} is not embedded in {typeof(HeanConfig).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// HOCON text (without the Sql plugin's defaults) for a backend; SQLite files go to
    /// <paramref name="dataDir"/>; <paramref name="redis"/> (StackExchange.Redis configuration
    /// string) and <paramref name="postgres"/> (Npgsql connection string) are required by their backend.
    /// </summary>
    /// <param name="pluginByHosting">The Redis plugin (with its tagger) is added through Akka.Hosting
    /// (<c>WithRedisPersistence</c>) instead of this HOCON.</param>
    public static string Hocon(PersistenceBackend backend, string dataDir, string? redis = null, string? postgres = null, bool pluginByHosting = false)
    {
        if (backend == PersistenceBackend.Redis && pluginByHosting)
            return string.Join("\n", HeanEventSerializer.Hocon, Resource("hean.conf"));
        var persistence = backend switch
        {
            PersistenceBackend.Sqlite => Resource("persistence-sqlite.conf")
                + ConnectionSettings(SqliteConnection(Path.Combine(dataDir, JournalFile)), "connection-string", "journal.sql", "query.journal.sql")
                + ConnectionSettings(SqliteConnection(Path.Combine(dataDir, SnapshotFile)), "connection-string", "snapshot-store.sql"),
            PersistenceBackend.InMemory => Resource("persistence-inmem.conf"),
            // Our plugin's own options are its one source of truth, here as with Akka.Hosting.
            PersistenceBackend.Redis => Hean.Persistence.Redis.Hosting.RedisPersistenceHostingExtensions.Hocon(
                new Hean.Persistence.Redis.Hosting.RedisServerOptions(Required(redis, "Redis", "HEAN_REDIS", "127.0.0.1:6379"))),
            PersistenceBackend.Postgres => Resource("persistence-postgres.conf") + ConnectionSettings(
                Required(postgres, "PostgreSQL", "HEAN_POSTGRES", "Host=127.0.0.1;Username=hean;Password=…;Database=hean"), "connection-string", "journal.sql", "snapshot-store.sql", "query.journal.sql"),
            _ => throw new ArgumentOutOfRangeException(nameof(backend), backend, null)
        };
        return string.Join("\n", HeanEventSerializer.Hocon, persistence, HeanTagger.Hocon(JournalPlugin(backend)), Resource("hean.conf"));
    }

    /// <summary>The SQLite backend's files in the data folder: journal (and the read journal), snapshots.</summary>
    public const string JournalFile = "journal.db", SnapshotFile = "snapshots.db";

    /// <summary>A pooled SQLite connection string to <paramref name="file"/> (absolute), quoted where the path needs it.</summary>
    public static string SqliteConnection(string file) =>
        new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(file), Pooling = true }.ToString();

    /// <summary>
    /// Every connection the SQLite journal and snapshot store open runs in WAL mode with <c>synchronous=NORMAL</c>: a
    /// commit is one append to the write-ahead log, synced to disk at checkpoints rather than at every commit. A committed
    /// write survives the process crashing or being killed (it is in the operating system's cache, which the file system
    /// writes out); a power loss or an operating-system crash can lose the last commits before a checkpoint, never corrupt
    /// the file. Readers (the history projection's queries) no longer block the writer. In the default rollback mode every
    /// commit cost two or three fsyncs, and an order waited for that on its way to the venue. No commit checkpoints the
    /// log (<c>wal_autocheckpoint=0</c>): <see cref="WalCheckpointer"/> does that on a thread of its own, and whatever
    /// builds a system with <see cref="SqliteSetup"/> starts it (<see cref="WalCheckpointer.Start"/>).
    /// A connection that meets another's write lock waits inside SQLite (<c>busy_timeout</c>: sleeps of 1, 2, 5, 10… ms, up
    /// to 5 s): without it Microsoft.Data.Sqlite answers SQLITE_BUSY by sleeping 150 ms before it tries again, a stall an
    /// order on its way to the venue would sit behind.
    /// </summary>
    public const string SqlitePragmas = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA wal_autocheckpoint=0; PRAGMA busy_timeout=5000;";

    /// <summary>
    /// The linq2db options of the SQLite journal and snapshot store in <paramref name="dataDir"/> (<see cref="SqlitePragmas"/>
    /// on every connection they open), for an actor system built with this setup; the HOCON of <see cref="Build"/> still
    /// names the same files for the read journal.
    /// </summary>
    public static MultiDataOptionsSetup SqliteSetup(string dataDir)
    {
        var setup = new MultiDataOptionsSetup();
        setup.AddDataOptions("akka.persistence.journal.sql", SqliteDataOptions(Path.Combine(dataDir, JournalFile)));
        setup.AddDataOptions("akka.persistence.snapshot-store.sql", SqliteDataOptions(Path.Combine(dataDir, SnapshotFile)));
        return setup;
    }

    /// <summary>The linq2db options of one SQLite file as the journal and snapshot store open it.</summary>
    public static DataOptions SqliteDataOptions(string file) => new DataOptions()
        .UseConnectionString(ProviderName.SQLiteMS, SqliteConnection(file))
        .UseAfterConnectionOpened(Tune, (connection, ct) => TuneAsync(connection, ct));

    private static void Tune(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = SqlitePragmas;
        command.ExecuteNonQuery();
    }

    private static async Task TuneAsync(DbConnection connection, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = SqlitePragmas;
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>The HOCON path of the journal plugin a backend writes with.</summary>
    public static string JournalPlugin(PersistenceBackend backend) => backend switch
    {
        PersistenceBackend.Sqlite or PersistenceBackend.Postgres => "akka.persistence.journal.sql",
        PersistenceBackend.Redis => "akka.persistence.journal.redis",
        PersistenceBackend.InMemory => "akka.persistence.journal.inmem",
        _ => throw new ArgumentOutOfRangeException(nameof(backend), backend, null)
    };

    /// <summary>The read journal (Akka.Persistence.Query) of a backend; none for the in-memory journal of backtests.</summary>
    public static string? ReadJournal(PersistenceBackend backend) => backend switch
    {
        PersistenceBackend.Sqlite or PersistenceBackend.Postgres => "akka.persistence.query.journal.sql",
        PersistenceBackend.Redis => Hean.Persistence.Redis.Query.RedisReadJournal.Identifier,
        _ => null
    };

    public static Config Build(PersistenceBackend backend, string dataDir, string? redis = null, string? postgres = null, bool pluginByHosting = false)
    {
        if (backend == PersistenceBackend.Sqlite) Directory.CreateDirectory(dataDir);
        var config = ConfigurationFactory.ParseString(Hocon(backend, dataDir, redis, postgres, pluginByHosting));
        return backend is PersistenceBackend.Sqlite or PersistenceBackend.Postgres ? config.WithFallback(SqlPersistence.DefaultConfiguration) : config;
    }

    private static string Required(string? value, string what, string setting, string example) =>
        string.IsNullOrWhiteSpace(value)
            ? throw new ArgumentException($"the {what} backend needs a connection string: set {setting} (e.g. \"{example}\")")
            : value;

    /// <summary>Lines after the backend's file that set its connection strings from typed values (later lines win in HOCON).</summary>
    private static string ConnectionSettings(string value, string key, params string[] plugins) =>
        "\n" + string.Join("\n", plugins.Select(p => $"akka.persistence.{p}.{key} = {Quote(value)}")) + "\n";

    /// <summary>A HOCON quoted string: connection strings may hold quotes, backslashes, ';' and '='.</summary>
    private static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
