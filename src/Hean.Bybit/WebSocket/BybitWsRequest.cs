using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Hean.Bybit.WebSocket;

/// <summary>
/// A request sent to a Bybit WebSocket: <c>{"req_id":…,"op":…,"args":[…]}</c>. Builders for the client, and a
/// parser for servers (the fake). Scalar args are kept as text (a number's raw text), objects as raw JSON.
/// </summary>
public sealed record BybitWsRequest(string Op, string? ReqId, IReadOnlyList<string> Args)
{
    public static string Subscribe(string reqId, IEnumerable<string> topics) => Write(reqId, "subscribe", w => { foreach (var t in topics) w.WriteStringValue(t); });

    public static string Unsubscribe(string reqId, IEnumerable<string> topics) => Write(reqId, "unsubscribe", w => { foreach (var t in topics) w.WriteStringValue(t); });

    public static string Ping(string reqId) => Write(reqId, "ping", null);

    /// <summary>The auth op: args = [apiKey, expires (a number, Unix ms), signature].</summary>
    public static string Auth(string reqId, string apiKey, long expiresMs, string signature) => Write(reqId, "auth", w =>
    {
        w.WriteStringValue(apiKey);
        w.WriteNumberValue(expiresMs);
        w.WriteStringValue(signature);
    });

    public static bool TryParse(string text, out BybitWsRequest? request, out string error)
    {
        request = null;
        try
        {
            using var doc = JsonDocument.Parse(text, new JsonDocumentOptions { MaxDepth = 8 });
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("op", out var op) || op.ValueKind != JsonValueKind.String)
            {
                error = "a request needs a string 'op'";
                return false;
            }
            string? reqId = null;
            if (root.TryGetProperty("req_id", out var r) || root.TryGetProperty("reqId", out r))
                reqId = r.ValueKind == JsonValueKind.String ? r.GetString() : r.GetRawText();
            var args = new List<string>();
            if (root.TryGetProperty("args", out var a))
            {
                if (a.ValueKind != JsonValueKind.Array)
                {
                    error = "'args' must be an array";
                    return false;
                }
                foreach (var e in a.EnumerateArray())
                    args.Add(e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText());
            }
            request = new BybitWsRequest(op.GetString()!, reqId, args);
            error = "";
            return true;
        }
        catch (JsonException e)
        {
            error = $"not JSON: {e.Message}";
            return false;
        }
    }

    private static string Write(string reqId, string op, Action<Utf8JsonWriter>? args)
    {
        var buffer = new ArrayBufferWriter<byte>(128);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("req_id", reqId);
            w.WriteString("op", op);
            if (args is not null)
            {
                w.WriteStartArray("args");
                args(w);
                w.WriteEndArray();
            }
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public override string ToString() => $"{Op}({string.Join(", ", Args)}) req {ReqId?.ToString(CultureInfo.InvariantCulture)}";
}
