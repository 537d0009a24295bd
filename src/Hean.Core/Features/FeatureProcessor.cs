using Hean.Core.Domain;
using Hean.Core.Features;
using Hean.Core.MarketData;

namespace Hean.Core.Features;

/// <summary>
/// The state behind the feature stage, one per materialization: per symbol an L2 book, a candle
/// aggregator and a <see cref="FeatureEngine"/>. Each market event updates them; each closed bar is a
/// decision point and yields one <see cref="FeaturesReady"/> (after the indicators' warm-up, unless
/// settings say otherwise). The trade that closes a bar belongs to the next window. Other event
/// kinds are ignored. Single-threaded by construction (it lives inside one stage).
/// </summary>
public sealed class FeatureProcessor(FeatureSettings settings)
{
    private readonly Dictionary<Symbol, SymbolState> _symbols = new();

    public FeatureSettings Settings { get; } = settings ?? throw new ArgumentNullException(nameof(settings));

    public long BookGaps { get; private set; }

    /// <summary>Takes one event; returns the features of the bar it closed, if any.</summary>
    public FeaturesReady? Process(IMarketEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var s = State(e.Symbol);
        if (s.Book is null || s.Candles is null)
            throw new InvalidOperationException($"{e.Symbol} is fed through Observe (with the caller's book), not Process");
        Candle? closed = null;
        switch (e)
        {
            case BookUpdate u:
                if (s.Book.Apply(u) == BookApplyResult.Gap) BookGaps++;
                break;
            case Trade t:
                closed = s.Candles.OnTrade(t);
                break;
        }
        return Observe(e, s.Book, closed);
    }

    /// <summary>
    /// Takes one event whose effect on the book and the bars the caller already applied (the market
    /// graph keeps one book and one candle aggregator per symbol for the strategy and the features):
    /// <paramref name="book"/> is the symbol's book after the event, <paramref name="closed"/> the bar a
    /// trade closed. Same features as <see cref="Process"/> on the same events.
    /// </summary>
    public FeaturesReady? Observe(IMarketEvent e, OrderBook book, Candle? closed)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(book);
        var s = _symbols.TryGetValue(e.Symbol, out var known) ? known : State(e.Symbol, own: false);
        switch (e)
        {
            case BookUpdate:
                s.Engine.OnBook(book);
                return null;
            case Trade t:
                var ready = closed is not null ? Decide(s.Engine, closed) : null;
                s.Engine.OnTrade(t);
                return ready;
            case Candle c:
                return Decide(s.Engine, c);
            case FundingRateUpdate f:
                s.Engine.OnFundingRate(f);
                return null;
            case OpenInterestUpdate oi:
                s.Engine.OnOpenInterest(oi);
                return null;
            case Liquidation l:
                s.Engine.OnLiquidation(l);
                return null;
            default:
                return null;
        }
    }

    private SymbolState State(Symbol symbol, bool own = true)
    {
        if (_symbols.TryGetValue(symbol, out var s)) return s;
        s = own
            ? new SymbolState(new OrderBook(symbol), new CandleAggregator(symbol, Settings.CandleInterval), new FeatureEngine(symbol, Settings.Schema))
            : new SymbolState(null, null, new FeatureEngine(symbol, Settings.Schema));
        _symbols[symbol] = s;
        return s;
    }

    private FeaturesReady? Decide(FeatureEngine engine, Candle bar)
    {
        engine.OnCandle(bar);
        var time = bar.CloseTime;
        if (!Settings.EmitDuringWarmUp && !engine.IndicatorsReady)
        {
            engine.StartNextWindow(time);
            return null;
        }
        return new FeaturesReady(bar.Symbol, time, engine.CloseWindow(time));
    }

    private sealed record SymbolState(OrderBook? Book, CandleAggregator? Candles, FeatureEngine Engine);
}
