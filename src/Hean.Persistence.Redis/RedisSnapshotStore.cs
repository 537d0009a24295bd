using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using Akka.Configuration;
using Akka.Persistence;
using Akka.Persistence.Snapshot;
using StackExchange.Redis;

namespace Hean.Persistence.Redis;

/// <summary>
/// Akka.Persistence snapshot store on Redis. Per persistence id an index (sorted set by sequence
/// number, member "seq:timestampTicks") and the snapshots themselves (hash by sequence number),
/// written together in one MULTI/EXEC; a snapshot saved again at the same sequence number
/// replaces the old one. Owns its connection and disposes it when it stops.
/// </summary>
public sealed class RedisSnapshotStore : SnapshotStore
{
    private const byte Version = 1;
    private const int IndexPage = 64;

    private readonly RedisKeys _keys;
    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _db;
    private readonly Akka.Serialization.Serialization _serialization;
    private readonly Akka.Actor.ActorSystem _system;

    public RedisSnapshotStore(Config config)
    {
        var settings = RedisPersistenceSettings.From(config, "redis snapshot store");
        _keys = new RedisKeys(settings.KeyPrefix);
        _system = Context.System;
        _serialization = _system.Serialization;
        _connection = settings.Connect("hean-snapshot-store");
        _db = _connection.GetDatabase(settings.Database);
    }

    protected override void PostStop()
    {
        base.PostStop();
        _connection.Dispose();
    }

    protected override async Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
    {
        var index = _keys.SnapshotIndex(persistenceId);
        var skip = 0L;
        while (true)
        {
            // Newest first; only the small index members are read until one matches the criteria.
            var members = await _db.SortedSetRangeByScoreAsync(index, criteria.MinSequenceNr, criteria.MaxSequenceNr,
                Exclude.None, Order.Descending, skip, IndexPage);
            foreach (var member in members)
            {
                var (seq, timestamp) = ParseIndexMember(member!);
                if (!Matches(criteria, timestamp)) continue;
                var data = await _db.HashGetAsync(_keys.SnapshotData(persistenceId), seq);
                if (data.IsNull) continue; // deleted since the index was read
                return new SelectedSnapshot(new SnapshotMetadata(persistenceId, seq, timestamp), Decode((byte[])data!));
            }
            if (members.Length < IndexPage) return null;
            skip += members.Length;
        }
    }

    protected override Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken)
    {
        var data = Encode(snapshot);
        var index = _keys.SnapshotIndex(metadata.PersistenceId);
        var transaction = _db.CreateTransaction();
        _ = transaction.SortedSetRemoveRangeByScoreAsync(index, metadata.SequenceNr, metadata.SequenceNr);
        _ = transaction.SortedSetAddAsync(index, IndexMember(metadata.SequenceNr, metadata.Timestamp), metadata.SequenceNr);
        _ = transaction.HashSetAsync(_keys.SnapshotData(metadata.PersistenceId), metadata.SequenceNr, data);
        return Commit(transaction);
    }

    /// <summary>
    /// Deletes the snapshot at the metadata's sequence number only when its timestamp matches too, unless the metadata
    /// carries no timestamp (MinValue or MaxValue), as Akka's own stores do: a delete based on an older snapshot's
    /// metadata must not remove a newer one saved at the same sequence number.
    /// </summary>
    protected override async Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken)
    {
        var index = _keys.SnapshotIndex(metadata.PersistenceId);
        var anyTime = metadata.Timestamp == DateTime.MinValue || metadata.Timestamp == DateTime.MaxValue;
        var members = await _db.SortedSetRangeByScoreAsync(index, metadata.SequenceNr, metadata.SequenceNr);
        var doomed = members.Where(m => anyTime || ParseIndexMember(m!).Timestamp == metadata.Timestamp).ToArray();
        if (doomed.Length == 0) return;
        var transaction = _db.CreateTransaction();
        _ = transaction.SortedSetRemoveAsync(index, doomed);
        _ = transaction.HashDeleteAsync(_keys.SnapshotData(metadata.PersistenceId), metadata.SequenceNr);
        await Commit(transaction);
    }

    protected override async Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken)
    {
        var index = _keys.SnapshotIndex(persistenceId);
        var members = await _db.SortedSetRangeByScoreAsync(index, criteria.MinSequenceNr, criteria.MaxSequenceNr);
        var doomed = members.Select(m => (Member: m, Parsed: ParseIndexMember(m!))).Where(m => Matches(criteria, m.Parsed.Timestamp)).ToList();
        if (doomed.Count == 0) return;
        var transaction = _db.CreateTransaction();
        _ = transaction.SortedSetRemoveAsync(index, doomed.Select(d => d.Member).ToArray());
        _ = transaction.HashDeleteAsync(_keys.SnapshotData(persistenceId), doomed.Select(d => (RedisValue)d.Parsed.SequenceNr).ToArray());
        await Commit(transaction);
    }

    private static async Task Commit(ITransaction transaction)
    {
        if (!await transaction.ExecuteAsync())
            throw new RedisException("the snapshot transaction was not committed");
    }

    private static bool Matches(SnapshotSelectionCriteria criteria, DateTime timestamp) =>
        timestamp <= criteria.MaxTimeStamp && (criteria.MinTimestamp is not { } min || timestamp >= min);

    private static RedisValue IndexMember(long sequenceNr, DateTime timestamp) =>
        string.Create(CultureInfo.InvariantCulture, $"{sequenceNr}:{timestamp.Ticks}");

    internal static (long SequenceNr, DateTime Timestamp) ParseIndexMember(string member)
    {
        var colon = member.IndexOf(':');
        return (long.Parse(member.AsSpan(0, colon), CultureInfo.InvariantCulture),
            new DateTime(long.Parse(member.AsSpan(colon + 1), CultureInfo.InvariantCulture), DateTimeKind.Utc));
    }

    /// <summary>version 1 | serializer id i32 | manifest (i32 length + UTF-8) | payload, as Akka's serialization gives them.</summary>
    private byte[] Encode(object snapshot)
    {
        var serializer = _serialization.FindSerializerFor(snapshot);
        var manifest = Encoding.UTF8.GetBytes(Akka.Serialization.Serialization.ManifestFor(serializer, snapshot));
        var payload = StoredEvent.ToBinary(_system, serializer, snapshot);
        var buffer = new byte[1 + 4 + 4 + manifest.Length + payload.Length];
        buffer[0] = Version;
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(1), serializer.Identifier);
        BinaryPrimitives.WriteInt32LittleEndian(buffer.AsSpan(5), manifest.Length);
        manifest.CopyTo(buffer, 9);
        payload.CopyTo(buffer, 9 + manifest.Length);
        return buffer;
    }

    private object Decode(byte[] data)
    {
        if (data.Length < 9 || data[0] != Version)
            throw new FormatException($"not a HEAN snapshot (version byte {(data.Length > 0 ? data[0] : -1)}, {data.Length} bytes)");
        var serializerId = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(1));
        var manifestLength = BinaryPrimitives.ReadInt32LittleEndian(data.AsSpan(5));
        var manifest = Encoding.UTF8.GetString(data, 9, manifestLength);
        return _serialization.Deserialize(data.AsSpan(9 + manifestLength).ToArray(), serializerId, manifest);
    }
}
