using System.CommandLine;
using System.Text.RegularExpressions;
using Hean.Actors.Events;
using Hean.Host.Configuration;
using Hean.Persistence.Redis.EventBus;
using StackExchange.Redis;

namespace Hean.Host.Commands;

/// <summary>
/// `hean events tail|replay`: reads the Redis Streams event bus back as JSON lines, one per event
/// (stream, id, type, time, data). Tail shows the last N events and with --follow waits for more;
/// with --group it reads as a member of a consumer group (XREADGROUP) and acknowledges (XACK)
/// what it printed. Replay prints everything from an entry id on.
/// </summary>
public static partial class EventsCommand
{
    public static Command Create()
    {
        var cmd = new Command("events", "read the Redis Streams event bus (HEAN_EVENTS_REDIS) as JSON lines");
        cmd.Subcommands.Add(Tail());
        cmd.Subcommands.Add(Replay());
        return cmd;
    }

    private static Option<string[]> TypeOption() => new("--type")
    {
        Description = "event type (TICK, SIGNAL, ORDER_FILLED, PNL_UPDATE, …); repeat for several; default: all",
        AllowMultipleArgumentsPerToken = false,
    };

    private static Command Tail()
    {
        var type = TypeOption();
        var group = new Option<string?>("--group") { Description = "read as a consumer group member (created if missing, from the oldest kept entry) and acknowledge" };
        var consumer = new Option<string>("--consumer") { Description = "consumer name within the group", DefaultValueFactory = _ => "cli" };
        var count = new Option<int>("--count") { Description = "events to show (per read with --follow)", DefaultValueFactory = _ => 20 };
        var follow = new Option<bool>("--follow") { Description = "keep reading new events until Ctrl-C" };
        var cmd = new Command("tail", "the last events, or the group's next events; --follow for more") { type, group, consumer, count, follow };
        cmd.SetAction(async (r, ct) => await Program.Guard(async () =>
        {
            var n = r.GetValue(count);
            if (n < 1) throw new ArgumentException($"--count must be positive, got {n}");
            var types = Types(r.GetValue(type));
            var groupName = r.GetValue(group);
            if (groupName is not null && string.IsNullOrWhiteSpace(groupName)) throw new ArgumentException("--group must not be empty");
            var (options, connection) = await ConnectAsync();
            await using var _ = connection;
            var streams = new RedisEventStreams(connection.GetDatabase(options.Database), options);
            return groupName is null
                ? await TailAsync(streams, types, n, r.GetValue(follow), ct)
                : await TailGroupAsync(streams, types, groupName, r.GetValue(consumer)!, n, r.GetValue(follow), ct);
        }));
        return cmd;
    }

    private static Command Replay()
    {
        var type = TypeOption();
        var from = new Option<string>("--from") { Description = "first entry id (e.g. 1732550000000-0, or 0 for everything the streams keep)", Required = true };
        var count = new Option<int?>("--count") { Description = "stop after this many events; default: all" };
        var cmd = new Command("replay", "every event from an entry id on, oldest first") { type, from, count };
        cmd.SetAction(async (r, ct) => await Program.Guard(async () =>
        {
            var id = r.GetValue(from)!.Trim();
            if (!EntryId().IsMatch(id)) throw new ArgumentException($"--from must be a stream entry id like 1732550000000-0 (or 0), got '{id}'");
            var limit = r.GetValue(count) ?? int.MaxValue;
            if (limit < 1) throw new ArgumentException($"--count must be positive, got {limit}");
            var types = Types(r.GetValue(type));
            var (options, connection) = await ConnectAsync();
            await using var _ = connection;
            var streams = new RedisEventStreams(connection.GetDatabase(options.Database), options);
            var all = new List<BusEntry>();
            foreach (var t in types)
            {
                var next = id;
                while (!ct.IsCancellationRequested)
                {
                    var page = await streams.RangeAsync([t], next, 1000);
                    all.AddRange(page.Where(e => e.Id != next || next == id));
                    if (page.Count < 1000) break;
                    next = page[^1].Id;
                }
            }
            all.Sort((a, b) => BusEntry.CompareIds(a.Id, b.Id) is var c && c != 0 ? c : string.CompareOrdinal(a.Stream, b.Stream));
            foreach (var e in all.DistinctBy(e => (e.Stream, e.Id)).Take(limit)) Console.WriteLine(e.ToJsonLine());
            return Program.Ok;
        }));
        return cmd;
    }

    private static async Task<int> TailAsync(RedisEventStreams streams, IReadOnlyList<string> types, int count, bool follow, CancellationToken ct)
    {
        var latest = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var t in types) latest[t] = await streams.LatestIdAsync(t);
        var last = await streams.LastAsync(types, count);
        foreach (var e in last)
        {
            Console.WriteLine(e.ToJsonLine());
            if (BusEntry.CompareIds(e.Id, latest[e.Type]) > 0) latest[e.Type] = e.Id;
        }
        while (follow && !ct.IsCancellationRequested)
        {
            var next = await streams.NextAsync(latest, count);
            foreach (var e in next) Console.WriteLine(e.ToJsonLine());
            if (next.Count == 0) await Delay(ct);
        }
        return Program.Ok;
    }

    private static async Task<int> TailGroupAsync(RedisEventStreams streams, IReadOnlyList<string> types, string group, string consumer, int count,
        bool follow, CancellationToken ct)
    {
        await streams.EnsureGroupAsync(types, group);
        do
        {
            var entries = await streams.ReadGroupAsync(types, group, consumer, count);
            foreach (var e in entries) Console.WriteLine(e.ToJsonLine());
            await Console.Out.FlushAsync(ct);
            await streams.AckAsync(group, entries);
            if (entries.Count == 0 && follow) await Delay(ct);
        } while (follow && !ct.IsCancellationRequested);
        return Program.Ok;
    }

    private static async Task Delay(CancellationToken ct)
    {
        try
        {
            await Task.Delay(200, ct);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static IReadOnlyList<string> Types(string[]? types) =>
        types is { Length: > 0 } ? types.Select(BusEventTypes.Parse).Distinct().ToList() : BusEventTypes.All;

    private static async Task<(RedisEventBusOptions, ConnectionMultiplexer)> ConnectAsync()
    {
        var settings = HeanSettings.From(HeanSettings.LoadConfiguration());
        var options = settings.Events ?? throw new ArgumentException("the event bus is not configured: set HEAN_EVENTS_REDIS (e.g. \"127.0.0.1:6379\") and optionally HEAN_EVENTS_DB (default 1)");
        var config = ConfigurationOptions.Parse(options.ConfigurationString);
        config.ConnectTimeout = 5000;
        config.AbortOnConnectFail = true;
        try
        {
            return (options, await ConnectionMultiplexer.ConnectAsync(config));
        }
        catch (RedisConnectionException e)
        {
            throw new ArgumentException($"cannot reach the event bus Redis (HEAN_EVENTS_REDIS): {e.Message.Split('\n')[0]}");
        }
    }

    [GeneratedRegex(@"^\d+(-\d+)?$")]
    private static partial Regex EntryId();
}
