using Akka.Event;
using Akka.Hosting;
using Hean.Actors.Events;
using Hean.Actors.History;
using Hean.Actors.Hosting;
using Hean.Actors.Monitoring;
using Hean.Actors.Notifications;
using Hean.Actors.Orchestration;
using Hean.Actors.Persistence;
using Hean.Persistence.Redis.EventBus;

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
}

/// <summary>The observers through Akka.Hosting, one extension each, after the orchestrator (the event bus reports its health).</summary>
public static class ObserverHosting
{
    /// <summary>Every observer that <paramref name="observers"/> turns on.</summary>
    public static AkkaConfigurationBuilder WithHeanObservers(this AkkaConfigurationBuilder builder, ObserverSettings observers,
        PersistenceBackend backend, decimal initialCapital)
    {
        if (observers is { History: true, Store: { } store } && HeanConfig.ReadJournal(backend) is { } readJournal)
            builder.WithHeanHistory(new HistorySettings(store, readJournal, initialCapital));
        if (observers.Notify is { } notify) builder.WithHeanNotifier(notify, observers.Redactor);
        if (observers.Events is { } events) builder.WithHeanEventBus(events, observers.HealthEvery);
        return builder;
    }

    /// <summary>/user/history: HistoryProjection, the journal's tagged events → the history tables.</summary>
    public static AkkaConfigurationBuilder WithHeanHistory(this AkkaConfigurationBuilder builder, HistorySettings settings) =>
        builder.WithActors((system, registry) =>
            registry.Register<HeanHistory>(system.ActorOf(HistoryProjection.Props(settings), "history")));

    /// <summary>/user/notifier: Notifier, the EventStream → webhook / Telegram through the redactor.</summary>
    public static AkkaConfigurationBuilder WithHeanNotifier(this AkkaConfigurationBuilder builder, Configuration.NotifySettings notify, LogRedactor redactor) =>
        builder.WithActors((system, registry) =>
        {
            var dispatcher = NotificationDispatcher.For(notify, redactor);
            system.RegisterOnTermination(() => dispatcher.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10)));
            registry.Register<HeanNotifier>(system.ActorOf(Notifier.Props(notify.Kinds, notify.PerMinute, dispatcher.Enqueue), Notifier.Name));
        });

    /// <summary>/user/event-bus: EventBusTap, the EventStream (and the orchestrator's health) → Redis Streams; needs the orchestrator.</summary>
    public static AkkaConfigurationBuilder WithHeanEventBus(this AkkaConfigurationBuilder builder, RedisEventBusOptions events, TimeSpan healthEvery) =>
        builder.WithActors((system, registry) =>
        {
            var orchestrator = registry.Require<Orchestrator>("the event bus", nameof(TradingHosting.WithHeanOrchestrator));
            var log = system.Log;
            var bus = new RedisEventBus(events,
                dropped: (reason, n) => HeanMetrics.EventBusDropped.WithLabels(reason).Inc(n),
                failed: e => log.Warning("event bus: a batch was not written to Redis: {0}", e.GetBaseException().Message));
            system.RegisterOnTermination(() => bus.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10)));
            registry.Register<HeanEventBus>(system.ActorOf(EventBusTap.Props(bus, orchestrator, healthEvery), EventBusTap.Name));
        });
}
