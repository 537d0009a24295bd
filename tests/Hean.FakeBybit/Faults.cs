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
    private volatile bool _holdExecutionPushes;

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

    /// <summary>The next <paramref name="calls"/> signed REST calls are refused with 10006 (nothing is carried out).</summary>
    public void RateLimitNext(int calls) => Interlocked.Exchange(ref _rateLimitNext, calls);

    /// <summary>The next <paramref name="calls"/> order creates are carried out, then the connection is aborted without a response.</summary>
    public void AcceptThenAbortNext(int calls) => Interlocked.Exchange(ref _acceptThenAbortNext, calls);

    /// <summary>The next <paramref name="messages"/> public data pushes are lost (order-book update ids still advance).</summary>
    public void DropNextPublicMessages(int messages) => Interlocked.Exchange(ref _dropPublicNext, messages);

    /// <summary>Aborts every open WebSocket connection now.</summary>
    public void DropWebSocketConnections() => DropConnectionsRequested?.Invoke();

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
