using System.Globalization;
using Hean.Actors.Risk;
using Hean.Core.Orders;
using Hean.Core.Risk;

namespace Hean.Actors.Notifications;

/// <summary>What HEAN tells its operator, on every configured channel. <see cref="Kind"/> is one of <see cref="NotificationKinds"/>.</summary>
public sealed record Notification(string Kind, string Severity, DateTime Time, string Title, string Text)
{
    public const string Info = "info", Warning = "warning", Critical = "critical";

    /// <summary>Critical notifications are never held back by the rate limit.</summary>
    public bool IsCritical => Severity == Critical;
}

/// <summary>The kinds an operator can choose with NOTIFY_EVENTS.</summary>
public static class NotificationKinds
{
    public const string Fills = "fills", KillSwitch = "kill_switch", TradingState = "trading_state", Errors = "errors", Daily = "daily";

    public static readonly IReadOnlyList<string> All = [Fills, KillSwitch, TradingState, Errors, Daily];
}

/// <summary>Pure: the notification for an event HEAN publishes, or null when it is not one to tell.</summary>
public static class NotificationText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static Notification? From(object e) => e switch
    {
        OrderFilled { Fill: var f } => new Notification(NotificationKinds.Fills, Notification.Info, f.Time,
            string.Create(Inv, $"Fill {f.Symbol} {f.Side.ToString().ToUpperInvariant()} {Number(f.Qty)} @ {Number(f.Price)}"),
            string.Create(Inv, $"order {f.ClientOrderId}, fee {f.Fee:0.00##} USDT ({f.Liquidity.ToString().ToLowerInvariant()}), market time {f.Time:yyyy-MM-dd HH:mm:ss}Z")),
        EmergencyStop s => new Notification(NotificationKinds.KillSwitch, Notification.Critical, s.Time, "KILL SWITCH ENGAGED",
            $"by {s.By}: {s.Reason}. Open orders are being cancelled; trading stays halted until `hean killswitch release`."),
        KillSwitchReleased r => new Notification(NotificationKinds.KillSwitch, Notification.Warning, r.Time, "Kill switch released", $"by {r.By}; trading resumes"),
        TradingStateChanged t => new Notification(NotificationKinds.TradingState, t.State == TradingState.Active ? Notification.Info : Notification.Warning, t.Time,
            $"Trading state {t.State.ToString().ToUpperInvariant()}", $"by {t.By}: {t.Reason}"),
        // The kill switch logs its EMERGENCY_STOP as an error too; it is told once, as the kill switch.
        Akka.Event.Error err when err.Message?.ToString()?.StartsWith("EMERGENCY_STOP", StringComparison.Ordinal) == true => null,
        Akka.Event.Error err => new Notification(NotificationKinds.Errors, Notification.Warning, err.Timestamp, $"Error in {Component(err.LogSource)}",
            err.Cause is { } cause ? $"{err.Message}: {cause.GetBaseException().Message}" : $"{err.Message}"),
        _ => null,
    };

    /// <summary>A quantity or price without trailing zeros, at most 8 decimals.</summary>
    public static string Number(decimal v) => decimal.Round(v, 8).ToString("0.########", Inv);

    private static string Component(string? source) =>
        source is null ? "hean" : source.LastIndexOf('/') is var i and >= 0 && i < source.Length - 1 ? source[(i + 1)..] : source;
}
