namespace Hean.Core.MarketData.Replay;

/// <summary>Market events for a backtest on bar data: the candles themselves, in time order.</summary>
public static class CandleMarketEvents
{
    /// <summary>Yields each candle as an event (its Time is the open time).</summary>
    /// <exception cref="InvalidOperationException">A candle is earlier than the one before it.</exception>
    public static IEnumerable<IMarketEvent> FromCandles(IEnumerable<Candle> candles)
    {
        ArgumentNullException.ThrowIfNull(candles);
        return Iterate(candles);

        static IEnumerable<IMarketEvent> Iterate(IEnumerable<Candle> candles)
        {
            DateTime? previous = null;
            foreach (var candle in candles)
            {
                if (previous is { } p && candle.Time < p)
                    throw new InvalidOperationException($"candle {candle.Symbol} at {candle.Time:O} is earlier than the previous one at {p:O}");
                previous = candle.Time;
                yield return candle;
            }
        }
    }
}
