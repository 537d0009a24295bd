using System.Runtime.Serialization;
using System.Text;
using System.Text.Json.Nodes;
using Akka.Serialization;
using Hean.Actors.Orders;
using Hean.Actors.Persistence;
using Hean.Actors.Portfolio;
using Hean.Actors.Risk;
using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Hean.Core.Risk;
using Xunit;
using static Hean.Actors.Tests.Fixtures;

namespace Hean.Actors.Tests;

public sealed class HeanEventSerializerTests() : HeanActorTest(PersistenceBackend.InMemory)
{
    private static OrderState SampleOrder()
    {
        var created = Created(Limit("ord-1", Side.Buy, 0.003m, 49_990.5m) with { ReduceOnly = true, TimeInForce = TimeInForce.PostOnly });
        return OrderState.Create(created)
            .Apply(new OrderAccepted(Id("ord-1"), At(1), "sim-order-7"))
            .Apply(new OrderFilled(Fill("ord-1", "sim-3", Side.Buy, 49_990.5m, 0.001m, 0.00999810m, 2, liquidity: Liquidity.Maker)))
            .Apply(new OrderFilled(Fill("ord-1", "sim-4", Side.Buy, 49_990.5m, 0.001m, 0.00999810m, 3, liquidity: Liquidity.Maker)));
    }

    private static PortfolioState SamplePortfolio() =>
        PortfolioState.Start(100_000m)
            .Apply(Fill("a", "t1", Side.Buy, 50_000m, 0.1m, 2.75m))
            .Apply(Fill("b", "t2", Side.Sell, 3_000.25m, 1.5m, 0.9m, symbol: Eth))
            .Mark(Btc, 50_100.1m, At(5));

    private static EquitySampled SampleEquity(int at) =>
        new(At(at), new SortedDictionary<string, decimal>(StringComparer.Ordinal) { ["BTCUSDT"] = 50_100.1m, ["ETHUSDT"] = 2_999.75m }, 100_012.345678m);

