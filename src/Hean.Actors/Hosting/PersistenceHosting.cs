using Akka.Hosting;
using Hean.Actors.Persistence;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Hean.Core.Risk;
using Hean.Persistence.Redis.Hosting;

namespace Hean.Actors.Hosting;

/// <summary>
/// The journal and snapshot store of each backend through Akka.Hosting, with HEAN's serializer, the tagger of the
/// history projection and the base configuration (hocon/hean.conf). The persistence ids do not depend on the backend.
/// </summary>
public static class PersistenceHosting
{
    /// <summary>
    /// Akka.Persistence.Sql on SQLite: journal.db and snapshots.db in <paramref name="dataDir"/> (created if missing), in WAL
    /// mode with synchronous=NORMAL (<see cref="HeanConfig.SqlitePragmas"/>: durable when the process dies, not on power loss),
    /// checkpointed off the writers' path by a <see cref="WalCheckpointer"/> for as long as the system runs.
    /// </summary>
    public static AkkaConfigurationBuilder WithHeanSqlitePersistence(this AkkaConfigurationBuilder builder, string dataDir) =>
        builder.AddHocon(HeanConfig.Build(PersistenceBackend.Sqlite, dataDir), HoconAddMode.Prepend)
            .AddSetup(HeanConfig.SqliteSetup(dataDir))
            .AddStartup((system, _) => WalCheckpointer.Start(system, dataDir));

    /// <summary>Akka.Persistence.Sql on PostgreSQL (HEAN_POSTGRES, an Npgsql connection string); the tables are created on first use.</summary>
    public static AkkaConfigurationBuilder WithHeanPostgresPersistence(this AkkaConfigurationBuilder builder, string? connectionString) =>
        builder.AddHocon(HeanConfig.Build(PersistenceBackend.Postgres, Path.GetTempPath(), postgres: connectionString), HoconAddMode.Prepend);

    /// <summary>The in-memory journal and snapshot store: backtests (isolated, deterministic, nothing left behind).</summary>
    public static AkkaConfigurationBuilder WithHeanInMemoryPersistence(this AkkaConfigurationBuilder builder) =>
        builder.AddHocon(HeanConfig.Build(PersistenceBackend.InMemory, Path.GetTempPath()), HoconAddMode.Prepend);

    /// <summary>HEAN's Redis plugin (HEAN_REDIS, a StackExchange.Redis configuration string) through its own Hosting options.</summary>
    public static AkkaConfigurationBuilder WithHeanRedisPersistence(this AkkaConfigurationBuilder builder, string? configuration)
    {
        if (string.IsNullOrWhiteSpace(configuration))
            throw new ArgumentException("the Redis backend needs a connection string: set HEAN_REDIS (e.g. \"127.0.0.1:6379\")");
        builder.AddHocon(HeanConfig.Build(PersistenceBackend.Redis, Path.GetTempPath(), pluginByHosting: true), HoconAddMode.Prepend);
        return builder.WithRedisPersistence(new RedisServerOptions(configuration),
            journal => journal.AddWriteEventAdapter<HeanTagger>("hean-tags", [typeof(IOrderEvent), typeof(IPortfolioEvent), typeof(IRiskEvent)]));
    }

    /// <summary>The backend chosen by HEAN_PERSISTENCE.</summary>
    public static AkkaConfigurationBuilder WithHeanPersistence(this AkkaConfigurationBuilder builder, PersistenceBackend backend, string dataDir,
        string? redis = null, string? postgres = null) => backend switch
    {
        PersistenceBackend.Sqlite => builder.WithHeanSqlitePersistence(dataDir),
        PersistenceBackend.Postgres => builder.WithHeanPostgresPersistence(postgres),
        PersistenceBackend.InMemory => builder.WithHeanInMemoryPersistence(),
        PersistenceBackend.Redis => builder.WithHeanRedisPersistence(redis),
        _ => throw new ArgumentOutOfRangeException(nameof(backend), backend, null)
    };
}
