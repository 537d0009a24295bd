using System.Net;
using Xunit;

namespace Hean.Host.Tests;

/// <summary>What the operator commands say when the node answers but cannot serve yet.</summary>
public sealed class NodeClientTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hean-client-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { /* temp */ }
    }

    [Fact]
    public async Task A_node_that_is_still_starting_is_named_as_such_not_shown_as_raw_json()
    {
        var port = Loopback.FreePort();
        using var node = new HttpListener();
        node.Prefixes.Add($"http://127.0.0.1:{port}/");
        node.Start();
        var answering = Task.Run(async () =>
        {
            var ctx = await node.GetContextAsync();
            ctx.Response.StatusCode = 503;
            await using (var w = new StreamWriter(ctx.Response.OutputStream)) await w.WriteAsync("{\"status\":\"starting\"}");
            ctx.Response.Close();
        });

        var (code, _, err) = await HeanProcess.RunAsync(_dir, new Dictionary<string, string> { ["HEAN_TOKEN"] = Api.TestToken },
            TimeSpan.FromSeconds(30), "state", "--url", $"http://127.0.0.1:{port}");
        await answering;
        Assert.Equal(1, code);
        Assert.Contains("error: the node is still starting", err);
        Assert.Contains("try again in a few seconds", err);
    }
}
