using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Hean.Actors.History;
using Hean.Actors.Persistence;
using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Hean.Core.Risk;
using Npgsql;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Persistence.Redis.Tests;

/// <summary>
/// Journal events get their tags on every backend, EventsByTag returns them in write order, and the
/// history projection writes fills, orders and PnL samples into the store exactly once: after a
/// restart it continues from its offset, and a full replay (offsets lost) writes nothing twice.
/// </summary>
public abstract class HistoryProjectionTests : PersistenceTest
{
    private static readonly Symbol Btc = new("BTCUSDT");
    private static readonly DateTime T0 = new(2024, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly Backend _backend;
    private readonly string _readJournal;

    private protected HistoryProjectionTests(Backend backend, ITestOutputHelper output) : base(backend, output)
    {
        _backend = backend;
        _readJournal = HeanConfig.ReadJournal(backend == Backend.Redis ? PersistenceBackend.Redis
            : backend == Backend.Postgres ? PersistenceBackend.Postgres : PersistenceBackend.Sqlite)!;
    }

    /// <summary>Persists what it is sent under a persistence id and answers with the sequence number.</summary>
    private sealed class Writer : ReceivePersistentActor
    {
        public Writer(string id)
        {
            PersistenceId = id;
            CommandAny(e => Persist(e, _ => Sender.Tell(LastSequenceNr)));
        }

        public override string PersistenceId { get; }
    }

    private static Fill Fill(string order, string trade, decimal qty, decimal price, int second) =>
        new(new ClientOrderId(order), Btc, Side.Buy, trade, price, qty, 0.01m, Liquidity.Taker, T0.AddSeconds(second));

    private void Write(IActorRef writer, params object[] events)
    {
        foreach (var e in events)
        {
            writer.Tell(e);
            ExpectMsg<long>(Patience);
        }
    }

    private void TradeTwoOrders(IActorRef orders, IActorRef portfolio, IActorRef risk)
    {
        var a = new OrderRequest(new ClientOrderId("A-1"), Btc, Side.Buy, OrderType.Limit, 2m, 60_000m);
        var b = new OrderRequest(new ClientOrderId("B-1"), Btc, Side.Buy, OrderType.Market, 1m, null);
        Write(risk, new OrderRequestApproved(a.ClientOrderId, T0, 120_000m, 1.2m));
        Write(orders, new OrderCreated(a, T0, "signal", 60_000m), new OrderSubmitted(a.ClientOrderId, T0), new OrderAccepted(a.ClientOrderId, T0, "v1"),
            new OrderFilled(Fill("A-1", "t1", 0.5m, 60_000m, 1)));
        Write(portfolio, new FillBooked(Fill("A-1", "t1", 0.5m, 60_000m, 1)), new EquitySampled(T0.AddSeconds(1), new Dictionary<string, decimal> { ["BTCUSDT"] = 60_010m }, 100_004.99m));
        Write(orders, new OrderFilled(Fill("A-1", "t2", 1.5m, 59_990m, 2)), new OrderCreated(b, T0.AddSeconds(3), "signal", 60_000m),
            new OrderRejected(b.ClientOrderId, T0.AddSeconds(3), "insufficient margin"));
        Write(portfolio, new FillBooked(Fill("A-1", "t2", 1.5m, 59_990m, 2)), new EquitySampled(T0.AddSeconds(2), new Dictionary<string, decimal> { ["BTCUSDT"] = 59_990m }, 99_969.97m));
    }

    private HistoryStore NewStore()
    {
        if (_backend != Backend.Postgres) return HistoryStore.Sqlite(Path.Combine(Directory.CreateTempSubdirectory("hean-history-").FullName, "history.db"));
        var journal = Sys.Settings.Config.GetString("akka.persistence.journal.sql.connection-string");
        return HistoryStore.Postgres(journal);
    }

    private IActorRef StartProjection(HistoryStore store) =>
        Sys.ActorOf(HistoryProjection.Props(new HistorySettings(store, _readJournal, 100_000m) { BatchWindow = TimeSpan.FromMilliseconds(50), MinBackoff = TimeSpan.FromMilliseconds(100) }));

    private HistoryProtocol.Status Status(IActorRef projection)
    {
        projection.Tell(HistoryProtocol.GetStatus.Instance);
        return ExpectMsg<HistoryProtocol.Status>(Patience);
    }

    private static HistoryQuery All => new(Limit: 1000);

    [SkippableFact]
    public void Events_are_tagged_and_EventsByTag_returns_them_in_write_order()
    {
        var suffix = Guid.NewGuid().ToString("N")[..8];
        TradeTwoOrders(Sys.ActorOf(Props.Create(() => new Writer("orders-" + suffix))), Sys.ActorOf(Props.Create(() => new Writer("portfolio-" + suffix))),
            Sys.ActorOf(Props.Create(() => new Writer("risk-" + suffix))));
        var journal = PersistenceQuery.Get(Sys).ReadJournalFor<ICurrentEventsByTagQuery>(_readJournal);
        List<EventEnvelope> Read(string tag) => journal.CurrentEventsByTag(tag, Offset.NoOffset())
            .RunWith(Sink.Seq<EventEnvelope>(), Sys.Materializer()).Result.Where(e => e.PersistenceId.EndsWith(suffix)).ToList();

        var orders = Read(HeanTagger.Order);
        Assert.Equal(["order-created.v1", "order-submitted.v1", "order-accepted.v1", "order-filled.v1", "order-filled.v1", "order-created.v1", "order-rejected.v1"],
            orders.Select(e => new HeanEventSerializer((ExtendedActorSystem)Sys).Manifest(e.Event)));
        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), orders.Select(e => e.SequenceNr));
        Assert.All(orders, e => Assert.Contains(HeanTagger.Order, e.Tags));
        var offsets = orders.Select(e => ((Sequence)e.Offset).Value).ToList();
        Assert.Equal(offsets.Order(), offsets); // offsets grow with the write order
        Assert.Equal(2, Read(HeanTagger.Fill).Count);
        Assert.Equal(2, Read(HeanTagger.Pnl).Count);
        Assert.Single(Read(HeanTagger.Risk));

