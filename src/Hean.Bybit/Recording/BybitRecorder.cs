using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Hean.Bybit.WebSocket;

namespace Hean.Bybit.Recording;

/// <summary>Counters of a recording; all reads are atomic.</summary>
public sealed class BybitRecorderStats
{
    private long _written;
    private long _malformed;
    private long _gaps;
    private long _resyncs;

    /// <summary>Messages written (data and op answers; pongs are left out).</summary>
    public long Written => Interlocked.Read(ref _written);
    /// <summary>Messages the parser refused: not written, so the file always replays.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);
    /// <summary>Book deltas whose update id did not follow: written (the replay sees the gap too), then a resync was asked for.</summary>
    public long Gaps => Interlocked.Read(ref _gaps);
    public long Resyncs => Interlocked.Read(ref _resyncs);

    internal void Wrote() => Interlocked.Increment(ref _written);
    internal void Refused() => Interlocked.Increment(ref _malformed);
    internal void Gap() => Interlocked.Increment(ref _gaps);
    internal void Resync() => Interlocked.Increment(ref _resyncs);
}

/// <summary>
/// Records Bybit public streams to a gzip JSON-lines file (<see cref="BybitRecordingFormat"/>) through our WebSocket
/// client: every message as the venue sent it, stamped with the local receive time. Reconnects (with resubscription)
/// are written as <c>connected</c> events; a book delta that does not follow the last one is written and the topic
/// resubscribed, so the venue sends a new snapshot (the replay counts both). <see cref="StopAsync"/> ends the
/// connection and closes the gzip stream, so the file is complete and valid; it is flushed every second meanwhile.
/// </summary>
public sealed class BybitRecorder : IAsyncDisposable
{
    private static readonly TimeSpan FlushEvery = TimeSpan.FromSeconds(1);

    private readonly BybitSocket _socket;
    private readonly BybitMessageParser _parser = new();
    private readonly IReadOnlyList<string> _topics;
    private readonly TimeProvider _time;
    private readonly StreamWriter _writer;
    private readonly Lock _gate = new();
    // Read-loop state: the last update id of each book topic, or null while it waits for a snapshot.
    private readonly Dictionary<string, long?> _books = [];
    private long _connections;
    private long _reqSeq;
    private long _lastFlush;
    private bool _closed;
    private int _stopped;

    public BybitRecorder(BybitStreamOptions options, IReadOnlyList<string> topics, string outPath, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(topics);
        if (topics.Count == 0) throw new ArgumentException("nothing to record: no topics", nameof(topics));
        _topics = topics.Distinct().ToList();
        _time = time ?? TimeProvider.System;
        var file = new FileStream(outPath, FileMode.Create, FileAccess.Write, FileShare.Read);
        _writer = new StreamWriter(new GZipStream(file, CompressionLevel.Optimal), new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
        _writer.WriteLine(BybitRecordingFormat.Header(options.Url, _topics, Now));
        Url = options.Url;
        _socket = new BybitSocket(options, Stream, _time, OnOpenAsync, OnMessageAsync, r => _parser.Malformed(r, "oversized"));
    }

    public Uri Url { get; }
    public BybitStreamStats Stream { get; } = new();
    public BybitRecorderStats Stats { get; } = new();
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>Raised on the read loop after a message was written (for progress displays and tests).</summary>
    public event Action<BybitMessage>? Recorded;
    public bool IsConnected => _socket.IsConnected;

    private DateTime Now => _time.GetUtcNow().UtcDateTime;

    public void Start() => _socket.Start();

    /// <summary>Drops the connection now (it reconnects and resubscribes by itself).</summary>
    public void Reconnect() => _socket.Abort();

    private async Task OnOpenAsync(CancellationToken ct)
    {
        var n = Interlocked.Increment(ref _connections);
        foreach (var topic in _books.Keys.ToList()) _books[topic] = null;
        Write(BybitRecordingFormat.Connected(Now, n));
        foreach (var chunk in _topics.Chunk(10))
            await _socket.SendAsync(BybitWsRequest.Subscribe(NextReqId(), chunk), ct).ConfigureAwait(false);
    }

    private async ValueTask OnMessageAsync(ReadOnlyMemory<byte> utf8, CancellationToken ct)
    {
        var received = Now;
        var message = _parser.Parse(utf8.Span);
        switch (message)
        {
            case BybitMalformed:
                Stats.Refused();
                return;
            case BybitOpResponse op when op.IsPong:
                return;
        }
        var text = Encoding.UTF8.GetString(utf8.Span);
        if (text.Contains('\n') || text.Contains('\r')) text = Compact(text);
        Write(BybitRecordingFormat.Message(received, text));
        Stats.Wrote();
        Recorded?.Invoke(message);
        if (message is BybitOrderBookMessage book && !Follows(book))
        {
            Stats.Gap();
            Stats.Resync();
            await _socket.SendAsync(BybitWsRequest.Unsubscribe(NextReqId(), [book.Topic]), ct).ConfigureAwait(false);
            await _socket.SendAsync(BybitWsRequest.Subscribe(NextReqId(), [book.Topic]), ct).ConfigureAwait(false);
        }
    }

    /// <summary>Tracks the book's update id; false for a delta that does not follow (a gap).</summary>
    private bool Follows(BybitOrderBookMessage m)
    {
        var topic = m.Topic;
        if (m.IsSnapshot)
        {
            _books[topic] = m.UpdateId;
            return true;
        }
        if (!_books.TryGetValue(topic, out var last) || last is not { } l) return true; // waiting for the snapshot
        if (m.UpdateId <= l) return true; // a repeat: the replay drops it
        if (m.UpdateId == l + 1)
        {
            _books[topic] = m.UpdateId;
            return true;
        }
        _books[topic] = null;
        return false;
    }

    private void Write(string line)
    {
        lock (_gate)
        {
            if (_closed) return;
            _writer.WriteLine(line);
            var now = _time.GetTimestamp();
            if (_time.GetElapsedTime(_lastFlush, now) >= FlushEvery)
            {
                _writer.Flush();
                _lastFlush = now;
            }
        }
    }

    private static string Compact(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return JsonSerializer.Serialize(doc.RootElement);
    }

    private string NextReqId() => $"rec-{Interlocked.Increment(ref _reqSeq)}";

    /// <summary>Ends the connection, then writes the end of the gzip stream and closes the file.</summary>
    public async Task StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1) return;
        try
        {
            // A close handshake the other side never answers must not keep the file open: it is closed below either way.
            await _socket.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        lock (_gate)
        {
            if (_closed) return;
            _closed = true;
            _writer.Dispose();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
