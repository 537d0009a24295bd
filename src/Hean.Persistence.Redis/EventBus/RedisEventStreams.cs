using StackExchange.Redis;

namespace Hean.Persistence.Redis.EventBus;

/// <summary>
/// Reads the bus back: the last entries, a range from an id, new entries after the ids seen, and
/// consumer groups (XREADGROUP, XACK). Entries of several streams are merged by id (time order).
/// </summary>
public sealed class RedisEventStreams(IDatabase db, RedisEventBusOptions options)
{
    /// <summary>The last <paramref name="count"/> entries over the given types, oldest first.</summary>
    public async Task<IReadOnlyList<BusEntry>> LastAsync(IReadOnlyList<string> types, int count)
    {
        var reads = types.Select(t => (Stream: options.Stream(t), Read: db.StreamRangeAsync(options.Stream(t), "-", "+", count, Order.Descending))).ToList();
        await Task.WhenAll(reads.Select(r => r.Read));
        return Merge(reads.SelectMany(r => r.Read.Result.Select(e => BusEntry.From(r.Stream, e)))).TakeLast(count).ToList();
    }

    /// <summary>Entries with an id at or after <paramref name="fromId"/> ("0" = everything kept), oldest first, at most <paramref name="count"/>.</summary>
    public async Task<IReadOnlyList<BusEntry>> RangeAsync(IReadOnlyList<string> types, string fromId, int count)
    {
        var reads = types.Select(t => (Stream: options.Stream(t), Read: db.StreamRangeAsync(options.Stream(t), fromId, "+", count))).ToList();
        await Task.WhenAll(reads.Select(r => r.Read));
        return Merge(reads.SelectMany(r => r.Read.Result.Select(e => BusEntry.From(r.Stream, e)))).Take(count).ToList();
    }

    /// <summary>Entries after the last id seen per type (XREAD, not blocking); the ids move on.</summary>
    public async Task<IReadOnlyList<BusEntry>> NextAsync(Dictionary<string, string> lastIdByType, int count)
    {
        var types = lastIdByType.Keys.ToList();
        var streams = await db.StreamReadAsync(types.Select(t => new StreamPosition(options.Stream(t), lastIdByType[t])).ToArray(), count);
        var entries = new List<BusEntry>();
        foreach (var s in streams)
        {
            var type = types.First(t => options.Stream(t) == s.Key);
            foreach (var e in s.Entries)
            {
                entries.Add(BusEntry.From(s.Key!, e));
                lastIdByType[type] = e.Id!;
            }
        }
        return Merge(entries).ToList();
    }

    /// <summary>The id of the newest entry of a type, or "0-0" for an empty stream.</summary>
    public async Task<string> LatestIdAsync(string type)
    {
        var last = await db.StreamRangeAsync(options.Stream(type), "-", "+", 1, Order.Descending);
        return last.Length > 0 ? last[0].Id! : "0-0";
    }

    /// <summary>Creates the group on every stream (from the beginning of what the stream keeps) unless it exists.</summary>
    public async Task EnsureGroupAsync(IReadOnlyList<string> types, string group)
    {
        foreach (var t in types)
        {
            try
            {
                await db.StreamCreateConsumerGroupAsync(options.Stream(t), group, "0-0", createStream: true);
            }
            catch (RedisServerException e) when (e.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
            {
            }
        }
    }

    /// <summary>
    /// Entries for this consumer of the group: first those delivered to it before and not acknowledged
    /// (a consumer that crashed sees them again), then new ones. The caller acknowledges with <see cref="AckAsync"/>.
    /// </summary>
    public async Task<IReadOnlyList<BusEntry>> ReadGroupAsync(IReadOnlyList<string> types, string group, string consumer, int count)
    {
        var entries = new List<BusEntry>();
        foreach (var position in new[] { "0-0", ">" })
        {
            foreach (var t in types)
            {
                if (entries.Count >= count) break;
                var read = await db.StreamReadGroupAsync(options.Stream(t), group, consumer, position, count - entries.Count);
                entries.AddRange(read.Where(e => !e.IsNull && e.Values.Length > 0).Select(e => BusEntry.From(options.Stream(t), e)));
            }
            if (entries.Count > 0) break;
        }
        return Merge(entries).ToList();
    }

    public async Task AckAsync(string group, IReadOnlyList<BusEntry> entries)
    {
        foreach (var byStream in entries.GroupBy(e => e.Stream))
            await db.StreamAcknowledgeAsync(byStream.Key, group, byStream.Select(e => (RedisValue)e.Id).ToArray());
    }

    private static IEnumerable<BusEntry> Merge(IEnumerable<BusEntry> entries) =>
        entries.Order(Comparer<BusEntry>.Create((a, b) => BusEntry.CompareIds(a.Id, b.Id) is var c && c != 0 ? c : string.CompareOrdinal(a.Stream, b.Stream)));
}
