using System.Globalization;
using System.Text.Json;
using Hean.Core.Domain;

namespace Hean.Bybit.Json;

/// <summary>
/// Strict readers for Bybit's JSON conventions: decimals as strings (numbers tolerated), "" for an absent
/// value, Unix-millisecond times as numbers or strings. Anything else throws <see cref="BybitFormatException"/>,
/// which the parsers turn into a counted malformed result.
/// </summary>
internal static class BybitJson
{
    /// <summary>Largest Unix time in ms that DateTime can hold (9999-12-31T23:59:59.999Z).</summary>
    private const long MaxUnixMs = 253_402_300_799_999;

    public static readonly JsonDocumentOptions DocumentOptions = new() { MaxDepth = 16 };

    public static JsonElement Prop(this JsonElement e, string name)
    {
        if (e.ValueKind != JsonValueKind.Object) throw new BybitFormatException($"expected an object holding '{name}', got {e.ValueKind}");
        return e.TryGetProperty(name, out var v) ? v : throw new BybitFormatException($"'{name}' is missing");
    }

    public static bool Has(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public static JsonElement? OptProp(this JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? v : null;

    public static string Str(this JsonElement e, string name)
    {
        var v = e.Prop(name);
        return v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new BybitFormatException($"'{name}' must be a string, got {v.ValueKind}");
    }

    /// <summary>A string field that may be absent or null; returns "" then.</summary>
    public static string StrOrEmpty(this JsonElement e, string name) =>
        e.OptProp(name) is { } v
            ? v.ValueKind == JsonValueKind.String ? v.GetString()! : throw new BybitFormatException($"'{name}' must be a string, got {v.ValueKind}")
            : "";

    public static decimal Dec(this JsonElement e, string name) =>
        e.OptDec(name) ?? throw new BybitFormatException($"'{name}' is empty");

    /// <summary>A decimal that may be absent, null or "".</summary>
    public static decimal? OptDec(this JsonElement e, string name) =>
        e.OptProp(name) is { } v ? AsOptDecimal(v, name) : null;

    public static decimal? AsOptDecimal(JsonElement v, string what)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.String:
                var s = v.GetString()!;
                if (s.Length == 0) return null;
                return InRange(ParseDecimal(s, what), what);
            case JsonValueKind.Number:
                return v.TryGetDecimal(out var d) ? InRange(d, what) : throw new BybitFormatException($"'{what}' is out of range");
            case JsonValueKind.Null:
                return null;
            default:
                throw new BybitFormatException($"'{what}' must be a decimal string, got {v.ValueKind}");
        }
    }

    public static decimal AsDecimal(JsonElement v, string what) =>
        AsOptDecimal(v, what) ?? throw new BybitFormatException($"'{what}' is empty");

