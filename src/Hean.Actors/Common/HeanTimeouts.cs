namespace Hean.Actors.Common;

/// <summary>How long one actor waits for another before calling it a failure.</summary>
public sealed record HeanTimeouts(TimeSpan Ask)
{
    public static HeanTimeouts Default { get; } = new(TimeSpan.FromSeconds(10));
}
