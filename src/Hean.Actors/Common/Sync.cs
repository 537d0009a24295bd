namespace Hean.Actors.Common;

/// <summary>
/// A barrier: an actor answers <see cref="Synced"/> once everything it received before has been
/// handled (and persisted). Used by the market feed to keep backtests deterministic.
/// </summary>
public sealed record Sync
{
    public static Sync Instance { get; } = new();
}

public sealed record Synced
{
    public static Synced Instance { get; } = new();
}
