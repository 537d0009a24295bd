using Hean.Core.Domain;
using Hean.Core.Indicators;
using Hean.Core.MarketData;

namespace Hean.Core.Features;

/// <summary>
/// Computes the features of one symbol. Feed it what happens (closed bars, book states, trades,
/// sentiment events) and, at each decision point, read the vector: <see cref="Compute"/> fills a
/// preallocated buffer and allocates nothing; <see cref="CloseWindow"/> copies it into an immutable
/// <see cref="FeatureVector"/> and starts the next window. Updates are O(1) and allocation-free.
/// Windowed features (OFI, trade flow, open-interest change, liquidations) cover the time since the
/// previous decision point. Not thread-safe: one engine per symbol per stage.
/// </summary>
public sealed class FeatureEngine
{
    private readonly IBarIndicator[] _indicators;
    private readonly double[] _values;
    private readonly OrderFlowImbalance _ofi = new();
    private readonly TradeFlow _trades = new(TimeSpan.FromDays(1));
    private readonly MarketSentiment _sentiment = new();
    private OrderBook? _book;
    private DateTime? _windowStart;

    public FeatureEngine(Symbol symbol, FeatureSchema schema)
    {
        ArgumentNullException.ThrowIfNull(schema);
        Symbol = symbol;
        Schema = schema;
        _indicators = schema.Indicators.Select(s => s.Create()).ToArray();
        _values = new double[schema.Count];
    }

    public Symbol Symbol { get; }
    public FeatureSchema Schema { get; }

    /// <summary>True once every bar indicator has left its warm-up.</summary>
    public bool IndicatorsReady
    {
        get
        {
            foreach (var indicator in _indicators)
                if (!indicator.IsReady) return false;
            return true;
        }
    }

    /// <summary>A closed bar: updates every indicator. A bar with a price that is not a positive
    /// number or a volume that is not ≥ 0 is refused before any indicator sees it.</summary>
    public void OnBar(in OhlcvBar bar)
    {
        if (!(bar.Open > 0 && bar.High > 0 && bar.Low > 0 && bar.Close > 0 && bar.Volume >= 0) ||
            !double.IsFinite(bar.Open + bar.High + bar.Low + bar.Close + bar.Volume))
            throw new ArgumentOutOfRangeException(nameof(bar), bar, "bar prices must be positive numbers and the volume a number ≥ 0");
        _windowStart ??= bar.Time;
        foreach (var indicator in _indicators) indicator.Update(bar);
    }

    public void OnCandle(Candle candle)
    {
        ArgumentNullException.ThrowIfNull(candle);
        CheckSymbol(candle.Symbol);
        OnBar(OhlcvBar.From(candle));
    }

    /// <summary>The book after an update was applied; its touch feeds the OFI, its levels are read at the decision.</summary>
    public void OnBook(OrderBook book)
    {
        ArgumentNullException.ThrowIfNull(book);
        CheckSymbol(book.Symbol);
        _book = book;
        _windowStart ??= book.Time;
        if (!OrderBookFeatures.HasTouch(book))
        {
            _ofi.Invalidate();
            return;
        }
        var bid = book.LevelAt(Side.Buy, 0);
        var ask = book.LevelAt(Side.Sell, 0);
        _ofi.Update((double)bid.Price, (double)bid.Qty, (double)ask.Price, (double)ask.Qty);
    }

    public void OnTrade(Trade trade)
    {
        ArgumentNullException.ThrowIfNull(trade);
        CheckSymbol(trade.Symbol);
        _windowStart ??= trade.Time;
        _trades.OnTrade(trade.Time, (double)trade.Price, (double)trade.Qty, trade.TakerSide);
    }

    public void OnFundingRate(FundingRateUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        CheckSymbol(update.Symbol);
        _sentiment.OnFundingRate(update);
    }

    public void OnOpenInterest(OpenInterestUpdate update)
    {
        ArgumentNullException.ThrowIfNull(update);
        CheckSymbol(update.Symbol);
        _sentiment.OnOpenInterest(update);
    }

    public void OnLiquidation(Liquidation liquidation)
    {
        ArgumentNullException.ThrowIfNull(liquidation);
        CheckSymbol(liquidation.Symbol);
        _sentiment.OnLiquidation(liquidation);
    }

    /// <summary>Fills the engine's vector as of <paramref name="time"/> (the end of the window) and returns it; valid until the next call.</summary>
    public ReadOnlySpan<double> Compute(DateTime time)
    {
        var v = _values;
        var at = 0;
        foreach (var indicator in _indicators)
            for (var o = 0; o < indicator.OutputCount; o++)
                v[at++] = indicator.Output(o);

        at = Schema.BookOffset;
        if (_book is { } book && OrderBookFeatures.HasTouch(book))
        {
            v[at] = OrderBookFeatures.SpreadBps(book);
            v[at + 1] = OrderBookFeatures.Mid(book);
            v[at + 2] = OrderBookFeatures.Microprice(book);
            v[at + 3] = OrderBookFeatures.Imbalance(book, Schema.ImbalanceLevels);
            v[at + 4] = OrderBookFeatures.DepthPressure(book, Schema.DepthBandBps);
            v[at + 5] = OrderBookFeatures.LiquidityScore(book, Schema.DepthBandBps);
        }
        else
        {
            v.AsSpan(at, 6).Fill(double.NaN);
        }
        v[at + 6] = _book is null ? double.NaN : _ofi.Sum;

        at = Schema.TradeFlowOffset;
        var seconds = _windowStart is { } start ? (time - start).TotalSeconds : 0;
        v[at] = _trades.TakerBuyRatio;
        v[at + 1] = _trades.Intensity(seconds);
        v[at + 2] = _trades.SignedVolume;
        v[at + 3] = _trades.VwapDeviation;

        at = Schema.SentimentOffset;
        v[at] = _sentiment.FundingRate;
        v[at + 1] = _sentiment.OpenInterestChange;
        v[at + 2] = _sentiment.LongLiquidationNotional;
        v[at + 3] = _sentiment.ShortLiquidationNotional;
        return v;
    }

    /// <summary>The features as of <paramref name="time"/>, as an immutable vector; then the next window starts there.</summary>
    public FeatureVector CloseWindow(DateTime time)
    {
        var vector = FeatureVector.Create(Schema, Compute(time));
        StartNextWindow(time);
        return vector;
    }

    /// <summary>Starts the next window at <paramref name="time"/> without reading the features (e.g. during warm-up).</summary>
    public void StartNextWindow(DateTime time)
    {
        _ofi.ResetSum();
        _trades.ResetWindow();
        _sentiment.ResetWindow();
        _windowStart = time;
    }

    private void CheckSymbol(Symbol symbol)
    {
        if (symbol != Symbol) throw new ArgumentException($"event for {symbol} given to the {Symbol} feature engine");
    }
}
