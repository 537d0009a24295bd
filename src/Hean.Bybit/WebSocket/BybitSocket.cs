using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace Hean.Bybit.WebSocket;

/// <summary>
/// One logical WebSocket that stays connected: connect, let the owner authenticate and subscribe, read messages,
/// ping on a timer, and on any failure or silence reconnect with exponential backoff and jitter. Messages are handed
/// to the owner one at a time on the read loop, so the owner's state needs no lock.
/// </summary>
internal sealed class BybitSocket : IAsyncDisposable
{
    private readonly BybitStreamOptions _options;
    private readonly BybitStreamStats _stats;
    private readonly TimeProvider _time;
    private readonly Func<CancellationToken, Task> _onOpen;
    private readonly Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> _onMessage;
    private readonly Action<string> _onOversized;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private ClientWebSocket? _ws;
    private Task? _run;
    private long _lastReceived;
    private long _pingSeq;

    public BybitSocket(BybitStreamOptions options, BybitStreamStats stats, TimeProvider time,
        Func<CancellationToken, Task> onOpen, Func<ReadOnlyMemory<byte>, CancellationToken, ValueTask> onMessage, Action<string> onOversized)
    {
        _options = options;
        _stats = stats;
        _time = time;
        _onOpen = onOpen;
        _onMessage = onMessage;
        _onOversized = onOversized;
    }

    public bool IsConnected => _ws?.State == WebSocketState.Open;

    public void Start() => _run ??= Task.Run(RunAsync);

    /// <summary>Stops for good (e.g. after a fatal auth error); the read loop ends.</summary>
    public void Stop() => _stop.Cancel();

    /// <summary>Drops the current connection; the loop reconnects and the owner subscribes again.</summary>
    public void Abort() => _ws?.Abort();

    /// <summary>Sends a text message on the current connection; false when there is none.</summary>
    public async Task<bool> SendAsync(string text, CancellationToken ct)
    {
        var ws = _ws;
        if (ws is null || ws.State != WebSocketState.Open) return false;
        await _sendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await ws.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or InvalidOperationException or IOException)
        {
            _stats.Error($"send failed: {e.Message}");
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task RunAsync()
    {
        var ct = _stop.Token;
        var failures = 0;
        while (!ct.IsCancellationRequested)
        {
            var received = false;
            using var ws = new ClientWebSocket();
            ws.Options.KeepAliveInterval = TimeSpan.Zero; // Bybit wants application-level pings
            using var session = CancellationTokenSource.CreateLinkedTokenSource(ct);
            try
            {
                using (var connect = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    connect.CancelAfter(_options.ConnectTimeout);
                    await ws.ConnectAsync(_options.Url, connect.Token).ConfigureAwait(false);
                }
                _ws = ws;
                _stats.Connected();
                Touch();
                var pinger = PingLoopAsync(ws, session.Token);
                await _onOpen(session.Token).ConfigureAwait(false);
                received = await ReceiveLoopAsync(ws, session.Token).ConfigureAwait(false);
                await session.CancelAsync().ConfigureAwait(false);
                await pinger.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is WebSocketException or OperationCanceledException or IOException or InvalidOperationException
                                          or System.Net.Http.HttpRequestException)
            {
                _stats.Error($"connection to {_options.Url} failed: {e.Message}");
            }
            finally
            {
                _ws = null;
                await session.CancelAsync().ConfigureAwait(false);
            }
            if (ct.IsCancellationRequested) break;
            failures = received ? 1 : failures + 1;
            try
            {
                await Task.Delay(ReconnectDelay(failures), _time, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
        if (_ws is { } last) last.Abort();
    }

    /// <summary>Reads until the connection closes; true when at least one message arrived.</summary>
    private async Task<bool> ReceiveLoopAsync(ClientWebSocket ws, CancellationToken ct)
    {
        var received = false;
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var length = 0;
            var oversized = false;
            while (ws.State == WebSocketState.Open)
            {
                if (length == buffer.Length && !oversized)
                {
                    if (buffer.Length >= BybitMessageParser.MaxMessageBytes) oversized = true;
                    else
                    {
                        var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(buffer.Length * 2, BybitMessageParser.MaxMessageBytes));
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }
                }
                // An oversized message is read to its end into the start of the buffer and dropped.
                var target = oversized ? buffer.AsMemory(0, Math.Min(buffer.Length, 64 * 1024)) : buffer.AsMemory(length);
                var r = await ws.ReceiveAsync(target, ct).ConfigureAwait(false);
                if (r.MessageType == WebSocketMessageType.Close) break;
                if (!oversized) length += r.Count;
                if (!r.EndOfMessage) continue;
                Touch();
                received = true;
                _stats.Message();
                if (oversized) _onOversized($"message larger than {BybitMessageParser.MaxMessageBytes} bytes dropped");
                else if (r.MessageType == WebSocketMessageType.Text) await _onMessage(buffer.AsMemory(0, length), ct).ConfigureAwait(false);
                else _onOversized("binary message dropped");
                length = 0;
                oversized = false;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        return received;
    }

    private async Task PingLoopAsync(ClientWebSocket ws, CancellationToken ct)
    {
        var period = _options.PingInterval < _options.StaleAfter / 2 ? _options.PingInterval : _options.StaleAfter / 2;
        try
        {
            using var timer = new PeriodicTimer(period, _time);
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                if (_time.GetElapsedTime(Interlocked.Read(ref _lastReceived)) > _options.StaleAfter)
                {
                    _stats.SilentDrop($"no message for {_options.StaleAfter.TotalSeconds:0} s: reconnecting");
                    ws.Abort();
                    return;
                }
                await SendAsync(BybitWsRequest.Ping($"ping-{Interlocked.Increment(ref _pingSeq)}"), ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Touch() => Interlocked.Exchange(ref _lastReceived, _time.GetTimestamp());

    private TimeSpan ReconnectDelay(int failures)
    {
        var ceiling = Math.Min(_options.ReconnectMaxDelay.Ticks, _options.ReconnectMinDelay.Ticks * (1L << Math.Min(failures - 1, 20)));
        return TimeSpan.FromTicks((long)(ceiling * (0.5 + Random.Shared.NextDouble() / 2)));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _ws?.Abort();
        if (_run is not null)
        {
            try
            {
                await _run.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
        _stop.Dispose();
        _sendLock.Dispose();
    }
}
