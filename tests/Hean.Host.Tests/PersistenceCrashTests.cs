using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Akka.Actor;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Hean.Actors.History;
using Hean.Actors.Orders;
using Hean.Actors.Persistence;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Npgsql;
using StackExchange.Redis;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Host.Tests;

/// <summary>
/// The real executable on Redis (a redis-server of the test's own, AOF with fsync on every write) and on
/// PostgreSQL: SIGKILL during trading, and Redis killed and started again under load. What the node
/// acknowledged (the portfolio reported it, after its journal write) must be in the journal after the
/// restart, no fill twice, and the history store must hold each fill once.
/// </summary>
public sealed class PersistenceCrashTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hean-pcrash-").FullName;
    private RedisServer? _redis;
    private string? _postgresAdmin, _postgresDb;

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_redis is not null) await _redis.DisposeAsync();
        if (_postgresDb is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await Loopback.ExecuteAsync(_postgresAdmin!, $"DROP DATABASE IF EXISTS {_postgresDb} WITH (FORCE)");
        }
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Dictionary<string, string> Env(PersistenceBackend backend, string connection) => new()
    {
        ["HEAN_DATA_DIR"] = Path.Combine(_dir, ".hean"),
        ["HEAN_PERSISTENCE"] = backend.ToString().ToLowerInvariant(),
        [backend == PersistenceBackend.Redis ? "HEAN_REDIS" : "HEAN_POSTGRES"] = connection,
        ["EXECUTION_STYLE"] = "market",
        ["CANDLE_INTERVAL"] = "1s",
        ["LOG_LEVEL"] = "INFO",
    };

    [SkippableFact]
    public async Task Sigkill_during_fills_on_redis_loses_no_acknowledged_fill_and_books_none_twice()
    {
        _redis = await RedisServer.StartAsync(Path.Combine(_dir, "redis"));
        await KillDuringFillsAndCheck(PersistenceBackend.Redis, _redis.Address, events: true);
    }

    [SkippableFact]
    public async Task Sigkill_during_fills_on_postgres_loses_no_acknowledged_fill_and_books_none_twice()
    {
        _postgresAdmin = Loopback.PostgresAdmin;
        try
        {
            _postgresDb = "hean_crash_" + Guid.NewGuid().ToString("N");
            await Loopback.ExecuteAsync(_postgresAdmin, $"CREATE DATABASE {_postgresDb}");
        }
        catch (Exception e) when (e is NpgsqlException or SocketException)
        {
            _postgresDb = null;
            Missing("PostgreSQL (HEAN_TEST_POSTGRES)", e);
        }
        await KillDuringFillsAndCheck(PersistenceBackend.Postgres, new NpgsqlConnectionStringBuilder(_postgresAdmin) { Database = _postgresDb }.ConnectionString);
    }

    private async Task KillDuringFillsAndCheck(PersistenceBackend backend, string connection, bool events = false)
    {
        var env = Env(backend, connection);
        // The event bus on the same server, database 1 (the journal's is 0).
        if (events) env["HEAN_EVENTS_REDIS"] = connection;
        long acknowledged;
        await using (var run1 = HeanProcess.Start(_dir, env, "run", "--http-port", "0", "--speed", "60", "--seed", "5"))
        {
            var url = await run1.AddressAsync(TimeSpan.FromSeconds(90));
            var state = await Api.WaitForStateAsync(url, s => s.GetProperty("portfolio").GetProperty("fills").GetInt64() >= 4, TimeSpan.FromSeconds(150));
            acknowledged = state.GetProperty("portfolio").GetProperty("fills").GetInt64();
            run1.KillHard(); // while the market runs: no pause, no final checkpoint
        }
        output.WriteLine($"{backend}: {acknowledged} fills acknowledged before SIGKILL");

        var journal = await ReadJournalAsync(backend, connection);
        Assert.True(journal.Booked.Count >= acknowledged, $"{journal.Booked.Count} fills in the journal, {acknowledged} acknowledged");
        AssertNoneTwice(journal);

        await using (var run2 = HeanProcess.Start(_dir, env, "run", "--http-port", "0", "--paused"))
        {
            var url = await run2.AddressAsync(TimeSpan.FromSeconds(90));
            // The portfolio catches up with every fill the order manager persisted, exactly once.
            var state = await Api.WaitForStateAsync(url, s => s.GetProperty("portfolio").GetProperty("fills").GetInt64() >= journal.Filled.Count,
                TimeSpan.FromSeconds(60));
            Assert.Equal(journal.Filled.Count, state.GetProperty("portfolio").GetProperty("fills").GetInt64());

            var after = await ReadJournalAsync(backend, connection);
            AssertNoneTwice(after);
            Assert.Equal(after.Filled.Select(f => f.Key).ToHashSet(), after.Booked.Select(f => f.Key).ToHashSet());

            // The history store has every booked fill, once.
            var store = backend == PersistenceBackend.Postgres ? HistoryStore.Postgres(connection) : HistoryStore.Sqlite(Path.Combine(_dir, ".hean", "history.db"));
            var sw = Stopwatch.StartNew();
            IReadOnlyList<FillRow> rows = [];
            while (sw.Elapsed < TimeSpan.FromSeconds(60))
            {
                try
                {
                    rows = await store.FillsAsync(new HistoryQuery(Limit: 100_000));
                    if (rows.Count >= after.Booked.Count) break;
                }
                catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or NpgsqlException)
                {
                }
                await Task.Delay(250);
            }
            Assert.Equal(after.Booked.Select(f => f.Key).Order(), rows.Select(r => (r.ClientOrderId, r.TradeId)).Order());
            run2.KillHard();

            // The same fills, offline, through `hean history`.
            var (code, json, err) = await HeanProcess.RunAsync(_dir, env, TimeSpan.FromSeconds(60), "history", "fills", "--format", "json", "--limit", "100000");
            Assert.True(code == 0, err);
            Assert.Equal(after.Booked.Select(f => f.Key).Order(), JsonDocument.Parse(json).RootElement.EnumerateArray()
                .Select(f => (f.GetProperty("client_order_id").GetString()!, f.GetProperty("trade_id").GetString()!)).Order());
            if (!events) return;
            // The bus is best effort, but with Redis up it has every fill that happened before the kill, never one the journal lacks.
            (code, var lines, err) = await HeanProcess.RunAsync(_dir, env, TimeSpan.FromSeconds(60), "events", "replay", "--from", "0", "--type", "ORDER_FILLED");
            Assert.True(code == 0, err);
            var published = lines.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("data"))
                .Select(d => (d.GetProperty("client_order_id").GetString()!, d.GetProperty("trade_id").GetString()!)).ToList();
            output.WriteLine($"{published.Count} ORDER_FILLED on the bus, {after.Filled.Count} in the journal");
            Assert.NotEmpty(published);
            Assert.Equal(published.Count, published.Distinct().Count());
            Assert.Subset(after.Filled.Select(f => f.Key).ToHashSet(), published.ToHashSet());
        }
    }

    [SkippableFact]
    public async Task Redis_restarted_under_load_degrades_health_recovers_by_itself_and_loses_nothing_acknowledged()
    {
        _redis = await RedisServer.StartAsync(Path.Combine(_dir, "redis"));
        var env = Env(PersistenceBackend.Redis, _redis.Address);
        await using var run = HeanProcess.Start(_dir, env, "run", "--http-port", "0", "--speed", "60", "--seed", "9");
        var url = await run.AddressAsync(TimeSpan.FromSeconds(90));
        var before = await Api.WaitForStateAsync(url, s => s.GetProperty("portfolio").GetProperty("fills").GetInt64() >= 2, TimeSpan.FromSeconds(150));
        var acknowledged = before.GetProperty("portfolio").GetProperty("fills").GetInt64();

        _redis.Kill();
        // The persistent actors cannot write or recover: health shows them (the whole node is not healthy).
        var down = await WaitForHealthAsync(url, h => h.Status != "healthy" && Persistent.Any(c => Component(h, c) != "healthy"), TimeSpan.FromSeconds(90));
        output.WriteLine("while Redis is down: " + down.Body);

        // Kept down until the journal's circuit breaker has opened (max-failures in hocon/hean.conf): writes fail fast then.
        var sw = Stopwatch.StartNew();
        while (!Logs().Contains("circuit breaker is open", StringComparison.OrdinalIgnoreCase) && sw.Elapsed < TimeSpan.FromSeconds(150))
            await Task.Delay(500);
        output.WriteLine($"breaker open after {sw.Elapsed.TotalSeconds:0} s of outage: " +
                         Logs().Split('\n').FirstOrDefault(l => l.Contains("circuit breaker is open", StringComparison.OrdinalIgnoreCase)));
        await _redis.RestartAsync();
        // Back by itself: the journal's circuit breaker closes, the backoff supervisors restart the actors, they recover.
        var up = await WaitForHealthAsync(url, h => Persistent.All(c => Component(h, c) == "healthy"), TimeSpan.FromSeconds(150));
        output.WriteLine("after Redis is back: " + up.Body);
        var events = FeedEvents(await Api.WaitForStateAsync(url, s => FeedEvents(s) >= 0, TimeSpan.FromSeconds(30)));
        var after = await Api.WaitForStateAsync(url, s => FeedEvents(s) > events &&
                                                          s.GetProperty("portfolio").GetProperty("fills").GetInt64() >= acknowledged, TimeSpan.FromSeconds(60));
        Assert.True(after.GetProperty("portfolio").GetProperty("fills").GetInt64() >= acknowledged);
        run.KillHard();
        Assert.Contains("circuit breaker is open", Logs(), StringComparison.OrdinalIgnoreCase);

        var journal = await ReadJournalAsync(PersistenceBackend.Redis, _redis.Address);
        Assert.True(journal.Booked.Count >= acknowledged, $"{journal.Booked.Count} fills in the journal, {acknowledged} acknowledged before Redis went down");
        AssertNoneTwice(journal);
    }

    private sealed record Journal(IReadOnlyList<((string, string) Key, long Seq)> Booked, IReadOnlyList<((string, string) Key, long Seq)> Filled);

    private static void AssertNoneTwice(Journal j)
    {
        Assert.Equal(j.Booked.Count, j.Booked.Select(f => f.Key).Distinct().Count());
        Assert.Equal(j.Filled.Count, j.Filled.Select(f => f.Key).Distinct().Count());
        Assert.Subset(j.Filled.Select(f => f.Key).ToHashSet(), j.Booked.Select(f => f.Key).ToHashSet());
    }

    /// <summary>The portfolio's and the order entities' fills, read from the journal by Akka.Persistence.Query in this process.</summary>
    private async Task<Journal> ReadJournalAsync(PersistenceBackend backend, string connection)
    {
        var config = HeanConfig.Build(backend, Path.Combine(_dir, "query"), backend == PersistenceBackend.Redis ? connection : null,
            backend == PersistenceBackend.Postgres ? connection : null);
        using var system = ActorSystem.Create("journal-check", config.WithFallback(Akka.Configuration.ConfigurationFactory.ParseString("akka.loglevel = WARNING")));
        var query = PersistenceQuery.Get(system).ReadJournalFor<ICurrentEventsByPersistenceIdQuery>(HeanConfig.ReadJournal(backend)!);
        async Task<List<EventEnvelope>> Events(string id) =>
            (await query.CurrentEventsByPersistenceId(id, 0, long.MaxValue).RunWith(Sink.Seq<EventEnvelope>(), system.Materializer())).ToList();
        var booked = (await Events("portfolio")).Where(e => e.Event is FillBooked)
            .Select(e => (Key: (((FillBooked)e.Event).Fill.ClientOrderId.Value, ((FillBooked)e.Event).Fill.TradeId), e.SequenceNr)).ToList();
        // Each symbol's orders have their own stream, listed in the order manager's index.
        var entities = (await Events(OrderManager.Id)).Select(e => e.Event).OfType<OrdersProtocol.OrderEntityStarted>()
            .Select(e => OrderEntity.PersistenceIdOf(e.Symbol)).ToList();
        var filled = new List<((string, string) Key, long SequenceNr)>();
        foreach (var entity in entities)
            filled.AddRange((await Events(entity)).Where(e => e.Event is OrderFilled)
                .Select(e => (Key: (((OrderFilled)e.Event).Fill.ClientOrderId.Value, ((OrderFilled)e.Event).Fill.TradeId), e.SequenceNr)));
        await system.Terminate();
        return new Journal(booked, filled);
    }

    private string Logs() =>
        Directory.Exists(Path.Combine(_dir, ".hean", "logs"))
            ? string.Join("\n", Directory.GetFiles(Path.Combine(_dir, ".hean", "logs")).Select(f =>
            {
                using var stream = new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                return new StreamReader(stream).ReadToEnd();
            }))
            : "";

    private static long FeedEvents(JsonElement state) =>
        state.TryGetProperty("feed", out var f) && f.ValueKind == JsonValueKind.Object ? f.GetProperty("events").GetInt64() : -1;

    private static readonly string[] Persistent = ["portfolio", "orders", "risk", "execution"];

    private static string? Component(Health h, string name) =>
        JsonDocument.Parse(h.Body).RootElement.GetProperty("components").TryGetProperty(name, out var c) ? c.GetProperty("status").GetString() : null;

    private sealed record Health(string Status, string Body);

    private static async Task<Health> WaitForHealthAsync(string url, Func<Health, bool> condition, TimeSpan timeout)
    {
        var sw = Stopwatch.StartNew();
        Health last = new("none", "");
        while (sw.Elapsed < timeout)
        {
            try
            {
                using var response = await Api.Http.GetAsync(url + "/health");
                var body = await response.Content.ReadAsStringAsync();
                last = new Health(JsonDocument.Parse(body).RootElement.GetProperty("status").GetString()!, body);
                if (condition(last)) return last;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
            }
            await Task.Delay(500);
        }
        throw new TimeoutException($"health condition not met in {timeout}; last: {last.Body}");
    }

    internal static void Missing(string what, Exception e)
    {
        var message = $"{what} is not reachable: {e.Message}. Start the test servers with `scripts/services.sh start`; HEAN_TEST_ALLOW_MISSING_SERVICES=1 skips instead.";
        if (Environment.GetEnvironmentVariable("HEAN_TEST_ALLOW_MISSING_SERVICES") == "1") throw new SkipException(message);
        throw new InvalidOperationException(message);
    }
}