    /// <summary>One value of every persisted type, with the manifest the journal must keep reading.</summary>
    public static TheoryData<string, object> Persisted => new()
    {
        { "order-created.v1", Created(Limit("ord-1", Side.Sell, 0.25m, 3_000.01m, Eth) with { TimeInForce = TimeInForce.PostOnly, ReduceOnly = true }, 3, 3_000.005m) },
        { "order-submitted.v1", new OrderSubmitted(Id("ord-1"), At(1)) },
        { "order-accepted.v1", new OrderAccepted(Id("ord-1"), At(1), "sim-order-1") },
        { "order-rejected.v1", new Hean.Core.Orders.OrderRejected(Id("ord-1"), At(1), "post-only order would cross") },
        { "order-revived.v1", new Hean.Core.Orders.OrderRevived(Id("ord-1"), At(2), "filled at the venue after it was closed as rejected") },
        { "order-filled.v1", new OrderFilled(Fill("ord-1", "sim-9", Side.Sell, 49_999.9m, 0.001m, 0.02749995m, liquidity: Liquidity.Taker)) },
        { "order-cancel-requested.v1", new OrderCancelRequested(Id("ord-1"), At(2), "replaced") },
        { "order-cancel-rejected.v1", new OrderCancelRejected(Id("ord-1"), At(2), "Rejected 110001: too late") },
        { "order-amend-requested.v1", new OrderAmendRequested(Id("ord-1"), At(2), 0.003m, 49_100m) },
        { "order-amended.v1", new OrderAmended(Id("ord-1"), At(2), 0.003m, 49_100m) },
        { "order-amend-rejected.v1", new OrderAmendRejected(Id("ord-1"), At(2), "Rejected 110001: too late") },
        { "order-cancelled.v1", new OrderCancelled(Id("ord-1"), At(2), "cancelled by request") },
        { "orders-snapshot.v1", new SymbolOrdersState([SampleOrder(), OrderState.Create(Created(Market("ord-2", Side.Sell, 1m)))], 12, 7, 3, 1, 20) },
        { "orders-imported.v1", new OrdersProtocol.OrdersImported(new SymbolOrdersState([SampleOrder()], 5, 2, 1, 1, 3,
            [Fill("ord-1", "sim-9", Side.Sell, 49_999.9m, 0.001m, 0.02749995m)]), At(9)) },
        { "orders-index-entity-started.v1", new OrdersProtocol.OrderEntityStarted(Eth) },
        { "journal-layout-migrated.v1", new JournalLayoutMigrated(At(9), [Btc, Eth], new OrdersProtocol.OrderStats(3, 2, 1, 0, 4, 0, 0, 0)) },
        { "portfolio-fill-sequences-adopted.v1", new FillSequencesAdopted(new Dictionary<string, long> { ["BTCUSDT"] = 4, ["ETHUSDT"] = 2 }, At(9)) },
        { "fill-booked.v1", new FillBooked(Fill("ord-1", "sim-2", Side.Buy, 50_000m, 0.002m, 0.055m)) },
        { "funding-booked.v1", new FundingBooked(new FundingPayment("exec-funding-1", Btc, At(8), 1.25m, 0.0001m)) },
        { "equity-sampled.v1", SampleEquity(10) },
        { "portfolio-snapshot.v1", new PortfolioSnapshot(SamplePortfolio(), [SampleEquity(10), SampleEquity(11)],
            new SortedDictionary<string, DateTime>(StringComparer.Ordinal) { ["BTCUSDT"] = At(5), ["ETHUSDT"] = At(2) }) },
        { "risk-order-approved.v1", new OrderRequestApproved(Id("ord-1"), At(1), 5_000.5m, 0.0500123m) },
        { "risk-order-rejected.v1", new OrderRequestRejected(Id("ord-1"), At(1), "max_leverage", "leverage after the order 3.50 > MAX_LEVERAGE 3") },
        { "risk-day-started.v1", new TradingDayStarted(new DateOnly(2024, 3, 1), At(0), 100_000m) },
        { "risk-equity-peaked.v1", new EquityPeaked(At(3), 100_250.75m) },
        { "kill-switch-engaged.v1", new KillSwitchEngaged(At(4), "daily drawdown 5.00%", "risk-governor", 95_000m) },
        { "kill-switch-released.v1", new KillSwitchReleased(At(5), "operator") },
        { "risk-trading-state-changed.v1", new TradingStateChanged(At(5), TradingState.Halted, "exchange incident", "ops") },
        { "risk-execution-error.v1", new ExecutionErrorRecorded(At(6), "ord-1: Rejected 10006: too many visits") },
        { "risk-execution-errors-cleared.v1", new ExecutionErrorsCleared(At(7)) },
        { "instrument-signal-recorded.v1", new Hean.Core.Trading.InstrumentSignalRecorded(Btc, At(6), Hean.Core.Signals.SignalDirection.Short, 50_123.4m, 17) },
        { "instrument-snapshot.v1", new Hean.Core.Trading.InstrumentMemory([0.0123m, -0.0045m, 0m], Hean.Core.Signals.SignalDirection.Long, 50_010.5m, 42) },
        { "risk-snapshot.v1", new RiskSnapshot(new RiskState(true, "daily drawdown", At(4), new DateOnly(2024, 3, 1), 100_000m, 100_250.75m, 12, 3) { ConsecutiveErrors = 2 }) },
    };

    private SerializerWithStringManifest SerializerFor(object value)
    {
        var serializer = Sys.Serialization.FindSerializerFor(value);
        // The HOCON binding, not a fallback serializer, must pick the HEAN serializer for every persisted type.
        Assert.Equal(HeanEventSerializer.SerializerId, serializer.Identifier);
        return Assert.IsType<HeanEventSerializer>(serializer);
    }

    [Theory]
    [MemberData(nameof(Persisted))]
    public void Persisted_type_round_trips_by_manifest_to_an_equal_value(string manifest, object value)
    {
        var serializer = SerializerFor(value);
        Assert.Equal(manifest, serializer.Manifest(value));

        var back = serializer.FromBinary(serializer.ToBinary(value), manifest);

        Assert.IsType(value.GetType(), back);
        AssertSame(value, back);
    }

