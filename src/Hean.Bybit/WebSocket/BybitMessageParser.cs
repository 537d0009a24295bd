using System.Text;
using System.Text.Json;
using Hean.Bybit.Json;
using Hean.Bybit.Rest.Models;

namespace Hean.Bybit.WebSocket;

/// <summary>
/// Turns one WebSocket text message into a typed <see cref="BybitMessage"/>. Never throws: anything it cannot
/// understand — not JSON, too deep, wrong types, numbers out of range, a symbol that does not match its topic, an
/// unknown topic — becomes a <see cref="BybitMalformed"/> and is counted. Messages are checked for meaning as well as
/// shape: prices positive and within the domain limits, sizes and open interest not negative, executed quantities
/// within their order, book levels within the topic's depth, times between 2000 and 2100. A refusal is counted by kind
/// (the topic's first part, <c>op</c>, <c>trade-response</c>) and raised as <see cref="Rejected"/>, so the host can
/// count it in a metric and log the first of each kind; the stream goes on. Thread-safe (only the counters are shared).
/// </summary>
public sealed class BybitMessageParser
{
    /// <summary>The kinds a refusal is counted under: the data topics, the op answers, and what could not be told.</summary>
    public static readonly IReadOnlyList<string> Kinds =
        ["orderbook", "publicTrade", "kline", "tickers", "allLiquidation", "order", "execution", "position", "wallet", "op", "trade-response",
         "unknown", "unreadable", "oversized", "symbol"];

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, long> _byKind = new();

    /// <summary>Messages longer than this are refused without parsing (the largest real book snapshot is ~40 KB).</summary>
    public const int MaxMessageBytes = 4 * 1024 * 1024;

    private long _parsed;
    private long _malformed;
    private string? _lastMalformedReason;

    public long ParsedCount => Interlocked.Read(ref _parsed);
    public long MalformedCount => Interlocked.Read(ref _malformed);
    public string? LastMalformedReason => Volatile.Read(ref _lastMalformedReason);

    /// <summary>Refusals so far by kind.</summary>
    public IReadOnlyDictionary<string, long> MalformedByKind => new Dictionary<string, long>(_byKind);

    /// <summary>Raised on every refusal, on the thread that parsed; must not throw.</summary>
    public event Action<BybitRejection>? Rejected;

    public BybitMessage Parse(string text) =>
        text is null ? Malformed("null message")
        : text.Length > MaxMessageBytes ? Malformed($"message of {text.Length} characters is too long")
        : Parse(Encoding.UTF8.GetBytes(text));

