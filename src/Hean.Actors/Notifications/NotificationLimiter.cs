namespace Hean.Actors.Notifications;

/// <summary>
/// Pure: a token bucket of <c>perMinute</c> notifications (wall time). Critical ones always pass. What is held back
/// is counted, and the next notification that passes says how many were.
/// </summary>
public sealed class NotificationLimiter(int perMinute)
{
    private double _tokens = perMinute;
    private DateTime? _refilled;

    public long Suppressed { get; private set; }
    private long _untold;

    /// <summary>The notification to send (with a note of what was held back since the last one), or null to hold it back.</summary>
    public Notification? Admit(Notification n, DateTime wallNow)
    {
        if (_refilled is { } last) _tokens = Math.Min(perMinute, _tokens + (wallNow - last).TotalMinutes * perMinute);
        _refilled = wallNow;
        if (!n.IsCritical)
        {
            if (_tokens < 1)
            {
                Suppressed++;
                _untold++;
                return null;
            }
            _tokens -= 1;
        }
        if (_untold == 0) return n;
        var told = n with { Text = $"{n.Text} ({_untold} more held back by NOTIFY_RATE_PER_MINUTE={perMinute})" };
        _untold = 0;
        return told;
    }
}
