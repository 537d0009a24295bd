using Akka.Actor;
using Akka.Event;
using Hean.Actors.Events;
using Hean.Actors.Risk;
using System.Text.Json;
using Hean.Core.Domain;
using Hean.Core.Features;
using Hean.Core.MarketData;
using Hean.Core.Risk;
using Hean.Core.Signals;
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
        // The bar path: a closed candle, its features (a feature not yet defined is null), the model's answer, the order request and its approval.
        var btc = new Symbol("BTCUSDT");
        Sys.EventStream.Publish(new Candle(btc, t0, TimeSpan.FromMinutes(1), 100m, 101m, 99m, 100.5m, 12m));
        var values = new double[FeatureSchema.V1.Count];
        values[0] = double.NaN;
        values[1] = 0.25;
        Sys.EventStream.Publish(new FeaturesReady(btc, t0.AddMinutes(1), FeatureVector.Create(FeatureSchema.V1, values)));
        Sys.EventStream.Publish(new MlPrediction(btc, t0.AddMinutes(1), "m7", 0.4, 0.4, 0.4, 0.002, false, false));
        var request = new OrderRequest(new ClientOrderId("X-2"), btc, Side.Buy, OrderType.Market, 0.5m, null);
        Sys.EventStream.Publish(new OrderRequested(request, 100.5m, t0.AddMinutes(1)));
        Sys.EventStream.Publish(new OrderRequestApproved(request.ClientOrderId, t0.AddMinutes(1), 50.25m, 0.1m));

        await AwaitConditionAsync(async () =>
            await db.StreamLengthAsync(options.Stream("ORDER_FILLED")) == 1 && await db.StreamLengthAsync(options.Stream("EMERGENCY_STOP")) == 1 &&
            await db.StreamLengthAsync(options.Stream("ERROR")) >= 1 && await db.StreamLengthAsync(options.Stream("TICK")) == 1, TimeSpan.FromSeconds(10));
        var streams = new RedisEventStreams(db, options);
        var filled = (await streams.LastAsync(["ORDER_FILLED"], 1)).Single();
        Assert.Contains("\"trade_id\":\"t9\"", filled.Data);
        var error = (await streams.LastAsync(["ERROR"], 10)).Select(e => e.Data).ToList();
        Assert.Contains(error, d => d.Contains("gateway failed") && d.Contains("venue down"));

        string[] barPath = ["CANDLE", "FEATURES_READY", "ML_PREDICTION", "ORDER_REQUEST", "ORDER_APPROVED"];
        await AwaitConditionAsync(async () =>
        {
            foreach (var type in barPath)
                if (await db.StreamLengthAsync(options.Stream(type)) != 1) return false;
            return true;
        }, TimeSpan.FromSeconds(10));
        var byType = (await streams.LastAsync(barPath, 10)).ToDictionary(e => e.Type, e => JsonDocument.Parse(e.Data).RootElement);
        Assert.Equal(100.5m, byType["CANDLE"].GetProperty("close").GetDecimal());
        Assert.Equal(60, byType["CANDLE"].GetProperty("interval_seconds").GetDouble());
        var features = byType["FEATURES_READY"].GetProperty("features");
        Assert.Equal(FeatureSchema.V1.Count, features.EnumerateObject().Count());
        Assert.Equal(JsonValueKind.Null, features.GetProperty(FeatureSchema.V1.Names[0]).ValueKind);
        Assert.Equal(0.25, features.GetProperty(FeatureSchema.V1.Names[1]).GetDouble());
        Assert.Equal("m7", byType["ML_PREDICTION"].GetProperty("model_version").GetString());
        Assert.Equal("X-2", byType["ORDER_REQUEST"].GetProperty("client_order_id").GetString());
        Assert.Equal(100.5m, byType["ORDER_REQUEST"].GetProperty("reference_price").GetDecimal());
        Assert.Equal(50.25m, byType["ORDER_APPROVED"].GetProperty("notional").GetDecimal());
    }
}
