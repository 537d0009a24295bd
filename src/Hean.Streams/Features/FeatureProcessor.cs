using Hean.Core.Domain;
using Hean.Core.Features;
using Hean.Core.MarketData;

namespace Hean.Streams.Features;

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
        if (!_symbols.TryGetValue(e.Symbol, out var s))
        {
            s = new SymbolState(new OrderBook(e.Symbol), new CandleAggregator(e.Symbol, Settings.CandleInterval), new FeatureEngine(e.Symbol, Settings.Schema));
            _symbols[e.Symbol] = s;
        }

        switch (e)
        {
            case BookUpdate u:
                if (s.Book.Apply(u) == BookApplyResult.Gap) BookGaps++;
                s.Engine.OnBook(s.Book);
                return null;
            case Trade t:
                var ready = s.Candles.OnTrade(t) is { } closed ? Decide(s.Engine, closed) : null;
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

    private sealed record SymbolState(OrderBook Book, CandleAggregator Candles, FeatureEngine Engine);
}
