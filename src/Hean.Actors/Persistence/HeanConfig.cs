using Akka.Configuration;
using Akka.Persistence.Sql;

namespace Hean.Actors.Persistence;

public enum PersistenceBackend { Sqlite, InMemory }

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

    /// <summary>HOCON text (without the Sql plugin's defaults) for a backend; SQLite files go to <paramref name="dataDir"/>.</summary>
    public static string Hocon(PersistenceBackend backend, string dataDir)
    {
        var persistence = backend switch
        {
            PersistenceBackend.Sqlite => Resource("persistence-sqlite.conf")
                .Replace("${journal-file}", Path.GetFullPath(Path.Combine(dataDir, "journal.db")))
                .Replace("${snapshot-file}", Path.GetFullPath(Path.Combine(dataDir, "snapshots.db"))),
            PersistenceBackend.InMemory => Resource("persistence-inmem.conf"),
            _ => throw new ArgumentOutOfRangeException(nameof(backend), backend, null)
        };
        return string.Join("\n", HeanEventSerializer.Hocon, persistence, Resource("hean.conf"));
    }

    public static Config Build(PersistenceBackend backend, string dataDir)
    {
        if (backend == PersistenceBackend.Sqlite) Directory.CreateDirectory(dataDir);
        var config = ConfigurationFactory.ParseString(Hocon(backend, dataDir));
        return backend == PersistenceBackend.Sqlite ? config.WithFallback(SqlPersistence.DefaultConfiguration) : config;
    }
}