    public static decimal ParseDecimal(string s, string what)
    {
        if (s.Length > 40 || !decimal.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
                CultureInfo.InvariantCulture, out var d))
            throw new BybitFormatException($"'{what}' is not a decimal: '{Clip(s)}'");
        return d;
    }

    /// <summary>
    /// The largest magnitude of any venue number (balances, turnover, open interest): beyond every real market, and far
    /// enough inside <see cref="decimal"/> that sums and products of it cannot overflow.
    /// </summary>
    public const decimal MaxMagnitude = 1_000_000_000_000_000_000m;

    private static decimal InRange(decimal d, string what) =>
        Math.Abs(d) <= MaxMagnitude ? d : throw new BybitFormatException($"'{what}' = {d} is beyond any real value (at most {MaxMagnitude:E0})");

    /// <summary>A price HEAN can use: positive and within <see cref="DomainLimits"/>.</summary>
    public static decimal Price(this decimal d, string what) =>
        DomainLimits.PriceProblem(d) is { } problem ? throw new BybitFormatException($"'{what}': {problem}") : d;

    /// <summary>A price where 0 means "none" (a market order's price, the average price of an unfilled order).</summary>
    public static decimal PriceOrZero(this decimal d, string what) => d == 0 ? 0 : d.Price(what);

    /// <summary>A quantity within <see cref="DomainLimits"/>: positive, or non-negative when <paramref name="zeroAllowed"/>.</summary>
    public static decimal Quantity(this decimal d, string what, bool zeroAllowed = true) =>
        DomainLimits.QuantityProblem(d, zeroAllowed) is { } problem ? throw new BybitFormatException($"'{what}': {problem}") : d;

    /// <summary>A rate per period (funding, fee): a fraction, never beyond ±100 %.</summary>
    public static decimal Rate(this decimal d, string what) =>
        Math.Abs(d) <= 1m ? d : throw new BybitFormatException($"'{what}' = {d} is not a rate (at most ±1)");

    public static decimal Positive(this decimal d, string what) =>
        d > 0 ? d : throw new BybitFormatException($"'{what}' must be positive, got {d}");

    public static decimal NonNegative(this decimal d, string what) =>
        d >= 0 ? d : throw new BybitFormatException($"'{what}' must not be negative, got {d}");

    public static long Long(this JsonElement e, string name) =>
        e.OptLong(name) ?? throw new BybitFormatException($"'{name}' is empty");

    /// <summary>An integer as a number or a string; absent, null or "" give null.</summary>
    public static long? OptLong(this JsonElement e, string name)
    {
        if (e.OptProp(name) is not { } v) return null;
        switch (v.ValueKind)
        {
            case JsonValueKind.Number:
                return v.TryGetInt64(out var n) ? n : throw new BybitFormatException($"'{name}' is not a 64-bit integer");
            case JsonValueKind.String:
                var s = v.GetString()!;
                if (s.Length == 0) return null;
                return long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p)
                    ? p
                    : throw new BybitFormatException($"'{name}' is not an integer: '{Clip(s)}'");
            default:
                throw new BybitFormatException($"'{name}' must be an integer, got {v.ValueKind}");
        }
    }

    public static int Int(this JsonElement e, string name)
    {
        var n = e.Long(name);
        return n is >= int.MinValue and <= int.MaxValue ? (int)n : throw new BybitFormatException($"'{name}' is out of range");
    }

    public static bool Bool(this JsonElement e, string name) => e.OptBool(name) ?? throw new BybitFormatException($"'{name}' is missing");

    public static bool? OptBool(this JsonElement e, string name) =>
        e.OptProp(name) is { } v
            ? v.ValueKind switch
            {
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                JsonValueKind.String when v.GetString() is "" => null,
                JsonValueKind.String when v.GetString() is "true" or "1" => true,
                JsonValueKind.String when v.GetString() is "false" or "0" => false,
                _ => throw new BybitFormatException($"'{name}' must be a boolean, got {v.ValueKind}")
            }
            : null;

    /// <summary>A market time: Unix ms within <see cref="DomainLimits"/> (2000 to 2100).</summary>
    public static DateTime Time(this JsonElement e, string name) => MarketTime(e.Long(name), name);

    /// <summary>A market time that may be absent, "" or 0 (Bybit's "none"): null then.</summary>
    public static DateTime? OptTime(this JsonElement e, string name) => e.OptLong(name) is { } ms and not 0 ? MarketTime(ms, name) : null;

    public static DateTime MarketTime(long ms, string what)
    {
        var t = FromUnixMs(ms, what);
        return DomainLimits.TimeProblem(t) is { } problem ? throw new BybitFormatException($"'{what}': {problem}") : t;
    }

    public static DateTime FromUnixMs(long ms, string what) =>
        ms is >= 0 and <= MaxUnixMs
            ? DateTime.UnixEpoch.AddMilliseconds(ms)
            : throw new BybitFormatException($"'{what}' is not a Unix time in ms: {ms}");

    public static long ToUnixMs(DateTime t) => (long)(t.ToUniversalTime() - DateTime.UnixEpoch).TotalMilliseconds;

    public static JsonElement Array(this JsonElement e, string name)
    {
        var v = e.Prop(name);
        return v.ValueKind == JsonValueKind.Array ? v : throw new BybitFormatException($"'{name}' must be an array, got {v.ValueKind}");
    }

    public static JsonElement Object(this JsonElement e, string name)
    {
        var v = e.Prop(name);
        return v.ValueKind == JsonValueKind.Object ? v : throw new BybitFormatException($"'{name}' must be an object, got {v.ValueKind}");
    }

    public static Side Side(this JsonElement e, string name) =>
        e.OptSide(name) ?? throw new BybitFormatException($"'{name}' is empty");

    /// <summary>"Buy" or "Sell"; "" (a flat position) gives null.</summary>
    public static Side? OptSide(this JsonElement e, string name) => e.StrOrEmpty(name) switch
    {
        "Buy" => Core.Domain.Side.Buy,
        "Sell" => Core.Domain.Side.Sell,
        "" or "None" => null,
        var s => throw new BybitFormatException($"'{name}' is not a side: '{Clip(s)}'")
    };

    /// <summary>A non-empty symbol of letters, digits and '-' (options), at most 40 characters.</summary>
    public static string SymbolName(this JsonElement e, string name) => CheckSymbol(e.Str(name), name);

    public static string CheckSymbol(string s, string what) =>
        s.Length is > 0 and <= 40 && s.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
            ? s
            : throw new BybitFormatException($"'{what}' is not a symbol: '{Clip(s)}'");

    /// <summary>A list of [price, size] string pairs, as in order-book messages.</summary>
    public static Core.MarketData.BookLevel[] Levels(this JsonElement e, string name)
    {
        var arr = e.Array(name);
        var result = new Core.MarketData.BookLevel[arr.GetArrayLength()];
        var i = 0;
        foreach (var pair in arr.EnumerateArray())
        {
            if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2)
                throw new BybitFormatException($"'{name}' levels must be [price, size] pairs");
            var price = AsDecimal(pair[0], name + " price").Price(name + " price");
            var size = AsDecimal(pair[1], name + " size").Quantity(name + " size");
            result[i++] = new Core.MarketData.BookLevel(price, size);
        }
        return result;
    }

    private static string Clip(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
