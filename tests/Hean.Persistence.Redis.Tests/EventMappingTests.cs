using System.Text.Json;
using Akka.Persistence.Journal;
using Hean.Actors.Events;
using Hean.Actors.History;
using Hean.Actors.Persistence;
using Hean.Actors.Risk;
using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Hean.Core.Risk;
using Hean.Core.Signals;
using Hean.Persistence.Redis.EventBus;
using Xunit;

namespace Hean.Persistence.Redis.Tests;

/// <summary>The pure pieces: tags, bus event mapping, tick sampling, history rows and order updates, entry id order.</summary>
public sealed class EventMappingTests
{
    private static readonly Symbol Btc = new("BTCUSDT");
    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly ClientOrderId Id = new("BTCUSDT-1");

    private static Fill Fill(decimal qty, string trade = "t1") => new(Id, Btc, Side.Sell, trade, 100m, qty, 0.05m, Liquidity.Maker, T0);

    public static TheoryData<object, string[]> Tagged => new()
    {
        { new OrderSubmitted(Id, T0), ["order"] },
        { new OrderFilled(Fill(1m)), ["order"] },
        { new FillBooked(Fill(1m)), ["fill"] },
        { new EquitySampled(T0, new Dictionary<string, decimal>(), 1m), ["pnl"] },
        { new KillSwitchEngaged(T0, "drawdown", "rule", 1m), ["risk"] },
        { "something else", [] },
    };

    [Theory]
    [MemberData(nameof(Tagged))]
    public void Each_event_family_gets_its_tag_and_nothing_else_is_tagged(object e, string[] tags)
    {
        Assert.Equal(tags, HeanTagger.TagsOf(e));
        var journal = new HeanTagger().ToJournal(e);
        if (tags.Length == 0) Assert.Same(e, journal);
        else Assert.Equal(tags, ((Tagged)journal).Tags);
    }

    [Fact]
    public void Lifecycle_events_map_to_the_architecture_types_with_their_json()
    {
        Assert.Equal("ORDER_FILLED", LifecycleEvents.ToBus(new OrderFilled(Fill(2m)))!.Type);
        var fill = JsonDocument.Parse(LifecycleEvents.ToBus(new OrderFilled(Fill(2m)))!.Data).RootElement;
        Assert.Equal(2m, fill.GetProperty("qty").GetDecimal());
        Assert.Equal("BTCUSDT-1", fill.GetProperty("client_order_id").GetString());
        var risk = LifecycleEvents.ToBus(new OrderRequestRejected(Id, T0, "max_position", "10 > 5"))!;
        Assert.Equal(("ORDER_REJECTED", "risk"), (risk.Type, JsonDocument.Parse(risk.Data).RootElement.GetProperty("source").GetString()));
        Assert.Equal("PNL_UPDATE", LifecycleEvents.ToBus(new EquitySampled(T0, new Dictionary<string, decimal>(), 5m))!.Type);
        Assert.Equal("EMERGENCY_STOP", LifecycleEvents.ToBus(new EmergencyStop(T0, "drawdown", "rule"))!.Type);
        Assert.Equal("SIGNAL", LifecycleEvents.ToBus(new Signal(Btc, T0, SignalDirection.Long, 0.5, 100m, "ema", "cross"))!.Type);
        Assert.Equal("ERROR", LifecycleEvents.ToBus(new Akka.Event.Error(new InvalidOperationException("boom"), "src", typeof(string), "failed"))!.Type);
        Assert.Null(LifecycleEvents.ToBus("not a lifecycle event"));
        Assert.Equal(BusEventTypes.All.Count, BusEventTypes.All.Distinct().Count());
        Assert.Equal("ORDER_FILLED", BusEventTypes.Parse("order_filled"));
        Assert.Throws<ArgumentException>(() => BusEventTypes.Parse("FILL"));
    }