    [Fact]
    public void Every_persisted_event_type_has_a_sample_and_a_distinct_manifest()
    {
        var samples = Persisted.Select(row => ((string)row[0], row[1].GetType())).ToList();
        var eventTypes = new[] { typeof(IOrderEvent), typeof(IPortfolioEvent), typeof(IRiskEvent) }
            .SelectMany(i => i.Assembly.GetTypes().Where(t => t is { IsClass: true, IsAbstract: false } && i.IsAssignableFrom(t)))
            .ToList();

        Assert.NotEmpty(eventTypes);
        foreach (var type in eventTypes) Assert.Contains(type, samples.Select(s => s.Item2));
        Assert.Equal(samples.Count, samples.Select(s => s.Item1).Distinct().Count());
        Assert.Equal(samples.Count, samples.Select(s => s.Item2).Distinct().Count());
    }

    [Fact]
    public void Journal_written_with_the_v1_schema_stays_readable()
    {
        const string json = """
            {"request":{"client_order_id":"ord-9","symbol":"BTCUSDT","side":"buy","type":"limit","qty":0.002,"price":49990.5,
             "time_in_force":"post_only","reduce_only":false},"time":"2024-03-01T12:00:00Z","origin":"ema_cross","arrival_price":50000.25}
            """;
        var serializer = SerializerFor(new OrderSubmitted(Id("x"), T0));

        var created = Assert.IsType<OrderCreated>(serializer.FromBinary(Encoding.UTF8.GetBytes(json), "order-created.v1"));

        Assert.Equal(new OrderCreated(new OrderRequest(Id("ord-9"), Btc, Side.Buy, OrderType.Limit, 0.002m, 49_990.5m, TimeInForce.PostOnly),
            T0, "ema_cross", 50_000.25m), created);
        Assert.Equal(DateTimeKind.Utc, created.Time.Kind);
    }

    [Fact]
    public void A_portfolio_snapshot_written_before_mark_times_were_kept_still_reads()
    {
        var snapshot = new PortfolioSnapshot(SamplePortfolio(), [SampleEquity(10)]);
        var serializer = SerializerFor(snapshot);
        var json = JsonNode.Parse(serializer.ToBinary(snapshot))!.AsObject();
        Assert.True(json.Remove("mark_times"));

        var back = Assert.IsType<PortfolioSnapshot>(serializer.FromBinary(Encoding.UTF8.GetBytes(json.ToJsonString()), "portfolio-snapshot.v1"));

        Assert.Null(back.MarkTimes);
        AssertSamePortfolio(snapshot.State, back.State);
    }

    [Fact]
    public void A_portfolio_snapshot_written_before_per_symbol_fill_numbers_reads_with_none_which_the_layout_migration_fills_in()
    {
        var snapshot = new PortfolioSnapshot(SamplePortfolio(), [SampleEquity(10)]);
        var serializer = SerializerFor(snapshot);
        var json = JsonNode.Parse(serializer.ToBinary(snapshot))!.AsObject();
        var state = json["state"]!.AsObject();
        Assert.True(state.Remove("fill_seqs"));

        var back = Assert.IsType<PortfolioSnapshot>(serializer.FromBinary(Encoding.UTF8.GetBytes(json.ToJsonString()), "portfolio-snapshot.v1"));

        Assert.Empty(back.State.FillSeqs);
        Assert.Equal(2, back.State.FillCount);
        var adopted = new PortfolioBook(100_000m, TimeSpan.FromSeconds(1));
        adopted.Restore(back.State, null, null, null);
        adopted.Apply(new FillSequencesAdopted(new Dictionary<string, long> { ["BTCUSDT"] = 1, ["ETHUSDT"] = 1 }, At(9)));
        Assert.Equal(snapshot.State.FillSeqs.ToList(), adopted.State.FillSeqs.ToList());
    }

    [Fact]
    public void Unknown_manifest_is_refused_with_a_message_naming_it()
    {
        var serializer = SerializerFor(new OrderSubmitted(Id("x"), T0));

        var e = Assert.Throws<SerializationException>(() => serializer.FromBinary("{}"u8.ToArray(), "order-teleported.v7"));

        Assert.Contains("order-teleported.v7", e.Message);
    }

