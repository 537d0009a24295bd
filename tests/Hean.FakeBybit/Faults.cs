namespace Hean.FakeBybit;

/// <summary>
/// Switches that make the fake misbehave the way the real venue and network can. Thread-safe; change them at any time.
/// </summary>
public sealed class Faults
{
    private int _rateLimitNext;
    private int _acceptThenAbortNext;
    private int _dropPublicNext;
    private long _responseDelayTicks;
    private volatile bool _rejectSignatures;
    private volatile bool _duplicateWsMessages;
    private volatile bool _ignorePings;
    private volatile bool _holdExecutionPushes;
    private volatile bool _closedOnlyInHistory;
    private long _historyLagTicks;

    /// <summary>
    /// Orders appear in /v5/order/history only this long after they were created ("the data returned from this endpoint
    /// may delay", https://bybit-exchange.github.io/docs/v5/order/order-list; 10-15 s have been reported).
    /// </summary>
    public TimeSpan HistoryLag
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _historyLagTicks));
        set => Interlocked.Exchange(ref _historyLagTicks, value.Ticks);
    }

    /// <summary>
    /// As after a Bybit release or restart: closed orders are no longer in /v5/order/realtime with openOnly=1, only in
    /// the order history (https://bybit-exchange.github.io/docs/v5/order/open-order).
    /// </summary>
    public bool ClosedOrdersOnlyInHistory
    {
        get => _closedOnlyInHistory;
        set => _closedOnlyInHistory = value;
    }

    internal event Action? DropConnectionsRequested;
    internal event Action? HeldExecutionsReleased;

    /// <summary>
    /// While true, pushes on the execution topic are held back (the order and position pushes still go): Bybit does not
    /// order its private topics against each other, nor against REST responses. Setting it false sends the held ones.
    /// </summary>
    public bool HoldExecutionPushes
    {
        get => _holdExecutionPushes;
        set
        {
            _holdExecutionPushes = value;
            if (!value) HeldExecutionsReleased?.Invoke();
        }
    }

    /// <summary>Every signed request and WebSocket auth fails as if the signature were wrong (10004).</summary>
    public bool RejectSignatures
    {
        get => _rejectSignatures;
        set => _rejectSignatures = value;
    }

    /// <summary>
    /// While true, WebSocket pings get no pong: a half-open connection, as a client sees one when the network between it and
    /// Bybit silently drops packets. The client is expected to notice the silence and reconnect.
    /// </summary>
    public bool IgnorePings
    {
        get => _ignorePings;
        set => _ignorePings = value;
    }

    /// <summary>Every data message on the WebSockets is sent twice.</summary>
    public bool DuplicateWsMessages
    {
        get => _duplicateWsMessages;
        set => _duplicateWsMessages = value;
    }

    /// <summary>Every REST response waits this long after the request was carried out.</summary>
    public TimeSpan ResponseDelay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _responseDelayTicks));
        set => Interlocked.Exchange(ref _responseDelayTicks, value.Ticks);
    }

    private readonly Dictionary<string, int> _refuseNext = [];
    private long _bannedUntilTicks;
    private volatile bool _banAsRetCode;
    private long _requestsDuringBan;

    /// <summary>The next <paramref name="calls"/> calls to one endpoint are refused with 10006 (nothing is carried out).</summary>
    public void RefuseNext(string path, int calls)
    {
        lock (_refuseNext) _refuseNext[path] = calls;
    }

    /// <summary>
    /// An IP ban: for <paramref name="period"/> every REST request is refused with HTTP 403 ("access too frequent"), or
    /// with retCode 10018 when <paramref name="asRetCode"/>; a client must then stop all HTTP
    /// (https://bybit-exchange.github.io/docs/v5/rate-limit). Requests that arrive meanwhile are counted.
    /// </summary>
    public void BanIp(TimeSpan period, bool asRetCode = false)
    {
        _banAsRetCode = asRetCode;
        Interlocked.Exchange(ref _bannedUntilTicks, (DateTime.UtcNow + period).Ticks);
    }

    /// <summary>REST requests that arrived while the IP was banned.</summary>
    public long RequestsDuringBan => Interlocked.Read(ref _requestsDuringBan);

    internal bool BanAsRetCode => _banAsRetCode;

    internal bool TakeBanned()
    {
        if (DateTime.UtcNow.Ticks >= Interlocked.Read(ref _bannedUntilTicks)) return false;
        Interlocked.Increment(ref _requestsDuringBan);
        return true;
    }

    internal bool TakeRefusal(string path)
    {
        lock (_refuseNext)
        {
            if (_refuseNext.GetValueOrDefault(path) <= 0) return false;
            _refuseNext[path]--;
            return true;
        }
    }

    /// <summary>The next <paramref name="calls"/> signed REST calls are refused with 10006 (nothing is carried out).</summary>
    public void RateLimitNext(int calls) => Interlocked.Exchange(ref _rateLimitNext, calls);

    /// <summary>The next <paramref name="calls"/> order creates are carried out, then the connection is aborted without a response.</summary>
    public void AcceptThenAbortNext(int calls) => Interlocked.Exchange(ref _acceptThenAbortNext, calls);

    /// <summary>The next <paramref name="messages"/> public data pushes are lost (order-book update ids still advance).</summary>
    public void DropNextPublicMessages(int messages) => Interlocked.Exchange(ref _dropPublicNext, messages);

    /// <summary>Aborts every open WebSocket connection now.</summary>
    public void DropWebSocketConnections() => DropConnectionsRequested?.Invoke();

    private int _failCancelItemsNext;
    private readonly Dictionary<string, TimeSpan> _pathDelays = [];

    /// <summary>
    /// The next <paramref name="items"/> orders of batch cancels are answered 10016 ("service is busy") in their item and
    /// left working: the request succeeds, those orders' outcome is unknown to the client.
    /// </summary>
    public void FailNextCancelItems(int items) => Interlocked.Exchange(ref _failCancelItemsNext, items);

    /// <summary>Responses on one REST path wait this long after the request was carried out (zero: no delay); a slow venue read.</summary>
    public void DelayPath(string path, TimeSpan delay)
    {
        lock (_pathDelays) _pathDelays[path] = delay;
    }

    internal TimeSpan DelayOf(string path)
    {
        lock (_pathDelays) return _pathDelays.GetValueOrDefault(path);
    }

    internal bool TakeFailedCancelItem() => Take(ref _failCancelItemsNext);

    internal bool TakeRateLimit() => Take(ref _rateLimitNext);
    internal bool TakeAcceptThenAbort() => Take(ref _acceptThenAbortNext);
    internal bool TakeDropPublic() => Take(ref _dropPublicNext);

    private static bool Take(ref int counter)
    {
        while (true)
        {
            var n = Volatile.Read(ref counter);
            if (n <= 0) return false;
            if (Interlocked.CompareExchange(ref counter, n - 1, n) == n) return true;
        }
    }
}
