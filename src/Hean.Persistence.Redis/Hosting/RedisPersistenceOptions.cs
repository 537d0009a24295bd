using System.Text;
using Akka.Configuration;
using Akka.Hosting;
using Akka.Persistence.Hosting;

namespace Hean.Persistence.Redis.Hosting;

/// <summary>What the Redis journal, snapshot store and read journal share: the server and where their keys live.</summary>
public sealed record RedisServerOptions(string ConfigurationString)
{
    /// <summary>The database of the journal and snapshot store (0 on Redis Cluster).</summary>
    public int Database { get; init; }

    /// <summary>The prefix of every key (<c>hean:journal:{id}:events</c>, …).</summary>
    public string KeyPrefix { get; init; } = "hean:";

    internal void Append(StringBuilder sb)
    {
        sb.AppendLine($"configuration-string = {Quote(ConfigurationString)}");
        sb.AppendLine($"database = {Database}");
        sb.AppendLine($"key-prefix = {Quote(KeyPrefix)}");
        sb.AppendLine("plugin-dispatcher = \"akka.actor.default-dispatcher\"");
    }

    /// <summary>A HOCON quoted string: a connection string may hold quotes, backslashes, ',' and '='.</summary>
    internal static string Quote(string value) => "\"" + value.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}

/// <summary>The Redis journal, in the shape of the official Akka.Persistence.*.Hosting options.</summary>
public sealed class RedisJournalOptions(RedisServerOptions server, bool isDefault = true, string identifier = "redis") : JournalOptions(isDefault)
{
    public override string Identifier { get; set; } = identifier;

    /// <summary>Events read per round trip during recovery (the next page is fetched while one is replayed).</summary>
    public int ReplayBatchSize { get; set; } = 2000;

    protected override Config InternalDefaultConfig { get; } = ConfigurationFactory.ParseString($$"""
        akka.persistence.journal.{{identifier}} {
          class = "{{typeof(RedisJournal).FullName}}, {{typeof(RedisJournal).Assembly.GetName().Name}}"
        }
        """).GetConfig($"akka.persistence.journal.{identifier}");

    protected override StringBuilder Build(StringBuilder sb)
    {
        sb.AppendLine($"class = \"{typeof(RedisJournal).FullName}, {typeof(RedisJournal).Assembly.GetName().Name}\"");
        server.Append(sb);
        sb.AppendLine($"replay-batch-size = {ReplayBatchSize}");
        return base.Build(sb);
    }
}

/// <summary>The Redis snapshot store, in the shape of the official Akka.Persistence.*.Hosting options.</summary>
public sealed class RedisSnapshotOptions(RedisServerOptions server, bool isDefault = true, string identifier = "redis") : SnapshotOptions(isDefault)
{
    public override string Identifier { get; set; } = identifier;

    protected override Config InternalDefaultConfig { get; } = ConfigurationFactory.ParseString($$"""
        akka.persistence.snapshot-store.{{identifier}} {
          class = "{{typeof(RedisSnapshotStore).FullName}}, {{typeof(RedisSnapshotStore).Assembly.GetName().Name}}"
        }
        """).GetConfig($"akka.persistence.snapshot-store.{identifier}");

    protected override StringBuilder Build(StringBuilder sb)
    {
        sb.AppendLine($"class = \"{typeof(RedisSnapshotStore).FullName}, {typeof(RedisSnapshotStore).Assembly.GetName().Name}\"");
        server.Append(sb);
        return base.Build(sb);
    }
}

/// <summary>Akka.Hosting for HEAN's Redis persistence plugin: one call for the journal, the snapshot store and the read journal.</summary>
public static class RedisPersistenceHostingExtensions
{
    /// <summary>
    /// The Redis journal and snapshot store (the default plugins unless <paramref name="isDefaultPlugin"/> is false) on
    /// one server, their event adapters (<paramref name="journalBuilder"/>, e.g. a write-side tagger) and the read journal
    /// (<see cref="Query.RedisReadJournal.Identifier"/>, polling live queries every <paramref name="refreshInterval"/>).
    /// </summary>
    public static AkkaConfigurationBuilder WithRedisPersistence(this AkkaConfigurationBuilder builder, RedisServerOptions server,
        Action<AkkaPersistenceJournalBuilder>? journalBuilder = null, bool isDefaultPlugin = true, TimeSpan? refreshInterval = null)
    {
        var journal = new RedisJournalOptions(server, isDefaultPlugin);
        builder.WithJournalAndSnapshot(journal, new RedisSnapshotOptions(server, isDefaultPlugin), journalBuilder ?? (_ => { }), _ => { });
        builder.AddHocon(QueryHocon(journal.Identifier, refreshInterval ?? TimeSpan.FromMilliseconds(200)), HoconAddMode.Prepend);
        return builder;
    }

    /// <summary>The journal, snapshot store and read journal as HOCON (for a system built without Akka.Hosting).</summary>
    public static string Hocon(RedisServerOptions server, TimeSpan? refreshInterval = null)
    {
        var journal = new RedisJournalOptions(server);
        return string.Join("\n", journal.ToString(), new RedisSnapshotOptions(server).ToString(),
            QueryHocon(journal.Identifier, refreshInterval ?? TimeSpan.FromMilliseconds(200)));
    }

    private static string QueryHocon(string journalId, TimeSpan refreshInterval) => $$"""
        akka.persistence.query.journal.redis {
          class = "{{typeof(Query.RedisReadJournalProvider).FullName}}, {{typeof(Query.RedisReadJournalProvider).Assembly.GetName().Name}}"
          write-plugin = "akka.persistence.journal.{{journalId}}"
          refresh-interval = {{(long)refreshInterval.TotalMilliseconds}}ms
          max-buffer-size = 500
        }
        """;
}
