using Akka.Streams;
using Hean.Core.Features;
using Hean.Core.Signals;
using Akka.Streams.Stage;
using Hean.Core.MarketData;
using Hean.Core.Time;

namespace Hean.Streams.MarketData;

/// <summary>
/// Holds each market event until the wall clock reaches its place on the data's timeline, so a
/// recorded or simulated feed plays at real speed (or a multiple of it). No thread is blocked:
/// a late element waits on a stage timer.
/// </summary>
public sealed class PaceStage : GraphStage<FlowShape<IMarketEvent, IMarketEvent>>
{
    private readonly IClock _clock;
    private readonly double _speed;
    private readonly DateTime? _liveFrom;

    public PaceStage(IClock clock, double speed, DateTime? liveFrom = null)
    {
        _liveFrom = liveFrom;
        if (speed <= 0 || double.IsNaN(speed)) throw new ArgumentOutOfRangeException(nameof(speed), speed, "pace speed must be positive");
        _clock = clock;
        _speed = speed;
        Shape = new FlowShape<IMarketEvent, IMarketEvent>(In, Out);
    }

    public Inlet<IMarketEvent> In { get; } = new("pace.in");
    public Outlet<IMarketEvent> Out { get; } = new("pace.out");
    public override FlowShape<IMarketEvent, IMarketEvent> Shape { get; }

    protected override GraphStageLogic CreateLogic(Attributes inheritedAttributes) => new Logic(this);

    private sealed class Logic : TimerGraphStageLogic
    {
        private readonly PaceStage _stage;
        private DateTime? _dataStart;
        private DateTime _wallStart;
        private IMarketEvent? _held;

        public Logic(PaceStage stage) : base(stage.Shape)
        {
            _stage = stage;
            SetHandler(stage.In, onPush: OnPush, onUpstreamFinish: () =>
            {
                if (_held is null) CompleteStage();
            });
            SetHandler(stage.Out, onPull: () => Pull(stage.In));
        }

        private void OnPush()
        {
            var e = Grab(_stage.In);
            if (_stage._liveFrom is { } live && e.Time < live)
            {
                Push(_stage.Out, e);
                return;
            }
            if (_dataStart is null)
            {
                _dataStart = e.Time;
                _wallStart = _stage._clock.UtcNow;
            }
            var due = _wallStart + TimeSpan.FromTicks((long)((e.Time - _dataStart.Value).Ticks / _stage._speed));
            var wait = due - _stage._clock.UtcNow;
            if (wait <= TimeSpan.Zero)
            {
                Push(_stage.Out, e);
                return;
            }
            _held = e;
            ScheduleOnce("release", wait);
        }

        protected override void OnTimer(object timerKey)
        {
            var e = _held!;
            _held = null;
            Push(_stage.Out, e);
            if (IsClosed(_stage.In)) CompleteStage();
        }
    }
}
