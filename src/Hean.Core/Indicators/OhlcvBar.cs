using Hean.Core.MarketData;

namespace Hean.Core.Indicators;

/// <summary>
/// One bar as the indicators see it: doubles, because indicator arithmetic is floating point
/// (money stays decimal in orders and fills). Time is the bar's open time (UTC).
/// </summary>
public readonly record struct OhlcvBar(DateTime Time, double Open, double High, double Low, double Close, double Volume)
{
    /// <summary>(high + low + close) / 3, the price CCI, MFI and VWAP work on.</summary>
    public double TypicalPrice => (High + Low + Close) / 3.0;

    public static OhlcvBar From(Candle c)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new(c.Time, (double)c.Open, (double)c.High, (double)c.Low, (double)c.Close, (double)c.Volume);
    }
}
