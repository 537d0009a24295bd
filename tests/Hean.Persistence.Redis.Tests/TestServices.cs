using Npgsql;
using StackExchange.Redis;
using Xunit;

namespace Hean.Persistence.Redis.Tests;

/// <summary>
/// The real servers the tests run against (scripts/services.sh starts them; test.sh calls it).
/// An unreachable server fails the test with a message saying how to start it, unless
/// HEAN_TEST_ALLOW_MISSING_SERVICES=1, which skips instead.
/// </summary>
internal static class TestServices
{
    public static readonly string Redis = Env("HEAN_TEST_REDIS", "127.0.0.1:6390");
    public static readonly string RedisCluster = Env("HEAN_TEST_REDIS_CLUSTER", "127.0.0.1:6391");
    public static readonly string Postgres = Env("HEAN_TEST_POSTGRES", "Host=127.0.0.1;Port=5440;Username=postgres;Database=postgres");

    private static readonly Lazy<string?> RedisProblem = new(() => ProbeRedis(Redis, cluster: false));
    private static readonly Lazy<string?> RedisClusterProblem = new(() => ProbeRedis(RedisCluster, cluster: true));
    private static readonly Lazy<string?> PostgresProblem = new(ProbePostgres);

    public static string RequireRedis() => Require("Redis", Redis, "HEAN_TEST_REDIS", RedisProblem.Value);

    public static string RequireRedisCluster() => Require("Redis Cluster", RedisCluster, "HEAN_TEST_REDIS_CLUSTER", RedisClusterProblem.Value);

    public static string RequirePostgres() => Require("PostgreSQL", Postgres, "HEAN_TEST_POSTGRES", PostgresProblem.Value);

    private static string Require(string what, string address, string setting, string? problem)
    {
        if (problem is null) return address;
        var message = $"{what} is not reachable at {address}: {problem}. Start the test servers with `scripts/services.sh start` " +
                      $"(./test.sh does it) or point {setting} at one; HEAN_TEST_ALLOW_MISSING_SERVICES=1 skips these tests instead.";
        if (Environment.GetEnvironmentVariable("HEAN_TEST_ALLOW_MISSING_SERVICES") == "1") throw new SkipException(message);
        throw new InvalidOperationException(message);
    }

    private static string Env(string name, string fallback) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : fallback;

    /// <summary>
    /// Nothing listening fails at once; a server that is there but slow to answer (a loaded CI machine while the
    /// test runner starts its first tests in parallel) gets three tries of 5 s before every test that needs it is failed.
    /// </summary>
    private static string? Probe(System.Net.IPEndPoint? endpoint, Func<string?> once, Func<Exception, bool> expected)
    {
        if (NothingListening(endpoint) is { } refused) return refused;
        string? problem = null;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            try
            {
                return once();
            }
            catch (Exception e) when (expected(e))
            {
                problem = $"{e.Message} (after {attempt} tries)";
            }
        }
        return problem;
    }

    private static string? ProbeRedis(string address, bool cluster) =>
        Probe(ConfigurationOptions.Parse(address).EndPoints.FirstOrDefault() as System.Net.IPEndPoint, () =>
        {
            var options = ConfigurationOptions.Parse(address);
            options.ConnectTimeout = 5000;
            options.SyncTimeout = 5000;
            options.AbortOnConnectFail = true;
            using var connection = ConnectionMultiplexer.Connect(options);
            connection.GetDatabase().Ping();
            var isCluster = connection.GetServers().Any(s => s.ServerType == ServerType.Cluster);
            return isCluster == cluster ? null : cluster ? "the server is not in cluster mode" : "the server is in cluster mode";
        }, e => e is RedisException or TimeoutException);

    private static string? ProbePostgres()
    {
        var settings = new NpgsqlConnectionStringBuilder(Postgres);
        var endpoint = System.Net.IPAddress.TryParse(settings.Host, out var ip) ? new System.Net.IPEndPoint(ip, settings.Port) : null;
        return Probe(endpoint, () =>
        {
            using var connection = new NpgsqlConnection(Postgres + ";Timeout=5;Pooling=false");
            connection.Open();
            return null;
        }, e => e is NpgsqlException or TimeoutException or System.Net.Sockets.SocketException);
    }

    /// <summary>Why a numeric address refuses connections (nothing listens), or null: reachable, or a host name left to the client.</summary>
    private static string? NothingListening(System.Net.IPEndPoint? endpoint)
    {
        if (endpoint is null) return null;
        try
        {
            using var socket = new System.Net.Sockets.Socket(endpoint.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
            socket.Connect(endpoint);
            return null;
        }
        catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode == System.Net.Sockets.SocketError.ConnectionRefused)
        {
            return $"nothing is listening ({e.Message})";
        }
        catch (System.Net.Sockets.SocketException)
        {
            return null; // anything else: let the client's own tries say what is wrong
        }
    }
}
