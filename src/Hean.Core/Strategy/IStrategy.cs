using Hean.Core.MarketData;
using Hean.Core.Signals;

namespace Hean.Core.Strategy;

/// <summary>A bar-driven strategy: sees each closed candle once, in time order.</summary>
public interface IStrategy
{
    string Name { get; }

    /// <summary>A signal when the strategy's desired position changes, otherwise null.</summary>
    Signal? OnCandle(Candle c);

    /// <summary>The position the strategy wants now, as a signal (when trading starts after a warm-up); null if it has no view yet.</summary>
    Signal? Align(DateTime time);
}
