using Hean.Core.Domain;
using Hean.Core.Execution;
using Hean.Core.MarketData;
using Xunit;

namespace Hean.Core.Tests.Execution;

/// <summary>The market as both gateways quote it: the venue's book, the last trade (or the venue's last price), activity on market time.</summary>
public sealed class VenueMarketStateTests
{
    private static readonly Symbol Btc = new("BTCUSDT");
    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_quote_has_the_books_touch_the_last_trade_and_the_volume_seen()
    {
        var book = new OrderBook(Btc);
        book.Apply(new BookUpdate(Btc, T0, 1, 0, true, [new BookLevel(99m, 2m)], [new BookLevel(101m, 3m)]));
        var state = new VenueMarketState(s => s == Btc ? book : null);
        Assert.Null(state.QuoteOf(Btc, T0).Last);
        for (var i = 0; i < 70; i++) state.Observe(new Trade(Btc, T0.AddSeconds(i), 100m + i % 2, 0.5m, Side.Buy, i), 100m + i % 2);

        var quote = state.QuoteOf(Btc, T0.AddSeconds(70));
        Assert.Equal((99m, 101m, 101m, 2m, 3m), (quote.Bid, quote.Ask, quote.Last, quote.BidQty, quote.AskQty));
        Assert.Equal(T0.AddSeconds(70), quote.Time);
        Assert.True(quote.VolatilityBpsPerSqrtSecond > 0);
        Assert.Null(state.ConditionsOf(Btc, T0.AddSeconds(30)).VolumePerSecond); // under a minute of history: no estimate
        var conditions = state.ConditionsOf(Btc, T0.AddSeconds(70));
        Assert.True(conditions.VolumePerSecond > 0);
        Assert.Equal((2m, 3m), (conditions.BidDepth, conditions.AskDepth));

        // Without a book the quote has no touch; with the venue's own last price, that is the last.
        var unknown = new VenueMarketState(_ => null, _ => 42m).QuoteOf(Btc, T0);
        Assert.Equal((null, null, 42m), (unknown.Bid, unknown.Ask, unknown.Last));
    }
}
