using System.Collections.Immutable;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Journal;
using StackExchange.Redis;

namespace Hean.Persistence.Redis;

/// <summary>
/// Akka.Persistence journal on Redis (StackExchange.Redis). One <see cref="AtomicWrite"/> is one Lua
/// script on the keys of its persistence id: its events are stored together or not at all, and
/// the script refuses a write that does not continue the stored sequence exactly, so a second
/// writer for the same id, or a write that overtook a failed one, fails instead of leaving a gap.
/// The highest sequence number has its own key and survives deletes. The journal owns its
/// connection and disposes it when it stops.
/// </summary>
public sealed class RedisJournal : AsyncWriteJournal
{
    // KEYS: events, highest, [the persistence-id set,] then one index list (all events, a tag) per entry.
    // ARGV: lowest, highest, n, n × (seq, event), with-ids flag, persistence id, index entries.
    private const string WriteScript = """
        local stored = tonumber(redis.call('GET', KEYS[2]) or '0')
        local lowest = tonumber(ARGV[1])
        if lowest ~= stored + 1 then
          return redis.error_reply('HEAN-SEQUENCE ' .. KEYS[2] .. ' holds ' .. string.format('%d', stored) ..
            ' but the write starts at ' .. ARGV[1] .. ': another writer for this persistence id, or a lost earlier write')
        end
        local n = tonumber(ARGV[3])
        for i = 0, n - 1 do
          redis.call('ZADD', KEYS[1], ARGV[4 + 2 * i], ARGV[5 + 2 * i])
        end
        redis.call('SET', KEYS[2], ARGV[2])
        local t = 4 + 2 * n
        local first = 3
        if ARGV[t] == '1' then
          redis.call('SADD', KEYS[3], ARGV[t + 1])
          first = 4
        end
        t = t + 2
        for k = first, #KEYS do
          redis.call('RPUSH', KEYS[k], ARGV[t])
          t = t + 1
        end
        return n
        """;

    private readonly RedisPersistenceSettings _settings;
    private readonly RedisKeys _keys;
    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _db;
    private readonly Akka.Serialization.Serialization _serialization;
    private bool? _cluster;

    public RedisJournal(Config config)
    {
        _settings = RedisPersistenceSettings.From(config, "redis journal");
        _keys = new RedisKeys(_settings.KeyPrefix);
        _serialization = Context.System.Serialization;
        _connection = _settings.Connect("hean-journal");
        _db = _connection.GetDatabase(_settings.Database);
    }

    protected override void PostStop()
    {
        base.PostStop();
        _connection.Dispose();
    }

    protected override async Task<IImmutableList<Exception?>?> WriteMessagesAsync(IEnumerable<AtomicWrite> messages, CancellationToken cancellationToken)
    {
        var writes = messages as IReadOnlyList<AtomicWrite> ?? messages.ToList();
        if (writes.Count == 0) return null;

        // In Redis Cluster a tag list lives in another slot than the events, so the tag entries are
        // appended once the events are stored; elsewhere they go into the same atomic script.
        var cluster = IsCluster();
        var rejections = new Exception?[writes.Count];
        var stored = new (string PersistenceId, StoredEvent[] Events)[writes.Count];
        var scripts = new Task[writes.Count];
        for (var i = 0; i < writes.Count; i++)
        {
            var write = writes[i];
            StoredEvent[] events;
            try
            {
                events = ((IImmutableList<IPersistentRepresentation>)write.Payload).Select(Store).ToArray();
            }
            catch (Exception e)
            {
                // A rejected write stores nothing but still takes its sequence numbers, so the
                // writer's next write continues the sequence.
                rejections[i] = e;
                events = [];
            }
            stored[i] = (write.PersistenceId, events);
            // Issued in order on one connection, without awaiting in between: Redis runs them in this order.
            scripts[i] = Write(write.PersistenceId, write.LowestSequenceNr, write.HighestSequenceNr, events, withTags: !cluster);
        }
        await Task.WhenAll(scripts);

        if (cluster)
        {
            // The persistence-id set (idempotent, its own slot), for the persistence-ids queries.
            var ids = stored.Where(w => w.Events.Length > 0).Select(w => (RedisValue)w.PersistenceId).Distinct().ToArray();
            var idWrite = ids.Length > 0 ? _db.SetAddAsync(_keys.PersistenceIds(), ids) : Task.CompletedTask;
            // Entries of the all-events index, then the tags, each in write order (one connection keeps the order).
            var tagWrites = stored
                .SelectMany(w => w.Events.Select(e => (Key: _keys.All(), Entry: RedisKeys.TagEntry(w.PersistenceId, e.SequenceNr))))
                .Concat(stored.SelectMany(w => w.Events.SelectMany(e => e.Tags.Select(tag => (Key: _keys.Tag(tag), Entry: RedisKeys.TagEntry(w.PersistenceId, e.SequenceNr))))))
                .Select(t => (Task)_db.ListRightPushAsync(t.Key, t.Entry))
                .Append(idWrite)
                .ToList();
            await Task.WhenAll(tagWrites);
        }
        return rejections.Any(r => r is not null) ? rejections.ToImmutableList() : null;
    }

