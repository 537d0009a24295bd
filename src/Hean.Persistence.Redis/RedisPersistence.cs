using Akka.Configuration;
using StackExchange.Redis;

namespace Hean.Persistence.Redis;

/// <summary>
/// Settings shared by the journal, the snapshot store and the read journal, read from their HOCON
/// section: <c>configuration-string</c> (StackExchange.Redis syntax, e.g. "127.0.0.1:6379"),
/// <c>database</c> and <c>key-prefix</c>.
/// </summary>
public sealed record RedisPersistenceSettings(string ConfigurationString, int Database, string KeyPrefix, int ReplayBatchSize)
{
    public static RedisPersistenceSettings From(Config config, string section)
    {
        var c = config.WithFallback(RedisPersistence.DefaultPluginConfig);
        var configurationString = c.GetString("configuration-string", "");
        if (string.IsNullOrWhiteSpace(configurationString))
            throw new ConfigurationException($"{section}.configuration-string is empty: name the Redis server, e.g. \"127.0.0.1:6379\"");
        var database = c.GetInt("database", 0);
        if (database < 0) throw new ConfigurationException($"{section}.database must not be negative (was {database})");
        var prefix = c.GetString("key-prefix", "hean:");
        if (prefix.Contains('{') || prefix.Contains('}'))
            throw new ConfigurationException($"{section}.key-prefix must not contain braces: they would change the Redis Cluster hash tag of every key");
        var batch = c.GetInt("replay-batch-size", 2000);
        if (batch < 1) throw new ConfigurationException($"{section}.replay-batch-size must be positive (was {batch})");
        return new RedisPersistenceSettings(configurationString, database, prefix, batch);
    }

    /// <summary>A new connection, owned by the caller. It does not fail when Redis is down at start: commands fail until it is back.</summary>
    public ConnectionMultiplexer Connect(string clientName)
    {
        var options = ConfigurationOptions.Parse(ConfigurationString);
        options.AbortOnConnectFail = false;
        options.ClientName ??= clientName;
        return ConnectionMultiplexer.Connect(options);
    }
}

/// <summary>Defaults of the keys of a plugin section; the Hosting options (RedisJournalOptions, RedisSnapshotOptions) name the plugin classes.</summary>
internal static class RedisPersistence
{
    internal static readonly Config DefaultPluginConfig = ConfigurationFactory.ParseString("""
        configuration-string = ""
        database = 0
        key-prefix = "hean:"
        replay-batch-size = 2000
        """);
}
