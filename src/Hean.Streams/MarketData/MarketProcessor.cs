using System.Diagnostics;
using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Core.Strategy;

namespace Hean.Streams.MarketData;

/// <summary>
/// The stateful heart of the hot path, one per materialization: per symbol it keeps the L2 book
/// and the candle being built, and runs the strategy on every closed candle. Single-threaded by
/// construction (it lives inside one stream stage).
/// </summary>
public sealed class MarketProcessor(TimeSpan candleInterval, Func<Symbol, IStrategy> strategyFactory)
{
    private readonly Dictionary<Symbol, SymbolState> _symbols = new();

    public long BookGaps { get; private set; }
    public long Events { get; private set; }

    /// <summary>Wall time spent from an event's arrival to its signal, last value (seconds).</summary>
    public double LastTickToSignalSeconds { get; private set; }

    public MarketStep Process(IMarketEvent e)
    {
        var started = Stopwatch.GetTimestamp();
        Events++;
        if (!_symbols.TryGetValue(e.Symbol, out var s))
        {
            s = new SymbolState(new OrderBook(e.Symbol), new CandleAggregator(e.Symbol, candleInterval), strategyFactory(e.Symbol));
            _symbols[e.Symbol] = s;
        }

        Candle? closed = null;
        switch (e)
        {
            case BookUpdate u:
                if (s.Book.Apply(u) == BookApplyResult.Gap) BookGaps++;
                break;
            case Trade t:
                closed = s.Candles.OnTrade(t);
                break;
            case Candle c:
                closed = c;
                break;
        }

        // The decision is made when we learn that the candle closed: at the trade that opened the
        // next bucket, or at the close of a bar read from a file. Orders are stamped with that time.
        var signal = closed is null ? null : s.Strategy.OnCandle(closed);
        if (signal is not null) signal = signal with { Time = e is Candle bar ? bar.CloseTime : e.Time };
        if (signal is not null) LastTickToSignalSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var bid = s.Book.IsInitialized ? s.Book.BestBid?.Price : null;
        var ask = s.Book.IsInitialized ? s.Book.BestAsk?.Price : null;
        return new MarketStep(e, closed, signal, bid, ask);
    }

    private sealed record SymbolState(OrderBook Book, CandleAggregator Candles, IStrategy Strategy);
}
