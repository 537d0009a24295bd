using Akka.Actor;
using Akka.Hosting;
using Hean.Actors.Hosting;
using Hean.Actors.Orders;
using Hean.Actors.Persistence;
using Hean.Core.Domain;
using Hean.Core.Orders;
using Microsoft.Data.Sqlite;
using Xunit;

namespace Hean.Actors.Hosting.Tests;

/// <summary>
/// The SQLite journal through <see cref="PersistenceHosting.WithHeanSqlitePersistence"/>: its connections run
/// <see cref="HeanConfig.SqlitePragmas"/>, so the file is in WAL mode once the journal has written, its log is checkpointed
/// by the <see cref="WalCheckpointer"/> the extension starts (never by a commit), and what it wrote reads back in a second
/// system on the same folder.
/// </summary>
public sealed class SqlitePersistenceHostingTests(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(nameof(SqlitePersistenceHostingTests), output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "hean-sqlite-hosting-" + Guid.NewGuid().ToString("N"));

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        builder
            .AddHocon("akka.loglevel = WARNING\nakka.log-dead-letters = off", HoconAddMode.Prepend)
            .WithHeanSqlitePersistence(_dir);

    private static OrderCreated Created(string id) =>
        new(new OrderRequest(new ClientOrderId(id), new Symbol("BTCUSDT"), Side.Buy, OrderType.Market, 0.001m, null, TimeInForce.ImmediateOrCancel),
            new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc), "test", 50_000m);

    [Fact]
    public async Task The_journal_writes_in_WAL_mode_and_a_restarted_actor_reads_its_events_back()
    {
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(TestActor, 200)));
        Assert.IsType<OrdersProtocol.OrderRegistered>(await orders.Ask(new OrdersProtocol.RegisterOrder(Created("wal-1"), Submitting: true), Patience));

        // journal_mode is kept in the file: only the journal's own connections (the pragmas on opening) can have set it.
        await using (var check = new SqliteConnection(HeanConfig.SqliteConnection(Path.Combine(_dir, HeanConfig.JournalFile))))
        {
            await check.OpenAsync();
            await using var command = check.CreateCommand();
            command.CommandText = "PRAGMA journal_mode;";
            Assert.Equal("wal", (string?)await command.ExecuteScalarAsync());
        }

        // No commit checkpoints the log: the checkpointer the extension started copies the journal's pages within its second.
        var checkpointer = WalCheckpointer.Of(Sys);
        Assert.NotNull(checkpointer);
        await AwaitConditionAsync(() => Task.FromResult(checkpointer.FramesCopied > 0), Patience);
        var before = checkpointer.FramesCopied;
        Assert.IsType<OrdersProtocol.OrderRegistered>(await orders.Ask(new OrdersProtocol.RegisterOrder(Created("wal-2"), Submitting: true), Patience));
        await AwaitConditionAsync(() => Task.FromResult(checkpointer.FramesCopied > before), Patience);

        var watcher = CreateTestProbe();
        watcher.Watch(orders);
        Sys.Stop(orders);
        watcher.ExpectTerminated(orders, Patience);
        var recovered = Sys.ActorOf(Props.Create(() => new OrderManager(TestActor, 200)));
        var view = await recovered.Ask<OrdersProtocol.OrderView>(new OrdersProtocol.GetOrder(new ClientOrderId("wal-1")), Patience);
        Assert.Equal(OrderStatus.Submitted, view.Order?.Status);
    }

    protected override async Task AfterAllAsync()
    {
        await base.AfterAllAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // a handle the pool still holds: the temp folder is the OS's to clean
        }
    }
}
