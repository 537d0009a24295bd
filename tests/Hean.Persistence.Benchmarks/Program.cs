using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence;
using Hean.Actors.Persistence;
using Hean.Core.Risk;
using StackExchange.Redis;

// Throughput of the Redis journal through real persistent actors and HEAN's serializer.
//   dotnet run -c Release --project tests/Hean.Persistence.Benchmarks [-- --redis 127.0.0.1:6390] [--recovery-events 1000000]
// Writes under a key prefix of its own and deletes it afterwards.

var redis = Arg("--redis", Environment.GetEnvironmentVariable("HEAN_REDIS") ?? "127.0.0.1:6390");
var recoveryEvents = int.Parse(Arg("--recovery-events", "1000000"));
var prefix = $"bench:{Guid.NewGuid():N}:";
var config = ConfigurationFactory.ParseString(
        HeanConfig.Hocon(PersistenceBackend.Redis, Path.GetTempPath(), redis) + $"""

        akka.loglevel = WARNING
        akka.persistence.journal.redis.key-prefix = "{prefix}"
        akka.persistence.snapshot-store.redis.key-prefix = "{prefix}"
        """);

if (args.Contains("--event-bus"))
{
    await EventBusBenchmark(redis, prefix, int.Parse(Arg("--bus-events", "500000")), int.Parse(Arg("--bus-batch", "100")));
    return;
}

Console.WriteLine($"Redis journal benchmark: {redis}, {Environment.ProcessorCount} cores, event = EquityPeaked through HeanEventSerializer");
using var system = ActorSystem.Create("bench", config);
try
{
    Report("Persist, 1 actor", 5_000, Run(system, "persist", 1, 5_000, Mode.Persist));
    Report("PersistAsync, 1 actor", 100_000, Run(system, "async", 1, 100_000, Mode.PersistAsync));
    Report("PersistAll x100, 1 actor", 200_000, Run(system, "all", 1, 200_000, Mode.PersistAll));
    Report("Persist, 100 actors", 50_000, Run(system, "many", 100, 500, Mode.Persist));
    Report("PersistAll x100, 10 actors", 300_000, Run(system, "many-all", 10, 30_000, Mode.PersistAll));

    Console.WriteLine($"recovery of {recoveryEvents:N0} events:");
    var write = Run(system, "recovery", 1, recoveryEvents, Mode.PersistAll);
    Report("  writing them (PersistAll x1000)", recoveryEvents, write);
    var full = Recover(system, "recovery");
    Console.WriteLine($"  without snapshot: {full.Elapsed.TotalSeconds:F2} s ({full.Replayed / full.Elapsed.TotalSeconds:N0} events/s replayed, {full.Replayed:N0} events)");

    // HEAN snapshots every N events; here the last snapshot is 5 000 events before the end.
    Snapshot(system, "recovery", recoveryEvents);
    Run(system, "recovery", 1, 5_000, Mode.PersistAll, startAt: recoveryEvents);
    var withSnapshot = Recover(system, "recovery");
    Console.WriteLine($"  with a snapshot at {recoveryEvents:N0} of {recoveryEvents + 5_000:N0}: {withSnapshot.Elapsed.TotalMilliseconds:F0} ms ({withSnapshot.Replayed:N0} events replayed after it)");
}
finally
{
    await system.Terminate();
    using var connection = await ConnectionMultiplexer.ConnectAsync(redis);
    foreach (var server in connection.GetServers().Where(s => !s.IsReplica))
    await foreach (var key in server.KeysAsync(pattern: prefix + "*"))
        await connection.GetDatabase().KeyDeleteAsync(key);
}
return;

// The Redis Streams event bus: events/s from TryPublish to acknowledged XADDs (database 1, MAXLEN ~ 100000), with an
// ORDER_FILLED-sized payload.  dotnet run -c Release --project tests/Hean.Persistence.Benchmarks -- --event-bus [--bus-events N] [--bus-batch B]
static async Task EventBusBenchmark(string redis, string prefix, int events, int batch)
{
    var options = new Hean.Persistence.Redis.EventBus.RedisEventBusOptions(redis) { KeyPrefix = prefix, Capacity = events, BatchSize = batch };
    const string data = """{"client_order_id":"BTCUSDT-20250101120000000-1","symbol":"BTCUSDT","side":"buy","trade_id":"sim-123456","price":60123.5,"qty":0.015,"fee":0.496,"liquidity":"taker","time":"2025-01-01T12:00:00.0000000Z"}""";
    var types = new[] { "TICK", "ORDER_FILLED", "PNL_UPDATE", "SIGNAL" };
    var bus = new Hean.Persistence.Redis.EventBus.RedisEventBus(options);
    var clock = Stopwatch.StartNew();
    for (var i = 0; i < events; i++) bus.TryPublish(new Hean.Persistence.Redis.EventBus.BusEvent(types[i & 3], DateTime.UtcNow, data));
    var enqueued = clock.Elapsed;
    while (bus.Published + bus.DroppedRedis + bus.DroppedFull < events) await Task.Delay(5);
    clock.Stop();
    Console.WriteLine($"event bus, batch {batch}: {events:N0} events: TryPublish {enqueued.TotalMilliseconds / events * 1000:F2} µs each; " +
                      $"in Redis after {clock.Elapsed.TotalSeconds:F2} s = {events / clock.Elapsed.TotalSeconds:N0} events/s " +
                      $"(published {bus.Published:N0}, dropped {bus.DroppedFull + bus.DroppedRedis:N0})");
    await bus.DisposeAsync();
    using var connection = await ConnectionMultiplexer.ConnectAsync(redis);
    foreach (var t in types) await connection.GetDatabase(options.Database).KeyDeleteAsync(options.Stream(t));
}

