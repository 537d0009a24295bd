using System.Text.Json;
using Hean.Bybit.Json;
using Hean.Core.Domain;

namespace Hean.Bybit.Rest.Models;

/// <summary>
/// One position (REST position list, private <c>position</c> topic). Side is null when flat. PositionIdx: 0 one-way,
/// 1/2 hedge-mode buy/sell. AvgPrice is REST's <c>avgPrice</c> or the stream's <c>entryPrice</c>.
/// </summary>
public sealed record BybitPosition(
    string Category,
    string Symbol,
    Side? Side,
    decimal Size,
    decimal? AvgPrice,
    int PositionIdx,
    decimal? Leverage,
    decimal? MarkPrice,
    decimal? LiqPrice,
    decimal? UnrealisedPnl,
    decimal? CumRealisedPnl,
    string PositionStatus,
    DateTime? UpdatedTime,
    long? Seq)
{
    /// <summary>Size with a sign: positive long, negative short.</summary>
    public decimal SignedSize => Side == Core.Domain.Side.Sell ? -Size : Size;

    public static BybitPosition FromJson(JsonElement e, string defaultCategory = "") => new(
        e.Has("category") ? e.Str("category") : defaultCategory,
        e.SymbolName("symbol"),
        e.OptSide("side"),
        e.Dec("size").Quantity("size"),
        (e.OptDec("avgPrice") ?? e.OptDec("entryPrice"))?.PriceOrZero("avgPrice"),
        e.Int("positionIdx"),
        e.OptDec("leverage")?.NonNegative("leverage"),
        e.OptDec("markPrice")?.PriceOrZero("markPrice"),
        e.OptDec("liqPrice")?.PriceOrZero("liqPrice"),
        e.OptDec("unrealisedPnl"),
        e.OptDec("cumRealisedPnl"),
        e.StrOrEmpty("positionStatus"),
        e.OptTime("updatedTime"),
        e.OptLong("seq"));
}
