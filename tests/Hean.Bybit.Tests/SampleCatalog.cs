using System.Text;
using Hean.Bybit.Rest;
using Hean.Bybit.Rest.Models;
using Hean.Bybit.WebSocket;

namespace Hean.Bybit.Tests;

/// <summary>Parses one sample file the way the client would read it, by folder and file name; throws when it cannot.</summary>
internal static class SampleCatalog
{
    private static readonly string[] RequestFiles = ["subscribe_request", "unsubscribe_request", "ping_request", "order_create_request"];

    /// <summary>What the file parsed into (one entry per line for .jsonl).</summary>
    public static IReadOnlyList<object> Parse(string root, string file, BybitMessageParser parser)
    {
        var folder = Path.GetFileName(Path.GetDirectoryName(file))!;
        var name = Path.GetFileNameWithoutExtension(file);
        var text = File.ReadAllText(file);
        if (file.EndsWith(".jsonl", StringComparison.Ordinal))
            return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => (object)Message(parser, line, file)).ToList();
        if (folder == "signing" || name == "error_codes") return [name];
        if (RequestFiles.Any(name.StartsWith))
        {
            if (!BybitWsRequest.TryParse(text, out var request, out var error)) throw new InvalidDataException($"{file}: {error}");
            return [request!];
        }
        if (folder is "ws_public" or "ws_private" or "ws_trade" || name.StartsWith("ws_", StringComparison.Ordinal))
            return [Message(parser, text, file)];
        return [Rest(name, Encoding.UTF8.GetBytes(text))];
    }

    private static BybitMessage Message(BybitMessageParser parser, string text, string file)
    {
        var m = parser.Parse(text);
        return m is BybitMalformed bad ? throw new InvalidDataException($"{file}: {bad.Reason}") : m;
    }

    private static object Rest(string name, byte[] body)
    {
        using var envelope = BybitEnvelope.Parse(body);
        if (envelope.RetCode != 0) return envelope.RetCode; // an error envelope: retCode, empty result
        var r = envelope.Result;
        var time = envelope.Time ?? DateTime.UtcNow;
        return name switch
        {
            _ when name.StartsWith("order_cancel_all", StringComparison.Ordinal) => BybitResponses.CancelAll(r),
            _ when name.StartsWith("order_create_batch", StringComparison.Ordinal) => "envelope only",
            "order_create" or "order_amend" or "order_cancel" => BybitResponses.OrderAck(r),
            _ when name.StartsWith("order_realtime", StringComparison.Ordinal) || name.StartsWith("order_history", StringComparison.Ordinal)
                => BybitResponses.Orders(r),
            _ when name.StartsWith("execution_list", StringComparison.Ordinal) => BybitResponses.Executions(r),
            _ when name.StartsWith("position_list", StringComparison.Ordinal) => BybitResponses.Positions(r),
            _ when name.Contains("wallet_balance", StringComparison.Ordinal) => BybitResponses.Wallet(r),
            _ when name.Contains("instruments_info", StringComparison.Ordinal) => BybitResponses.Instruments(r),
            _ when name.Contains("kline", StringComparison.Ordinal) => BybitResponses.Klines(r, TimeSpan.FromMinutes(1), time),
            _ when name.Contains("tickers", StringComparison.Ordinal) => BybitResponses.Tickers(r),
            _ when name.Contains("recent_trade", StringComparison.Ordinal) => BybitResponses.RecentTrades(r),
            "market_time" or "server_time" => BybitResponses.ServerTime(r),
            // Endpoints the client does not call yet (fee rate, account info, funding, open interest, risk limit,
            // closed PnL, leverage, trading stop, REST order book): the envelope is all that is read.
            _ => "envelope only",
        };
    }

    public static IEnumerable<string> Files(string root) =>
        Directory.EnumerateFiles(root, "*.json*", SearchOption.AllDirectories).Where(f => f.EndsWith(".json") || f.EndsWith(".jsonl")).Order();
}
