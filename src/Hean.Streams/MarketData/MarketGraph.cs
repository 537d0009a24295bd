using Akka;
using Hean.Core.Features;
using Hean.Core.Signals;
using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Core.Strategy;
using Hean.Core.Time;
using Hean.Streams.Features;
using Hean.Streams.Inference;

namespace Hean.Streams.MarketData;

/// <summary>Settings of the market-data graph.</summary>
public sealed record MarketGraphSettings(
    TimeSpan CandleInterval,
    int MaxBatch,
    double? PaceSpeed,
    Func<Symbol, IStrategy> StrategyFactory,
    DateTime? LiveFrom = null)
{
    /// <summary>The model to run in the graph (HEAN_MODEL_DIR); null: the technical strategy alone, no feature work.</summary>
    public MlGraphSettings? Ml { get; init; }

    public static MarketGraphSettings Backtest(TimeSpan candleInterval, Func<Symbol, IStrategy> strategies) =>
        new(candleInterval, 512, null, strategies);

    public static MarketGraphSettings Paper(TimeSpan candleInterval, Func<Symbol, IStrategy> strategies) =>
        new(candleInterval, 256, 1.0, strategies);
}

/// <summary>
/// The hot path as one fused graph:
/// source → (pace by wall time) → book / candle / strategy [/ features] → [inference] → batch → acknowledged actor sink.
/// The bracketed parts run only with a model (<see cref="MarketGraphSettings.Ml"/>).
/// Backpressure end to end: the sink acknowledges a batch only after the actors handled it, and
/// <c>Batch</c> aggregates while the sink is busy, so no buffer grows without bound.
/// </summary>
public static class MarketGraph
{
    public static IRunnableGraph<(UniqueKillSwitch, MarketProcessor)> ToActor(
        Source<IMarketEvent, NotUsed> source,
        MarketGraphSettings settings,
        IActorRef sink,
        IClock clock,
        object onInit, object ack, object onComplete, Func<Exception, object> onFailure)
    {
        var ml = settings.Ml;
        var processor = new MarketProcessor(settings.CandleInterval, settings.StrategyFactory, settings.LiveFrom,
            ml is null ? null : new FeatureSettings(settings.CandleInterval, ml.Schema));
        var paced = settings.PaceSpeed is { } speed ? source.Via(Pace(clock, speed, settings.LiveFrom)) : source;
        var steps = paced
            .ViaMaterialized(KillSwitches.Single<IMarketEvent>(), Keep.Right)
            .SelectMany(processor.Process);
        if (ml is not null) steps = steps.Via(Inference(ml));
        return steps
            .Batch(settings.MaxBatch, step => new List<MarketStep>(16) { step }, (batch, step) =>
            {
                batch.Add(step);
                return batch;
            })
            .Select(batch => (IReadOnlyList<MarketStep>)batch)
            .ToMaterialized(Sink.ActorRefWithAck<IReadOnlyList<MarketStep>>(sink, onInit, ack, onComplete, onFailure), Keep.Left)
            .MapMaterializedValue(ks => (ks, processor));
    }

    /// <summary>
    /// Model inference on market steps: decisions get their ML signal and ML_PREDICTION, other steps pass. With
    /// <see cref="MlGraphSettings.Dispatcher"/> the stage is an async island on that dispatcher.
    /// </summary>
    public static Flow<MarketStep, MarketStep, NotUsed> Inference(MlGraphSettings ml)
    {
        var stage = Flow.FromGraph(new InferenceStage(ml));
        return ml.Dispatcher is { } dispatcher ? stage.WithAttributes(ActorAttributes.CreateDispatcher(dispatcher)) : stage;
    }

    /// <summary>
    /// Releases each event when the wall clock reaches its place on the data's timeline
    /// (speed 1 = real time, 10 = ten times faster). Events already late, and warm-up events
    /// before <paramref name="liveFrom"/>, pass at once.
    /// </summary>
    public static Flow<IMarketEvent, IMarketEvent, NotUsed> Pace(IClock clock, double speed, DateTime? liveFrom = null) =>
        Flow.FromGraph(new PaceStage(clock, speed, liveFrom));
}
