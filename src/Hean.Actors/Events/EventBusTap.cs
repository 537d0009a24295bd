using Akka.Actor;
using Akka.Event;
using Hean.Actors.Monitoring;
using Hean.Actors.Orchestration;
using Hean.Actors.Risk;
using Hean.Core.Features;
using Hean.Core.MarketData;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Hean.Core.Risk;
using Hean.Core.Signals;
using Hean.Persistence.Redis.EventBus;

namespace Hean.Actors.Events;

/// <summary>
/// Follows the lifecycle events HEAN publishes on the actor system's EventStream (closed candles,
/// features and model predictions of closed bars, signals, order requests and approvals, orders,
/// fills, risk rejections, PnL samples, emergency stops, error logs), sampled ticks sent by the
/// stream graph, and a periodic health check, and hands them to the Redis Streams bus; every second
/// it sets hean_eventbus_queue_size to the bus's queue depth. Trading does
/// not know it exists: publishing on the EventStream never waits for it, and the bus never blocks it.
/// </summary>
public sealed class EventBusTap : ReceiveActor, IWithTimers
{
    public const string Name = "event-bus";

    private sealed record CheckHealth
    {
        public static readonly CheckHealth Instance = new();
    }

    private sealed record MeasureQueue
    {
        public static readonly MeasureQueue Instance = new();
    }

    private readonly RedisEventBus _bus;
    private readonly IActorRef? _orchestrator;

    public EventBusTap(RedisEventBus bus, IActorRef? orchestrator, TimeSpan healthEvery)
    {
        (_bus, _orchestrator) = (bus, orchestrator);
        Receive<CheckHealth>(_ =>
        {
            _orchestrator?.Ask<HealthReport>(new OrchestratorProtocol.GetHealth(), TimeSpan.FromSeconds(10)).PipeTo(Self);
        });
        Receive<MeasureQueue>(_ => HeanMetrics.EventBusQueueSize.Set(_bus.Queued));
        ReceiveAny(e =>
        {
            if (e is null || LifecycleEvents.ToBus(e) is not { } busEvent) return;
            if (_bus.TryPublish(busEvent)) HeanMetrics.EventBusPublished.WithLabels(busEvent.Type).Inc();
        });
        Timers.StartPeriodicTimer("queue", MeasureQueue.Instance, TimeSpan.FromSeconds(1));
        if (_orchestrator is not null && healthEvery > TimeSpan.Zero) Timers.StartPeriodicTimer("health", CheckHealth.Instance, TimeSpan.FromSeconds(1), healthEvery); // the first soon after start
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(RedisEventBus bus, IActorRef? orchestrator, TimeSpan healthEvery) =>
        Akka.Actor.Props.Create(() => new EventBusTap(bus, orchestrator, healthEvery));

    protected override void PreStart()
    {
        foreach (var type in new[]
                 {
                     typeof(Candle), typeof(FeaturesReady), typeof(MlPrediction), typeof(Signal), typeof(OrderRequested), typeof(OrderRequestApproved),
                     typeof(IOrderEvent), typeof(OrderRequestRejected), typeof(EquitySampled), typeof(EmergencyStop), typeof(Error),
                 })
            Context.System.EventStream.Subscribe(Self, type);
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}
