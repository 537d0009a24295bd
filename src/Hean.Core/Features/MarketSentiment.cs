using Hean.Core.Domain;

namespace Hean.Core.Features;

/// <summary>
/// Funding, open interest and liquidations of one symbol. Each is NaN until the first event of its
/// kind arrives (a replay without them stays NaN: absent, not faked). Open-interest change and
/// liquidation notionals are per decision window (reset by <see cref="ResetWindow"/>).
/// </summary>
public sealed class MarketSentiment
{
    private double _openInterest = double.NaN;
    private double _openInterestAtStart = double.NaN;
    private bool _liquidationsSeen;
    private double _longsLiquidated;
    private double _shortsLiquidated;

    /// <summary>The latest funding rate.</summary>
    public double FundingRate { get; private set; } = double.NaN;

    /// <summary>Relative change of open interest since the window started (or since the first reading, if later).</summary>
    public double OpenInterestChange =>
        _openInterestAtStart > 0 ? (_openInterest - _openInterestAtStart) / _openInterestAtStart : double.NaN;

    /// <summary>Notional (price × qty) of long positions liquidated in the window.</summary>
    public double LongLiquidationNotional => _liquidationsSeen ? _longsLiquidated : double.NaN;

    /// <summary>Notional of short positions liquidated in the window.</summary>
    public double ShortLiquidationNotional => _liquidationsSeen ? _shortsLiquidated : double.NaN;

    public void OnFundingRate(FundingRateUpdate u)
    {
        ArgumentNullException.ThrowIfNull(u);
        FundingRate = (double)u.Rate;
    }

    public void OnOpenInterest(OpenInterestUpdate u)
    {
        ArgumentNullException.ThrowIfNull(u);
        if (u.OpenInterest < 0) throw new ArgumentOutOfRangeException(nameof(u), u.OpenInterest, "open interest must be ≥ 0");
        _openInterest = (double)u.OpenInterest;
        if (double.IsNaN(_openInterestAtStart)) _openInterestAtStart = _openInterest;
    }

    public void OnLiquidation(Liquidation l)
    {
        ArgumentNullException.ThrowIfNull(l);
        if (l.Price <= 0 || l.Qty < 0) throw new ArgumentOutOfRangeException(nameof(l), $"liquidation needs a positive price and a quantity ≥ 0, got {l.Qty} at {l.Price}");
        _liquidationsSeen = true;
        var notional = (double)(l.Price * l.Qty);
        if (l.PositionSide == Side.Buy) _longsLiquidated += notional;
        else _shortsLiquidated += notional;
    }

    public void ResetWindow()
    {
        _openInterestAtStart = _openInterest;
        _longsLiquidated = 0;
        _shortsLiquidated = 0;
    }
}
