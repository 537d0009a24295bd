using System.Text.RegularExpressions;
using Npgsql;
using StackExchange.Redis;
using Xunit;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;

namespace Hean.Host.Tests;

/// <summary>
/// No Docker engine runs here, so docker-compose.yml is read and its HEAN service is run for real: every service has a
/// health check, HEAN waits for healthy stores, and HEAN's environment, exactly as compose gives it (with a .env, the
/// service names pointed at this machine's redis-server and PostgreSQL), trades with its journal and event bus in Redis
/// and its history in PostgreSQL.
/// </summary>
public sealed class ComposeStackTests(ITestOutputHelper output) : IAsyncDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hean-compose-").FullName;
    private string? _database;
    private static readonly string PostgresAdmin = Loopback.PostgresAdmin;

    public async ValueTask DisposeAsync()
    {
        if (_database is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await Loopback.ExecuteAsync(PostgresAdmin, $"DROP DATABASE IF EXISTS {_database} WITH (FORCE)");
        }
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { /* temp */ }
    }

    private static YamlMappingNode Services()
    {
        var yaml = new YamlStream();
        yaml.Load(new StringReader(File.ReadAllText(Path.Combine(RepoPaths.Root, "docker-compose.yml"))));
        return (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["services"];
    }

    [Fact]
    public void Every_service_has_a_health_check_and_hean_waits_for_healthy_stores()
    {
        var services = Services();
        Assert.Equal(["hean", "redis", "postgres", "prometheus", "alertmanager", "grafana"],
            services.Children.Keys.Select(k => ((YamlScalarNode)k).Value!).ToList());
        foreach (var (name, node) in services.Children)
        {
            var service = (YamlMappingNode)node;
            Assert.True(service.Children.ContainsKey("healthcheck"), $"{name} has no healthcheck");
            var test = (YamlSequenceNode)((YamlMappingNode)service["healthcheck"])["test"];
            Assert.True(test.Children.Count >= 2, $"{name}'s health check runs nothing");
        }
        var dependsOn = (YamlMappingNode)((YamlMappingNode)services["hean"])["depends_on"];
        foreach (var store in new[] { "redis", "postgres" })
            Assert.Equal("service_healthy", ((YamlScalarNode)((YamlMappingNode)dependsOn[store])["condition"]).Value);
        Assert.Contains("prometheus-data:/prometheus", ((YamlSequenceNode)((YamlMappingNode)services["prometheus"])["volumes"]).Children.Select(v => v.ToString()));
    }

    /// <summary>The hean service's environment as compose resolves it from <paramref name="dotEnv"/>.</summary>
    private static Dictionary<string, string> HeanEnvironment(IReadOnlyDictionary<string, string> dotEnv)
    {
        var environment = (YamlMappingNode)((YamlMappingNode)Services()["hean"])["environment"];
        return environment.Children.ToDictionary(kv => ((YamlScalarNode)kv.Key).Value!, kv => Regex.Replace(((YamlScalarNode)kv.Value).Value!,
            @"\$\{(\w+)(?::[?-][^}]*)?\}", m => dotEnv.TryGetValue(m.Groups[1].Value, out var v) ? v : ""));
    }

    [SkippableFact]
    public async Task Hean_as_compose_configures_it_journals_in_redis_publishes_on_the_bus_and_keeps_history_in_postgres()
    {
        const string redisPassword = "composeRedis0123456789", postgresPassword = "composePg0123456789";
        var env = HeanEnvironment(new Dictionary<string, string>
        {
            ["HEAN_TOKEN"] = Api.TestToken, ["REDIS_PASSWORD"] = redisPassword, ["POSTGRES_PASSWORD"] = postgresPassword, ["GRAFANA_ADMIN_PASSWORD"] = "x",
        });
        Assert.Equal("redis", env["HEAN_PERSISTENCE"]);
        Assert.Equal("json", env["LOG_FORMAT"]);

        // This machine's servers stand in for the compose services "redis" and "postgres".
        await using var redis = await RedisServer.StartAsync(Path.Combine(_dir, "redis"), redisPassword);
        try
        {
            await Loopback.ExecuteAsync(PostgresAdmin, "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'hean') THEN CREATE ROLE hean LOGIN; END IF; END $$");
            _database = "hean_compose_" + Guid.NewGuid().ToString("N");
            await Loopback.ExecuteAsync(PostgresAdmin, $"CREATE DATABASE {_database} OWNER hean");
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException)
        {
            _database = null;
            PersistenceCrashTests.Missing("PostgreSQL (HEAN_TEST_POSTGRES)", e);
        }
        var pg = new NpgsqlConnectionStringBuilder(PostgresAdmin);
        foreach (var key in new[] { "HEAN_REDIS", "HEAN_EVENTS_REDIS" }) env[key] = env[key].Replace("redis:6379", redis.Address);
        env["HEAN_POSTGRES"] = env["HEAN_POSTGRES"].Replace("Host=postgres;Port=5432", $"Host={pg.Host};Port={pg.Port}").Replace("Database=hean", "Database=" + _database);
        (env["HEAN_HTTP_HOST"], env["HEAN_HTTP_PORT"], env["HEAN_DATA_DIR"]) = ("127.0.0.1", "0", Path.Combine(_dir, "data", ".hean"));

        long fills;
        await using (var node = HeanProcess.Start(_dir, env, "run", "--speed", "60", "--seed", "9"))
        {
            var address = await AddressFromJsonLog(node, TimeSpan.FromSeconds(90));
            var state = await Api.WaitForStateAsync(address, s => s.GetProperty("portfolio").GetProperty("fills").GetInt64() >= 2, TimeSpan.FromSeconds(150));
            fills = state.GetProperty("portfolio").GetProperty("fills").GetInt64();
            await Task.Delay(TimeSpan.FromSeconds(3)); // the projection and the bus follow
            node.Terminate();
            await node.WaitForExitAsync(TimeSpan.FromSeconds(60));
            Assert.True(node.ExitCode == 0, node.StdErr);
            Assert.DoesNotContain(redisPassword, node.StdOut);
            Assert.DoesNotContain(postgresPassword, node.StdOut);
        }

        await using var connection = await ConnectionMultiplexer.ConnectAsync(redis.Address + ",password=" + redisPassword + ",allowAdmin=true");
        var server = connection.GetServer(redis.Address);
        var journal = server.Keys(0, "*").Select(k => k.ToString()).ToList();
        var events = server.Keys(1, "*").Select(k => k.ToString()).ToList();
        output.WriteLine($"{fills} fills; redis db0: {journal.Count} keys, db1: {string.Join(", ", events.Order())}");
        Assert.Contains(journal, k => k.Contains("orders", StringComparison.Ordinal));
        Assert.Contains("hean:events:ORDER_FILLED", events);

        await using var history = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(env["HEAN_POSTGRES"]) { Password = null }.ConnectionString);
        await history.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM hean_history_fills", history);
        Assert.True((long)(await count.ExecuteScalarAsync())! >= fills, "the history in PostgreSQL misses fills");
        Assert.False(File.Exists(Path.Combine(_dir, "data", ".hean", "journal.db")), "nothing journalled in SQLite");
    }

    /// <summary>With LOG_FORMAT=json the address line is a log event on stdout.</summary>
    private static async Task<string> AddressFromJsonLog(HeanProcess node, TimeSpan timeout)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (sw.Elapsed < timeout && !node.HasExited)
        {
            if (Regex.Match(node.StdOut, @"""RenderedMessage"":""health (http://127\.0\.0\.1:\d+)/health") is { Success: true } m) return m.Groups[1].Value;
            await Task.Delay(200);
        }
        throw new TimeoutException("no address line\n" + node.StdOut + node.StdErr);
    }
}
