using System.Globalization;
using System.Threading.Channels;
using StackExchange.Redis;

namespace Hean.Persistence.Redis.EventBus;

/// <summary>
/// Publishes lifecycle events to Redis Streams without ever making the caller wait:
/// <see cref="TryPublish"/> puts the event in a bounded buffer or, when the buffer is full, drops it
/// and counts it. One pump drains the buffer in batches and pipelines the XADDs of a batch (one
/// round trip). When Redis fails, the batch is dropped and counted too: the journal, not the bus,
/// is the source of truth. The connection is owned and disposed here.
/// </summary>
public sealed class RedisEventBus : IAsyncDisposable
{
    private readonly RedisEventBusOptions _options;
    private readonly ConnectionMultiplexer _connection;
    private readonly IDatabase _db;
    private readonly Channel<BusEvent> _buffer;
    private readonly Task _pump;
    private readonly Action<string, long>? _dropped;
    private readonly Action<Exception>? _failed;
    private long _published, _droppedFull, _droppedRedis;

    /// <param name="dropped">called with a reason ("full" or "redis") and a count for every dropped event</param>
    /// <param name="failed">called when a batch could not be written (Redis down, timeout)</param>
    public RedisEventBus(RedisEventBusOptions options, Action<string, long>? dropped = null, Action<Exception>? failed = null)
    {
        if (options.Problems() is { Count: > 0 } problems) throw new ArgumentException(string.Join("; ", problems), nameof(options));
        (_options, _dropped, _failed) = (options, dropped, failed);
        var config = ConfigurationOptions.Parse(options.ConfigurationString);
        config.AbortOnConnectFail = false; // Redis down at start is a dropped event, not a failed start
        config.ClientName ??= "hean-event-bus";
        _connection = ConnectionMultiplexer.Connect(config);
        _db = _connection.GetDatabase(options.Database);
        _buffer = Channel.CreateBounded<BusEvent>(new BoundedChannelOptions(options.Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite: false when full, so the drop is ours to count
            SingleReader = true,
            SingleWriter = false,
        });
        _pump = Task.Run(PumpAsync);
    }

    public long Published => Interlocked.Read(ref _published);
    public long DroppedFull => Interlocked.Read(ref _droppedFull);
    public long DroppedRedis => Interlocked.Read(ref _droppedRedis);

    /// <summary>Events waiting in the buffer.</summary>
    public int Queued => _buffer.Reader.Count;

    /// <summary>Never blocks: false when the buffer is full (the event is dropped and counted).</summary>
    public bool TryPublish(BusEvent e)
    {
        if (_buffer.Writer.TryWrite(e)) return true;
        Interlocked.Increment(ref _droppedFull);
        _dropped?.Invoke("full", 1);
        return false;
    }

    private async Task PumpAsync()
    {
        var batch = new List<BusEvent>(_options.BatchSize);
        var writes = new List<Task<RedisValue>>(_options.BatchSize);
        while (await _buffer.Reader.WaitToReadAsync())
        {
            while (batch.Count < _options.BatchSize && _buffer.Reader.TryRead(out var e)) batch.Add(e);
            foreach (var e in batch)
                writes.Add(_db.StreamAddAsync(_options.Stream(e.Type),
                    [new("type", e.Type), new("time", e.Time.ToString("O", CultureInfo.InvariantCulture)), new("data", e.Data)],
                    maxLength: _options.MaxLength, useApproximateMaxLength: true));
            try
            {
                await Task.WhenAll(writes);
            }
            catch (Exception ex)
            {
                _failed?.Invoke(ex);
            }
            var ok = writes.Count(w => w.IsCompletedSuccessfully);
            Interlocked.Add(ref _published, ok);
            if (writes.Count - ok is > 0 and var lost)
            {
                Interlocked.Add(ref _droppedRedis, lost);
                _dropped?.Invoke("redis", lost);
            }
            batch.Clear();
            writes.Clear();
        }
    }

    /// <summary>Takes no more events, writes what is buffered (up to <paramref name="drain"/>), then closes the connection.</summary>
    public async Task StopAsync(TimeSpan drain)
    {
        _buffer.Writer.TryComplete();
        await Task.WhenAny(_pump, Task.Delay(drain));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5));
        await _connection.DisposeAsync();
    }
}
