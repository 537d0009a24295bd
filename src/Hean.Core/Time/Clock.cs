namespace Hean.Core.Time;

/// <summary>Where "now" comes from: the wall clock live, a simulated clock in backtests.</summary>
public interface IClock
{
    DateTime UtcNow { get; }
}

public sealed class WallClock : IClock
{
    public static WallClock Instance { get; } = new();
    public DateTime UtcNow => DateTime.UtcNow;
}

/// <summary>A clock moved by the data: never goes backwards. Thread-safe.</summary>
public sealed class SimulatedClock(DateTime start) : IClock
{
    private long _ticks = DateTime.SpecifyKind(start, DateTimeKind.Utc).Ticks;

    public DateTime UtcNow => new(Interlocked.Read(ref _ticks), DateTimeKind.Utc);

    /// <summary>Moves the clock to <paramref name="time"/> if it is later than now.</summary>
    public void AdvanceTo(DateTime time)
    {
        var target = time.Ticks;
        long current;
        do
        {
            current = Interlocked.Read(ref _ticks);
            if (target <= current) return;
        } while (Interlocked.CompareExchange(ref _ticks, target, current) != current);
    }
}
