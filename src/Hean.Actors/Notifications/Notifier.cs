using Akka.Actor;
using Akka.Event;
using Hean.Actors.Monitoring;
using Hean.Actors.Risk;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Hean.Core.Risk;

namespace Hean.Actors.Notifications;

/// <summary>
/// Tells the operator what matters, with no Prometheus in between: it follows fills, the kill switch, trading-state
/// changes and error logs on the EventStream, keeps a daily summary, applies the rate limit, and hands what passes to
/// <c>send</c> (the channels' queues; never waited on). Trading does not know it exists.
/// </summary>
public sealed class Notifier : ReceiveActor, IWithTimers
{
    public const string Name = "notifier";

    private sealed record CheckDay
    {
        public static readonly CheckDay Instance = new();
    }

    private readonly ISet<string> _kinds;
    private readonly Action<Notification> _send;
    private readonly Func<DateTime> _wallClock;
    private readonly NotificationLimiter _limiter;
    private readonly DailySummary _daily = new();

    public Notifier(IEnumerable<string> kinds, int perMinute, Action<Notification> send, Func<DateTime>? wallClock = null)
    {
        (_kinds, _send, _wallClock) = (kinds.ToHashSet(StringComparer.Ordinal), send, wallClock ?? (() => DateTime.UtcNow));
        _limiter = new NotificationLimiter(perMinute);
        Receive<EquitySampled>(e => _daily.OnEquity(_wallClock(), e));
        Receive<CheckDay>(_ =>
        {
            if (_daily.Due(_wallClock()) is { } summary) Tell(summary);
        });
        ReceiveAny(e =>
        {
            if (e is OrderFilled filled) _daily.OnFill(_wallClock(), filled.Fill);
            if (NotificationText.From(e) is { } n) Tell(n);
        });
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(IEnumerable<string> kinds, int perMinute, Action<Notification> send, Func<DateTime>? wallClock = null) =>
        Akka.Actor.Props.Create(() => new Notifier(kinds, perMinute, send, wallClock));

    private void Tell(Notification n)
    {
        if (!_kinds.Contains(n.Kind)) return;
        if (_limiter.Admit(n, _wallClock()) is { } admitted) _send(admitted);
        else HeanMetrics.NotificationsSuppressed.Inc();
    }

    protected override void PreStart()
    {
        foreach (var type in new[] { typeof(OrderFilled), typeof(EmergencyStop), typeof(KillSwitchReleased), typeof(TradingStateChanged), typeof(Error), typeof(EquitySampled) })
            Context.System.EventStream.Subscribe(Self, type);
        if (_kinds.Contains(NotificationKinds.Daily)) Timers.StartPeriodicTimer("day", CheckDay.Instance, TimeSpan.FromMinutes(1));
    }

    protected override void PostStop() => Context.System.EventStream.Unsubscribe(Self);
}
