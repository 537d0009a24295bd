using Akka.Actor;
using Hean.Actors.Notifications;
using Hean.Actors.Risk;
using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Hean.Core.Risk;
using Xunit;

namespace Hean.Actors.Tests;

/// <summary>What the notifier tells, how often, and the daily summary.</summary>
public sealed class NotifierTests : Akka.TestKit.Xunit2.TestKit
{
    private static readonly DateTime T0 = new(2026, 3, 1, 10, 0, 0, DateTimeKind.Utc);

    private static Fill Fill(string id, decimal price, decimal qty) =>
        new(new ClientOrderId(id), new Symbol("BTCUSDT"), Side.Buy, "t-" + id, price, qty, 0.05m, Liquidity.Taker, T0);

    private static Notification Info(int i) => new("fills", Notification.Info, T0, $"n{i}", "text");

    [Fact]
    public void Texts_name_what_happened()
    {
        var fill = NotificationText.From(new OrderFilled(Fill("X-1", 97000.50m, 0.0100m)))!;
        Assert.Equal(("fills", "info", "Fill BTCUSDT BUY 0.01 @ 97000.5"), (fill.Kind, fill.Severity, fill.Title));
        Assert.Contains("order X-1, fee 0.05 USDT (taker)", fill.Text);
        var stop = NotificationText.From(new EmergencyStop(T0, "daily drawdown 5.2% over 5%", "risk-governor"))!;
        Assert.Equal(("kill_switch", "critical"), (stop.Kind, stop.Severity));
        Assert.Contains("by risk-governor: daily drawdown 5.2% over 5%", stop.Text);
        var reducing = NotificationText.From(new TradingStateChanged(T0, TradingState.Reducing, "drawdown at 80% of the limit", "risk-governor"))!;
        Assert.Equal(("trading_state", "warning", "Trading state REDUCING"), (reducing.Kind, reducing.Severity, reducing.Title));
        var error = NotificationText.From(new Akka.Event.Error(new TimeoutException("venue slow"), "akka://hean/user/gateway", typeof(object), "place failed"))!;
        Assert.Equal(("errors", "Error in gateway"), (error.Kind, error.Title));
        Assert.Equal("place failed: venue slow", error.Text);
        Assert.Null(NotificationText.From(new Akka.Event.Error(null, "akka://hean/user/risk", typeof(object), "EMERGENCY_STOP: kill switch engaged")));
        Assert.Null(NotificationText.From(new OrderCancelled(new ClientOrderId("X"), T0, "user")));
    }

    [Fact]
    public void The_rate_limit_holds_back_ordinary_notifications_says_how_many_and_never_holds_a_critical_one()
    {
        var limiter = new NotificationLimiter(perMinute: 3);
        var passed = Enumerable.Range(0, 5).Select(i => limiter.Admit(Info(i), T0)).ToList();
        Assert.Equal(3, passed.Count(p => p is not null));
        Assert.Equal(2, limiter.Suppressed);
        var critical = limiter.Admit(new Notification("kill_switch", Notification.Critical, T0, "KILL SWITCH ENGAGED", "by x"), T0);
        Assert.NotNull(critical);
        Assert.EndsWith("(2 more held back by NOTIFY_RATE_PER_MINUTE=3)", critical.Text);
        Assert.Null(limiter.Admit(Info(6), T0.AddSeconds(10))); // half a token back: not yet
        var later = limiter.Admit(Info(7), T0.AddSeconds(30));   // 1.5 tokens back
        Assert.Equal("text (1 more held back by NOTIFY_RATE_PER_MINUTE=3)", later!.Text);
    }

    [Fact]
    public void The_daily_summary_is_told_once_after_the_day_ends()
    {
        var daily = new DailySummary();
        var marks = new Dictionary<string, decimal>();
        daily.OnEquity(T0, new EquitySampled(T0, marks, 100_000m));
        daily.OnFill(T0.AddHours(1), Fill("A", 100m, 2m));
        daily.OnEquity(T0.AddHours(5), new EquitySampled(T0, marks, 101_500m));
        Assert.Null(daily.Due(T0.AddHours(13).AddMinutes(59))); // still 2026-03-01
        var summary = daily.Due(T0.AddHours(14).AddMinutes(1))!;
        Assert.Equal("Daily summary 2026-03-01", summary.Title);
        Assert.Equal("equity 100000.00 → 101500.00 USDT, PnL +1500.00 (+1.50%); 1 fills, volume 200.00 USDT, fees 0.05 USDT", summary.Text);
        Assert.Null(daily.Due(T0.AddHours(15)));
        daily.OnEquity(T0.AddDays(1).AddHours(1), new EquitySampled(T0, marks, 101_000m));
        Assert.StartsWith("equity 101500.00 → 101000.00 USDT, PnL -500.00 (-0.49%); 0 fills", daily.Due(T0.AddDays(2))!.Text);
    }

    [Fact]
    public void The_actor_tells_only_the_chosen_kinds()
    {
        var told = new List<Notification>();
        var probe = CreateTestProbe();
        var notifier = Sys.ActorOf(Notifier.Props(["kill_switch"], 10, n => probe.Ref.Tell(n)));
        AwaitAssert(() =>
        {
            Sys.EventStream.Publish(new OrderFilled(Fill("F", 1m, 1m)));
            Sys.EventStream.Publish(new EmergencyStop(T0, "operator", "ops"));
            told.Add(probe.ExpectMsg<Notification>(TimeSpan.FromMilliseconds(500)));
        }, TimeSpan.FromSeconds(10));
        Assert.All(told, n => Assert.Equal("kill_switch", n.Kind));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Sys.Stop(notifier);
    }
}
