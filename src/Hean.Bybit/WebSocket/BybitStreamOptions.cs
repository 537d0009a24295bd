namespace Hean.Bybit.WebSocket;

/// <summary>
/// Settings of a Bybit WebSocket stream. Url: wss://stream.bybit.com/v5/public/linear (public) or
/// wss://stream.bybit.com/v5/private (private), or a fake on loopback in tests.
/// </summary>
public sealed record BybitStreamOptions(Uri Url)
{
    /// <summary>Bybit drops connections that stay silent; it asks for a ping every 20 s (https://bybit-exchange.github.io/docs/v5/ws/connect).</summary>
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(20);
    /// <summary>No message (not even a pong) for this long means the connection is dead: reconnect.</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(45);
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>First wait before reconnecting; it doubles (with jitter) up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectMinDelay { get; init; } = TimeSpan.FromMilliseconds(250);
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Events buffered for a slow consumer before the receive loop waits (backpressure).</summary>
    public int BufferSize { get; init; } = 10_000;
    /// <summary>How far ahead the private auth signature expires.</summary>
    public TimeSpan AuthExpiry { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>Counters of a stream; all reads are atomic.</summary>
public sealed class BybitStreamStats
{
    private long _connects;
    private long _messages;
    private long _gaps;
    private long _resyncs;
    private long _duplicates;
    private long _subscribeFailures;
    private long _silentDrops;
    private string? _lastError;

    public long Connects => Interlocked.Read(ref _connects);
    public long Messages => Interlocked.Read(ref _messages);
    /// <summary>Order-book deltas whose update id did not follow the last one.</summary>
    public long Gaps => Interlocked.Read(ref _gaps);
    /// <summary>Resubscriptions sent to get a fresh book snapshot.</summary>
    public long Resyncs => Interlocked.Read(ref _resyncs);
    /// <summary>Messages seen twice (book updates at or before the current id, repeated trade or execution ids).</summary>
    public long Duplicates => Interlocked.Read(ref _duplicates);
    public long SubscribeFailures => Interlocked.Read(ref _subscribeFailures);
    /// <summary>Connections dropped (and made again) because nothing, not even a pong, arrived for StaleAfter.</summary>
    public long SilentDrops => Interlocked.Read(ref _silentDrops);
    public string? LastError => Volatile.Read(ref _lastError);

    internal void Connected() => Interlocked.Increment(ref _connects);
    internal void Message() => Interlocked.Increment(ref _messages);
    internal void Gap() => Interlocked.Increment(ref _gaps);
    internal void Resync() => Interlocked.Increment(ref _resyncs);
    internal void Duplicate() => Interlocked.Increment(ref _duplicates);
    internal void SubscribeFailed(string error)
    {
        Interlocked.Increment(ref _subscribeFailures);
        Error(error);
    }
    internal void SilentDrop(string error)
    {
        Interlocked.Increment(ref _silentDrops);
        Error(error);
    }
    internal void Error(string error) => Volatile.Write(ref _lastError, error);
}
