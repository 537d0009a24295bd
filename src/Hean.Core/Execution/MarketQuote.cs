using Hean.Core.Domain;

namespace Hean.Core.Execution;

/// <summary>What an algorithm sees of a symbol's market at a moment of market time: the touch when there is a book, the last trade.</summary>
public sealed record MarketQuote(Symbol Symbol, DateTime Time, decimal? Bid, decimal? Ask, decimal? Last)
{
    /// <summary>The mid of the touch, else the last trade (a trades-only market is taken to be centred on it).</summary>
    public decimal? Mid => Bid is { } b && Ask is { } a ? (b + a) / 2 : Last;

    /// <summary>Quantity at the best bid and best ask, when the venue has a book (the RL agent's imbalance).</summary>
    public decimal? BidQty { get; init; }
    public decimal? AskQty { get; init; }

    /// <summary>Recent volatility in bps per √second of market time, when the venue tracks it (the RL agent's state).</summary>
    public double? VolatilityBpsPerSqrtSecond { get; init; }

    public double? SpreadBps => Bid is { } b && Ask is { } a && a + b > 0 ? (double)((a - b) / ((a + b) / 2) * 10_000m) : null;

    /// <summary>
    /// Where a passive order of <paramref name="side"/> joins the book: our side's touch, or one tick
    /// inside the last trade without a book (the venue's one-tick synthetic spread), never through
    /// <paramref name="limit"/>, on the instrument's tick grid.
    /// </summary>
    public decimal? PassivePrice(Side side, Instrument instrument, decimal? limit = null)
    {
        decimal? price = side == Side.Buy
            ? Bid ?? (Last is { } lb ? lb - instrument.TickSize : null)
            : Ask ?? (Last is { } ls ? ls + instrument.TickSize : null);
        if (price is not { } p) return null;
        if (limit is { } l) p = side == Side.Buy ? Math.Min(p, l) : Math.Max(p, l);
        // On the tick grid, rounded away from the other side so that it stays passive.
        var tick = instrument.TickSize;
        p = side == Side.Buy ? Math.Floor(p / tick) * tick : Math.Ceiling(p / tick) * tick;
        return p > 0 ? p : null;
    }
}

/// <summary>
/// What the smart router weighs besides the quote: the depth on each side within
/// <see cref="MarketActivity.DepthBandBps"/> of the touch, volatility (bps per √second of market time),
/// traded volume per second, and the volume profile learned so far.
/// </summary>
public sealed record MarketConditions(decimal? BidDepth, decimal? AskDepth, double? VolatilityBpsPerSqrtSecond, double? VolumePerSecond,
    VolumeProfile? Profile)
{
    public static MarketConditions Unknown { get; } = new(null, null, null, null, null);

    /// <summary>The depth an order of this side takes from.</summary>
    public decimal? DepthFor(Side side) => side == Side.Buy ? AskDepth : BidDepth;
}
