using System.Text.Json;
using Hean.Bybit.Json;
using Hean.Core.Domain;

namespace Hean.Bybit.Rest.Models;

/// <summary>
/// One execution (REST execution list, private <c>execution</c> and <c>execution.fast</c> topics). ExecId is the
/// dedupe key. The fast topic has no fee, fee rate or execType (they are null then).
/// </summary>
public sealed record BybitExecution(
    string Category,
    string Symbol,
    string ExecId,
    string OrderId,
    string OrderLinkId,
    Side Side,
    decimal ExecPrice,
    decimal ExecQty,
    decimal? ExecFee,
    decimal? FeeRate,
    string? ExecType,
    bool IsMaker,
    decimal? LeavesQty,
    decimal? ClosedSize,
    DateTime ExecTime,
    long? Seq)
{
    public static BybitExecution FromJson(JsonElement e, string defaultCategory = "") => new(
        e.Has("category") ? e.Str("category") : defaultCategory,
        e.SymbolName("symbol"),
        NonEmpty(e.Str("execId"), "execId"),
        e.Str("orderId"),
        e.StrOrEmpty("orderLinkId"),
        e.Side("side"),
        e.Dec("execPrice").Price("execPrice"),
        e.Dec("execQty").Quantity("execQty", zeroAllowed: false),
        e.OptDec("execFee"),
        e.OptDec("feeRate")?.Rate("feeRate"),
        e.Has("execType") ? e.Str("execType") : null,
        e.OptBool("isMaker") ?? false,
        e.OptDec("leavesQty")?.Quantity("leavesQty"),
        e.OptDec("closedSize"),
        e.Time("execTime"),
        e.OptLong("seq"));

    private static string NonEmpty(string s, string what) => s.Length > 0 ? s : throw new BybitFormatException($"'{what}' is empty");
}
