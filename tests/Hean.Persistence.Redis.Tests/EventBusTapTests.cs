using Akka.Actor;
using Akka.Event;
using Hean.Actors.Events;
using Hean.Actors.Risk;
using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Hean.Persistence.Redis.EventBus;
using StackExchange.Redis;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Persistence.Redis.Tests;

/// <summary>The tap follows the EventStream into the bus: what the actors publish, error logs and ticks, each on its stream.</summary>
public sealed class EventBusTapTests(ITestOutputHelper output) : Akka.TestKit.Xunit2.TestKit("akka.loglevel = INFO", output), IAsyncLifetime
{
    private readonly string _prefix = $"test:{Guid.NewGuid():N}:";
    private ConnectionMultiplexer? _connection;
    private RedisEventBus? _bus;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_bus is not null) await _bus.DisposeAsync();
        if (_connection is null) return;
        foreach (var type in BusEventTypes.All) await _connection.GetDatabase(2).KeyDeleteAsync(_prefix + "events:" + type);
        await _connection.DisposeAsync();
    }

    [SkippableFact]
    public async Task Published_lifecycle_events_error_logs_and_ticks_reach_their_streams()
    {
        var redis = TestServices.RequireRedis();
        _connection = await ConnectionMultiplexer.ConnectAsync(redis);
        var options = new RedisEventBusOptions(redis) { Database = 2, KeyPrefix = _prefix };
        _bus = new RedisEventBus(options);
        var tap = Sys.ActorOf(EventBusTap.Props(_bus, orchestrator: null, TimeSpan.Zero));
        var db = _connection.GetDatabase(2);
        var t0 = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var fill = new Fill(new ClientOrderId("X-1"), new Symbol("BTCUSDT"), Side.Buy, "t9", 100m, 1m, 0.1m, Liquidity.Taker, t0);

        // The subscription is in place once a published event arrives; publish until one does.
        await AwaitConditionAsync(async () =>
        {
            Sys.EventStream.Publish(new EquitySampled(t0, new Dictionary<string, decimal>(), 1m));
            await Task.Delay(50);
            return await db.StreamLengthAsync(options.Stream("PNL_UPDATE")) > 0;
        }, TimeSpan.FromSeconds(10));
        Sys.EventStream.Publish(new OrderFilled(fill));
        Sys.EventStream.Publish(new EmergencyStop(t0, "drawdown", "rule"));
        Sys.Log.Error(new InvalidOperationException("venue down"), "gateway failed");
        tap.Tell(new TickSampler.Tick("BTCUSDT", t0, 100m, 1m, 1, 3));
        Sys.EventStream.Publish("not a lifecycle event");

        await AwaitConditionAsync(async () =>
            await db.StreamLengthAsync(options.Stream("ORDER_FILLED")) == 1 && await db.StreamLengthAsync(options.Stream("EMERGENCY_STOP")) == 1 &&
            await db.StreamLengthAsync(options.Stream("ERROR")) >= 1 && await db.StreamLengthAsync(options.Stream("TICK")) == 1, TimeSpan.FromSeconds(10));
        var streams = new RedisEventStreams(db, options);
        var filled = (await streams.LastAsync(["ORDER_FILLED"], 1)).Single();
        Assert.Contains("\"trade_id\":\"t9\"", filled.Data);
        var error = (await streams.LastAsync(["ERROR"], 10)).Select(e => e.Data).ToList();
        Assert.Contains(error, d => d.Contains("gateway failed") && d.Contains("venue down"));
    }
}
