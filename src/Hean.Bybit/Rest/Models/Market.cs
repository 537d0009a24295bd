using System.Text.Json;
using Hean.Bybit.Json;
using Hean.Core.Domain;

namespace Hean.Bybit.Rest.Models;

/// <summary>
/// Trading rules of one instrument. Linear and inverse give <c>qtyStep</c> and <c>minNotionalValue</c>; spot gives
/// <c>basePrecision</c> and <c>minOrderAmt</c> instead, which land in the same fields.
/// </summary>
public sealed record BybitInstrument(
    string Symbol,
    string Status,
    string BaseCoin,
    string QuoteCoin,
    decimal TickSize,
    decimal QtyStep,
    decimal MinOrderQty,
    decimal MaxOrderQty,
    decimal MinNotional)
{
    public bool IsTrading => Status == "Trading";

    /// <summary>The Core trading rules (only for symbols Core accepts: letters and digits).</summary>
    public Instrument ToCore() => new(new Symbol(Symbol), TickSize, QtyStep, MinOrderQty, MaxOrderQty, MinNotional);

    public static BybitInstrument FromJson(JsonElement e, string category = "")
    {
        var price = e.Object("priceFilter");
        var lot = e.Object("lotSizeFilter");
        return new BybitInstrument(
            e.SymbolName("symbol"),
            e.StrOrEmpty("status"),
            e.StrOrEmpty("baseCoin"),
            e.StrOrEmpty("quoteCoin"),
            price.Dec("tickSize").Positive("tickSize"),
            (lot.OptDec("qtyStep") ?? lot.Dec("basePrecision")).Positive("qtyStep"),
            lot.Dec("minOrderQty").NonNegative("minOrderQty"),
            lot.Dec("maxOrderQty").Positive("maxOrderQty"),
            (lot.OptDec("minNotionalValue") ?? lot.OptDec("minOrderAmt") ?? 0m).NonNegative("minNotionalValue"));
    }
}

/// <summary>Bybit kline intervals: minutes ("1", "3", … "720"), "D", "W" ("M" has no fixed length and is not supported).</summary>
public static class BybitInterval
{
    private static readonly int[] Minutes = [1, 3, 5, 15, 30, 60, 120, 240, 360, 720];

    public static bool TryParse(string s, out TimeSpan interval)
    {
        interval = default;
        switch (s)
        {
            case "D": interval = TimeSpan.FromDays(1); return true;
            case "W": interval = TimeSpan.FromDays(7); return true;
        }
        if (int.TryParse(s, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var m) && Minutes.Contains(m))
        {
            interval = TimeSpan.FromMinutes(m);
            return true;
        }
        return false;
    }

    public static TimeSpan Parse(string s) =>
        TryParse(s, out var i) ? i : throw new BybitFormatException($"unsupported kline interval '{(s.Length > 10 ? s[..10] : s)}'");

    public static string ToWire(TimeSpan interval) =>
        interval == TimeSpan.FromDays(1) ? "D"
        : interval == TimeSpan.FromDays(7) ? "W"
        : interval.Ticks % TimeSpan.TicksPerMinute == 0 && Minutes.Contains((int)interval.TotalMinutes)
            ? ((int)interval.TotalMinutes).ToString(System.Globalization.CultureInfo.InvariantCulture)
            : throw new ArgumentOutOfRangeException(nameof(interval), interval, "Bybit has no such kline interval");
}