string Arg(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}

static void Report(string what, int events, TimeSpan elapsed) =>
    Console.WriteLine($"{what,-36} {events,9:N0} events in {elapsed.TotalSeconds,6:F2} s = {events / elapsed.TotalSeconds,9:N0} events/s");

static TimeSpan Run(ActorSystem system, string name, int actors, int eventsPerActor, Mode mode, int startAt = 0)
{
    var done = Enumerable.Range(0, actors).Select(_ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).ToArray();
    var refs = Enumerable.Range(0, actors)
        .Select(i => system.ActorOf(Props.Create(() => new Writer($"{name}-{i}", startAt + eventsPerActor, done[i]))))
        .ToArray();
    // Wait for recovery so that only writing is timed.
    foreach (var r in refs) r.Ask<long>(Writer.Ready.Instance, TimeSpan.FromSeconds(60)).Wait();
    var batch = mode == Mode.PersistAll ? (name == "recovery" ? 1000 : 100) : 1;
    var clock = Stopwatch.StartNew();
    foreach (var r in refs)
        for (var sent = 0; sent < eventsPerActor; sent += batch)
            r.Tell(new Writer.Write(mode, Math.Min(batch, eventsPerActor - sent)));
    if (!Task.WaitAll(done.Select(d => d.Task).ToArray(), TimeSpan.FromMinutes(10))) throw new TimeoutException($"{name} did not finish");
    clock.Stop();
    foreach (var r in refs) r.Tell(PoisonPill.Instance);
    return clock.Elapsed;
}

static void Snapshot(ActorSystem system, string name, int at)
{
    var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    var writer = system.ActorOf(Props.Create(() => new Writer($"{name}-0", at, done)));
    writer.Ask<long>(Writer.Ready.Instance, TimeSpan.FromSeconds(120)).Wait();
    writer.Ask<SaveSnapshotSuccess>(new Writer.Snapshot(), TimeSpan.FromSeconds(60)).Wait();
    writer.Tell(PoisonPill.Instance);
}

static (TimeSpan Elapsed, long Replayed) Recover(ActorSystem system, string name)
{
    var clock = Stopwatch.StartNew();
    var writer = system.ActorOf(Props.Create(() => new Writer($"{name}-0", 0, new TaskCompletionSource())));
    var replayed = writer.Ask<long>(Writer.Replayed.Instance, TimeSpan.FromMinutes(5)).Result;
    clock.Stop();
    writer.Tell(PoisonPill.Instance);
    return (clock.Elapsed, replayed);
}

internal enum Mode { Persist, PersistAsync, PersistAll }

/// <summary>Persists EquityPeaked events as told; completes <c>done</c> once it has handled <c>expected</c> in all.</summary>
internal sealed class Writer : ReceivePersistentActor
{
    public sealed record Write(Mode Mode, int Count);
    public sealed record Snapshot;
    public sealed class Ready { public static readonly Ready Instance = new(); }
    public sealed class Replayed { public static readonly Replayed Instance = new(); }

    private static readonly DateTime T0 = new(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc);
    private long _handled;
    private long _replayed;
    private IActorRef _snapshotRequester = ActorRefs.Nobody;

    public Writer(string persistenceId, long expected, TaskCompletionSource done)
    {
        PersistenceId = persistenceId;
        Recover<SnapshotOffer>(o => _handled = (long)o.Snapshot);
        Recover<EquityPeaked>(_ =>
        {
            _handled++;
            _replayed++;
        });
        Command<Ready>(_ => Sender.Tell(_handled));
        Command<Replayed>(_ => Sender.Tell(_replayed));
        Command<Write>(w =>
        {
            var events = Enumerable.Range(0, w.Count).Select(i => new EquityPeaked(T0.AddSeconds(_handled + i), 100_000m + _handled + i)).ToList();
            void Handled(EquityPeaked _)
            {
                if (++_handled == expected) done.TrySetResult();
            }
            switch (w.Mode)
            {
                case Mode.Persist: Persist(events[0], Handled); break;
                case Mode.PersistAsync: PersistAsync(events[0], Handled); break;
                default: PersistAll(events, Handled); break;
            }
        });
        Command<Snapshot>(_ =>
        {
            _snapshotRequester = Sender;
            SaveSnapshot(_handled);
        });
        Command<SaveSnapshotSuccess>(s => _snapshotRequester.Tell(s));
    }

    public override string PersistenceId { get; }
}