    private StoredEvent Store(IPersistentRepresentation message) =>
        message.Payload is Tagged tagged
            ? StoredEvent.From(message, Context.System, tagged.Tags.ToArray(), tagged.Payload)
            : StoredEvent.From(message, Context.System, [], message.Payload);

    private Task<RedisResult> Write(string persistenceId, long lowest, long highest, StoredEvent[] events, bool withTags)
    {
        // Every event also goes into the all-events index (a list like a tag's), in the same script on one Redis.
        var tagEntries = withTags
            ? events.Select(e => (Key: _keys.All(), Entry: RedisKeys.TagEntry(persistenceId, e.SequenceNr)))
                .Concat(events.SelectMany(e => e.Tags.Select(tag => (Key: _keys.Tag(tag), Entry: RedisKeys.TagEntry(persistenceId, e.SequenceNr)))))
                .ToList()
            : [];
        // On one Redis the id set joins the script too (no extra round trip); in a cluster it is in another slot.
        var withIds = withTags && events.Length > 0;
        var offset = withIds ? 3 : 2;
        var keys = new RedisKey[offset + tagEntries.Count];
        keys[0] = _keys.Events(persistenceId);
        keys[1] = _keys.Highest(persistenceId);
        if (withIds) keys[2] = _keys.PersistenceIds();
        var args = new RedisValue[5 + 2 * events.Length + tagEntries.Count];
        args[0] = lowest;
        args[1] = highest;
        args[2] = events.Length;
        for (var i = 0; i < events.Length; i++)
        {
            args[3 + 2 * i] = events[i].SequenceNr;
            args[4 + 2 * i] = events[i].Encode();
        }
        args[3 + 2 * events.Length] = withIds ? "1" : "0";
        args[4 + 2 * events.Length] = persistenceId;
        for (var t = 0; t < tagEntries.Count; t++)
        {
            keys[offset + t] = tagEntries[t].Key;
            args[5 + 2 * events.Length + t] = tagEntries[t].Entry;
        }
        return _db.ScriptEvaluateAsync(WriteScript, keys, args);
    }

    private bool IsCluster()
    {
        if (_cluster is { } known) return known;
        var connected = _connection.GetServers().Where(s => s.IsConnected).ToList();
        if (connected.Count == 0) return false; // the write fails anyway; decide once a server answers
        _cluster = connected.Any(s => s.ServerType == ServerType.Cluster);
        return _cluster.Value;
    }

    public override async Task ReplayMessagesAsync(IActorContext context, string persistenceId, long fromSequenceNr, long toSequenceNr,
        long max, Action<IPersistentRepresentation> recoveryCallback)
    {
        if (max <= 0 || toSequenceNr < fromSequenceNr) return;
        var key = _keys.Events(persistenceId);
        var remaining = max;
        var take = (int)Math.Min(_settings.ReplayBatchSize, remaining);
        var fetch = Page(key, fromSequenceNr, toSequenceNr, take);
        while (true)
        {
            var page = await fetch;
            if (page.Length == 0) return;
            remaining -= page.Length;
            var last = StoredEvent.SequenceNrOf((byte[])page[^1]!);
            var more = page.Length == take && remaining > 0 && last < toSequenceNr;
            if (more)
            {
                // Fetch the next page while this one is decoded and replayed.
                take = (int)Math.Min(_settings.ReplayBatchSize, remaining);
                fetch = Page(key, last + 1, toSequenceNr, take);
            }
            foreach (var value in page)
                recoveryCallback(StoredEvent.Decode((byte[])value!).ToPersistent(persistenceId, _serialization));
            if (!more) return;
        }
    }

    private Task<RedisValue[]> Page(RedisKey key, long from, long to, int take) =>
        _db.SortedSetRangeByScoreAsync(key, from, to, Exclude.None, Order.Ascending, 0, take);

    public override async Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr, CancellationToken cancellationToken)
    {
        var value = await _db.StringGetAsync(_keys.Highest(persistenceId));
        return value.IsNull ? 0 : (long)value;
    }

    protected override Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken) =>
        _db.SortedSetRemoveRangeByScoreAsync(_keys.Events(persistenceId), double.NegativeInfinity, toSequenceNr);

    public override async Task<PersistenceHealthCheckResult> CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            var latency = await _db.PingAsync();
            return new PersistenceHealthCheckResult(PersistenceHealthStatus.Healthy, $"redis answered in {latency.TotalMilliseconds:F1} ms", null, null);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return new PersistenceHealthCheckResult(PersistenceHealthStatus.Unhealthy, "redis does not answer: " + e.Message, e, null);
        }
    }
}