/// <summary>One OHLCV bar. Confirm is true when the bar is closed.</summary>
public sealed record BybitKline(
    DateTime Start,
    TimeSpan Interval,
    decimal Open,
    decimal High,
    decimal Low,
    decimal Close,
    decimal Volume,
    decimal Turnover,
    bool Confirm)
{
    public Core.MarketData.Candle ToCandle(Symbol symbol) => new(symbol, Start, Interval, Open, High, Low, Close, Volume);

    /// <summary>A REST row: [startMs, open, high, low, close, volume, turnover]. Closed when it ended by the response time.</summary>
    public static BybitKline FromRestRow(JsonElement row, TimeSpan interval, DateTime responseTime)
    {
        if (row.ValueKind != JsonValueKind.Array || row.GetArrayLength() < 7)
            throw new BybitFormatException("a kline row must be an array of 7 strings");
        var startMs = BybitJson.AsDecimal(row[0], "start");
        if (startMs != decimal.Truncate(startMs) || startMs < 0 || startMs > long.MaxValue)
            throw new BybitFormatException("kline start is not a Unix time in ms");
        var start = BybitJson.MarketTime((long)startMs, "start");
        return Checked(new BybitKline(start, interval,
            BybitJson.AsDecimal(row[1], "open"), BybitJson.AsDecimal(row[2], "high"),
            BybitJson.AsDecimal(row[3], "low"), BybitJson.AsDecimal(row[4], "close"),
            BybitJson.AsDecimal(row[5], "volume"), BybitJson.AsDecimal(row[6], "turnover"),
            start + interval <= responseTime));
    }

    /// <summary>A row of the <c>kline.{interval}.{symbol}</c> topic.</summary>
    public static BybitKline FromStream(JsonElement e)
    {
        var interval = BybitInterval.Parse(e.Str("interval"));
        return Checked(new BybitKline(e.Time("start"), interval,
            e.Dec("open"), e.Dec("high"), e.Dec("low"), e.Dec("close"),
            e.Dec("volume"), e.OptDec("turnover") ?? 0m, e.Bool("confirm")));
    }

    private static BybitKline Checked(BybitKline k)
    {
        k.Open.Price("open");
        k.High.Price("high");
        k.Low.Price("low");
        k.Close.Price("close");
        if (k.Low > k.High || k.Open > k.High || k.Close > k.High || k.Open < k.Low || k.Close < k.Low)
            throw new BybitFormatException("kline prices are inconsistent (low/high)");
        if (k.Volume < 0 || k.Turnover < 0) throw new BybitFormatException("kline volume must not be negative");
        return k;
    }
}

/// <summary>
/// A ticker. Every field may be absent: linear <c>tickers</c> deltas carry only what changed, so
/// <see cref="Merge"/> them into the last snapshot instead of replacing it.
/// </summary>
public sealed record BybitTicker(
    string Symbol,
    decimal? LastPrice = null,
    decimal? MarkPrice = null,
    decimal? IndexPrice = null,
    decimal? Bid1Price = null,
    decimal? Bid1Size = null,
    decimal? Ask1Price = null,
    decimal? Ask1Size = null,
    decimal? FundingRate = null,
    DateTime? NextFundingTime = null,
    decimal? OpenInterest = null,
    decimal? Volume24h = null,
    decimal? Turnover24h = null,
    decimal? HighPrice24h = null,
    decimal? LowPrice24h = null,
    decimal? PrevPrice24h = null,
    decimal? Price24hPcnt = null)
{
    public BybitTicker Merge(BybitTicker delta) => new(
        Symbol,
        delta.LastPrice ?? LastPrice,
        delta.MarkPrice ?? MarkPrice,
        delta.IndexPrice ?? IndexPrice,
        delta.Bid1Price ?? Bid1Price,
        delta.Bid1Size ?? Bid1Size,
        delta.Ask1Price ?? Ask1Price,
        delta.Ask1Size ?? Ask1Size,
        delta.FundingRate ?? FundingRate,
        delta.NextFundingTime ?? NextFundingTime,
        delta.OpenInterest ?? OpenInterest,
        delta.Volume24h ?? Volume24h,
        delta.Turnover24h ?? Turnover24h,
        delta.HighPrice24h ?? HighPrice24h,
        delta.LowPrice24h ?? LowPrice24h,
        delta.PrevPrice24h ?? PrevPrice24h,
        delta.Price24hPcnt ?? Price24hPcnt);

    public static BybitTicker FromJson(JsonElement e, string category = "") => new(
        e.SymbolName("symbol"),
        e.OptDec("lastPrice")?.PriceOrZero("lastPrice"),
        e.OptDec("markPrice")?.PriceOrZero("markPrice"),
        e.OptDec("indexPrice")?.PriceOrZero("indexPrice"),
        (e.OptDec("bid1Price") ?? e.OptDec("bidPrice"))?.PriceOrZero("bid1Price"),
        (e.OptDec("bid1Size") ?? e.OptDec("bidSize"))?.Quantity("bid1Size"),
        (e.OptDec("ask1Price") ?? e.OptDec("askPrice"))?.PriceOrZero("ask1Price"),
        (e.OptDec("ask1Size") ?? e.OptDec("askSize"))?.Quantity("ask1Size"),
        e.OptDec("fundingRate")?.Rate("fundingRate"),
        e.OptTime("nextFundingTime"),
        e.OptDec("openInterest")?.NonNegative("openInterest"),
        e.OptDec("volume24h")?.NonNegative("volume24h"),
        e.OptDec("turnover24h")?.NonNegative("turnover24h"),
        e.OptDec("highPrice24h")?.PriceOrZero("highPrice24h"),
        e.OptDec("lowPrice24h")?.PriceOrZero("lowPrice24h"),
        e.OptDec("prevPrice24h")?.PriceOrZero("prevPrice24h"),
        e.OptDec("price24hPcnt"));
}

