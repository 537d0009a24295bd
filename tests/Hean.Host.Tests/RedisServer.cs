using System.Diagnostics;
using StackExchange.Redis;

namespace Hean.Host.Tests;

/// <summary>A redis-server of this test's own on a free loopback port, every write fsynced to its AOF, killable and restartable.</summary>
internal sealed class RedisServer : IAsyncDisposable
{
    private readonly string _dir;
    private readonly int _port;
    private Process? _process;

    private readonly string? _password;

    private RedisServer(string dir, int port, string? password) => (_dir, _port, _password) = (dir, port, password);

    public string Address => $"127.0.0.1:{_port}";

    /// <param name="password">requirepass: clients must AUTH with it</param>
    public static async Task<RedisServer> StartAsync(string dir, string? password = null)
    {
        Directory.CreateDirectory(dir);
        var server = new RedisServer(dir, Loopback.FreePort(), password);
        await server.RestartAsync();
        return server;
    }

    public async Task RestartAsync()
    {
        var psi = new ProcessStartInfo("redis-server") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "--port", _port.ToString(), "--bind", "127.0.0.1", "--dir", _dir, "--appendonly", "yes", "--appendfsync", "always", "--save", "" })
            psi.ArgumentList.Add(a);
        if (_password is not null) foreach (var a in new[] { "--requirepass", _password }) psi.ArgumentList.Add(a);
        try
        {
            _process = Process.Start(psi)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            PersistenceCrashTests.Missing("redis-server (not installed)", e);
        }
        _process!.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        var sw = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                await using var c = await ConnectionMultiplexer.ConnectAsync(Address + ",connectTimeout=500" + (_password is null ? "" : ",password=" + _password));
                await c.GetDatabase().PingAsync();
                return;
            }
            catch (RedisConnectionException) when (sw.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(100);
            }
        }
    }

    /// <summary>SIGKILL: Redis gone at once; the AOF holds every acknowledged write.</summary>
    public void Kill()
    {
        if (_process is null || _process.HasExited) return;
        _process.Kill();
        _process.WaitForExit();
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _process?.Dispose();
        return ValueTask.CompletedTask;
    }
}
