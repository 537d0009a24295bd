using Hean.Core.Features;
using Hean.Core.Signals;
using Hean.Core.MarketData;
using Hean.Core.Models;
using Hean.Core.Strategy;

namespace Hean.Streams.Inference;

/// <summary>
/// What the market graph needs to run a model: the models loaded at start (checked against
/// <paramref name="Schema"/>), the catalog to poll for hot swaps (null: no polling, e.g. a backtest),
/// the inference settings, the strategy's settings, the pool of inference threads and the observer.
/// </summary>
public sealed record MlGraphSettings(
    LoadedModels Models,
    IModelCatalog? Catalog,
    FeatureSchema Schema,
    InferenceSettings Inference,
    MlStrategySettings Strategy,
    InferencePool Pool,
    IInferenceObserver Observer)
{
    /// <summary>The dispatcher of the inference stage in hean.conf: one dedicated thread.</summary>
    public const string DedicatedDispatcher = "akka.actor.hean-ml-dispatcher";

    /// <summary>
    /// The Akka dispatcher the inference stage runs on, behind an async boundary (an island of its own: bounded
    /// models predict there in place while the rest of the graph goes on); null: fused with the graph.
    /// </summary>
    public string? Dispatcher { get; init; }
}
