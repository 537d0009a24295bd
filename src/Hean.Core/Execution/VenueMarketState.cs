using Hean.Core.Domain;
using Hean.Core.MarketData;

namespace Hean.Core.Execution;

/// <summary>
/// What a venue gateway knows of the market for quotes and the smart router, the same for the paper and the Bybit
/// gateways: per symbol the activity (volatility, volume, volume profile) on market time and the last trade price,
/// over the book the venue keeps (the simulated exchange's own, or the one the Bybit gateway builds from the feed).
/// </summary>
/// <param name="bookOf">the venue's book of a symbol, if it has one</param>
/// <param name="lastPrice">the venue's last price of a symbol; without it, the last trade this state observed</param>
public sealed class VenueMarketState(Func<Symbol, OrderBook?> bookOf, Func<Symbol, decimal?>? lastPrice = null)
{
    private readonly Dictionary<Symbol, MarketActivity> _activity = new();
    private readonly Dictionary<Symbol, decimal> _lastTrade = new();

    /// <summary>One market event and the mark it gave (a book mid, a trade price, a close), on market time.</summary>
    public void Observe(IMarketEvent e, decimal? mark)
    {
        if (!_activity.TryGetValue(e.Symbol, out var activity)) _activity[e.Symbol] = activity = new MarketActivity();
        if (mark is { } price) activity.OnPrice(e.Time, price);
        switch (e)
        {
            case Trade t:
                _lastTrade[t.Symbol] = t.Price;
                activity.OnVolume(t.Time, t.Qty);
                break;
            case Candle c: activity.OnVolume(c.Time, c.Volume); break;
        }
    }

    public MarketQuote QuoteOf(Symbol symbol, DateTime now)
    {
        var book = bookOf(symbol);
        var live = book is { IsInitialized: true };
        var last = lastPrice is not null ? lastPrice(symbol) : _lastTrade.TryGetValue(symbol, out var traded) ? traded : null;
        return new MarketQuote(symbol, now, live ? book!.BestBid?.Price : null, live ? book!.BestAsk?.Price : null, last)
        {
            // The RL agent reads the book imbalance and the volatility from these.
            BidQty = live ? book!.BestBid?.Qty : null,
            AskQty = live ? book!.BestAsk?.Qty : null,
            VolatilityBpsPerSqrtSecond = _activity.GetValueOrDefault(symbol)?.VolatilityBpsPerSqrtSecond,
        };
    }

    public MarketConditions ConditionsOf(Symbol symbol, DateTime now)
    {
        var (bidDepth, askDepth) = MarketActivity.DepthNearTouch(bookOf(symbol));
        var activity = _activity.GetValueOrDefault(symbol);
        return new MarketConditions(bidDepth, askDepth, activity?.VolatilityBpsPerSqrtSecond, activity?.VolumePerSecond(now), activity?.Profile);
    }
}
