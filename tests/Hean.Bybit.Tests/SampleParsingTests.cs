using Hean.Bybit.Mapping;
using Hean.Bybit.Rest;
using Hean.Bybit.Rest.Models;
using Hean.Bybit.WebSocket;
using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.Orders;
using Xunit.Abstractions;

namespace Hean.Bybit.Tests;

public class SampleParsingTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void Every_shared_fixture_parses()
    {
        Skip.If(TestData.SharedBybitDir is null, TestData.SharedMissing);
        var (parsed, failures) = ParseAll(TestData.SharedBybitDir!);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(parsed >= 100, $"only {parsed} shared fixtures were read");
        output.WriteLine($"{parsed} shared fixtures parsed from {TestData.SharedBybitDir}");
    }

    /// <summary>Shared fixtures with hand-made numbers that the venue never sends, and why the parser refuses them.</summary>
    private static readonly Dictionary<string, string> Impossible = new()
    {
        ["ws_public/orderbook_linear_1_snapshot_synthetic.json"] = "snapshot of orderbook.1 with 2 bids and 2 asks (at most 1 a side)",
    };

    [SkippableFact]
    public void The_hand_made_fixtures_the_venue_never_sends_are_refused_by_meaning()
    {
        Skip.If(TestData.SharedBybitDir is null, TestData.SharedMissing);
        foreach (var (file, reason) in Impossible)
        {
            var parser = new BybitMessageParser();
            var bad = Assert.IsType<BybitMalformed>(parser.Parse(File.ReadAllText(Path.Combine(TestData.SharedBybitDir!, file))));
            Assert.Equal((reason, "orderbook"), (bad.Reason, bad.Kind));
        }
    }

    [Fact]
    public void Every_self_made_sample_parses()
    {
        var (parsed, failures) = ParseAll(TestData.SamplesDir);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(parsed >= 30, $"only {parsed} samples were read");
    }

    [Fact]
    public void Sample_values_are_exact_decimals_and_times()
    {
        var parser = new BybitMessageParser();
        var book = Assert.IsType<BybitOrderBookMessage>(parser.Parse(Sample("ws_public/orderbook_snapshot.json")));
        Assert.Equal(("BTCUSDT", 50, true, 1L), (book.Symbol, book.Depth, book.IsSnapshot, book.UpdateId));
        Assert.Equal(94266.4m, book.Bids[0].Price);
        Assert.Equal(0.2m, book.Asks[0].Qty);
        Assert.Equal(new DateTime(2025, 1, 1, 0, 0, 0, 298, DateTimeKind.Utc), book.Time); // cts, not ts

        var trades = Assert.IsType<BybitPublicTradesMessage>(parser.Parse(Sample("ws_public/public_trade.json")));
        var trade = trades.Trades[1].ToTrade();
        Assert.Equal((new Symbol("BTCUSDT"), 94266.0m, 0.010m, Side.Sell), (trade.Symbol, trade.Price, trade.Qty, trade.TakerSide));
        Assert.NotEqual(trades.Trades[0].ToTrade().TradeId, trade.TradeId);

        var kline = Assert.IsType<BybitKlineMessage>(parser.Parse(Sample("ws_public/kline.json")));
        var candle = kline.Klines[0].ToCandle(new Symbol("BTCUSDT"));
        Assert.Equal((TimeSpan.FromMinutes(1), 94250m, 94262m, 94240m, 94260m, 2.5m),
            (candle.Interval, candle.Open, candle.High, candle.Low, candle.Close, candle.Volume));
        Assert.True(kline.Klines[0].Confirm);

        var snapshot = Assert.IsType<BybitTickerMessage>(parser.Parse(Sample("ws_public/tickers_snapshot.json")));
        var delta = Assert.IsType<BybitTickerMessage>(parser.Parse(Sample("ws_public/tickers_delta.json")));
        var merged = snapshot.Ticker.Merge(delta.Ticker);
        Assert.Equal((94270m, 94269.9m, 94266.5m, 0.0001m), (merged.LastPrice, merged.Bid1Price, merged.Ask1Price, merged.FundingRate));
    }

    [Fact]
    public void Private_samples_map_to_Core_reports()
    {
        var parser = new BybitMessageParser();
        var orders = Assert.IsType<BybitOrderUpdateMessage>(parser.Parse(Sample("ws_private/order.json")));
        var accepted = Assert.IsType<OrderAcceptedReport>(orders.Orders[0].ToReport());
        Assert.Equal(new ClientOrderId("BTCUSDT-20250101000000000-1"), accepted.ClientOrderId);
        Assert.Equal("hean-sample-order-1", accepted.VenueOrderId);

        var executions = Assert.IsType<BybitExecutionMessage>(parser.Parse(Sample("ws_private/execution.json")));
        var fill = Assert.IsType<OrderFilledReport>(executions.Executions[0].ToReport());
        Assert.Equal(("hean-sample-exec-1", 94250.5m, 0.006m, 0.1131006m, Liquidity.Maker, 0.004m),
            (fill.Fill.TradeId, fill.Fill.Price, fill.Fill.Qty, fill.Fill.Fee, fill.Fill.Liquidity, fill.LeavesQty));

        // The fast topic has no fee: it cannot book a fill (the full execution row does).
        var fast = Assert.IsType<BybitExecutionMessage>(parser.Parse(Sample("ws_private/execution_fast.json")));
        Assert.True(fast.Fast);
        Assert.Null(fast.Executions[0].ToReport());

        var position = Assert.IsType<BybitPositionMessage>(parser.Parse(Sample("ws_private/position.json")));
        Assert.Equal((0.006m, 94250.5m), (position.Positions[0].SignedSize, position.Positions[0].AvgPrice));
        var wallet = Assert.IsType<BybitWalletMessage>(parser.Parse(Sample("ws_private/wallet.json")));
        Assert.Null(wallet.Accounts[0].Coin("USDT")!.AvailableToWithdraw); // "" is absent, not zero
    }

    [SkippableFact]
    public void Shared_fixtures_carry_the_documented_values()
    {
        Skip.If(TestData.SharedBybitDir is null, TestData.SharedMissing);
        string Shared(string rel) => File.ReadAllText(Path.Combine(TestData.SharedBybitDir!, rel));
        var parser = new BybitMessageParser();
        var stopLoss = Assert.IsType<BybitOrderUpdateMessage>(parser.Parse(Shared("ws_private/order_linear_cancelled_stoploss.json"))).Orders[0];
        Assert.Equal((BybitOrderStatus.Cancelled, "CancelByUser"), (stopLoss.Status, stopLoss.CancelType));
        Assert.IsType<OrderCancelledReport>(stopLoss.ToReport());
        var adl = Assert.IsType<BybitExecutionMessage>(parser.Parse(Shared("ws_private/execution_linear_adl.json"))).Executions[0];
        Assert.Equal("AdlTrade", adl.ExecType);
        Assert.Null(adl.ToReport()); // not a fill of one of our orders
        var hedge = Assert.IsType<BybitPositionMessage>(parser.Parse(Shared("ws_private/position_hedge_mode.json"))).Positions[0];
        Assert.Equal((2, (Side?)null), (hedge.PositionIdx, hedge.Side));
        var authFailure = Assert.IsType<BybitOpResponse>(parser.Parse(Shared("ws_private/auth_response_failure.json")));
        Assert.Equal(("auth", false, 10003), (authFailure.Op, authFailure.Success, authFailure.RetCode));
        var optionAck = Assert.IsType<BybitOpResponse>(parser.Parse(Shared("ws_public/subscribe_response_option_style.json")));
        Assert.True(optionAck.Success);
        var tradeError = Assert.IsType<BybitTradeResponse>(parser.Parse(Shared("errors/ws_trade_order_create_110007.json")));
        Assert.Equal(BybitOutcome.Rejected, BybitErrors.Classify(tradeError.RetCode).Outcome);
        Assert.Equal(8, tradeError.LimitRemaining);

        using var instruments = BybitEnvelope.Parse(System.Text.Encoding.UTF8.GetBytes(Shared("rest/market_instruments_info_spot.json")));
        var spot = BybitResponses.Instruments(instruments.Result)[0];
        Assert.Equal((0.1m, 0.0001m, 10m), (spot.TickSize, spot.QtyStep, spot.MinNotional));
        using var kline = BybitEnvelope.Parse(System.Text.Encoding.UTF8.GetBytes(Shared("rest/market_kline_linear.json")));
        var bar = BybitResponses.Klines(kline.Result, TimeSpan.FromMinutes(1), kline.Time!.Value)[0];
        Assert.Equal((27450m, 27460m, 27440m, 27455m, 123.45m), (bar.Open, bar.High, bar.Low, bar.Close, bar.Volume));
    }

    private static string Sample(string rel) => File.ReadAllText(Path.Combine(TestData.SamplesDir, rel));

    private (int Parsed, List<string> Failures) ParseAll(string root)
    {
        var parser = new BybitMessageParser();
        var failures = new List<string>();
        var parsed = 0;
        foreach (var file in SampleCatalog.Files(root))
        {
            if (Impossible.ContainsKey(Path.GetRelativePath(root, file).Replace('\\', '/'))) continue;
            try
            {
                parsed += SampleCatalog.Parse(root, file, parser).Count;
            }
            catch (Exception e)
            {
                failures.Add($"{Path.GetRelativePath(root, file)}: {e.GetType().Name}: {e.Message}");
            }
        }
        return (parsed, failures);
    }
}
