using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace Hean.FakeBybit;

/// <summary>One WebSocket client of the fake: its subscriptions (guarded by the venue's lock) and an outbound queue.</summary>
internal sealed class FakeWsConnection(WebSocket socket, bool isPrivate, string connId)
{
    private readonly Channel<string> _outbound = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });

    public string ConnId { get; } = connId;
    public bool IsPrivate { get; } = isPrivate;
    public bool Authenticated { get; set; }
    public HashSet<string> Topics { get; } = [];

    public void Enqueue(string json) => _outbound.Writer.TryWrite(json);

    public void Complete() => _outbound.Writer.TryComplete();

    public void Abort() => socket.Abort();

    public async Task WriteLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var json in _outbound.Reader.ReadAllAsync(ct))
                await socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, ct);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The client went away; the read loop notices too.
        }
    }
}
