using StackExchange.Redis;

namespace Hean.Persistence.Redis;

/// <summary>
/// Where things live in Redis. Every key of one persistence id carries the id as its hash tag
/// (<c>hean:journal:{order-1}:events</c>), so one id's keys are in one Redis Cluster slot and a
/// script may touch them together. Tag indexes span ids; each is its own slot.
/// </summary>
internal sealed class RedisKeys(string prefix)
{
    /// <summary>Sorted set: score = sequence number, member = one encoded event.</summary>
    public RedisKey Events(string persistenceId) => $"{prefix}journal:{{{persistenceId}}}:events";

    /// <summary>String: the highest sequence number ever written; deletes never lower it.</summary>
    public RedisKey Highest(string persistenceId) => $"{prefix}journal:{{{persistenceId}}}:highest";

    /// <summary>Sorted set: score = sequence number, member = "sequenceNr:timestampTicks".</summary>
    public RedisKey SnapshotIndex(string persistenceId) => $"{prefix}snapshot:{{{persistenceId}}}:index";

    /// <summary>Hash: field = sequence number, value = encoded snapshot.</summary>
    public RedisKey SnapshotData(string persistenceId) => $"{prefix}snapshot:{{{persistenceId}}}:data";

    /// <summary>List: one entry "sequenceNr|persistenceId" per tagged event, in write order; offset = position.</summary>
    public RedisKey Tag(string tag) => $"{prefix}tag:{{{tag}}}";

    /// <summary>List: one entry "sequenceNr|persistenceId" per event of every id, in write order; offset = position.</summary>
    public RedisKey All() => $"{prefix}all";

    /// <summary>Set: every persistence id that has written an event.</summary>
    public RedisKey PersistenceIds() => $"{prefix}persistence-ids";

    /// <summary>The pattern of the highest-sequence keys, one per persistence id (to rebuild the id set).</summary>
    public string HighestPattern() => $"{prefix}journal:{{*}}:highest";

    /// <summary>The persistence id of a highest-sequence key, or null.</summary>
    public string? PersistenceIdOfHighest(string key)
    {
        var head = $"{prefix}journal:{{";
        const string tail = "}:highest";
        return key.StartsWith(head, StringComparison.Ordinal) && key.EndsWith(tail, StringComparison.Ordinal) && key.Length > head.Length + tail.Length
            ? key[head.Length..^tail.Length]
            : null;
    }

    public static string TagEntry(string persistenceId, long sequenceNr) => $"{sequenceNr}|{persistenceId}";

    public static (string PersistenceId, long SequenceNr) ParseTagEntry(string entry)
    {
        var bar = entry.IndexOf('|');
        if (bar <= 0 || !long.TryParse(entry.AsSpan(0, bar), out var seq))
            throw new FormatException($"malformed tag index entry '{entry}'");
        return (entry[(bar + 1)..], seq);
    }
}
