namespace Hean.Persistence.Redis.EventBus;

/// <summary>
/// Where and how the bus publishes. Its own Redis database (default 1, the journal's is 0), so a
/// trim or a FLUSHDB of the streams never touches the journal; one stream per event type,
/// <c>{KeyPrefix}events:{TYPE}</c>, trimmed with an approximate MAXLEN.
/// </summary>
public sealed record RedisEventBusOptions(string ConfigurationString)
{
    public int Database { get; init; } = 1;
    public string KeyPrefix { get; init; } = "hean:";

    /// <summary>The bounded buffer in front of Redis (EVENT_MAX_QUEUE_SIZE): when it is full, new events are dropped and counted.</summary>
    public int Capacity { get; init; } = 50_000;

    /// <summary>Events pipelined per round trip (EVENT_BATCH_SIZE).</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>Approximate length each stream is trimmed to (XADD MAXLEN ~).</summary>
    public long MaxLength { get; init; } = 100_000;

    public string Stream(string type) => $"{KeyPrefix}events:{type}";

    public IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(ConfigurationString)) problems.Add("the event bus needs a Redis configuration string");
        if (Database < 0) problems.Add($"the event bus database must not be negative (was {Database})");
        if (Capacity < 1) problems.Add($"the event bus capacity must be positive (was {Capacity})");
        if (BatchSize < 1) problems.Add($"the event bus batch size must be positive (was {BatchSize})");
        if (MaxLength < 1) problems.Add($"the event bus stream length must be positive (was {MaxLength})");
        return problems;
    }
}