    [Fact]
    public void A_type_that_is_not_persisted_has_no_manifest_and_the_error_names_it()
    {
        var serializer = SerializerFor(new OrderSubmitted(Id("x"), T0));
        var notPersisted = new OrdersProtocol.GetOrderStats();

        var e = Assert.Throws<SerializationException>(() => serializer.Manifest(notPersisted));

        Assert.Contains(typeof(OrdersProtocol.GetOrderStats).FullName!, e.Message);
    }

    private static void AssertSameOrders(SymbolOrdersState e, SymbolOrdersState a)
    {
        Assert.Equal(e with { Orders = a.Orders, RecentFills = a.RecentFills }, a);
        Assert.Equal(e.Orders.Count, a.Orders.Count);
        for (var i = 0; i < e.Orders.Count; i++) AssertSameOrder(e.Orders[i], a.Orders[i]);
        Assert.Equal(e.RecentFills ?? [], a.RecentFills ?? []);
    }

    private static void AssertSame(object expected, object actual)
    {
        switch (expected)
        {
            case SymbolOrdersState e:
                AssertSameOrders(e, (SymbolOrdersState)actual);
                break;
            case OrdersProtocol.OrdersImported e:
                var imported = (OrdersProtocol.OrdersImported)actual;
                Assert.Equal(e.At, imported.At);
                AssertSameOrders(e.State, imported.State);
                break;
            case JournalLayoutMigrated e:
                var migrated = (JournalLayoutMigrated)actual;
                Assert.Equal((e.At, e.LegacyOrders), (migrated.At, migrated.LegacyOrders));
                Assert.Equal(e.Symbols, migrated.Symbols);
                break;
            case FillSequencesAdopted e:
                var adopted = (FillSequencesAdopted)actual;
                Assert.Equal(e.Time, adopted.Time);
                Assert.Equal(e.Seqs.OrderBy(s => s.Key), adopted.Seqs.OrderBy(s => s.Key));
                break;
            case EquitySampled e:
                AssertSameSample(e, (EquitySampled)actual);
                break;
            case PortfolioSnapshot e:
                var p = (PortfolioSnapshot)actual;
                AssertSamePortfolio(e.State, p.State);
                Assert.Equal(e.RecentEquity.Count, p.RecentEquity.Count);
                for (var i = 0; i < e.RecentEquity.Count; i++) AssertSameSample(e.RecentEquity[i], p.RecentEquity[i]);
                Assert.Equal(e.MarkTimes!.OrderBy(m => m.Key, StringComparer.Ordinal), p.MarkTimes!.OrderBy(m => m.Key, StringComparer.Ordinal));
                break;
            case Hean.Core.Trading.InstrumentMemory e:
                var m = (Hean.Core.Trading.InstrumentMemory)actual;
                Assert.Equal(e.SignalReturns, m.SignalReturns);
                Assert.Equal(e with { SignalReturns = m.SignalReturns }, m);
                break;
            default:
                Assert.Equal(expected, actual);
                break;
        }
    }

    internal static void AssertSameOrder(OrderState expected, OrderState actual)
    {
        Assert.Equal(expected with { TradeIds = actual.TradeIds }, actual);
        Assert.Equal(expected.TradeIds.Order(StringComparer.Ordinal), actual.TradeIds.Order(StringComparer.Ordinal));
    }

    internal static void AssertSamePortfolio(PortfolioState expected, PortfolioState actual)
    {
        Assert.Equal(expected with { Positions = actual.Positions, Marks = actual.Marks, FillSeqs = actual.FillSeqs }, actual);
        Assert.Equal(expected.Positions.ToList(), actual.Positions.ToList());
        Assert.Equal(expected.FillSeqs.ToList(), actual.FillSeqs.ToList());
        Assert.Equal(expected.Marks.ToList(), actual.Marks.ToList());
        Assert.Equal(expected.Equity, actual.Equity);
    }

    private static void AssertSameSample(EquitySampled expected, EquitySampled actual)
    {
        Assert.Equal(expected.Time, actual.Time);
        Assert.Equal(expected.Equity, actual.Equity);
        Assert.Equal(expected.Marks.OrderBy(m => m.Key, StringComparer.Ordinal), actual.Marks.OrderBy(m => m.Key, StringComparer.Ordinal));
    }
}
