using Hean.Core.Features;
using Hean.Core.MarketData;
using Hean.Core.Signals;

namespace Hean.Core.MarketData;

/// <summary>
/// One market event as it leaves the stream graph: the event, the candle it closed (if any),
/// the signal the strategy made on that candle (if any), and the touch after the event.
/// With a model configured, a live closed bar also carries its <see cref="Decision"/> (FEATURES_READY and
/// the technical view), and after the inference stage its <see cref="Prediction"/> (ML_PREDICTION).
/// </summary>
public sealed record MarketStep(IMarketEvent Event, Candle? ClosedCandle, Signal? Signal, decimal? BestBid, decimal? BestAsk)
{
    /// <summary>The decision point the inference stage turns into the signal; null without a model.</summary>
    public BarDecision? Decision { get; init; }

    /// <summary>Wall time from the event's arrival at the processor to the signal it produced (seconds); null without a signal.</summary>
    public double? TickToSignalSeconds { get; init; }

    /// <summary>The <see cref="System.Diagnostics.Stopwatch"/> timestamp at which the signal was made (null without one): where signal_to_order starts.</summary>
    public long? SignalAt { get; init; }

    /// <summary>What the model said at <see cref="Decision"/> (null without a model, or while its breaker is open).</summary>
    public MlPrediction? Prediction { get; init; }
}

/// <summary>
/// A live closed bar when a model runs: its features, the price and time a signal would carry, and
/// the technical strategy's current view (the direction and confidence of its last signal).
/// </summary>
public sealed record BarDecision(DateTime Time, decimal ReferencePrice, double? Volatility, FeatureVector Features,
    SignalDirection TechnicalView, double TechnicalConfidence);

/// <summary>
/// One live market event as the backtest kernel reads it (<see cref="MarketProcessor.ProcessLive"/>): the candle it
/// closed, the signal the strategy made on it, the touch after the event. A value, so nothing is allocated per event.
/// </summary>
public readonly record struct LiveStep(Candle? ClosedCandle, Signal? Signal, decimal? BestBid, decimal? BestAsk);
