using Akka;
using Hean.Core.Features;
using Hean.Core.Signals;
using Akka.Streams.Dsl;
using Hean.Core.MarketData;

namespace Hean.Streams.Features;

public static class FeatureFlow
{
    /// <summary>The feature stage as a flow: market events → FEATURES_READY.</summary>
    public static Flow<IMarketEvent, FeaturesReady, NotUsed> Create(FeatureSettings settings) =>
        Flow.FromGraph(new FeatureStage(settings));
}
