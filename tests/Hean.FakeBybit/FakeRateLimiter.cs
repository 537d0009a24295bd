namespace Hean.FakeBybit;

/// <summary>Per-endpoint fixed one-second windows, the way the venue reports them in its X-Bapi-Limit headers.</summary>
internal sealed class FakeRateLimiter
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (long Window, int Count)> _windows = [];

    /// <summary>Counts a call; returns whether it is allowed, the calls left and when the window resets (Unix ms).</summary>
    public (bool Allowed, int Remaining, long ResetMs) Take(string endpoint, int limit, DateTime now)
    {
        var ms = V5Json.Ms(now);
        var window = ms / 1000;
        lock (_lock)
        {
            var (w, count) = _windows.GetValueOrDefault(endpoint);
            if (w != window) count = 0;
            var allowed = count < limit;
            if (allowed) count++;
            _windows[endpoint] = (window, count);
            return (allowed, limit - count, (window + 1) * 1000);
        }
    }
}
