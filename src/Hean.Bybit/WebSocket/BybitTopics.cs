using Hean.Bybit.Rest.Models;

namespace Hean.Bybit.WebSocket;

/// <summary>Topic names of the V5 streams.</summary>
public static class BybitTopics
{
    public const string Order = "order";
    public const string Execution = "execution";
    public const string ExecutionFast = "execution.fast";
    public const string Position = "position";
    public const string Wallet = "wallet";

    public static readonly IReadOnlyList<string> PrivateDefaults = [Order, Execution, Position, Wallet];

    /// <summary>Linear and spot books: 1, 50, 200 or 1000 levels (options: 25 or 100).</summary>
    public static string OrderBook(int depth, string symbol) => $"orderbook.{depth}.{symbol}";
    public static string Trades(string symbol) => $"publicTrade.{symbol}";
    public static string Kline(string interval, string symbol) => $"kline.{interval}.{symbol}";
    public static string Kline(TimeSpan interval, string symbol) => Kline(BybitInterval.ToWire(interval), symbol);
    public static string Tickers(string symbol) => $"tickers.{symbol}";
    public static string Liquidations(string symbol) => $"allLiquidation.{symbol}";

    private static readonly int[] BookDepths = [1, 25, 50, 100, 200, 500, 1000];

    /// <summary>True for a topic a public stream can subscribe to (the fake uses this to refuse others).</summary>
    public static bool IsValidPublic(string topic)
    {
        var parts = topic.Split('.');
        bool ValidSymbol(string s) => s.Length is > 0 and <= 40 && s.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '-');
        return parts switch
        {
            ["orderbook", var d, var s] => int.TryParse(d, out var depth) && BookDepths.Contains(depth) && ValidSymbol(s),
            ["publicTrade", var s] => ValidSymbol(s),
            ["kline", var i, var s] => BybitInterval.TryParse(i, out _) && ValidSymbol(s),
            ["tickers", var s] => ValidSymbol(s),
            ["allLiquidation", var s] => ValidSymbol(s),
            _ => false,
        };
    }

    public static bool IsValidPrivate(string topic) => topic is Order or Execution or ExecutionFast or Position or Wallet;
}
