using Akka.Streams;
using Hean.Core.Features;
using Hean.Core.Signals;
using Akka.Streams.Stage;
using Hean.Core.MarketData;

namespace Hean.Streams.Features;

/// <summary>
/// Market events in, one <see cref="FeaturesReady"/> per closed bar out (FEATURES_READY). Keeps a
/// <see cref="FeatureProcessor"/> per materialization; pulls again when an event decides nothing, so
/// it never buffers. An event the processor refuses (out of order, another symbol's book, a bad bar)
/// fails the stage with that exception.
/// </summary>
public sealed class FeatureStage : GraphStage<FlowShape<IMarketEvent, FeaturesReady>>
{
    private readonly FeatureSettings _settings;

    public FeatureStage(FeatureSettings settings)
    {
        _settings = settings ?? throw new ArgumentNullException(nameof(settings));
        Shape = new FlowShape<IMarketEvent, FeaturesReady>(In, Out);
    }

    public Inlet<IMarketEvent> In { get; } = new("features.in");
    public Outlet<FeaturesReady> Out { get; } = new("features.out");
    public override FlowShape<IMarketEvent, FeaturesReady> Shape { get; }

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : GraphStageLogic
    {
        public Logic(FeatureStage stage) : base(stage.Shape)
        {
            var processor = new FeatureProcessor(stage._settings);
            SetHandler(stage.In, onPush: () =>
            {
                if (processor.Process(Grab(stage.In)) is { } ready) Push(stage.Out, ready);
                else Pull(stage.In);
            });
            SetHandler(stage.Out, onPull: () => Pull(stage.In));
        }
    }
}
