using Hean.Bybit.WebSocket;

namespace Hean.Bybit.Tests;

/// <summary>
/// Messages with the right shape and an impossible meaning, each one that an adversarial run saw the parser accept:
/// refused, counted by kind, raised once per refusal, and the stream goes on.
/// </summary>
public class MeaningTests
{
    private const string Ts = "1735689600300";

    private static string Execution(string price = "94250.5", string qty = "0.006") =>
        "{\"topic\":\"execution\",\"creationTime\":" + Ts + ",\"data\":[{\"category\":\"linear\",\"symbol\":\"BTCUSDT\",\"execId\":\"e1\",\"orderId\":\"o1\"," +
        "\"orderLinkId\":\"x\",\"side\":\"Buy\",\"execPrice\":\"" + price + "\",\"execQty\":\"" + qty + "\",\"execFee\":\"0.1\",\"feeRate\":\"0.0002\"," +
        "\"execType\":\"Trade\",\"isMaker\":true,\"leavesQty\":\"0.004\",\"execTime\":\"1735689600100\"}]}";

    private static string Order(string qty = "0.010", string cum = "0.006", string avg = "94250.5", string leaves = "0.004", string category = "linear",
        string type = "Limit") =>
        "{\"topic\":\"order\",\"creationTime\":" + Ts + ",\"data\":[{\"category\":\"" + category + "\",\"symbol\":\"BTCUSDT\",\"orderId\":\"o1\",\"orderLinkId\":\"x\"," +
        "\"side\":\"Buy\",\"orderType\":\"" + type + "\",\"price\":\"94250.5\",\"qty\":\"" + qty + "\",\"orderStatus\":\"PartiallyFilled\",\"timeInForce\":\"GTC\"," +
        "\"leavesQty\":\"" + leaves + "\",\"cumExecQty\":\"" + cum + "\",\"avgPrice\":\"" + avg + "\",\"createdTime\":\"1735689600000\",\"updatedTime\":\"1735689600100\"}]}";

    private static string Ticker(string field, string value) =>
        "{\"topic\":\"tickers.BTCUSDT\",\"type\":\"snapshot\",\"ts\":" + Ts + ",\"data\":{\"symbol\":\"BTCUSDT\",\"lastPrice\":\"94266.5\",\"" + field + "\":\"" + value + "\"}}";

    private static string Book(int depth, int levels, string type = "snapshot") =>
        "{\"topic\":\"orderbook." + depth + ".BTCUSDT\",\"type\":\"" + type + "\",\"ts\":" + Ts + ",\"data\":{\"s\":\"BTCUSDT\",\"b\":[" +
        string.Join(",", Enumerable.Range(0, levels).Select(i => $"[\"{100 - i * 0.1m}\",\"1\"]")) + "],\"a\":[[\"101\",\"1\"]],\"u\":5}}";

    private static string Kline(string start) =>
        "{\"topic\":\"kline.1.BTCUSDT\",\"ts\":" + Ts + ",\"data\":[{\"start\":" + start + ",\"interval\":\"1\",\"open\":\"1\",\"high\":\"2\",\"low\":\"1\"," +
        "\"close\":\"2\",\"volume\":\"1\",\"confirm\":true}]}";

    public static TheoryData<string, string, string> Impossible => new()
    {
        { Execution(price: "0"), "execution", "execPrice" },                      // an execution at price 0 became a fill
        { Execution(price: "-94250.5"), "execution", "execPrice" },
        { Execution(qty: "0"), "execution", "execQty" },
        { Execution(price: "79228162514264337593543950335"), "execution", "execPrice" },
        { Ticker("lastPrice", "-5"), "tickers", "lastPrice" },                    // negative ticker prices reached the features
        { Ticker("markPrice", "-1"), "tickers", "markPrice" },
        { Ticker("openInterest", "-100"), "tickers", "openInterest" },            // and negative open interest
        { Ticker("fundingRate", "12345"), "tickers", "fundingRate" },
        { Order(cum: "0.5"), "order", "executed quantity 0.5 is more than its quantity 0.010" }, // cumExecQty > qty
        { Order(leaves: "1"), "order", "remaining quantity" },
        { Order(avg: "-3"), "order", "avgPrice" },                                // a negative avgPrice
        { Book(1, 2), "orderbook", "at most 1 a side" },                          // more levels than the topic depth
        { Book(50, 51), "orderbook", "at most 50 a side" },
        { Book(1, 3, "delta"), "orderbook", "at most 2 a side" },
        { Kline("253402300799000"), "kline", "outside the market times" },         // a kline in year 9999
        { Kline("1000"), "kline", "outside the market times" },
    };

    [Theory]
    [MemberData(nameof(Impossible))]
    public void An_impossible_message_is_refused_counted_by_kind_and_the_stream_goes_on(string message, string kind, string why)
    {
        var parser = new BybitMessageParser();
        var raised = new List<BybitRejection>();
        parser.Rejected += raised.Add;

        var bad = Assert.IsType<BybitMalformed>(parser.Parse(message));
        Assert.Equal(kind, bad.Kind);
        Assert.Contains(why, bad.Reason);
        var second = Assert.IsType<BybitMalformed>(parser.Parse(message));

        Assert.Equal([1L, 2L], raised.Select(r => r.CountOfKind)); // the host logs the first, counts every one
        Assert.All(raised, r => Assert.Equal(kind, r.Kind));
        Assert.Equal(2, parser.MalformedByKind[kind]);
        Assert.Equal(bad.Reason, second.Reason);
        // The next sensible message of the same stream is read as ever.
        Assert.IsNotType<BybitMalformed>(parser.Parse(kind switch
        {
            "execution" => Execution(),
            "order" => Order(),
            "tickers" => Ticker("openInterest", "100"),
            "orderbook" => Book(50, 50),
            _ => Kline("1735689600000"),
        }));
    }

    [Fact]
    public void The_edges_bybit_really_uses_stay_accepted()
    {
        var parser = new BybitMessageParser();
        // A whole-position take-profit has qty 0; an unfilled order averages 0; a market order's price is 0; a delta may replace every level.
        Assert.IsType<BybitOrderUpdateMessage>(parser.Parse(Order(qty: "0", cum: "0", avg: "0", leaves: "0")));
        Assert.IsType<BybitOrderUpdateMessage>(parser.Parse(Order(avg: "")));
        Assert.IsType<BybitOrderBookMessage>(parser.Parse(Book(1, 2, "delta")));
        Assert.IsType<BybitTickerMessage>(parser.Parse(Ticker("fundingRate", "-0.0075")));
        Assert.IsType<BybitTickerMessage>(parser.Parse(Ticker("bid1Price", "0")));
        // A spot market buy states qty in USDT and executes in the coin; an untraded option's ticker says 0 for "no price".
        Assert.IsType<BybitOrderUpdateMessage>(parser.Parse(Order(qty: "20", cum: "200", leaves: "0", avg: "0.1", category: "spot", type: "Market")));
        Assert.IsType<BybitTickerMessage>(parser.Parse(Ticker("highPrice24h", "0")));
        Assert.IsType<BybitMalformed>(parser.Parse(Order(qty: "20", cum: "200", leaves: "0", avg: "0.1", category: "linear", type: "Market")));
        Assert.Equal(1, parser.MalformedCount);
    }
}
