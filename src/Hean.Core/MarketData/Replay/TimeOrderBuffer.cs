namespace Hean.Core.MarketData.Replay;

/// <summary>
/// Puts events of several streams of one recording in time order. Each stream is ordered, but the streams interleave
/// with a little jitter (Binance trade times run up to ~0.2 s behind depth event times in file order): events are held
/// for <see cref="Window"/> of market time and released sorted by time, ties in arrival order. An event later than that
/// window is released at once with the last released time and counted as late (its stream's order is kept).
/// </summary>
public sealed class TimeOrderBuffer(TimeSpan window)
{
    private readonly PriorityQueue<IMarketEvent, (long Ticks, long Seq)> _queue = new();
    private long _seq;
    private DateTime _maxSeen = DateTime.MinValue;
    private DateTime _lastReleased = DateTime.MinValue;

    public TimeSpan Window { get; } = window;

    public int Count => _queue.Count;

    /// <summary>Adds an event; returns false when it was late (then it is queued at the last released time).</summary>
    public bool Add(IMarketEvent e)
    {
        var late = e.Time < _lastReleased;
        var time = late ? _lastReleased : e.Time;
        _queue.Enqueue(late ? Retime(e, time) : e, (time.Ticks, _seq++));
        if (time > _maxSeen) _maxSeen = time;
        return !late;
    }

    /// <summary>Moves out every event older than the window behind the newest one seen.</summary>
    public void Release(List<IMarketEvent> output)
    {
        if (_maxSeen.Ticks < Window.Ticks) return;
        var until = _maxSeen - Window;
        while (_queue.TryPeek(out var e, out var key) && key.Ticks <= until.Ticks)
        {
            _queue.Dequeue();
            output.Add(e);
            _lastReleased = e.Time;
        }
    }

    /// <summary>Moves out everything (end of the data).</summary>
    public void Flush(List<IMarketEvent> output)
    {
        while (_queue.TryDequeue(out var e, out _))
        {
            output.Add(e);
            _lastReleased = e.Time;
        }
    }

    private static IMarketEvent Retime(IMarketEvent e, DateTime time) => e switch
    {
        Trade t => t with { Time = time },
        BookUpdate b => b with { Time = time },
        Candle c => c with { Time = time },
        _ => e,
    };
}