        // A query from the offset of the fourth order event starts with the fifth.
        var rest = journal.CurrentEventsByTag(HeanTagger.Order, orders[3].Offset).RunWith(Sink.Seq<EventEnvelope>(), Sys.Materializer()).Result
            .Where(e => e.PersistenceId.EndsWith(suffix)).ToList();
        Assert.Equal([5L, 6L, 7L], rest.Select(e => e.SequenceNr));
    }

    [SkippableFact]
    public async Task Projection_writes_fills_orders_and_pnl_once_and_continues_after_a_restart_without_duplicates()
    {
        var store = NewStore();
        var suffix = Guid.NewGuid().ToString("N")[..8];
        var projection = StartProjection(store);
        TradeTwoOrders(Sys.ActorOf(Props.Create(() => new Writer("orders-" + suffix))), Sys.ActorOf(Props.Create(() => new Writer("portfolio-" + suffix))),
            Sys.ActorOf(Props.Create(() => new Writer("risk-" + suffix))));

        await AwaitConditionAsync(async () => (await store.FillsAsync(All)).Count == 2 && (await store.PnlAsync(All)).Count == 2 &&
                                              (await store.OrdersAsync(All)).Any(o => o.Status == "rejected"), TimeSpan.FromSeconds(20));
        var fills = await store.FillsAsync(All);
        Assert.Equal(["t1", "t2"], fills.Select(f => f.TradeId));
        Assert.Equal(2m, fills.Sum(f => f.Qty));
        var orders = (await store.OrdersAsync(All)).ToDictionary(o => o.ClientOrderId);
        Assert.Equal(("filled", 2m), (orders["A-1"].Status, orders["A-1"].FilledQty));
        Assert.Equal(("rejected", "insufficient margin"), (orders["B-1"].Status, orders["B-1"].Reason));
        var pnl = await store.PnlAsync(All);
        Assert.Equal([4.99m, -30.03m], pnl.Select(p => p.Pnl));
        Assert.Equal(59_990m, fills[1].Price);

        // Stopped and started again: it continues from its offsets and writes nothing more.
        Watch(projection);
        Sys.Stop(projection);
        ExpectTerminated(projection, Patience);
        var offsets = new Dictionary<string, long>();
        foreach (var tag in new[] { HeanTagger.Order, HeanTagger.Fill, HeanTagger.Pnl }) offsets[tag] = await store.OffsetAsync(tag);
        Assert.All(offsets.Values, o => Assert.True(o > 0));
        var again = StartProjection(store);
        Write(Sys.ActorOf(Props.Create(() => new Writer("portfolio-" + suffix))),
            new FillBooked(Fill("A-1", "t3", 0.1m, 60_100m, 5)));
        await AwaitConditionAsync(async () => (await store.FillsAsync(All)).Count == 3, TimeSpan.FromSeconds(20));
        await AwaitConditionAsync(async () => await store.OffsetAsync(HeanTagger.Fill) > offsets[HeanTagger.Fill], TimeSpan.FromSeconds(20));
        Assert.Equal(0, Status(again).Rows - 1); // the one new fill, nothing of what came before

        // Offsets lost: a full replay of the journal writes every row again, and nothing lands twice.
        Watch(again);
        Sys.Stop(again);
        ExpectTerminated(again, Patience);
        await ClearOffsetsAsync(store);
        var replay = StartProjection(store);
        await AwaitConditionAsync(async () => await store.OffsetAsync(HeanTagger.Fill) > 0 && Status(replay).Events >= 12, TimeSpan.FromSeconds(20));
        Assert.Equal(0, Status(replay).Rows);
        Assert.Equal(3, (await store.FillsAsync(All)).Count);
        Assert.Equal(2m, (await store.OrdersAsync(All)).Single(o => o.ClientOrderId == "A-1").FilledQty);
        Assert.Equal(2, (await store.PnlAsync(All)).Count);
    }

    private async Task ClearOffsetsAsync(HistoryStore store)
    {
        if (_backend == Backend.Postgres)
        {
            await using var c = new NpgsqlConnection(Sys.Settings.Config.GetString("akka.persistence.journal.sql.connection-string"));
            await c.OpenAsync();
            await using var cmd = new NpgsqlCommand("DELETE FROM hean_history_offsets", c);
            await cmd.ExecuteNonQueryAsync();
            return;
        }
        await using var s = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + store.Where);
        await s.OpenAsync();
        await using var del = s.CreateCommand();
        del.CommandText = "DELETE FROM hean_history_offsets";
        await del.ExecuteNonQueryAsync();
    }
}

public sealed class SqliteHistoryProjectionTests(ITestOutputHelper output) : HistoryProjectionTests(Backend.Sqlite, output);

public sealed class RedisHistoryProjectionTests(ITestOutputHelper output) : HistoryProjectionTests(Backend.Redis, output);

public sealed class PostgresHistoryProjectionTests(ITestOutputHelper output) : HistoryProjectionTests(Backend.Postgres, output);
