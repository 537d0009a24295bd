using Akka.Actor;
using Akka.Configuration;
using Akka.Serialization;
using Hean.Actors.Persistence;
using Npgsql;
using StackExchange.Redis;

namespace Hean.Persistence.Redis.Tests;

public enum Backend { Redis, RedisCluster, Postgres, Sqlite }

/// <summary>
/// One test's own corner of a real server: a key prefix of its own on Redis (deleted afterwards),
/// a database of its own on PostgreSQL (dropped afterwards). The Akka configuration is HEAN's own
/// (hocon/ through <see cref="HeanConfig"/>) pointed at that corner.
/// </summary>
internal abstract class TestStore : IDisposable
{
    /// <summary>Test-only bindings: a type whose serializer always throws (write rejections).</summary>
    private static readonly string TestHocon = $$"""
        akka.loglevel = WARNING
        akka.log-dead-letters = off
        akka.actor {
          serializers.failing = "{{typeof(FailingSerializer).FullName}}, {{typeof(FailingSerializer).Assembly.GetName().Name}}"
          serialization-bindings {
            "{{typeof(NotSerializable).FullName}}, {{typeof(NotSerializable).Assembly.GetName().Name}}" = failing
          }
        }
        """;

    public abstract Config Config { get; }

    public static TestStore Create(Backend backend, string? extraHocon = null) => backend switch
    {
        Backend.Redis => new RedisTestStore(TestServices.RequireRedis(), extraHocon),
        Backend.RedisCluster => new RedisTestStore(TestServices.RequireRedisCluster(), extraHocon),
        Backend.Postgres => new PostgresTestStore(TestServices.RequirePostgres(), extraHocon),
        Backend.Sqlite => new SqliteTestStore(extraHocon),
        _ => throw new ArgumentOutOfRangeException(nameof(backend))
    };

    /// <summary>
    /// One HOCON text, parsed once (later lines win): chains of WithFallback make Akka's config
    /// lookups exponentially slow.
    /// </summary>
    protected static Config Compose(string hean, string own, string? extraHocon) =>
        ConfigurationFactory.ParseString(string.Join("\n", hean, TestHocon, own, extraHocon ?? ""));

    public abstract void Dispose();
}

internal sealed class RedisTestStore : TestStore
{
    private readonly Lazy<ConnectionMultiplexer> _connection;

    public RedisTestStore(string address, string? extraHocon)
    {
        Address = address;
        var id = Guid.NewGuid().ToString("N");
        Prefix = $"test:{id}:";
        ClientName = "hean-test-" + id;
        var own = $"""
            akka.persistence.journal.redis.key-prefix = "{Prefix}"
            akka.persistence.snapshot-store.redis.key-prefix = "{Prefix}"
            """;
        Config = Compose(HeanConfig.Hocon(PersistenceBackend.Redis, Path.GetTempPath(), redis: $"{address},name={ClientName}"), own, extraHocon);
        _connection = new(() => ConnectionMultiplexer.Connect(address + ",allowAdmin=true"));
    }

    public string Address { get; }
    public string Prefix { get; }

    /// <summary>The CLIENT SETNAME of every connection the plugins of this test open.</summary>
    public string ClientName { get; }

    public override Config Config { get; }

    /// <summary>The test's own connection, for looking at what the plugins stored.</summary>
    public ConnectionMultiplexer Connection => _connection.Value;

    public IDatabase Db => Connection.GetDatabase();

    public IReadOnlyList<RedisKey> Keys() =>
        Connection.GetServers().Where(s => !s.IsReplica).SelectMany(s => s.Keys(pattern: Prefix + "*")).ToList();

    /// <summary>How many connections the plugins of this test hold open right now.</summary>
    public int OpenClients() =>
        Connection.GetServers().Where(s => !s.IsReplica).Sum(s => s.ClientList().Count(c => c.Name == ClientName));

    public override void Dispose()
    {
        foreach (var key in Keys()) Db.KeyDelete(key);
        if (_connection.IsValueCreated) _connection.Value.Dispose();
    }
}

internal sealed class PostgresTestStore : TestStore
{
    private readonly string _admin;
    private readonly string _database = "hean_test_" + Guid.NewGuid().ToString("N");

    public PostgresTestStore(string admin, string? extraHocon)
    {
        _admin = admin;
        Execute($"CREATE DATABASE {_database}");
        var own = new NpgsqlConnectionStringBuilder(admin) { Database = _database }.ConnectionString;
        Config = Compose(HeanConfig.Hocon(PersistenceBackend.Postgres, Path.GetTempPath(), postgres: own), "", extraHocon)
            .WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration);
    }

    public override Config Config { get; }

    public override void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        Execute($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
    }

    private void Execute(string sql)
    {
        using var connection = new NpgsqlConnection(_admin);
        connection.Open();
        using var command = new NpgsqlCommand(sql, connection);
        command.ExecuteNonQuery();
    }
}

/// <summary>The embedded default: SQLite files in a folder of the test's own (deleted afterwards).</summary>
internal sealed class SqliteTestStore : TestStore
{
    public SqliteTestStore(string? extraHocon)
    {
        Folder = Directory.CreateTempSubdirectory("hean-sqlite-test-").FullName;
        Config = Compose(HeanConfig.Hocon(PersistenceBackend.Sqlite, Folder), "", extraHocon)
            .WithFallback(Akka.Persistence.Sql.SqlPersistence.DefaultConfiguration);
    }

    public string Folder { get; }

    public override Config Config { get; }

    public override void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>An event no serializer can write: the journal must reject it and keep going.</summary>
public sealed record NotSerializable(string Text);

public sealed class FailingSerializer(ExtendedActorSystem system) : Serializer(system)
{
    public override int Identifier => 7499;
    public override bool IncludeManifest => false;
    public override byte[] ToBinary(object obj) => throw new InvalidOperationException($"{obj} cannot be serialized (test)");
    public override object FromBinary(byte[] bytes, Type? type) => throw new InvalidOperationException("never written");
}