    [Fact]
    public void Ticks_are_sampled_per_symbol_by_market_time_and_aggregate_what_happened_since_the_last()
    {
        var sampler = new TickSampler(TimeSpan.FromSeconds(1));
        var eth = new Symbol("ETHUSDT");
        Trade Trade(Symbol s, double second, decimal price, decimal qty) => new(s, T0.AddSeconds(second), price, qty, Side.Buy, 1);

        Assert.NotNull(sampler.Offer(Trade(Btc, 0, 100m, 1m)));          // the first of a symbol goes out
        Assert.Null(sampler.Offer(Trade(Btc, 0.5, 101m, 2m)));
        Assert.NotNull(sampler.Offer(Trade(eth, 0.6, 10m, 1m)));          // another symbol has its own clock
        Assert.Null(sampler.Offer(Trade(Btc, 0.9, 102m, 3m)));
        var tick = sampler.Offer(Trade(Btc, 1.0, 103m, 4m))!;             // a second after the last one sent
        Assert.Equal(new TickSampler.Tick("BTCUSDT", T0.AddSeconds(1), 103m, 9m, 3, 3), tick);
        Assert.Null(sampler.Offer(Trade(Btc, 1.5, 104m, 1m)));
    }

    [Fact]
    public void Order_updates_follow_the_lifecycle_and_never_reopen_a_finished_order()
    {
        var created = (HistoryChange.AddOrder)HistoryProjector.Project("orders", 1,
            new OrderCreated(new OrderRequest(Id, Btc, Side.Sell, OrderType.Limit, 3m, 100m), T0, "signal", 100m), 0m)!;
        HistoryChange.UpdateOrder Update(long seq, object e) => (HistoryChange.UpdateOrder)HistoryProjector.Project("orders", seq, e, 0m)!;

        var order = created.Row;
        order = HistoryProjector.Apply(order, Update(2, new OrderAccepted(Id, T0, "v")));
        Assert.Equal("accepted", order.Status);
        order = HistoryProjector.Apply(order, Update(3, new OrderFilled(Fill(1m))));
        Assert.Equal(("partially_filled", 1m), (order.Status, order.FilledQty));
        order = HistoryProjector.Apply(order, Update(4, new OrderCancelRequested(Id, T0, "signal changed")));
        Assert.Equal("pending_cancel", order.Status);
        order = HistoryProjector.Apply(order, Update(5, new OrderFilled(Fill(2m, "t2")))); // the fill raced the cancel
        Assert.Equal(("filled", 3m), (order.Status, order.FilledQty));
        order = HistoryProjector.Apply(order, Update(6, new OrderCancelRequested(Id, T0, "late")));
        Assert.Equal(("filled", 6L), (order.Status, order.SequenceNr));

        var pnl = (HistoryChange.AddPnl)HistoryProjector.Project("portfolio", 9,
            new EquitySampled(T0, new Dictionary<string, decimal> { ["ETHUSDT"] = 3000m, ["BTCUSDT"] = 60000.5m }, 99_950m), 100_000m)!;
        Assert.Equal((-50m, "BTCUSDT=60000.5,ETHUSDT=3000"), (pnl.Row.Pnl, pnl.Row.Marks));
        Assert.Null(HistoryProjector.Project("risk", 1, new KillSwitchEngaged(T0, "x", "y", 1m), 0m));
    }

    [Theory]
    [InlineData("1-0", "2-0", -1)]
    [InlineData("10-0", "9-5", 1)]
    [InlineData("5-2", "5-10", -1)]
    [InlineData("7-3", "7-3", 0)]
    [InlineData("7", "7-0", 0)]
    public void Entry_ids_compare_as_numbers(string a, string b, int sign) => Assert.Equal(sign, Math.Sign(BusEntry.CompareIds(a, b)));

    [Fact]
    public void A_json_line_embeds_json_data_and_quotes_anything_else()
    {
        Assert.Equal("""{"stream":"s","id":"1-0","type":"TICK","time":"t","data":{"a":1}}""", new BusEntry("s", "1-0", "TICK", "t", """{"a":1}""").ToJsonLine());
        Assert.Equal("""{"stream":"s","id":"1-0","type":"TICK","time":"t","data":"not json"}""", new BusEntry("s", "1-0", "TICK", "t", "not json").ToJsonLine());
    }
}
