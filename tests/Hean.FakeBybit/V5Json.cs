using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Hean.Bybit.Rest.Models;
using Hean.Core.Domain;
using Hean.Core.MarketData;

namespace Hean.FakeBybit;

/// <summary>Writers of the Bybit V5 message shapes: decimals and most times as strings, as the venue sends them.</summary>
internal static class V5Json
{
    public static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            write(w);
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static string D(decimal d) => d.ToString(CultureInfo.InvariantCulture);
    public static long Ms(DateTime t) => (long)(t - DateTime.UnixEpoch).TotalMilliseconds;
    public static string MsText(DateTime t) => Ms(t).ToString(CultureInfo.InvariantCulture);
    public static string SideText(Side s) => s == Side.Buy ? "Buy" : "Sell";

    /// <param name="extInfo">retExtInfo's members (a batch's per-item codes); empty when null.</param>
    public static string Envelope(int retCode, string retMsg, Action<Utf8JsonWriter>? result, DateTime now, Action<Utf8JsonWriter>? extInfo = null) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("retCode", retCode);
        w.WriteString("retMsg", retMsg);
        w.WritePropertyName("result");
        w.WriteStartObject();
        result?.Invoke(w);
        w.WriteEndObject();
        w.WritePropertyName("retExtInfo");
        w.WriteStartObject();
        extInfo?.Invoke(w);
        w.WriteEndObject();
        w.WriteNumber("time", Ms(now));
        w.WriteEndObject();
    });

    public static void Order(Utf8JsonWriter w, FakeOrder o)
    {
        w.WriteStartObject();
        w.WriteString("category", "linear");
        w.WriteString("symbol", o.Symbol.Value);
        w.WriteString("orderId", o.OrderId);
        w.WriteString("orderLinkId", o.OrderLinkId);
        w.WriteString("side", SideText(o.Side));
        w.WriteString("orderType", o.Type == Core.Orders.OrderType.Market ? "Market" : "Limit");
        w.WriteString("price", o.Price is { } p ? D(p) : "0");
        w.WriteString("qty", D(o.Qty));
        w.WriteString("orderStatus", o.Status.ToWire());
        w.WriteString("timeInForce", o.TimeInForce);
        w.WriteString("leavesQty", D(o.Status.IsTerminal() ? 0m : o.Qty - o.CumExecQty));
        w.WriteString("cumExecQty", D(o.CumExecQty));
        w.WriteString("cumExecValue", D(o.CumExecValue));
        w.WriteString("cumExecFee", D(o.CumExecFee));
        w.WriteString("avgPrice", o.CumExecQty > 0 ? D(Math.Round(o.CumExecValue / o.CumExecQty, 8)) : "");
        w.WriteBoolean("reduceOnly", o.ReduceOnly);
        w.WriteString("cancelType", o.CancelType);
        w.WriteString("rejectReason", o.RejectReason);
        w.WriteNumber("positionIdx", o.PositionIdx);
        w.WriteString("createdTime", MsText(o.CreatedTime));
        w.WriteString("updatedTime", MsText(o.UpdatedTime));
        w.WriteEndObject();
    }

    public static void Execution(Utf8JsonWriter w, FakeExecution e)
    {
        w.WriteStartObject();
        w.WriteString("category", "linear");
        w.WriteString("symbol", e.Symbol.Value);
        w.WriteString("execId", e.ExecId);
        w.WriteString("orderId", e.OrderId);
        w.WriteString("orderLinkId", e.OrderLinkId);
        w.WriteString("side", SideText(e.Side));
        w.WriteString("orderPrice", e.OrderPrice is { } p ? D(p) : "0");
        w.WriteString("orderQty", D(e.OrderQty));
        w.WriteString("orderType", e.OrderType);
        w.WriteString("execPrice", D(e.Price));
        w.WriteString("execQty", D(e.Qty));
        w.WriteString("execValue", D(e.Price * e.Qty));
        w.WriteString("execFee", D(e.Fee));
        w.WriteString("feeRate", D(e.FeeRate));
        w.WriteString("execType", e.ExecType);
        w.WriteBoolean("isMaker", e.IsMaker);
        w.WriteString("leavesQty", D(e.LeavesQty));
        w.WriteString("closedSize", D(e.ClosedSize));
        w.WriteString("execTime", MsText(e.Time));
        w.WriteNumber("seq", e.Seq);
        w.WriteEndObject();
    }

    public static void Position(Utf8JsonWriter w, FakePosition p, bool stream)
    {
        w.WriteStartObject();
        w.WriteString("category", "linear");
        w.WriteString("symbol", p.Symbol.Value);
        w.WriteString("side", p.Size > 0 ? "Buy" : p.Size < 0 ? "Sell" : "");
        w.WriteString("size", D(Math.Abs(p.Size)));
        w.WriteString(stream ? "entryPrice" : "avgPrice", D(p.AvgPrice));
        w.WriteNumber("positionIdx", p.Index);
        w.WriteString("leverage", D(p.Leverage));
        w.WriteString("markPrice", p.MarkPrice is { } m ? D(m) : "");
        w.WriteString("liqPrice", "");
        w.WriteString("unrealisedPnl", D(p.UnrealisedPnl));
        w.WriteString("cumRealisedPnl", D(p.RealisedPnl));
        w.WriteString("positionStatus", "Normal");
        w.WriteString("updatedTime", MsText(p.UpdatedTime));
        w.WriteNumber("seq", p.Seq);
        w.WriteEndObject();
    }

    public static void Wallet(Utf8JsonWriter w, FakeWallet wallet)
    {
        w.WriteStartObject();
        w.WriteString("accountType", "UNIFIED");
        w.WriteString("totalEquity", D(wallet.Equity));
        w.WriteString("totalWalletBalance", D(wallet.Balance));
        w.WriteString("totalAvailableBalance", D(wallet.Available));
        w.WriteString("totalInitialMargin", D(wallet.InitialMargin));
        w.WriteString("totalMaintenanceMargin", "0");
        w.WriteStartArray("coin");
        w.WriteStartObject();
        w.WriteString("coin", "USDT");
        w.WriteString("equity", D(wallet.Equity));
        w.WriteString("walletBalance", D(wallet.Balance));
        w.WriteString("availableToWithdraw", D(wallet.Available));
        w.WriteString("unrealisedPnl", D(wallet.UnrealisedPnl));
        w.WriteString("cumRealisedPnl", D(wallet.RealisedPnl));
        w.WriteString("locked", "0");
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void Levels(Utf8JsonWriter w, string name, IEnumerable<BookLevel> levels)
    {
        w.WriteStartArray(name);
        foreach (var l in levels)
        {
            w.WriteStartArray();
            w.WriteStringValue(D(l.Price));
            w.WriteStringValue(D(l.Qty));
            w.WriteEndArray();
        }
        w.WriteEndArray();
    }

    public static string BookMessage(string topic, bool snapshot, Symbol symbol, long updateId, long seq, DateTime time,
        IEnumerable<BookLevel> bids, IEnumerable<BookLevel> asks, DateTime now) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("topic", topic);
        w.WriteString("type", snapshot ? "snapshot" : "delta");
        w.WriteNumber("ts", Ms(now));
        w.WritePropertyName("data");
        w.WriteStartObject();
        w.WriteString("s", symbol.Value);
        Levels(w, "b", bids);
        Levels(w, "a", asks);
        w.WriteNumber("u", updateId);
        w.WriteNumber("seq", seq);
        w.WriteEndObject();
        w.WriteNumber("cts", Ms(time));
        w.WriteEndObject();
    });

    public static string TradeMessage(Symbol symbol, IEnumerable<(Trade Trade, string Id)> trades, DateTime now) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("topic", $"publicTrade.{symbol.Value}");
        w.WriteString("type", "snapshot");
        w.WriteNumber("ts", Ms(now));
        w.WriteStartArray("data");
        foreach (var (t, id) in trades)
        {
            w.WriteStartObject();
            w.WriteNumber("T", Ms(t.Time));
            w.WriteString("s", symbol.Value);
            w.WriteString("S", SideText(t.TakerSide));
            w.WriteString("v", D(t.Qty));
            w.WriteString("p", D(t.Price));
            w.WriteString("L", "ZeroPlusTick");
            w.WriteString("i", id);
            w.WriteBoolean("BT", false);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static string KlineMessage(string interval, Candle c, bool confirm, DateTime now) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("topic", $"kline.{interval}.{c.Symbol.Value}");
        w.WriteString("type", "snapshot");
        w.WriteNumber("ts", Ms(now));
        w.WriteStartArray("data");
        w.WriteStartObject();
        w.WriteNumber("start", Ms(c.Time));
        w.WriteNumber("end", Ms(c.CloseTime) - 1);
        w.WriteString("interval", interval);
        w.WriteString("open", D(c.Open));
        w.WriteString("close", D(c.Close));
        w.WriteString("high", D(c.High));
        w.WriteString("low", D(c.Low));
        w.WriteString("volume", D(c.Volume));
        w.WriteString("turnover", D(Math.Round(c.Volume * c.Close, 8)));
        w.WriteBoolean("confirm", confirm);
        w.WriteNumber("timestamp", Ms(now));
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    });

    public static string TickerMessage(Symbol symbol, bool snapshot, decimal? last, BookLevel? bid, BookLevel? ask, DateTime now,
        decimal? fundingRate = null, DateTime? nextFundingTime = null, decimal? openInterest = null) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("topic", $"tickers.{symbol.Value}");
        w.WriteString("type", snapshot ? "snapshot" : "delta");
        w.WritePropertyName("data");
        w.WriteStartObject();
        w.WriteString("symbol", symbol.Value);
        if (last is { } l) w.WriteString("lastPrice", D(l));
        if (bid is { } b)
        {
            w.WriteString("bid1Price", D(b.Price));
            w.WriteString("bid1Size", D(b.Qty));
        }
        if (ask is { } a)
        {
            w.WriteString("ask1Price", D(a.Price));
            w.WriteString("ask1Size", D(a.Qty));
        }
        if (fundingRate is { } rate) w.WriteString("fundingRate", D(rate));
        if (nextFundingTime is { } next) w.WriteString("nextFundingTime", MsText(next));
        if (openInterest is { } oi) w.WriteString("openInterest", D(oi));
        w.WriteEndObject();
        w.WriteNumber("ts", Ms(now));
        w.WriteEndObject();
    });

    public static string LiquidationMessage(Symbol symbol, Side side, decimal price, decimal qty, DateTime now) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("topic", $"allLiquidation.{symbol.Value}");
        w.WriteString("type", "snapshot");
        w.WriteNumber("ts", Ms(now));
        w.WriteStartArray("data");
        w.WriteStartObject();
        w.WriteNumber("T", Ms(now));
        w.WriteString("s", symbol.Value);
        w.WriteString("S", SideText(side));
        w.WriteString("v", D(qty));
        w.WriteString("p", D(price));
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>A private push: <c>{"id","topic","creationTime","data":[…]}</c>.</summary>
    public static string PrivateMessage(string topic, string id, DateTime now, Action<Utf8JsonWriter> rows) => Write(w =>
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("topic", topic);
        w.WriteNumber("creationTime", Ms(now));
        w.WriteStartArray("data");
        rows(w);
        w.WriteEndArray();
        w.WriteEndObject();
    });
}