/// <summary>A public trade print. TakerSide is the aggressor's side; TradeId is Bybit's id (a UUID for linear).</summary>
public sealed record BybitPublicTrade(string Symbol, DateTime Time, decimal Price, decimal Qty, Side TakerSide, string TradeId, bool IsBlockTrade)
{
    /// <summary>A row of the <c>publicTrade</c> topic (short field names).</summary>
    public static BybitPublicTrade FromStream(JsonElement e) => new(
        e.SymbolName("s"), e.Time("T"), e.Dec("p").Price("p"), e.Dec("v").Quantity("v", zeroAllowed: false), e.Side("S"), TradeIdOf(e.Str("i")),
        e.OptBool("BT") ?? false);

    /// <summary>A row of GET /v5/market/recent-trade.</summary>
    public static BybitPublicTrade FromRest(JsonElement e, string category = "") => new(
        e.SymbolName("symbol"), e.Time("time"), e.Dec("price").Price("price"), e.Dec("size").Quantity("size", zeroAllowed: false), e.Side("side"),
        TradeIdOf(e.Str("execId")), e.OptBool("isBlockTrade") ?? false);

    private static string TradeIdOf(string s) =>
        s.Length is > 0 and <= 64 ? s : throw new BybitFormatException("a trade id must have 1-64 characters");
}

/// <summary>A liquidation print of the <c>allLiquidation</c> topic. Side is the side of the position that was liquidated.</summary>
public sealed record BybitLiquidation(string Symbol, DateTime Time, Side Side, decimal Price, decimal Qty)
{
    public static BybitLiquidation FromStream(JsonElement e) =>
        new(e.SymbolName("s"), e.Time("T"), e.Side("S"), e.Dec("p").Price("p"), e.Dec("v").Quantity("v", zeroAllowed: false));
}

/// <summary>The server clock (GET /v5/market/time).</summary>
public sealed record BybitServerTime(DateTime Time)
{
    public static BybitServerTime FromJson(JsonElement result)
    {
        if (result.OptLong("timeNano") is { } nano && nano > 0)
            return new BybitServerTime(DateTime.UnixEpoch.AddTicks(nano / 100));
        return new BybitServerTime(BybitJson.MarketTime(checked(result.Long("timeSecond") * 1000), "timeSecond"));
    }
}
