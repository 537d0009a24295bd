using Hean.Core.Domain;

namespace Hean.Core.Features;

/// <summary>
/// Trade-flow features of one symbol over a decision window (reset by <see cref="ResetWindow"/>),
/// plus a session VWAP that runs across windows. Every value is NaN until the first trade: no trade
/// feed is not the same as a quiet market.
/// </summary>
public sealed class TradeFlow
{
    private readonly long _sessionTicks;
    private long _session = long.MinValue;
    private double _sessionPriceVolume;
    private double _sessionVolume;
    private double _buyVolume;
    private double _sellVolume;
    private double _lastPrice = double.NaN;

    /// <param name="vwapSession">Length of the VWAP session (sessions start at multiples of it on the UTC clock; 1d = midnight).</param>
    public TradeFlow(TimeSpan vwapSession)
    {
        if (vwapSession <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(vwapSession), vwapSession, "session length must be positive");
        _sessionTicks = vwapSession.Ticks;
    }

    public bool HasTrades => !double.IsNaN(_lastPrice);

    /// <summary>Trades in the window.</summary>
    public int WindowTrades { get; private set; }

    /// <summary>Taker buy volume / all taker volume in the window, in [0, 1]; NaN when nothing traded in it.</summary>
    public double TakerBuyRatio
    {
        get
        {
            var total = _buyVolume + _sellVolume;
            return total > 0 ? _buyVolume / total : double.NaN;
        }
    }

    /// <summary>Taker buy volume − taker sell volume in the window.</summary>
    public double SignedVolume => HasTrades ? _buyVolume - _sellVolume : double.NaN;

    /// <summary>Trades per second over a window of <paramref name="seconds"/>.</summary>
    public double Intensity(double seconds) => HasTrades && seconds > 0 ? WindowTrades / seconds : double.NaN;

    /// <summary>(last price − session VWAP) / session VWAP.</summary>
    public double VwapDeviation => HasTrades && _sessionVolume > 0
        ? (_lastPrice - _sessionPriceVolume / _sessionVolume) / (_sessionPriceVolume / _sessionVolume)
        : double.NaN;

    public void OnTrade(DateTime time, double price, double qty, Side takerSide)
    {
        if (!(price > 0) || !double.IsFinite(price)) throw new ArgumentOutOfRangeException(nameof(price), price, "trade price must be positive");
        if (!(qty >= 0) || !double.IsFinite(qty)) throw new ArgumentOutOfRangeException(nameof(qty), qty, "trade quantity must be ≥ 0");
        if (takerSide is not (Side.Buy or Side.Sell)) throw new ArgumentOutOfRangeException(nameof(takerSide), takerSide, "taker side must be buy or sell");

        var session = time.Ticks / _sessionTicks;
        if (session != _session)
        {
            _session = session;
            _sessionPriceVolume = 0;
            _sessionVolume = 0;
        }
        _sessionPriceVolume += price * qty;
        _sessionVolume += qty;
        if (takerSide == Side.Buy) _buyVolume += qty;
        else _sellVolume += qty;
        _lastPrice = price;
        WindowTrades++;
    }

    public void ResetWindow()
    {
        _buyVolume = 0;
        _sellVolume = 0;
        WindowTrades = 0;
    }
}
