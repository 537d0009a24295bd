using Hean.Persistence.Redis.EventBus;
using StackExchange.Redis;
using Xunit;

namespace Hean.Persistence.Redis.Tests;

/// <summary>The Redis Streams event bus against a real Redis: publish, trim, read back, consumer groups, overflow.</summary>
public sealed class EventBusTests : IAsyncLifetime
{
    private const int Db = 2; // not the journal's database 0
    private readonly string _prefix = $"test:{Guid.NewGuid():N}:";
    private ConnectionMultiplexer? _connection;

    private RedisEventBusOptions Options(string? server = null) => new(server ?? TestServices.Redis) { Database = Db, KeyPrefix = _prefix, BatchSize = 50 };

    private IDatabase Redis => _connection!.GetDatabase(Db);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_connection is null) return;
        foreach (var server in _connection.GetServers())
            foreach (var key in server.Keys(Db, _prefix + "*"))
                await Redis.KeyDeleteAsync(key);
        await _connection.DisposeAsync();
    }

    private void Connect() => _connection ??= ConnectionMultiplexer.Connect(TestServices.RequireRedis());

    private static BusEvent Event(string type, int n) => new(type, new DateTime(2025, 1, 1).AddSeconds(n), $"{{\"n\":{n}}}");

    private async Task WaitPublished(RedisEventBus bus, long count)
    {
        for (var i = 0; i < 200 && bus.Published + bus.DroppedRedis < count; i++) await Task.Delay(50);
        Assert.Equal(count, bus.Published);
    }

    [SkippableFact]
    public async Task Events_go_to_one_stream_per_type_in_order_in_their_own_database_and_read_back_merged()
    {
        Connect();
        await using var bus = new RedisEventBus(Options());
        for (var i = 0; i < 300; i++) Assert.True(bus.TryPublish(Event(i % 3 == 0 ? "ORDER_FILLED" : "TICK", i)));
        await WaitPublished(bus, 300);

        Assert.Equal(100, await Redis.StreamLengthAsync(_prefix + "events:ORDER_FILLED"));
        Assert.Equal(200, await Redis.StreamLengthAsync(_prefix + "events:TICK"));
        Assert.Equal(0, await _connection!.GetDatabase(0).StreamLengthAsync(_prefix + "events:TICK")); // nothing in the journal's database

        var streams = new RedisEventStreams(Redis, Options());
        var all = await streams.RangeAsync(["ORDER_FILLED", "TICK"], "0", 1000);
        // Exact order within a type; across types, by entry id (millisecond of the XADD): ties have no order between streams.
        Assert.Equal(300, all.Count);
        foreach (var type in new[] { "ORDER_FILLED", "TICK" })
            Assert.Equal(Enumerable.Range(0, 300).Where(i => (i % 3 == 0) == (type == "ORDER_FILLED")), all.Where(e => e.Type == type).Select(e => int.Parse(e.Data[5..^1])));
        var millis = all.Select(e => long.Parse(e.Id.Split('-')[0])).ToList();
        Assert.Equal(millis.Order(), millis);
        var last = await streams.LastAsync(["TICK"], 5);
        Assert.Equal([293, 295, 296, 298, 299], last.Select(e => int.Parse(e.Data[5..^1])));
        Assert.Contains("\"data\":{\"n\":299}", last[^1].ToJsonLine());

        var seen = new Dictionary<string, string> { ["TICK"] = last[^1].Id, ["ORDER_FILLED"] = await streams.LatestIdAsync("ORDER_FILLED") };
        Assert.Empty(await streams.NextAsync(seen, 10));
        bus.TryPublish(Event("TICK", 300));
        await WaitPublished(bus, 301);
        Assert.Equal([300], (await streams.NextAsync(seen, 10)).Select(e => int.Parse(e.Data[5..^1])));
    }

    [SkippableFact]
    public async Task A_consumer_group_gets_each_event_once_and_sees_unacknowledged_ones_again()
    {
        Connect();
        await using var bus = new RedisEventBus(Options());
        for (var i = 0; i < 10; i++) bus.TryPublish(Event("SIGNAL", i));
        await WaitPublished(bus, 10);
        var streams = new RedisEventStreams(Redis, Options());
        await streams.EnsureGroupAsync(["SIGNAL"], "g");
        await streams.EnsureGroupAsync(["SIGNAL"], "g"); // exists: no error

        var first = await streams.ReadGroupAsync(["SIGNAL"], "g", "c1", 4);
        Assert.Equal(4, first.Count);
        // Not acknowledged (the consumer crashed): the same consumer gets them again first.
        Assert.Equal(first.Select(e => e.Id), (await streams.ReadGroupAsync(["SIGNAL"], "g", "c1", 4)).Select(e => e.Id));
        await streams.AckAsync("g", first);
        var rest = await streams.ReadGroupAsync(["SIGNAL"], "g", "c1", 100);
        await streams.AckAsync("g", rest);
        Assert.Equal(Enumerable.Range(0, 10), first.Concat(rest).Select(e => int.Parse(e.Data[5..^1])));
        Assert.Empty(await streams.ReadGroupAsync(["SIGNAL"], "g", "c1", 100));
        Assert.Equal(0, (await Redis.StreamPendingAsync(_prefix + "events:SIGNAL", "g")).PendingMessageCount);
    }

    [SkippableFact]
    public async Task Streams_are_trimmed_to_about_MaxLength()
    {
        Connect();
        await using var bus = new RedisEventBus(Options() with { MaxLength = 100 });
        for (var i = 0; i < 2000; i++) bus.TryPublish(Event("TICK", i));
        await WaitPublished(bus, 2000);
        var length = await Redis.StreamLengthAsync(_prefix + "events:TICK");
        Assert.InRange(length, 100, 400); // MAXLEN ~ trims whole radix-tree nodes (100 entries each by default)
    }

    [Fact]
    public async Task A_full_buffer_drops_and_counts_and_never_blocks_the_publisher()
    {
        // Nothing listens on this port: every write fails, the buffer (10) fills, the rest is dropped.
        using var closed = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        closed.Start();
        var port = ((System.Net.IPEndPoint)closed.LocalEndpoint).Port;
        closed.Stop();
        var dropped = new Dictionary<string, long>();
        await using var bus = new RedisEventBus(Options($"127.0.0.1:{port},connectTimeout=200") with { Capacity = 10 },
            dropped: (reason, n) =>
            {
                lock (dropped) dropped[reason] = dropped.GetValueOrDefault(reason) + n;
            });
        var accepted = 0;
        for (var i = 0; i < 10_000; i++)
            if (bus.TryPublish(Event("TICK", i))) accepted++;
        Assert.True(bus.DroppedFull >= 10_000 - 10 - 50, $"dropped as full: {bus.DroppedFull}");
        Assert.Equal(10_000 - accepted, bus.DroppedFull);
        lock (dropped) Assert.Equal(bus.DroppedFull, dropped["full"]);
        await bus.StopAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, bus.Published);
        Assert.Equal(accepted, bus.DroppedRedis);
    }
}
