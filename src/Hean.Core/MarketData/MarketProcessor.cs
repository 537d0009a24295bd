using System.Diagnostics;
using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Core.Risk;
using Hean.Core.Features;
using Hean.Core.Signals;
using Hean.Core.Strategy;

namespace Hean.Core.MarketData;

/// <summary>
/// The stateful heart of the hot path, one per materialization: per symbol it keeps the L2 book
/// and the candle being built, and runs the strategy on every closed candle. Single-threaded by
/// construction (it lives inside one stream stage).
/// Events before <c>liveFrom</c> only warm up books, candles and indicators and go no further. At
/// the first live event every warmed-up symbol sends a snapshot of its book (so the venue starts
/// from the same book) and the strategy's current view (so trading starts aligned with it).
/// With <c>features</c> (a model is configured) it also feeds the feature engines from the same book,
/// trades and bars, and a live closed bar carries a <see cref="BarDecision"/> for the inference stage;
/// without, none of that work is done.
/// With <c>sharedBooks</c> the books are another's (the simulated venue's, in the backtest kernel), kept up to date by
/// it before each event reaches the processor: the processor reads them and applies no update itself (and so counts no
/// <see cref="BookGaps"/>).
/// </summary>
public sealed class MarketProcessor(TimeSpan candleInterval, Func<Symbol, IStrategy> strategyFactory, DateTime? liveFrom = null,
    FeatureSettings? features = null, Func<Symbol, OrderBook>? sharedBooks = null)
{
    private readonly FeatureProcessor? _features = features is null ? null : new FeatureProcessor(features);
    private const int SnapshotDepth = 50;
    private const int VolatilityWindow = 60;
    private readonly Dictionary<Symbol, SymbolState> _symbols = new();
    private readonly List<Symbol> _order = new();
    private readonly HashSet<Symbol> _pendingAlignment = new();
    private bool _live = liveFrom is null;

    public long BookGaps { get; private set; }
    public long Events { get; private set; }
    public long WarmupEvents { get; private set; }

    /// <summary>Wall time from an event's arrival to the signal it produced, last value (seconds).</summary>
    public double LastTickToSignalSeconds { get; private set; }

    public IReadOnlyList<MarketStep> Process(IMarketEvent e)
    {
        var started = Stopwatch.GetTimestamp();
        var s = Enter(e);

        List<MarketStep>? opening = null;
        if (!_live && e.Time >= liveFrom!.Value)
        {
            _live = true;
            opening = Opening(e.Time);
        }

        var a = Advance(e, s, started);
        if (!_live) return [];
        var step = new MarketStep(e, a.Closed, a.Signal, Touch(s.Book, Side.Buy), Touch(s.Book, Side.Sell))
        {
            TickToSignalSeconds = a.TickToSignal,
            SignalAt = a.Signal is null ? null : Stopwatch.GetTimestamp(),
        };
        if (a.Ready is not null)
            step = step with
            {
                Decision = new BarDecision(e is Candle b ? b.CloseTime : e.Time, a.Closed!.Close, a.BarVolatility, a.Ready.Features,
                    s.View.Direction, s.View.Confidence),
            };
        if (opening is null) return [step];
        // The opening's alignment signals were made by this event too.
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        for (var i = 0; i < opening.Count; i++)
            if (opening[i].Signal is not null) opening[i] = opening[i] with { TickToSignalSeconds = elapsed, SignalAt = Stopwatch.GetTimestamp() };
        opening.Add(step);
        return opening;
    }

    /// <summary>
    /// <see cref="Process"/> for a caller that reads the one step of a live event at once and needs neither its features
    /// nor its latency (the backtest kernel): the same work, with nothing allocated for the step.
    /// </summary>
    /// <exception cref="InvalidOperationException">The processor is still warming up, or has features to compute.</exception>
    public LiveStep ProcessLive(IMarketEvent e)
    {
        if (!_live || _features is not null)
            throw new InvalidOperationException("ProcessLive is for a live processor without features; use Process");
        var s = Enter(e);
        var a = Advance(e, s, Stopwatch.GetTimestamp());
        return new LiveStep(a.Closed, a.Signal, Touch(s.Book, Side.Buy), Touch(s.Book, Side.Sell));
    }

    /// <summary>The symbol's state, made at its first event.</summary>
    private SymbolState Enter(IMarketEvent e)
    {
        Events++;
        if (!_symbols.TryGetValue(e.Symbol, out var s))
        {
            s = new SymbolState(sharedBooks?.Invoke(e.Symbol) ?? new OrderBook(e.Symbol), new CandleAggregator(e.Symbol, candleInterval), strategyFactory(e.Symbol));
            _symbols[e.Symbol] = s;
            _order.Add(e.Symbol);
        }
        return s;
    }

    /// <summary>The book, the candles, the strategy and the features on one event; the signal it makes once live.</summary>
    private Advanced Advance(IMarketEvent e, SymbolState s, long started)
    {
        Candle? closed = null;
        switch (e)
        {
            case BookUpdate u:
                if (sharedBooks is null && s.Book.Apply(u) == BookApplyResult.Gap) BookGaps++;
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
        if (closed is not null) s.Closes.Add(closed.Close);
        var signal = closed is null ? null : s.Strategy.OnCandle(closed);
        if (signal is not null) s.View = (signal.Direction, signal.Confidence);
        var ready = _features?.Observe(e, s.Book, closed);
        if (!_live)
        {
            WarmupEvents++;
            return default;
        }
        // Once per closed bar, for the signal and the decision alike.
        var barVolatility = closed is not null && (signal is not null || ready is not null) ? Volatility(s, closed.Interval) : null;
        double? tickToSignal = null;
        if (signal is not null)
        {
            signal = signal with { Time = e is Candle bar ? bar.CloseTime : e.Time, Volatility = barVolatility };
            LastTickToSignalSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            tickToSignal = LastTickToSignalSeconds;
        }
        if (signal is null && _pendingAlignment.Count > 0 && _pendingAlignment.Contains(e.Symbol) && (s.Book.Mid ?? (e as Trade)?.Price) is { } reference)
        {
            // Warmed up on bars without a book (e.g. klines from the venue): align at the first live price.
            _pendingAlignment.Remove(e.Symbol);
            signal = s.Strategy.Align(e.Time) is { } align ? align with { ReferencePrice = reference, Volatility = Volatility(s, candleInterval) } : null;
            if (signal is not null)
            {
                s.View = (signal.Direction, signal.Confidence);
                tickToSignal = LastTickToSignalSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            }
        }
        return new Advanced(closed, signal, tickToSignal, ready, barVolatility);
    }

    private readonly record struct Advanced(Candle? Closed, Signal? Signal, double? TickToSignal, FeaturesReady? Ready, double? BarVolatility);

    private List<MarketStep> Opening(DateTime time)
    {
        var steps = new List<MarketStep>();
        foreach (var symbol in _order)
        {
            var s = _symbols[symbol];
            if (!s.Book.IsInitialized)
            {
                _pendingAlignment.Add(symbol);
                continue;
            }
            var snapshot = new BookUpdate(symbol, time, s.Book.Sequence, 0, true, s.Book.Bids(SnapshotDepth), s.Book.Asks(SnapshotDepth));
            var align = s.Strategy.Align(time);
            if (align is not null) s.View = (align.Direction, align.Confidence);
            if (align is not null && s.Book.Mid is { } mid) align = align with { ReferencePrice = mid, Volatility = Volatility(s, candleInterval) };
            steps.Add(new MarketStep(snapshot, null, align, Touch(s.Book, Side.Buy), Touch(s.Book, Side.Sell)));
        }
        return steps;
    }

    private static decimal? Touch(OrderBook book, Side side) =>
        !book.IsInitialized ? null : side == Side.Buy ? book.BestBid?.Price : book.BestAsk?.Price;

    /// <summary>Annualized realized volatility of the last closes (null until there are enough).</summary>
    private static double? Volatility(SymbolState s, TimeSpan interval)
    {
        if (s.Closes.Count < 10) return null;
        var vol = s.Closes.Annualized(interval);
        return double.IsNaN(vol) ? null : vol;
    }

    private sealed record SymbolState(OrderBook Book, CandleAggregator Candles, IStrategy Strategy)
    {
        public RollingVolatility Closes { get; } = new(VolatilityWindow + 1);

        /// <summary>The technical strategy's view: its last signal's direction and confidence.</summary>
        public (SignalDirection Direction, double Confidence) View { get; set; }
    }
}
