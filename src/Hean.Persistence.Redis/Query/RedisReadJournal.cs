using System.Collections.Immutable;
using Akka;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Query;
using Akka.Streams.Dsl;
using Akka.Util;
using StackExchange.Redis;

namespace Hean.Persistence.Redis.Query;

/// <summary>
/// Akka.Persistence.Query over the Redis journal: events of one persistence id; events by tag and all events in the
/// order they were written (offset = <see cref="Sequence"/> position in the tag's or the all-events index, exclusive:
/// a stream started at offset n begins with position n + 1); the persistence ids. Current queries end at what was
/// stored when they started and complete with their last element; live queries poll every <c>refresh-interval</c>.
/// Events deleted from the journal are skipped. The all-events index holds the events written since it exists (this
/// version on); the id set is rebuilt from the journal's keys when it is missing.
/// </summary>
public sealed class RedisReadJournal :
    IEventsByPersistenceIdQuery, ICurrentEventsByPersistenceIdQuery, IEventsByTagQuery, ICurrentEventsByTagQuery,
    IPersistenceIdsQuery, ICurrentPersistenceIdsQuery, IAllEventsQuery, ICurrentAllEventsQuery
{
    public const string Identifier = "akka.persistence.query.journal.redis";

    private readonly RedisKeys _keys;
    private readonly IDatabase _db;
    private readonly ConnectionMultiplexer _connection;
    private readonly int _database;
    private readonly Akka.Serialization.Serialization _serialization;
    private readonly TimeSpan _refreshInterval;
    private readonly int _pageSize;

    internal RedisReadJournal(ExtendedActorSystem system, Config config)
    {
        var writePlugin = config.GetString("write-plugin", "akka.persistence.journal.redis");
        var settings = RedisPersistenceSettings.From(system.Settings.Config.GetConfig(writePlugin) ?? Config.Empty, writePlugin);
        _keys = new RedisKeys(settings.KeyPrefix);
        _serialization = system.Serialization;
        _refreshInterval = config.GetTimeSpan("refresh-interval", TimeSpan.FromMilliseconds(200));
        _pageSize = config.GetInt("max-buffer-size", 500);
        _connection = settings.Connect("hean-read-journal");
        system.RegisterOnTermination(_connection.Dispose);
        _database = settings.Database;
        _db = _connection.GetDatabase(settings.Database);
    }

    public Source<EventEnvelope, NotUsed> CurrentEventsByPersistenceId(string persistenceId, long fromSequenceNr, long toSequenceNr) =>
        ByPersistenceId(persistenceId, fromSequenceNr, toSequenceNr, live: false);

    public Source<EventEnvelope, NotUsed> EventsByPersistenceId(string persistenceId, long fromSequenceNr, long toSequenceNr) =>
        ByPersistenceId(persistenceId, fromSequenceNr, toSequenceNr, live: true);

    public Source<EventEnvelope, NotUsed> CurrentEventsByTag(string tag, Offset? offset) => ByIndex(_keys.Tag(tag), offset, live: false, "redis-events-by-tag");

    public Source<EventEnvelope, NotUsed> EventsByTag(string tag, Offset? offset) => ByIndex(_keys.Tag(tag), offset, live: true, "redis-events-by-tag");

    /// <summary>Every event of every id in write order; offset = position in the all-events index (exclusive).</summary>
    public Source<EventEnvelope, NotUsed> CurrentAllEvents(Offset offset) => ByIndex(_keys.All(), offset, live: false, "redis-all-events");

    public Source<EventEnvelope, NotUsed> AllEvents(Offset? offset = null) => ByIndex(_keys.All(), offset, live: true, "redis-all-events");

    /// <summary>The persistence ids that have events, as of when the query starts, each once; then it completes.</summary>
    public Source<string, NotUsed> CurrentPersistenceIds() =>
        Source.FromGraph(new PagedSource<bool, string>(false, async _ =>
            new QueryPage<bool, string>(await PersistenceIdsNowAsync(), true, Final: true), null, "redis-current-persistence-ids"));

    /// <summary>Every persistence id that has events, each once, and then each new one as it writes its first event.</summary>
    public Source<string, NotUsed> PersistenceIds() =>
        Source.FromGraph(new PagedSource<IImmutableSet<string>, string>(ImmutableHashSet<string>.Empty, async seen =>
        {
            var fresh = (await PersistenceIdsNowAsync()).Where(id => !seen.Contains(id)).ToList();
            return new QueryPage<IImmutableSet<string>, string>(fresh, seen.Union(fresh), Final: false);
        }, _refreshInterval, "redis-persistence-ids"));

    /// <summary>
    /// The id set, sorted. A journal written before the set existed (or one whose set was lost) has it rebuilt once from
    /// the highest-sequence keys, which every id that ever wrote has.
    /// </summary>
    private async Task<IReadOnlyList<string>> PersistenceIdsNowAsync()
    {
        var key = _keys.PersistenceIds();
        if (!await _db.KeyExistsAsync(key))
        {
            var found = new List<RedisValue>();
            foreach (var server in _connection.GetServers().Where(s => s.IsConnected && !s.IsReplica))
                await foreach (var k in server.KeysAsync(_database, _keys.HighestPattern(), pageSize: 500))
                    if (_keys.PersistenceIdOfHighest(k!) is { } id) found.Add(id);
            if (found.Count > 0) await _db.SetAddAsync(key, found.ToArray());
        }
        var members = await _db.SetMembersAsync(key);
        return members.Select(m => (string)m!).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Events of one id from <paramref name="from"/> to <paramref name="to"/>. A current query reads up to the highest
    /// sequence number stored when it starts (events written later are not its business) and completes with its last
    /// event; a live one keeps polling until it has delivered <paramref name="to"/>.
    /// </summary>
    private Source<EventEnvelope, NotUsed> ByPersistenceId(string persistenceId, long from, long to, bool live)
    {
        var key = _keys.Events(persistenceId);
        return Source.FromGraph(new PagedSource<(long Next, long? Bound), EventEnvelope>((Math.Max(1, from), null), async state =>
        {
            var (next, bound) = state;
            if (bound is null)
            {
                var highest = await _db.StringGetAsync(_keys.Highest(persistenceId));
                bound = live ? to : Math.Min(to, highest.IsNull ? 0 : (long)highest);
            }
            if (next > bound) return new QueryPage<(long, long?), EventEnvelope>([], (next, bound), Final: true);
            var page = await _db.SortedSetRangeByScoreAsync(key, next, bound.Value, Exclude.None, Order.Ascending, 0, _pageSize);
            var events = page.Select(v => Envelope(persistenceId, StoredEvent.Decode((byte[])v!), offset: null)).ToList();
            var after = events.Count > 0 ? events[^1].SequenceNr + 1 : next;
            // Done when the bound is reached, or (current) when the range holds no more events.
            var final = after > bound || (!live && page.Length < _pageSize);
            return new QueryPage<(long, long?), EventEnvelope>(events, (after, bound), final);
        }, live ? _refreshInterval : null, "redis-events-by-persistence-id"));
    }

    /// <summary>
    /// Events of an index (a tag's, or the all-events one) from an offset (exclusive). A current query ends at the
    /// length the index had when it started and completes with its last event; a live one polls for more.
    /// </summary>
    private Source<EventEnvelope, NotUsed> ByIndex(RedisKey key, Offset? offset, bool live, string name)
    {
        var start = offset switch
        {
            null or NoOffset => 0L,
            Sequence s => s.Value,
            _ => throw new ArgumentException($"the Redis read journal takes a Sequence offset or NoOffset, not {offset.GetType().Name}", nameof(offset))
        };
        return Source.FromGraph(new PagedSource<(long Position, long? End), EventEnvelope>((start, null), async state =>
        {
            var (position, end) = state;
            end ??= live ? long.MaxValue : await _db.ListLengthAsync(key);
            if (position >= end) return new QueryPage<(long, long?), EventEnvelope>([], (position, end), Final: true);
            var stop = Math.Min(position + _pageSize, end.Value) - 1;
            var entries = await _db.ListRangeAsync(key, position, stop);
            var events = entries.Length > 0 ? await Resolve(entries, position) : [];
            var next = position + entries.Length;
            // A current query also ends if the index came back shorter than it was (nothing more to read).
            return new QueryPage<(long, long?), EventEnvelope>(events, (next, end), Final: !live && (next >= end || entries.Length == 0));
        }, live ? _refreshInterval : null, name));
    }

    /// <summary>Reads the events a page of tag entries points to (one pipelined request per entry).</summary>
    private async Task<IReadOnlyList<EventEnvelope>> Resolve(RedisValue[] entries, long firstIndex)
    {
        var refs = entries.Select(e => RedisKeys.ParseTagEntry(e!)).ToArray();
        var reads = refs.Select(r => _db.SortedSetRangeByScoreAsync(_keys.Events(r.PersistenceId), r.SequenceNr, r.SequenceNr)).ToArray();
        await Task.WhenAll(reads);
        var events = new List<EventEnvelope>(entries.Length);
        for (var i = 0; i < refs.Length; i++)
        {
            var found = reads[i].Result;
            if (found.Length == 0) continue; // deleted from the journal
            events.Add(Envelope(refs[i].PersistenceId, StoredEvent.Decode((byte[])found[0]!), new Sequence(firstIndex + i + 1)));
        }
        return events;
    }

    private EventEnvelope Envelope(string persistenceId, StoredEvent stored, Offset? offset)
    {
        var payload = _serialization.Deserialize(stored.Payload, stored.SerializerId, stored.SerializerManifest);
        return new EventEnvelope(offset ?? new Sequence(stored.SequenceNr), persistenceId, stored.SequenceNr, payload, stored.Timestamp, stored.Tags.ToArray());
    }
}

/// <summary>Registered as <c>akka.persistence.query.journal.redis.class</c>.</summary>
public sealed class RedisReadJournalProvider(ExtendedActorSystem system, Config config) : IReadJournalProvider
{
    private readonly RedisReadJournal _journal = new(system, config);

    public IReadJournal GetReadJournal() => _journal;
}
