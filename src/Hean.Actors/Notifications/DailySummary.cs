using System.Globalization;
using Hean.Core.Orders;
using Hean.Core.Portfolio;

namespace Hean.Actors.Notifications;

/// <summary>
/// Pure: what a UTC day (wall time) of trading came to, from the equity samples and fills HEAN publishes, told once
/// the day is over: equity at its start and end, PnL, fills, volume and fees.
/// </summary>
public sealed class DailySummary
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private DateOnly? _day;
    private decimal? _open, _last;
    private int _fills;
    private decimal _volume, _fees;

    public void OnEquity(DateTime wallNow, EquitySampled e)
    {
        Start(wallNow);
        _open ??= e.Equity;
        _last = e.Equity;
    }

    public void OnFill(DateTime wallNow, Fill f)
    {
        Start(wallNow);
        _fills++;
        _volume += f.Price * f.Qty;
        _fees += f.Fee;
    }

    /// <summary>The summary of the day that ended before <paramref name="wallNow"/>, once; null while the day runs or when nothing was seen.</summary>
    public Notification? Due(DateTime wallNow)
    {
        var today = DateOnly.FromDateTime(wallNow);
        if (_day is not { } day || day >= today) return null;
        var summary = _last is { } last && _open is { } open
            ? new Notification(NotificationKinds.Daily, Notification.Info, wallNow, string.Create(Inv, $"Daily summary {day:yyyy-MM-dd}"),
                string.Create(Inv, $"equity {open:0.00} → {last:0.00} USDT, PnL {last - open:+0.00;-0.00} ({(open == 0 ? 0 : (last - open) / open):+0.00%;-0.00%}); ") +
                string.Create(Inv, $"{_fills} fills, volume {_volume:0.00} USDT, fees {_fees:0.00} USDT"))
            : null;
        // The next day starts from where this one ended.
        (_day, _open, _fills, _volume, _fees) = (today, _last, 0, 0m, 0m);
        return summary;
    }

    private void Start(DateTime wallNow) => _day ??= DateOnly.FromDateTime(wallNow);
}
