using Hean.Core.Domain;

namespace Hean.Core.MarketData.Replay;

/// <summary>
/// Reads trade prints from CSV (plain or gzip) with a header row. Columns, case-insensitive:
/// <list type="bullet">
/// <item>time: exchange_time_ms, trade_time_ms, time_ms, timestamp_ms, time, timestamp, ts,
/// datetime, date (epoch s/ms/µs/ns or ISO-8601 UTC);</item>
/// <item>price; qty, quantity, size or amount;</item>
/// <item>taker side (optional): taker_side or side (buy/sell/b/s), else is_buyer_maker
/// (true = the taker sold), else the tick rule (uptick = buy, downtick = sell, unchanged = as the
/// previous trade, the first trade = buy);</item>
/// <item>trade id (optional): trade_id, id, tradeid, else the 1-based row count;</item>
/// <item>symbol (optional): taken from the column, else from the symbol argument. When both are
/// present they must agree.</item>
/// </list>
/// This covers the Binance trade captures in shared/data (exchange_time_ms, event_time_ms,
/// local_time_ns, symbol, trade_id, price, qty, taker_side, is_buyer_maker, trade_type). Time may
/// repeat but never go backwards; price and quantity must be positive. The first bad row throws
/// <see cref="MarketDataFormatException"/>.
/// </summary>
public static class TradesCsvReader
{
    private static readonly string[] TimeColumns =
        ["exchange_time_ms", "trade_time_ms", "time_ms", "timestamp_ms", "time", "timestamp", "ts", "datetime", "date"];
    private static readonly string[] PriceColumns = ["price", "px"];
    private static readonly string[] QtyColumns = ["qty", "quantity", "size", "amount"];

    internal const string FormatDescription =
        "trades: a time column (exchange_time_ms, timestamp, time, …) with price, qty|quantity|size|amount and optional taker_side|side, is_buyer_maker, trade_id|id, symbol";

    /// <summary>All trades of the file, validated before anything is returned.</summary>
    public static IReadOnlyList<Trade> ReadAll(string path, Symbol? symbol = null) => Read(path, symbol).ToList();

    /// <summary>
    /// Streams the trades. The header is checked when enumeration starts; rows are validated as they
    /// are read, so a bad row throws after the trades before it have been yielded.
    /// </summary>
    public static IEnumerable<Trade> Read(string path, Symbol? symbol = null)
    {
        using var csv = CsvFile.Open(path);
        var time = csv.Require("time", TimeColumns);
        var price = csv.Require("price", PriceColumns);
        var qty = csv.Require("quantity", QtyColumns);
        var side = csv.Find("taker_side", "side");
        var buyerMaker = csv.Find("is_buyer_maker");
        var id = csv.Find("trade_id", "id", "tradeid");
        var symbolColumn = csv.Find("symbol");
        if (symbolColumn < 0 && symbol is null)
            throw csv.Error("the file has no symbol column and no symbol was given", line: 1);

        DateTime? previousTime = null;
        decimal previousPrice = 0;
        var previousSide = Side.Buy;
        long rows = 0;
        (byte[] Utf8, Symbol Symbol) last = ([], default);
        while (csv.ReadRow())
        {
            rows++;
            var t = csv.Time(time);
            if (previousTime is { } pt && t < pt) throw csv.Error($"time goes backwards: {t:O} after {pt:O}");
            var p = csv.Price(price);
            var q = csv.Quantity(qty);

            var taker = side >= 0 ? ParseSide(csv, side)
                : buyerMaker >= 0 ? (ParseBool(csv, buyerMaker) ? Side.Sell : Side.Buy)
                : rows == 1 || p > previousPrice ? Side.Buy
                : p < previousPrice ? Side.Sell
                : previousSide;

            var s = symbolColumn >= 0 ? ParseSymbol(csv, symbolColumn, ref last) : symbol!.Value;
            if (symbol is { } expected && s != expected)
                throw csv.Error($"symbol {s} does not match the expected {expected}");

            var tradeId = id >= 0 ? csv.Long(id) : rows;
            previousTime = t;
            previousPrice = p;
            previousSide = taker;
            yield return new Trade(s, t, p, q, taker, tradeId);
        }
        if (rows == 0) throw csv.Error("no data rows after the header");
    }

    /// <summary>True when the header has a time, a price and a quantity column.</summary>
    internal static bool Recognizes(CsvFile csv) =>
        csv.Find(TimeColumns) >= 0 && csv.Find(PriceColumns) >= 0 && csv.Find(QtyColumns) >= 0;

    private static Side ParseSide(CsvFile csv, int column)
    {
        var text = csv.Text(column);
        try
        {
            return SideExtensions.Parse(text);
        }
        catch (FormatException e)
        {
            throw csv.Error($"{csv.Header[column]} '{text}' is not buy or sell", inner: e);
        }
    }

    private static bool ParseBool(CsvFile csv, int column) =>
        csv.Text(column).ToLowerInvariant() switch
        {
            "true" or "1" => true,
            "false" or "0" => false,
            _ => throw csv.Error($"{csv.Header[column]} '{csv.Text(column)}' is not true or false"),
        };

    /// <summary>The row's symbol; the previous row's when the text is the same (files hold one or a few symbols).</summary>
    private static Symbol ParseSymbol(CsvFile csv, int column, ref (byte[] Utf8, Symbol Symbol) last)
    {
        var field = csv.Field(column);
        if (last.Utf8.Length > 0 && field.SequenceEqual(last.Utf8)) return last.Symbol;
        var text = csv.Text(column);
        try
        {
            last = (field.ToArray(), new Symbol(text));
            return last.Symbol;
        }
        catch (ArgumentException e)
        {
            throw csv.Error($"symbol '{text}' is not a valid symbol", inner: e);
        }
    }
}
