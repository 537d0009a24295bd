using System.Text.Json;
using Hean.Bybit.Json;
using Hean.Bybit.Rest.Models;

namespace Hean.Bybit.Rest;

/// <summary>
/// The V5 REST envelope: <c>retCode</c> (0 = success, whatever the HTTP status), <c>retMsg</c>, <c>result</c>,
/// <c>time</c> (server ms). Owns the parsed document; dispose it.
/// </summary>
public sealed class BybitEnvelope : IDisposable
{
    private readonly JsonDocument _doc;

    private BybitEnvelope(JsonDocument doc, int retCode, string retMsg, DateTime? time)
    {
        _doc = doc;
        RetCode = retCode;
        RetMsg = retMsg;
        Time = time;
    }

    public int RetCode { get; }
    public string RetMsg { get; }
    public DateTime? Time { get; }

    /// <summary>The payload; an empty object on errors.</summary>
    public JsonElement Result => _doc.RootElement.OptProp("result") ?? default;

    /// <summary>Per-item outcomes of a batch request (retExtInfo); default when absent.</summary>
    public JsonElement ExtInfo => _doc.RootElement.OptProp("retExtInfo") ?? default;

    /// <exception cref="BybitFormatException">Not JSON, or no integer retCode.</exception>
    public static BybitEnvelope Parse(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(utf8, BybitJson.DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new BybitFormatException($"response is not JSON: {e.Message}");
        }
        try
        {
            var root = doc.RootElement;
            return new BybitEnvelope(doc, root.Int("retCode"), root.StrOrEmpty("retMsg"), root.OptLong("time") is { } ms ? BybitJson.FromUnixMs(ms, "time") : null);
        }
        catch
        {
            doc.Dispose();
            throw;
        }
    }

    public void Dispose() => _doc.Dispose();
}

/// <summary>Readers of the <c>result</c> payload of each endpoint the client calls. They throw <see cref="BybitFormatException"/>.</summary>
public static class BybitResponses
{
    public static OrderAck OrderAck(JsonElement result) => Models.OrderAck.FromJson(result);

    /// <summary>
    /// A batch cancel's items, one per order sent, in the order sent: result.list holds the ids, retExtInfo.list the code
    /// and message of each (https://bybit-exchange.github.io/docs/v5/order/batch-cancel). An item the venue did not
    /// answer is ambiguous.
    /// </summary>
    public static IReadOnlyList<BybitBatchCancelItem> CancelBatch(BybitEnvelope envelope, IReadOnlyList<BatchCancelEntry> sent)
    {
        var acks = envelope.Result.ValueKind == JsonValueKind.Object && envelope.Result.OptProp("list") is { ValueKind: JsonValueKind.Array } list
            ? list.EnumerateArray().ToList()
            : [];
        var codes = envelope.ExtInfo.ValueKind == JsonValueKind.Object && envelope.ExtInfo.OptProp("list") is { ValueKind: JsonValueKind.Array } ext
            ? ext.EnumerateArray().ToList()
            : [];
        var items = new List<BybitBatchCancelItem>(sent.Count);
        for (var i = 0; i < sent.Count; i++)
        {
            var code = i < codes.Count && codes[i].OptProp("code") is { ValueKind: JsonValueKind.Number } c ? c.GetInt32() : (int?)null;
            var msg = i < codes.Count && codes[i].OptProp("msg") is { ValueKind: JsonValueKind.String } m ? m.GetString() ?? "" : "";
            var orderId = i < acks.Count && acks[i].OptProp("orderId") is { ValueKind: JsonValueKind.String } id ? id.GetString() ?? "" : "";
            if (code is null)
            {
                items.Add(new BybitBatchCancelItem(sent[i], BybitOutcome.Ambiguous, BybitErrorKind.MalformedResponse, -1, "no answer for this order in the batch", orderId));
                continue;
            }
            var kind = BybitErrors.Classify(code.Value);
            items.Add(new BybitBatchCancelItem(sent[i], kind.Outcome, kind.Kind, code.Value, msg.Length > 0 ? msg : "OK", orderId));
        }
        return items;
    }

    public static IReadOnlyList<OrderAck> CancelAll(JsonElement result) =>
        result.Array("list").EnumerateArray().Select(Models.OrderAck.FromJson).ToList();

    public static BybitPage<BybitOrder> Orders(JsonElement result) => BybitPage<BybitOrder>.FromJson(result, BybitOrder.FromJson);

    public static BybitPage<BybitExecution> Executions(JsonElement result) => BybitPage<BybitExecution>.FromJson(result, BybitExecution.FromJson);

    public static BybitPage<BybitPosition> Positions(JsonElement result) => BybitPage<BybitPosition>.FromJson(result, BybitPosition.FromJson);

    public static BybitWalletAccount Wallet(JsonElement result) =>
        result.Array("list").EnumerateArray().Select(BybitWalletAccount.FromJson).FirstOrDefault()
        ?? throw new BybitFormatException("the wallet list is empty");

    public static BybitPage<BybitInstrument> InstrumentsPage(JsonElement result) => BybitPage<BybitInstrument>.FromJson(result, BybitInstrument.FromJson);

    public static IReadOnlyList<BybitInstrument> Instruments(JsonElement result) =>
        BybitPage<BybitInstrument>.FromJson(result, BybitInstrument.FromJson).List;

    /// <summary>Klines oldest first (the venue sends newest first); a bar is closed when it ended by <paramref name="responseTime"/>.</summary>
    public static IReadOnlyList<BybitKline> Klines(JsonElement result, TimeSpan interval, DateTime responseTime)
    {
        var rows = result.Array("list").EnumerateArray().Select(row => BybitKline.FromRestRow(row, interval, responseTime)).ToList();
        rows.Sort((a, b) => a.Start.CompareTo(b.Start));
        return rows;
    }

    public static IReadOnlyList<BybitTicker> Tickers(JsonElement result) => BybitPage<BybitTicker>.FromJson(result, BybitTicker.FromJson).List;

    public static IReadOnlyList<BybitPublicTrade> RecentTrades(JsonElement result) =>
        BybitPage<BybitPublicTrade>.FromJson(result, BybitPublicTrade.FromRest).List;

    public static BybitServerTime ServerTime(JsonElement result) => BybitServerTime.FromJson(result);
}
