using Hean.Core.Features;
using Hean.Core.MarketData;
using Xunit;
using static Hean.Core.Tests.Features.BookFixtures;

namespace Hean.Core.Tests.Features;

public sealed class OrderBookFeaturesTests
{
    private static void Near(double expected, double actual) => Assert.Equal(expected, actual, 1e-12);

    [Fact]
    public void Touch_features_by_hand()
    {
        var book = Book();
        Near(100.05, OrderBookFeatures.Mid(book));
        Near(0.1 / 100.05 * 1e4, OrderBookFeatures.SpreadBps(book));
        // the ask has less size (1 vs 2): the microprice leans towards it
        Near((100 * 1 + 100.1 * 2) / 3.0, OrderBookFeatures.Microprice(book));
        Assert.True(OrderBookFeatures.Microprice(book) > OrderBookFeatures.Mid(book));
    }

    [Theory]
    [InlineData(1, (2 - 1) / 3.0)]
    [InlineData(2, 0.0)]         // 2 + 3 against 1 + 4
    [InlineData(3, 5 / 25.0)]    // 15 against 10
    [InlineData(50, 5 / 25.0)]   // fewer levels than asked: all of them
    public void Imbalance_over_the_top_levels(int levels, double expected) =>
        Near(expected, OrderBookFeatures.Imbalance(Book(), levels));

    [Fact]
    public void Depth_pressure_weights_levels_by_closeness_to_the_mid()
    {
        var book = Book();
        // 10 bps band: only 100 (bid, qty 2) and 100.1 (ask, qty 1) are inside, both 0.05 from the mid.
        Near((2 - 1) / 3.0, OrderBookFeatures.DepthPressure(book, 10));

        // 20 bps band: 99.9 and 100.2 (0.15 away) join with a smaller weight.
        var w1 = 1 - 0.05 / 100.05 * 1e4 / 20;
        var w2 = 1 - 0.15 / 100.05 * 1e4 / 20;
        var bids = 2 * w1 + 3 * w2;
        var asks = 1 * w1 + 4 * w2;
        Near((bids - asks) / (bids + asks), OrderBookFeatures.DepthPressure(book, 20));

        // a band narrower than the half spread holds nothing
        Assert.True(double.IsNaN(OrderBookFeatures.DepthPressure(book, 1)));
    }

    [Fact]
    public void Liquidity_score_grows_with_depth_and_falls_with_the_spread()
    {
        var book = Book();
        var spreadBps = 0.1 / 100.05 * 1e4;
        Near(Math.Log(1 + (100 * 2 + 100.1 * 1) / (1 + spreadBps)), OrderBookFeatures.LiquidityScore(book, 10));

        var deeper = Book();
        deeper.Apply(Delta(2, [L(100m, 20m)], []));
        Assert.True(OrderBookFeatures.LiquidityScore(deeper, 10) > OrderBookFeatures.LiquidityScore(book, 10));
    }

    [Fact]
    public void A_book_without_a_snapshot_an_empty_side_or_after_a_gap_has_no_features()
    {
        var empty = new OrderBook(Btc);
        Assert.True(double.IsNaN(OrderBookFeatures.Mid(empty)));

        var oneSided = new OrderBook(Btc);
        oneSided.Apply(new BookUpdate(Btc, T0, 1, 0, true, [L(100m, 1m)], []));
        Assert.True(double.IsNaN(OrderBookFeatures.SpreadBps(oneSided)));
        Assert.True(double.IsNaN(OrderBookFeatures.Imbalance(oneSided, 5)));

        var gapped = Book();
        Assert.Equal(BookApplyResult.Gap, gapped.Apply(Delta(5, [L(100m, 9m)], [])));
        Assert.True(double.IsNaN(OrderBookFeatures.Microprice(gapped)));
        Assert.True(double.IsNaN(OrderBookFeatures.LiquidityScore(gapped, 10)));
        Assert.Throws<ArgumentOutOfRangeException>(() => OrderBookFeatures.DepthPressure(Book(), 0));
    }
}
