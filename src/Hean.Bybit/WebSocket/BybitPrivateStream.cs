using System.Threading.Channels;
using Hean.Bybit.Signing;

namespace Hean.Bybit.WebSocket;

public enum BybitPrivateStreamState { Connecting, Authenticated, AuthFailed, Stopped }

public sealed class BybitAuthenticationException(string message) : Exception(message);

/// <summary>
/// Bybit's private stream: authenticates every connection (<c>auth</c> with HMAC("GET/realtime" + expires)), then
/// subscribes to <c>order</c>, <c>execution</c>, <c>position</c>, <c>wallet</c> and hands their messages to
/// <see cref="Messages"/>. A refused auth is a configuration error: the stream stops instead of hammering the venue.
/// Executions already seen (same execId) are dropped, so a repeated push cannot book a fill twice. After a reconnect
/// (authenticated and subscribed again) it writes <see cref="BybitPrivateStreamResumed"/>, so that the reader can
/// ask REST for what was pushed while the connection was down; an auth refused on a reconnect ends the stream with
/// <see cref="BybitPrivateStreamStopped"/>. (https://bybit-exchange.github.io/docs/v5/ws/connect, authentication;
/// https://bybit-exchange.github.io/docs/v5/websocket/private/execution.)
/// </summary>
public sealed class BybitPrivateStream : IAsyncDisposable
{
    private const int RecentExecIds = 16_384;

    private readonly BybitSocket _socket;
    private readonly BybitSigner _signer;
    private readonly BybitStreamOptions _options;
    private readonly Func<DateTime> _serverNow;
    private readonly BybitMessageParser _parser;
    private readonly IReadOnlyList<string> _topics;
    private readonly Channel<BybitMessage> _messages;
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly HashSet<string> _execIds = [];
    private readonly Queue<string> _execOrder = new();
    private volatile BybitPrivateStreamState _state = BybitPrivateStreamState.Connecting;
    private long _reqSeq;

    /// <param name="serverNow">The venue's clock (e.g. <c>BybitRestClient.ServerNow</c>); the auth expiry is set from it.</param>
    public BybitPrivateStream(BybitStreamOptions options, BybitCredentials credentials, Func<DateTime>? serverNow = null,
        IEnumerable<string>? topics = null, BybitMessageParser? parser = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _signer = new BybitSigner(credentials);
        var clock = time ?? TimeProvider.System;
        _serverNow = serverNow ?? (() => clock.GetUtcNow().UtcDateTime);
        _parser = parser ?? new BybitMessageParser();
        _topics = (topics ?? BybitTopics.PrivateDefaults).ToList();
        foreach (var t in _topics)
            if (!BybitTopics.IsValidPrivate(t)) throw new ArgumentException($"'{t}' is not a private topic", nameof(topics));
        _messages = Channel.CreateBounded<BybitMessage>(new BoundedChannelOptions(options.BufferSize)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _socket = new BybitSocket(options, Stats, clock, OnOpenAsync, OnMessageAsync, r => _parser.Malformed(r, "oversized"));
    }

    public BybitStreamStats Stats { get; } = new();
    public BybitMessageParser Parser => _parser;
    public BybitPrivateStreamState State => _state;

    /// <summary>Order, execution, position and wallet messages in arrival order.</summary>
    public ChannelReader<BybitMessage> Messages => _messages.Reader;

    public void Start() => _socket.Start();

    /// <summary>
    /// Completes once the first connection is authenticated and its subscription acknowledged; fails with
    /// <see cref="BybitAuthenticationException"/> when the venue refuses the auth.
    /// </summary>
    public Task WaitUntilReadyAsync(CancellationToken ct = default) => _ready.Task.WaitAsync(ct);

    /// <summary>Drops the connection now (the stream reconnects, authenticates and subscribes again).</summary>
    public void Reconnect() => _socket.Abort();

    private async Task OnOpenAsync(CancellationToken ct)
    {
        if (_state != BybitPrivateStreamState.AuthFailed) _state = BybitPrivateStreamState.Connecting;
        var expires = Json.BybitJson.ToUnixMs(_serverNow() + _options.AuthExpiry);
        var auth = BybitWsRequest.Auth($"auth-{Interlocked.Increment(ref _reqSeq)}", _signer.ApiKey, expires, _signer.SignWebSocketAuth(expires));
        await _socket.SendAsync(auth, ct).ConfigureAwait(false);
    }

    private async ValueTask OnMessageAsync(ReadOnlyMemory<byte> utf8, CancellationToken ct)
    {
        var message = _parser.Parse(utf8.Span);
        switch (message)
        {
            case BybitOpResponse { Op: "auth" } auth when auth.Success:
                _state = BybitPrivateStreamState.Authenticated;
                await _socket.SendAsync(BybitWsRequest.Subscribe($"sub-{Interlocked.Increment(ref _reqSeq)}", _topics), ct).ConfigureAwait(false);
                break;
            case BybitOpResponse { Op: "auth" } auth:
                _state = BybitPrivateStreamState.AuthFailed;
                var error = $"auth refused (retCode {auth.RetCode}): {auth.Message}";
                Stats.Error(error);
                // At start the caller hears it from WaitUntilReadyAsync; on a reconnect, the reader must hear it too.
                if (!_ready.TrySetException(new BybitAuthenticationException(error)))
                    await _messages.Writer.WriteAsync(new BybitPrivateStreamStopped(_serverNow(), error), ct).ConfigureAwait(false);
                _socket.Stop();
                break;
            case BybitOpResponse { Op: "subscribe" } subscribed:
                if (!subscribed.Success)
                {
                    Stats.SubscribeFailed($"subscribe failed: {subscribed.Message}");
                    break;
                }
                // The first subscription makes the stream ready; any later one follows a reconnect, and the reader
                // must ask REST for what it may have missed meanwhile.
                if (!_ready.TrySetResult())
                    await _messages.Writer.WriteAsync(new BybitPrivateStreamResumed(_serverNow(), Stats.Connects), ct).ConfigureAwait(false);
                break;
            case BybitExecutionMessage executions:
                var fresh = executions.Executions.Where(FirstTime).ToList();
                if (fresh.Count < executions.Executions.Count) Stats.Duplicate();
                if (fresh.Count > 0) await _messages.Writer.WriteAsync(executions with { Executions = fresh }, ct).ConfigureAwait(false);
                break;
            case BybitOrderUpdateMessage or BybitPositionMessage or BybitWalletMessage:
                await _messages.Writer.WriteAsync(message, ct).ConfigureAwait(false);
                break;
        }
    }

    private bool FirstTime(Rest.Models.BybitExecution e)
    {
        if (!_execIds.Add(e.ExecId)) return false;
        _execOrder.Enqueue(e.ExecId);
        if (_execOrder.Count > RecentExecIds) _execIds.Remove(_execOrder.Dequeue());
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        _state = BybitPrivateStreamState.Stopped;
        await _socket.DisposeAsync().ConfigureAwait(false);
        _messages.Writer.TryComplete();
        _ready.TrySetCanceled();
    }
}
