using Hean.Bybit.Mapping;
using Hean.Bybit.WebSocket;
using Hean.Core.Domain;
using Hean.Core.Features;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Bybit.Tests;

/// <summary>Funding, open interest and liquidations from the tickers and allLiquidation topics become Core sentiment events.</summary>
public sealed class SentimentMappingTests(ITestOutputHelper output)
{
    private const string Ticker = """
        {"topic":"tickers.BTCUSDT","type":"snapshot","data":{"symbol":"BTCUSDT","lastPrice":"17216.00","markPrice":"17217.33",
         "openInterest":"68744.761","nextFundingTime":"1673280000000","fundingRate":"-0.000212","bid1Price":"17215.50",
         "bid1Size":"84.489","ask1Price":"17216.00","ask1Size":"83.020"},"cs":24987956059,"ts":1673272861686}
        """;

    private const string Liquidations = """
        {"topic":"allLiquidation.ETHUSDT","type":"snapshot","ts":1739502303204,
         "data":[{"T":1739502302929,"s":"ETHUSDT","S":"Sell","v":"2.5","p":"2650.5"},{"T":1739502302950,"s":"ETHUSDT","S":"Buy","v":"1","p":"2651"}]}
        """;

    [Fact]
    public void A_ticker_gives_funding_rate_and_open_interest()
    {
        var message = Assert.IsType<BybitTickerMessage>(new BybitMessageParser().Parse(Ticker));
        var events = message.ToSentimentEvents();

        var funding = Assert.IsType<FundingRateUpdate>(events[0]);
        Assert.Equal((new Symbol("BTCUSDT"), -0.000212m), (funding.Symbol, funding.Rate));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1673280000000).UtcDateTime, funding.NextFundingTime);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1673272861686).UtcDateTime, funding.Time);
        Assert.Equal(68744.761m, Assert.IsType<OpenInterestUpdate>(events[1]).OpenInterest);
    }

    [Fact]
    public void A_ticker_delta_without_the_fields_gives_nothing_rather_than_a_made_up_value()
    {
        const string delta = """{"topic":"tickers.BTCUSDT","type":"delta","data":{"symbol":"BTCUSDT","lastPrice":"17217.00"},"cs":1,"ts":1673272861700}""";
        var m = Assert.IsType<BybitTickerMessage>(new BybitMessageParser().Parse(delta));
        // A delta merged into an earlier snapshot may carry the old values; on its own it carries none.
        Assert.Empty(new BybitTickerMessage(m.Symbol, false, m.Time, m.Ticker with { FundingRate = null, OpenInterest = null }).ToSentimentEvents());
    }

    [Fact]
    public void Liquidations_keep_the_side_of_the_liquidated_position()
    {
        var message = Assert.IsType<BybitLiquidationMessage>(new BybitMessageParser().Parse(Liquidations));
        var events = message.ToSentimentEvents().Cast<Liquidation>().ToList();
        Assert.Equal(2, events.Count);
        Assert.Equal((Side.Sell, 2650.5m, 2.5m), (events[0].PositionSide, events[0].Price, events[0].Qty));
        Assert.Equal((Side.Buy, 2651m, 1m), (events[1].PositionSide, events[1].Price, events[1].Qty));
        Assert.All(events, e => Assert.Equal(new Symbol("ETHUSDT"), e.Symbol));
    }

    [Fact]
    public void The_shared_samples_map_when_present()
    {
        var dir = Path.Combine(TestData.SharedBybitDir ?? "", "ws_public");
        if (TestData.SharedBybitDir is null || !Directory.Exists(dir))
        {
            output.WriteLine("shared data missing: ../shared/data/bybit/ws_public not found; only the self-made samples ran");
            return;
        }
        var parser = new BybitMessageParser();
        var ticker = Assert.IsType<BybitTickerMessage>(parser.Parse(File.ReadAllText(Path.Combine(dir, "tickers_linear.json"))));
        Assert.Equal(-0.000212m, ticker.ToSentimentEvents().OfType<FundingRateUpdate>().Single().Rate);
        var liquidation = Assert.IsType<BybitLiquidationMessage>(parser.Parse(File.ReadAllText(Path.Combine(dir, "allLiquidation_linear.json"))));
        Assert.Equal(Side.Sell, liquidation.ToSentimentEvents().Cast<Liquidation>().Single().PositionSide);
    }
}