    public BybitMessage Parse(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxMessageBytes) return Malformed($"message of {utf8.Length} bytes is too long", "oversized");
        var kind = "unreadable";
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = BybitJson.DocumentOptions.MaxDepth });
            using var doc = JsonDocument.ParseValue(ref reader);
            if (reader.Read()) return Malformed("trailing data after the JSON value", kind);
            kind = KindOf(doc.RootElement);
            var message = Interpret(doc.RootElement);
            Interlocked.Increment(ref _parsed);
            return message;
        }
        catch (JsonException e)
        {
            return Malformed($"not JSON: {e.Message}", kind);
        }
        catch (BybitFormatException e)
        {
            return Malformed(e.Message, kind);
        }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException or InvalidOperationException
                                      or IndexOutOfRangeException or KeyNotFoundException)
        {
            return Malformed($"{e.GetType().Name}: {e.Message}", kind);
        }
    }

    /// <summary>Counts a message that was refused (here, or by a reader after parsing: <paramref name="kind"/> says which kind).</summary>
    public BybitMalformed Malformed(string reason, string kind = "unreadable")
    {
        Interlocked.Increment(ref _malformed);
        Volatile.Write(ref _lastMalformedReason, reason);
        var count = _byKind.AddOrUpdate(kind, 1, (_, n) => n + 1);
        Rejected?.Invoke(new BybitRejection(kind, reason, count));
        return new BybitMalformed(reason, kind);
    }

    /// <summary>The kind a message is counted under, told before its body is read.</summary>
    private static string KindOf(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) return "unknown";
        if (root.TryGetProperty("topic", out var t))
        {
            if (t.ValueKind != JsonValueKind.String) return "unknown";
            var topic = t.GetString()!;
            var dot = topic.IndexOf('.');
            var first = dot < 0 ? topic : topic[..dot];
            foreach (var k in Kinds)
                if (k == first) return k;
            return "unknown";
        }
        if (root.TryGetProperty("op", out var op) && op.ValueKind == JsonValueKind.String)
            return op.GetString()!.StartsWith("order.", StringComparison.Ordinal) ? "trade-response" : "op";
        return root.TryGetProperty("type", out _) ? "op" : "unknown";
    }

    private static BybitMessage Interpret(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object) throw new BybitFormatException($"a message must be an object, got {root.ValueKind}");
        if (root.OptProp("topic") is { } topicElement)
        {
            if (topicElement.ValueKind != JsonValueKind.String) throw new BybitFormatException("'topic' must be a string");
            return Data(topicElement.GetString()!, root);
        }
        if (root.Has("op")) return Op(root.Str("op"), root);
        if (root.StrOrEmpty("type") == "COMMAND_RESP") return Op("subscribe", root);
        throw new BybitFormatException("neither a topic nor an op");
    }

    private static BybitMessage Data(string topic, JsonElement root)
    {
        var parts = topic.Split('.');
        switch (parts)
        {
            case ["orderbook", var depth, var symbol]:
                return OrderBook(root, ParseDepth(depth), symbol);
            case ["publicTrade", var symbol]:
            {
                var trades = Rows(root.Array("data"), BybitPublicTrade.FromStream);
                SameSymbol(symbol, trades.Select(t => t.Symbol));
                return new BybitPublicTradesMessage(symbol, root.Time("ts"), trades);
            }
            case ["kline", var interval, var symbol]:
            {
                BybitInterval.Parse(interval);
                var klines = Rows(root.Array("data"), BybitKline.FromStream);
                return new BybitKlineMessage(BybitJson.CheckSymbol(symbol, "topic symbol"), interval, root.Time("ts"), klines);
            }
            case ["tickers", var symbol]:
            {
                var ticker = BybitTicker.FromJson(root.Object("data"));
                SameSymbol(symbol, [ticker.Symbol]);
                return new BybitTickerMessage(symbol, TypeIsSnapshot(root, defaultSnapshot: true), root.Time("ts"), ticker);
            }
            case ["allLiquidation", var symbol]:
            {
                var rows = Rows(root.Array("data"), BybitLiquidation.FromStream);
                SameSymbol(symbol, rows.Select(r => r.Symbol));
                return new BybitLiquidationMessage(symbol, root.Time("ts"), rows);
            }
            case ["order"]:
                return new BybitOrderUpdateMessage(root.Time("creationTime"), Rows(root.Array("data"), e => BybitOrder.FromJson(e)));
            case ["execution"]:
                return new BybitExecutionMessage(root.Time("creationTime"), false, Rows(root.Array("data"), e => BybitExecution.FromJson(e)));
            case ["execution", "fast"]:
                return new BybitExecutionMessage(root.Time("creationTime"), true, Rows(root.Array("data"), e => BybitExecution.FromJson(e)));
            case ["position"]:
                return new BybitPositionMessage(root.Time("creationTime"), Rows(root.Array("data"), e => BybitPosition.FromJson(e)));
            case ["wallet"]:
                return new BybitWalletMessage(root.Time("creationTime"), Rows(root.Array("data"), BybitWalletAccount.FromJson));
            default:
                throw new BybitFormatException($"unknown topic '{(topic.Length > 60 ? topic[..60] : topic)}'");
        }
    }

    private static BybitOrderBookMessage OrderBook(JsonElement root, int depth, string topicSymbol)
    {
        var data = root.Object("data");
        var symbol = data.SymbolName("s");
        SameSymbol(topicSymbol, [symbol]);
        var updateId = data.Long("u");
        if (updateId <= 0) throw new BybitFormatException($"update id must be positive, got {updateId}");
        var time = root.OptTime("cts") ?? root.Time("ts");
        // "Occasionally, you'll receive u=1, which is a snapshot data due to the restart of the service. So please
        // overwrite the locally saved orderbook" (https://bybit-exchange.github.io/docs/v5/websocket/public/orderbook):
        // whatever its type says, u=1 replaces the book, or every later delta would be dropped as stale.
        var snapshot = TypeIsSnapshot(root, defaultSnapshot: false) || updateId == 1;
        var (bids, asks) = (data.Levels("b"), data.Levels("a"));
        // A snapshot holds at most the topic's depth per side; a delta at most twice that (every level removed and replaced).
        var most = snapshot ? depth : 2 * depth;
        if (bids.Length > most || asks.Length > most)
            throw new BybitFormatException($"{(snapshot ? "snapshot" : "delta")} of orderbook.{depth} with {bids.Length} bids and {asks.Length} asks (at most {most} a side)");
        return new BybitOrderBookMessage(symbol, depth, snapshot, updateId, data.OptLong("seq") ?? 0, time, bids, asks);
    }

    private static BybitMessage Op(string op, JsonElement root)
    {
        var reqId = root.OptProp("req_id") ?? root.OptProp("reqId");
        var reqIdText = reqId is { } r ? r.ValueKind == JsonValueKind.String ? r.GetString() : r.GetRawText() : null;
        if (op.StartsWith("order.", StringComparison.Ordinal))
        {
            var data = root.OptProp("data");
            int? remaining = root.OptProp("header") is { ValueKind: JsonValueKind.Object } h && h.OptLong("X-Bapi-Limit-Status") is { } n
                ? (int)Math.Clamp(n, 0, int.MaxValue)
                : null;
            return new BybitTradeResponse(op, reqIdText, root.Int("retCode"), root.StrOrEmpty("retMsg"),
                data is { ValueKind: JsonValueKind.Object } d1 ? d1.StrOrEmpty("orderId") : null,
                data is { ValueKind: JsonValueKind.Object } d2 ? d2.StrOrEmpty("orderLinkId") : null,
                remaining);
        }
        if (op is not ("auth" or "subscribe" or "unsubscribe" or "ping" or "pong"))
            throw new BybitFormatException($"unknown op '{(op.Length > 30 ? op[..30] : op)}'");

        var success = root.OptBool("success");
        var retCode = root.Has("retCode") ? root.Int("retCode") : (int?)null;
        if (success is null && retCode is null && op != "pong")
            throw new BybitFormatException($"'{op}' response without success or retCode");
        var ok = success ?? (retCode is null or 0);
        var message = root.Has("ret_msg") ? root.Str("ret_msg") : root.StrOrEmpty("retMsg");
        var connId = root.Has("conn_id") ? root.Str("conn_id") : root.Has("connId") ? root.Str("connId") : null;
        var failed = root.OptProp("data") is { ValueKind: JsonValueKind.Object } resp && resp.OptProp("failTopics") is { } ft
            ? Rows(ft, e => e.ValueKind == JsonValueKind.String ? e.GetString()! : throw new BybitFormatException("failTopics must be strings"))
            : (IReadOnlyList<string>)[];
        return new BybitOpResponse(op, ok && failed.Count == 0, retCode ?? (ok ? 0 : -1), message, reqIdText, connId, failed);
    }

    private static int ParseDepth(string s) =>
        int.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var d) && d is > 0 and <= 1000
            ? d
            : throw new BybitFormatException($"bad order-book depth '{(s.Length > 10 ? s[..10] : s)}'");

    private static bool TypeIsSnapshot(JsonElement root, bool defaultSnapshot) => root.StrOrEmpty("type") switch
    {
        "snapshot" => true,
        "delta" => false,
        "" => defaultSnapshot,
        var t => throw new BybitFormatException($"unknown message type '{(t.Length > 20 ? t[..20] : t)}'"),
    };

    private static void SameSymbol(string topicSymbol, IEnumerable<string> symbols)
    {
        BybitJson.CheckSymbol(topicSymbol, "topic symbol");
        foreach (var s in symbols)
            if (s != topicSymbol) throw new BybitFormatException($"symbol {s} in a message of topic symbol {topicSymbol}");
    }

    private static IReadOnlyList<T> Rows<T>(JsonElement array, Func<JsonElement, T> row)
    {
        if (array.ValueKind != JsonValueKind.Array) throw new BybitFormatException("expected an array");
        var result = new List<T>(array.GetArrayLength());
        foreach (var e in array.EnumerateArray()) result.Add(row(e));
        return result;
    }
}
