using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using Hean.Bybit;
using Hean.Bybit.Signing;
using Hean.Bybit.WebSocket;
using Microsoft.AspNetCore.Http;

namespace Hean.FakeBybit;

/// <summary>The fake's WebSocket endpoints: public (subscribe, ping) and private (auth, then subscribe).</summary>
internal sealed class FakeWebSocketEndpoint(FakeVenue venue, Faults faults, FakeBybitOptions options)
{
    private const int MaxRequestBytes = 64 * 1024;
    private readonly BybitSigner _signer = new(new BybitCredentials(options.ApiKey, options.ApiSecret));
    private long _connSeq;

    public async Task HandleAsync(HttpContext ctx, bool isPrivate)
    {
        if (!ctx.WebSockets.IsWebSocketRequest)
        {
            ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        using var socket = await ctx.WebSockets.AcceptWebSocketAsync();
        var connection = new FakeWsConnection(socket, isPrivate, $"fake-conn-{Interlocked.Increment(ref _connSeq)}");
        venue.Register(connection);
        var ct = ctx.RequestAborted;
        var writer = connection.WriteLoopAsync(ct);
        try
        {
            var buffer = new byte[MaxRequestBytes];
            while (socket.State == WebSocketState.Open)
            {
                var length = 0;
                ValueWebSocketReceiveResult r;
                do
                {
                    if (length == buffer.Length) throw new WebSocketException("request too large");
                    r = await socket.ReceiveAsync(buffer.AsMemory(length), ct);
                    length += r.Count;
                } while (!r.EndOfMessage && r.MessageType != WebSocketMessageType.Close);
                if (r.MessageType == WebSocketMessageType.Close) break;
                Handle(connection, Encoding.UTF8.GetString(buffer, 0, length));
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException)
        {
            // Dropped by the client or by the drop-connections fault.
        }
        finally
        {
            venue.Unregister(connection);
            connection.Complete();
            await writer;
        }
    }

    private void Handle(FakeWsConnection c, string text)
    {
        if (!BybitWsRequest.TryParse(text, out var request, out var error))
        {
            c.Enqueue(FakeVenue.OpAck("", false, $"invalid request: {error}", null, c.ConnId));
            return;
        }
        switch (request!.Op)
        {
            case "ping":
                if (faults.IgnorePings) break;
                c.Enqueue(c.IsPrivate ? PrivatePong(request.ReqId, c.ConnId) : FakeVenue.OpAck("ping", true, "pong", request.ReqId, c.ConnId));
                break;
            case "auth" when c.IsPrivate:
                var (ok, code, message) = CheckAuth(request.Args);
                c.Authenticated = ok;
                c.Enqueue(V5Json.Write(w =>
                {
                    w.WriteStartObject();
                    w.WriteString("op", "auth");
                    w.WriteBoolean("success", ok);
                    w.WriteNumber("retCode", code);
                    w.WriteString("retMsg", message);
                    w.WriteString("connId", c.ConnId);
                    w.WriteEndObject();
                }));
                break;
            case "subscribe":
                venue.Subscribe(c, request.ReqId, request.Args);
                break;
            case "unsubscribe":
                venue.Unsubscribe(c, request.ReqId, request.Args);
                break;
            default:
                c.Enqueue(FakeVenue.OpAck(request.Op, false, $"unsupported op '{request.Op}'", request.ReqId, c.ConnId));
                break;
        }
    }

    private (bool Ok, int Code, string Message) CheckAuth(IReadOnlyList<string> args)
    {
        if (args.Count != 3 || !long.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out var expires))
            return (false, 10001, "auth needs [apiKey, expires, signature]");
        if (args[0] != options.ApiKey) return (false, 10003, "Invalid apikey");
        if (expires <= V5Json.Ms(venue.Now)) return (false, 10002, "Params Error: auth expired");
        if (faults.RejectSignatures || !BybitSigner.SignaturesEqual(_signer.SignWebSocketAuth(expires), args[2]))
            return (false, 10004, $"error sign! origin_string[GET/realtime{expires}]");
        return (true, 0, "");
    }

    private static string PrivatePong(string? reqId, string connId) => V5Json.Write(w =>
    {
        w.WriteStartObject();
        if (reqId is not null) w.WriteString("req_id", reqId);
        w.WriteString("op", "pong");
        w.WriteStartArray("args");
        w.WriteStringValue(V5Json.Ms(DateTime.UtcNow).ToString(CultureInfo.InvariantCulture));
        w.WriteEndArray();
        w.WriteString("conn_id", connId);
        w.WriteEndObject();
    });
}
