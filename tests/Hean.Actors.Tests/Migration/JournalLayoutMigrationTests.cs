using System.IO.Compression;
using System.Text.Json;
using Akka.Actor;
using Akka.Configuration;
using Akka.Hosting;
using Hean.Actors.Common;
using Hean.Actors.Execution;
using Hean.Actors.Hosting;
using Hean.Actors.Orchestration;
using Hean.Actors.Orders;
using Hean.Actors.Persistence;
using Hean.Actors.Portfolio;
using Hean.Core.Domain;
using Hean.Core.Exchange;
using Microsoft.Data.Sqlite;
using Xunit;
using static Hean.Actors.Execution.ExecutionProtocol;
using static Hean.Actors.Tests.Fixtures;

namespace Hean.Actors.Tests.Migration;

/// <summary>
/// A journal written by the global order manager (the committed fixture, made by d2ba07e: orders of two symbols, a
/// snapshot of "orders" and events after it, the portfolio, a TWAP still running in "execution-router") is migrated on the
/// first start into one order entity and one execution entity per symbol: every order, fill, position and running
/// algorithm is what the old code answered, the TWAP runs under its symbol's execution entity,
/// nothing is placed twice, trading goes on from there, a second start migrates nothing, and a crash midway through the
/// migration, then a start, completes it exactly once.
/// </summary>
public sealed class JournalLayoutMigrationTests : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Migration", "Fixtures", "legacy-d2ba07e");
    private static readonly TradingSettings Settings = TradingSettings.Default with { SnapshotEvery = 10, Exchange = new SimulatedExchangeOptions() };
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hean-migration-tests", Guid.NewGuid().ToString("N"));
    private readonly JsonElement _expected;

    public JournalLayoutMigrationTests()
    {
        Directory.CreateDirectory(_dir);
        foreach (var file in new[] { HeanConfig.JournalFile, HeanConfig.SnapshotFile })
        {
            using var gz = new GZipStream(File.OpenRead(Path.Combine(Fixture, file + ".gz")), CompressionMode.Decompress);
            using var db = File.Create(Path.Combine(_dir, file));
            gz.CopyTo(db);
        }
        _expected = JsonDocument.Parse(File.ReadAllText(Path.Combine(Fixture, "expected.json"))).RootElement;
    }

    [Fact]
    public async Task The_first_start_migrates_the_global_orders_and_keeps_every_order_fill_position_and_algorithm()
    {
        Assert.Equal(38, Events("orders")); // the old layout, as the fixture has it
        Assert.Equal(0, Events("orders-BTCUSDT"));

        using (var node = Node.Start(_dir))
        {
            var migration = node.Migration!.Orders!;
            Assert.Equal(["BTCUSDT", "ETHUSDT"], migration.Symbols.Select(s => s.Value));
            Assert.Equal((10L, 7L, 7L), (migration.Orders, migration.Fills, migration.PortfolioFills));
            AssertAsTheOldCodeHadIt(node);
            AssertNothingPlacedTwice(node);
            var moved = node.Migration.Execution!;
            Assert.Equal(["BTCUSDT"], moved.Symbols.Select(s => s.Value));
            Assert.Equal(["T1"], moved.Running.Select(i => i.Value));
            await AssertT1RunsUnderItsSymbolsEntity(node);

            // Trading goes on: the TWAP sends its next slice once, the fill reaches the portfolio with its symbol's next number.
            for (var t = 29; t <= 40; t++) node.Step(t);
            var algo = node.Ask<AlgoView>(node.Execution, new GetAlgo(Id("T1"))).State!;
            Assert.Equal(["T1-1", "T1-2", "T1-3", "T1-4"], algo.Children.Select(c => c.Id.Value));
            node.Sync();
            var portfolio = node.Ask<PortfolioProtocol.PortfolioView>(node.Portfolio, new PortfolioProtocol.GetPortfolio()).State;
            Assert.Equal(0.45m, portfolio.PositionOf(Btc).Qty);
            Assert.Equal(8, portfolio.FillCount);
            var btcFills = Fills("BTCUSDT");
            Assert.Equal(btcFills + 1, portfolio.FillSeqOf(Btc));
        }
        Assert.Equal(38, Events("orders")); // never written again
        Assert.Equal(LegacyRouterEvents, Events(JournalLayout.LegacyExecution));
        var index = Events(OrderManager.Id);
        var executionIndex = Events(ExecutionRouter.Id);
        var btcExecution = Events("execution-BTCUSDT");
        Assert.Equal(1, Events("execution-BTCUSDT", "execution-algos-imported.v1"));

        using (var again = Node.Start(_dir))
        {
            Assert.Null(again.Migration);
            Assert.Equal(index, Events(OrderManager.Id));
            Assert.Equal(executionIndex, Events(ExecutionRouter.Id));
            Assert.Equal(btcExecution, Events("execution-BTCUSDT"));
            Assert.Equal(1, Events("execution-BTCUSDT", "execution-algos-imported.v1"));
            var stats = again.Ask<OrdersProtocol.OrderStats>(again.Orders, new OrdersProtocol.GetOrderStats());
            Assert.Equal((11L, 8L, 2), (stats.Created, stats.Fills, stats.Open));
            Assert.Equal(0.45m, again.Ask<PortfolioProtocol.PortfolioView>(again.Portfolio, new PortfolioProtocol.GetPortfolio()).State.PositionOf(Btc).Qty);
        }
    }

    [Fact]
    public async Task A_crash_midway_through_the_migration_then_a_start_completes_it_exactly_once()
    {
        using (var crashing = ActorSystem.Create("hean-migration", Config(_dir)))
        {
            // The process dies after BTCUSDT's entity is written, before ETHUSDT's.
            var crash = await Assert.ThrowsAsync<IOException>(() => JournalLayout.EnsureAsync(crashing, Patience,
                id => { if (id == "orders-ETHUSDT") throw new IOException("killed"); }));
            Assert.Equal("killed", crash.Message);
        }
        Assert.Equal(1, Events("orders-BTCUSDT"));
        Assert.Equal(0, Events("orders-ETHUSDT"));
        Assert.Equal(0, Events(OrderManager.Id));

        using (var node = Node.Start(_dir))
        {
            var migration = node.Migration!.Orders!;
            Assert.DoesNotContain("orders-BTCUSDT", migration.Written); // written once, before the crash
            Assert.Contains("orders-ETHUSDT", migration.Written);
            Assert.Contains(PortfolioActor.Id, migration.Written);
            AssertAsTheOldCodeHadIt(node);
            AssertNothingPlacedTwice(node);
        }
        Assert.Equal(1, Events("orders-BTCUSDT"));
        Assert.Equal(1, Events("orders-ETHUSDT"));
        Assert.Equal(1, Events("portfolio", "portfolio-fill-sequences-adopted.v1"));
        Assert.Equal(1, Events(OrderManager.Id, "journal-layout-migrated.v1"));
    }

    [Fact]
    public async Task A_crash_midway_through_the_execution_part_then_a_start_moves_the_running_twap_exactly_once()
    {
        using (var crashing = ActorSystem.Create("hean-migration", Config(_dir)))
        {
            // The orders are migrated, T1 is written into its symbol's entity, and the process dies before the index.
            var crash = await Assert.ThrowsAsync<IOException>(() => JournalLayout.EnsureAsync(crashing, Patience,
                id => { if (id == ExecutionRouter.Id) throw new IOException("killed"); }));
            Assert.Equal("killed", crash.Message);
        }
        Assert.Equal(1, Events(OrderManager.Id, "journal-layout-migrated.v1"));
        Assert.Equal(1, Events("execution-BTCUSDT", "execution-algos-imported.v1"));
        Assert.Equal(0, Events(ExecutionRouter.Id));

        using (var node = Node.Start(_dir))
        {
            Assert.Null(node.Migration!.Orders); // done before the crash
            var moved = node.Migration.Execution!;
            Assert.DoesNotContain("execution-BTCUSDT", moved.Written); // written once, before the crash
            Assert.Equal([ExecutionRouter.Id], moved.Written);
            Assert.Equal(["T1"], moved.Running.Select(i => i.Value));
            AssertAsTheOldCodeHadIt(node);
            AssertNothingPlacedTwice(node);
            await AssertT1RunsUnderItsSymbolsEntity(node);

            // It goes on from algo-T1's state: the next slice once, then the rest; no child is sent twice.
            for (var t = 29; t <= 40; t++) node.Step(t);
            Assert.Equal(["T1-1", "T1-2", "T1-3", "T1-4"], node.Ask<AlgoView>(node.Execution, new GetAlgo(Id("T1"), Btc)).State!.Children.Select(c => c.Id.Value));
            Assert.Equal(_expected.GetProperty("Stats").GetProperty("Created").GetInt64() + 1,
                node.Ask<OrdersProtocol.OrderStats>(node.Orders, new OrdersProtocol.GetOrderStats()).Created);
        }
        Assert.Equal(1, Events("execution-BTCUSDT", "execution-algos-imported.v1"));
        Assert.Equal(1, Events(ExecutionRouter.Id, "execution-layout-migrated.v1"));
        Assert.Equal(1, Events(ExecutionRouter.Id, "execution-index-entity-started.v1"));
        Assert.Equal(LegacyRouterEvents, Events(JournalLayout.LegacyExecution));
    }

    /// <summary>The old router's stream as the fixture has it: T1 registered, nothing else.</summary>
    private const long LegacyRouterEvents = 1;

    /// <summary>T1 runs as a child of "execution-BTCUSDT" (the entity of its symbol), and no other entity has an algorithm.</summary>
    private static async Task AssertT1RunsUnderItsSymbolsEntity(Node node)
    {
        Assert.Equal(["T1"], node.Ask<ActiveAlgos>(node.Execution, new GetActiveAlgos(Btc)).ParentIds.Select(i => i.Value));
        Assert.Empty(node.Ask<ActiveAlgos>(node.Execution, new GetActiveAlgos(Eth)).ParentIds);
        var algo = await node.System.ActorSelection(node.Execution.Path / "execution" / "execution-BTCUSDT" / "algo-T1-1").ResolveOne(Patience);
        Assert.Equal("execution-BTCUSDT", algo.Path.Parent.Name);
    }

    private void AssertAsTheOldCodeHadIt(Node node)
    {
        var open = node.Ask<OrdersProtocol.OpenOrders>(node.Orders, new OrdersProtocol.GetOpenOrders()).Orders;
        Assert.Equal(Orders(_expected.GetProperty("OpenOrders")), open.Select(o => (o.Id.Value, o.Symbol.Value, o.Status.ToString(), o.Request.Qty, o.FilledQty)));
        var closed = Orders(_expected.GetProperty("ClosedOrders"));
        Assert.Equal(closed, closed.Select(c => node.Ask<OrdersProtocol.OrderView>(node.Orders, new OrdersProtocol.GetOrder(Id(c.Id))).Order!)
            .Select(o => (o.Id.Value, o.Symbol.Value, o.Status.ToString(), o.Request.Qty, o.FilledQty)));

        var stats = node.Ask<OrdersProtocol.OrderStats>(node.Orders, new OrdersProtocol.GetOrderStats());
        var expectedStats = _expected.GetProperty("Stats");
        Assert.Equal(
            (expectedStats.GetProperty("Created").GetInt64(), expectedStats.GetProperty("Filled").GetInt64(), expectedStats.GetProperty("Cancelled").GetInt64(),
                expectedStats.GetProperty("Rejected").GetInt64(), expectedStats.GetProperty("Fills").GetInt64(), expectedStats.GetProperty("Open").GetInt32()),
            (stats.Created, stats.Filled, stats.Cancelled, stats.Rejected, stats.Fills, stats.Open));
        var last = node.Ask<OrdersProtocol.LastFill>(node.Orders, new OrdersProtocol.GetLastFill());
        Assert.Equal((_expected.GetProperty("LastFill").GetProperty("Time").GetDateTime(), _expected.GetProperty("LastFill").GetProperty("TradeId").GetString()),
            (last.Time!.Value, last.TradeId));

        var portfolio = node.Ask<PortfolioProtocol.PortfolioView>(node.Portfolio, new PortfolioProtocol.GetPortfolio()).State;
        Assert.Equal(_expected.GetProperty("Positions").EnumerateArray().Select(p => (p.GetProperty("Symbol").GetString()!, p.GetProperty("Qty").GetDecimal(), p.GetProperty("AvgPrice").GetDecimal())),
            portfolio.Positions.Values.Select(p => (p.Symbol.Value, p.Qty, p.AvgPrice)));
        Assert.Equal(_expected.GetProperty("Cash").GetDecimal(), portfolio.Cash);
        Assert.Equal(_expected.GetProperty("FillCount").GetInt64(), portfolio.FillCount);
        // The seven fills, numbered per symbol now: each entity's count of its own.
        Assert.Equal((Fills("BTCUSDT"), Fills("ETHUSDT")), (portfolio.FillSeqOf(Btc), portfolio.FillSeqOf(Eth)));
        Assert.Equal(portfolio.FillCount, portfolio.FillSeqOf(Btc) + portfolio.FillSeqOf(Eth));

        var algos = node.Ask<ActiveAlgos>(node.Execution, new GetActiveAlgos()).ParentIds;
        var expectedAlgos = _expected.GetProperty("Algos").EnumerateArray().ToList();
        Assert.Equal(expectedAlgos.Select(a => a.GetProperty("ParentId").GetString()), algos.Select(a => a.Value));
        foreach (var a in expectedAlgos)
        {
            var state = node.Ask<AlgoView>(node.Execution, new GetAlgo(Id(a.GetProperty("ParentId").GetString()!))).State!;
            Assert.Equal((a.GetProperty("Status").GetString(), a.GetProperty("Filled").GetDecimal()), (state.Status.ToString(), state.Filled));
            Assert.Equal(a.GetProperty("Children").EnumerateArray().Select(c => c.GetString()), state.Children.Select(c => c.Id.Value));
        }
    }

    /// <summary>The venue works each open order once, and no order was created at the start.</summary>
    private void AssertNothingPlacedTwice(Node node)
    {
        var venue = node.Ask<VenueState>(node.Gateway, new GetVenueState());
        Assert.Equal(["B2", "E2"], venue.OpenOrders.Select(o => o.ClientOrderId.Value).OrderBy(id => id, StringComparer.Ordinal));
        Assert.Equal(_expected.GetProperty("Stats").GetProperty("Created").GetInt64(),
            node.Ask<OrdersProtocol.OrderStats>(node.Orders, new OrdersProtocol.GetOrderStats()).Created);
    }

    private static List<(string Id, string Symbol, string Status, decimal Qty, decimal FilledQty)> Orders(JsonElement orders) =>
        orders.EnumerateArray().Select(o => (o.GetProperty("Id").GetString()!, o.GetProperty("Symbol").GetString()!, o.GetProperty("Status").GetString()!,
            o.GetProperty("Qty").GetDecimal(), o.GetProperty("FilledQty").GetDecimal())).ToList();

    /// <summary>Fills of one symbol in the fixture's old "orders" stream (the migration numbers them 1…n in that entity).</summary>
    private long Fills(string symbol) => _expected.GetProperty("ClosedOrders").EnumerateArray().Concat(_expected.GetProperty("OpenOrders").EnumerateArray())
        .Count(o => o.GetProperty("Symbol").GetString() == symbol && o.GetProperty("FilledQty").GetDecimal() > 0)
        + _expected.GetProperty("Algos").EnumerateArray().Where(_ => symbol == "BTCUSDT").Sum(a => a.GetProperty("Children").GetArrayLength());

    private long Events(string persistenceId, string? manifest = null)
    {
        using var db = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path.Combine(_dir, HeanConfig.JournalFile), Pooling = false }.ToString());
        db.Open();
        using var q = db.CreateCommand();
        q.CommandText = "select count(*) from journal where persistence_id = $id" + (manifest is null ? "" : " and manifest = $m");
        q.Parameters.AddWithValue("$id", persistenceId);
        if (manifest is not null) q.Parameters.AddWithValue("$m", manifest);
        return (long)q.ExecuteScalar()!;
    }

    private static Config Config(string dir) =>
        ConfigurationFactory.ParseString("akka.loglevel = WARNING\nakka.log-dead-letters = off").WithFallback(HeanConfig.Build(PersistenceBackend.Sqlite, dir));

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>Portfolio, orders, the paper venue and execution on the fixture's journal, as the host wires them.</summary>
    private sealed class Node : IDisposable
    {
        private readonly ActorSystem _system;
        private long _book;
        public JournalLayout.Migrated? Migration { get; private init; }
        public required IActorRef Portfolio { get; init; }
        public required IActorRef Orders { get; init; }
        public required IActorRef Gateway { get; init; }
        public required IActorRef Execution { get; init; }

        private Node(ActorSystem system) => _system = system;

        public ActorSystem System => _system;

        public static Node Start(string dir)
        {
            var system = ActorSystem.Create("hean-migration", Config(dir));
            var migration = JournalLayout.Ensure(system, Patience);
            var registry = ActorRegistry.For(system);
            var node = new Node(system)
            {
                Migration = migration,
                Portfolio = TradingHosting.StartPortfolio(system, registry, Settings),
                Orders = TradingHosting.StartOrders(system, registry, Settings),
                Gateway = TradingHosting.StartPaperVenue(system, registry, Settings),
                Execution = TradingHosting.StartExecution(system, registry, Settings),
            };
            node.Sync();
            return node;
        }

        public T Ask<T>(IActorRef actor, object message) => actor.Ask<T>(message, Patience).GetAwaiter().GetResult();

        public void Sync()
        {
            Ask<Synced>(Orders, Common.Sync.Instance);
            Ask<Synced>(Portfolio, Common.Sync.Instance);
            Ask<Synced>(Execution, Common.Sync.Instance);
        }

        /// <summary>The same market the fixture was made on, at second <paramref name="at"/>.</summary>
        public void Step(double at)
        {
            var time = T0.AddSeconds(at);
            Ask<MarketDataApplied>(Gateway, new ApplyMarketData([
                Book(1_000 + ++_book, time, [L(49_990m, 10m)], [L(50_000m, 10m)], Btc),
                Book(1_000 + ++_book, time, [L(2_999m, 100m)], [L(3_000m, 100m)], Eth)]));
            Ask<MarketTimeHandled>(Execution, new MarketTimeAdvanced(time));
        }

        public void Dispose() => _system.Terminate().Wait(Patience);
    }
}
