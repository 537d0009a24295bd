using Akka.Actor;
using Akka.Hosting;
using Hean.Actors.Events;
using Hean.Actors.History;
using Hean.Actors.Monitoring;
using Hean.Actors.Notifications;
using Hean.Actors.Persistence;
using Hean.Persistence.Redis.EventBus;
using Akka.Event;

namespace Hean.Host.Hosting;

/// <summary>Marker for the history projection in the ActorRegistry.</summary>
public sealed class HeanHistory;

/// <summary>Marker for the event bus tap in the ActorRegistry.</summary>
public sealed class HeanEventBus;

/// <summary>Marker for the notifier in the ActorRegistry.</summary>
public sealed class HeanNotifier;

/// <summary>
/// What follows the trading system without being part of it: the history projection (from the
/// journal), the Redis Streams event bus and the notifier (from the EventStream). None can slow trading down.
/// </summary>
public sealed record ObserverSettings(bool History, HistoryStore? Store, RedisEventBusOptions? Events, TimeSpan HealthEvery)
{
    public static readonly ObserverSettings None = new(false, null, null, TimeSpan.Zero);

    /// <summary>NOTIFY_*; null: no notifications.</summary>
    public Configuration.NotifySettings? Notify { get; init; }

    /// <summary>What notifications pass before they leave (the log's redactor).</summary>
    public LogRedactor Redactor { get; init; } = new([]);

    public void Start(ActorSystem system, IActorRegistry registry, IActorRef orchestrator, PersistenceBackend backend, decimal initialCapital)
    {
        if (History && Store is not null && HeanConfig.ReadJournal(backend) is { } readJournal)
            registry.Register<HeanHistory>(system.ActorOf(HistoryProjection.Props(new HistorySettings(Store, readJournal, initialCapital)), "history"));
        if (Notify is { } notify)
        {
            var dispatcher = NotificationDispatcher.For(notify, Redactor);
            system.RegisterOnTermination(() => dispatcher.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10)));
            registry.Register<HeanNotifier>(system.ActorOf(Notifier.Props(notify.Kinds, notify.PerMinute, dispatcher.Enqueue), Notifier.Name));
        }
        if (Events is null) return;
        var log = system.Log;
        var bus = new RedisEventBus(Events,
            dropped: (reason, n) => HeanMetrics.EventBusDropped.WithLabels(reason).Inc(n),
            failed: e => log.Warning("event bus: a batch was not written to Redis: {0}", e.GetBaseException().Message));
        system.RegisterOnTermination(() => bus.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10)));
        registry.Register<HeanEventBus>(system.ActorOf(EventBusTap.Props(bus, orchestrator, HealthEvery), EventBusTap.Name));
    }
}
