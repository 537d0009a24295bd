using Hean.Core.Domain;
using Hean.Core.MarketData;

namespace Hean.Core.Features;

/// <summary>
/// Features of one L2 book state, read level by level without allocating. Every function is NaN
/// when the book cannot answer: not initialized (before a snapshot, after a gap) or a side empty.
/// </summary>
public static class OrderBookFeatures
{
    /// <summary>True when the book is in sync and has both a best bid and a best ask.</summary>
    public static bool HasTouch(OrderBook book) =>
        book.IsInitialized && book.LevelCount(Side.Buy) > 0 && book.LevelCount(Side.Sell) > 0;

    public static double Mid(OrderBook book) =>
        HasTouch(book) ? ((double)book.LevelAt(Side.Buy, 0).Price + (double)book.LevelAt(Side.Sell, 0).Price) / 2 : double.NaN;

    /// <summary>(best ask − best bid) / mid, in basis points.</summary>
    public static double SpreadBps(OrderBook book)
    {
        if (!HasTouch(book)) return double.NaN;
        var bid = (double)book.LevelAt(Side.Buy, 0).Price;
        var ask = (double)book.LevelAt(Side.Sell, 0).Price;
        return (ask - bid) / ((ask + bid) / 2) * 1e4;
    }

    /// <summary>
    /// Size-weighted mid: (bid·askQty + ask·bidQty) / (bidQty + askQty), which leans towards the side
    /// with less size (the price is likelier to move there).
    /// </summary>
    public static double Microprice(OrderBook book)
    {
        if (!HasTouch(book)) return double.NaN;
        var bid = book.LevelAt(Side.Buy, 0);
        var ask = book.LevelAt(Side.Sell, 0);
        double bq = (double)bid.Qty, aq = (double)ask.Qty;
        return ((double)bid.Price * aq + (double)ask.Price * bq) / (bq + aq);
    }

    /// <summary>(Σ bid qty − Σ ask qty) / (Σ bid qty + Σ ask qty) over the best <paramref name="levels"/> levels of each side, in [−1, 1].</summary>
    public static double Imbalance(OrderBook book, int levels)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(levels, 1);
        if (!HasTouch(book)) return double.NaN;
        double bids = 0, asks = 0;
        var nb = Math.Min(levels, book.LevelCount(Side.Buy));
        var na = Math.Min(levels, book.LevelCount(Side.Sell));
        for (var i = 0; i < nb; i++) bids += (double)book.LevelAt(Side.Buy, i).Qty;
        for (var i = 0; i < na; i++) asks += (double)book.LevelAt(Side.Sell, i).Qty;
        return (bids - asks) / (bids + asks);
    }

    /// <summary>
    /// Depth pressure within <paramref name="bandBps"/> of the mid: each level's quantity weighted by
    /// 1 − distance/band (full weight at the mid, none at the band's edge), then
    /// (bid weight − ask weight) / (bid weight + ask weight), in [−1, 1]. NaN when nothing rests in the band.
    /// </summary>
    public static double DepthPressure(OrderBook book, double bandBps)
    {
        CheckBand(bandBps);
        if (!HasTouch(book)) return double.NaN;
        var mid = Mid(book);
        var bids = WeightedDepth(book, Side.Buy, mid, bandBps);
        var asks = WeightedDepth(book, Side.Sell, mid, bandBps);
        var total = bids + asks;
        return total > 0 ? (bids - asks) / total : double.NaN;
    }

    /// <summary>
    /// How much can trade near the mid, and how cheaply: ln(1 + N / (1 + spread in bps)) with N the
    /// notional (quote currency) resting within <paramref name="bandBps"/> of the mid on both sides.
    /// Deep, tight books score high; a thin or wide book scores low.
    /// </summary>
    public static double LiquidityScore(OrderBook book, double bandBps)
    {
        CheckBand(bandBps);
        if (!HasTouch(book)) return double.NaN;
        var mid = Mid(book);
        var notional = NotionalWithin(book, Side.Buy, mid, bandBps) + NotionalWithin(book, Side.Sell, mid, bandBps);
        return Math.Log(1 + notional / (1 + SpreadBps(book)));
    }

    private static double WeightedDepth(OrderBook book, Side side, double mid, double bandBps)
    {
        var total = 0.0;
        var n = book.LevelCount(side);
        for (var i = 0; i < n; i++)
        {
            var level = book.LevelAt(side, i);
            var distanceBps = Math.Abs((double)level.Price - mid) / mid * 1e4;
            if (distanceBps >= bandBps) break;
            total += (double)level.Qty * (1 - distanceBps / bandBps);
        }
        return total;
    }

    private static double NotionalWithin(OrderBook book, Side side, double mid, double bandBps)
    {
        var total = 0.0;
        var n = book.LevelCount(side);
        for (var i = 0; i < n; i++)
        {
            var level = book.LevelAt(side, i);
            var price = (double)level.Price;
            if (Math.Abs(price - mid) / mid * 1e4 > bandBps) break;
            total += price * (double)level.Qty;
        }
        return total;
    }

    private static void CheckBand(double bandBps)
    {
        if (!(bandBps > 0) || !double.IsFinite(bandBps))
            throw new ArgumentOutOfRangeException(nameof(bandBps), bandBps, "the band must be a positive number of basis points");
    }
}
