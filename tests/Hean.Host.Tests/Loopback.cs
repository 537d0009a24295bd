using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Hean.Host.Tests;

/// <summary>Loopback helpers of the host tests: a free port, and the test PostgreSQL (scripts/services.sh).</summary>
internal static class Loopback
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The test PostgreSQL's admin connection (HEAN_TEST_POSTGRES, else the port scripts/services.sh uses).</summary>
    public static string PostgresAdmin =>
        Environment.GetEnvironmentVariable("HEAN_TEST_POSTGRES") is { Length: > 0 } pg ? pg : "Host=127.0.0.1;Port=5440;Username=postgres;Database=postgres";

    public static async Task ExecuteAsync(string connection, string sql)
    {
        await using var c = new NpgsqlConnection(connection + ";Timeout=3");
        await c.OpenAsync();
        await using var cmd = new NpgsqlCommand(sql, c);
        await cmd.ExecuteNonQueryAsync();
    }
}

/// <summary>A loopback HTTP server that answers 200 to everything and keeps every request's path and body.</summary>
internal sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener = new();
    private readonly List<(string Path, string Body)> _requests = [];
    private readonly Task _loop;

    public LoopbackReceiver()
    {
        Port = Loopback.FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext ctx;
                try { ctx = await _listener.GetContextAsync(); }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException) { return; }
                using (var reader = new StreamReader(ctx.Request.InputStream)) lock (_requests) _requests.Add((ctx.Request.Url!.AbsolutePath, reader.ReadToEnd()));
                ctx.Response.StatusCode = 200;
                ctx.Response.Close();
            }
        });
    }

    public int Port { get; }

    public List<(string Path, string Body)> Requests()
    {
        lock (_requests) return _requests.ToList();
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        await _loop;
        _listener.Close();
    }
}
