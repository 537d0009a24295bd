using System.Buffers;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Hean.Bybit.Json;
using Hean.Bybit.Rest.Models;
using Hean.Bybit.Signing;
using Hean.Core.Orders;

namespace Hean.Bybit.Rest;

/// <summary>
/// Bybit V5 REST. Every call returns a <see cref="BybitResult{T}"/> and never throws for what the venue or the network
/// does (only for a cancelled token or invalid arguments). Private calls are signed; all calls pass the rate limiter.
/// Retries: a call refused before processing (rate limit, clock skew) is sent again; a call whose effect is unknown is
/// sent again only when that is safe (reads, and writes made idempotent by an orderLinkId). Once an attempt may have
/// acted, the final result is never <see cref="BybitOutcome.Rejected"/>: a later rejection cannot prove the earlier
/// attempt did nothing.
/// </summary>
public sealed class BybitRestClient : IDisposable
{
    private static readonly TimeSpan ResetGuard = TimeSpan.FromMilliseconds(30);

    private readonly BybitRestOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly BybitSigner? _signer;
    private readonly TimeProvider _time;
    private readonly BybitRateLimiter _limiter;
    private long _clockOffsetTicks;
    private long _requests;
    private long _retries;
    private long _rateLimited;
    private long _bannedUntilTicks;

    public BybitRestClient(BybitRestOptions options, HttpClient? http = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _time = time ?? TimeProvider.System;
        _ownsHttp = http is null;
        _http = http ?? new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });
        _http.Timeout = Timeout.InfiniteTimeSpan;
        _signer = options.Credentials is { } c ? new BybitSigner(c) : null;
        _limiter = new BybitRateLimiter(options.RateLimits, _time);
    }

    /// <summary>Server time minus local time, as measured by the last <see cref="SyncTimeAsync"/>.</summary>
    public TimeSpan ClockOffset => TimeSpan.FromTicks(Interlocked.Read(ref _clockOffsetTicks));

    /// <summary>Local time corrected by the clock offset: our best estimate of the server's clock.</summary>
    public DateTime ServerNow => _time.GetUtcNow().UtcDateTime + ClockOffset;

    /// <summary>HTTP requests sent, retries among them, and rate-limit refusals received.</summary>
    /// <summary>Until when (UTC, this machine's clock) the client sends nothing because Bybit banned the IP; null when not banned.</summary>
    public DateTime? BannedUntil
    {
        get
        {
            var until = new DateTime(Interlocked.Read(ref _bannedUntilTicks), DateTimeKind.Utc);
            return until > _time.GetUtcNow().UtcDateTime ? until : null;
        }
    }

    public (long Requests, long Retries, long RateLimited) Stats =>
        (Interlocked.Read(ref _requests), Interlocked.Read(ref _retries), Interlocked.Read(ref _rateLimited));

    public BybitRateLimiter RateLimiter => _limiter;

    // ---- market data (public) -------------------------------------------------------------------------------

    public Task<BybitResult<BybitServerTime>> GetServerTimeAsync(CancellationToken ct = default) =>
        SendAsync(Endpoints.Time, new Query(), null, (r, _) => BybitResponses.ServerTime(r), true, ct);

    /// <summary>Measures the offset between the server clock and ours (half the round trip as the one-way delay).</summary>
    public async Task<BybitResult<TimeSpan>> SyncTimeAsync(CancellationToken ct = default)
    {
        var before = _time.GetUtcNow().UtcDateTime;
        var result = await GetServerTimeAsync(ct).ConfigureAwait(false);
        var after = _time.GetUtcNow().UtcDateTime;
        if (!result.IsOk) return Fail<TimeSpan>(result);
        var offset = result.Value!.Time - (before + (after - before) / 2);
        Interlocked.Exchange(ref _clockOffsetTicks, offset.Ticks);
        return result.With(offset);
    }

    /// <summary>Every instrument of the category, all pages (1000 a page).</summary>
    public Task<BybitResult<IReadOnlyList<BybitInstrument>>> GetAllInstrumentsAsync(int maxPages = 20, CancellationToken ct = default) =>
        AllPagesAsync(cursor => SendAsync(Endpoints.Instruments, new Query().Add("category", _options.Category).Add("limit", "1000").AddCursor(cursor),
            null, (r, _) => BybitResponses.InstrumentsPage(r), true, ct), maxPages, "instruments");

    public Task<BybitResult<IReadOnlyList<BybitInstrument>>> GetInstrumentsAsync(string? symbol = null, CancellationToken ct = default) =>
        SendAsync(Endpoints.Instruments, new Query().Add("category", _options.Category).Add("symbol", symbol).Add("limit", symbol is null ? "1000" : null),
            null, (r, _) => BybitResponses.Instruments(r), true, ct);

    /// <summary>Klines oldest first (Bybit sends newest first). Interval as Bybit names it ("1", "5", "60", "D").</summary>
    public Task<BybitResult<IReadOnlyList<BybitKline>>> GetKlinesAsync(string symbol, string interval, DateTime? start = null,
        DateTime? end = null, int? limit = null, CancellationToken ct = default)
    {
        var length = BybitInterval.Parse(interval);
        var q = new Query().Add("category", _options.Category).Add("symbol", symbol).Add("interval", interval)
            .Add("start", start is { } s ? BybitJson.ToUnixMs(s).ToString(CultureInfo.InvariantCulture) : null)
            .Add("end", end is { } e ? BybitJson.ToUnixMs(e).ToString(CultureInfo.InvariantCulture) : null)
            .Add("limit", limit?.ToString(CultureInfo.InvariantCulture));
        return SendAsync(Endpoints.Kline, q, null, (r, time) => BybitResponses.Klines(r, length, time), true, ct);
    }

    public Task<BybitResult<IReadOnlyList<BybitTicker>>> GetTickersAsync(string? symbol = null, CancellationToken ct = default) =>
        SendAsync(Endpoints.Tickers, new Query().Add("category", _options.Category).Add("symbol", symbol), null,
            (r, _) => BybitResponses.Tickers(r), true, ct);

    public Task<BybitResult<IReadOnlyList<BybitPublicTrade>>> GetRecentTradesAsync(string symbol, int? limit = null, CancellationToken ct = default) =>
        SendAsync(Endpoints.RecentTrades, new Query().Add("category", _options.Category).Add("symbol", symbol).Add("limit", limit?.ToString(CultureInfo.InvariantCulture)),
            null, (r, _) => BybitResponses.RecentTrades(r), true, ct);

    // ---- orders (private) -----------------------------------------------------------------------------------

    public Task<BybitResult<OrderAck>> PlaceOrderAsync(OrderRequest request, CancellationToken ct = default) =>
        PlaceOrderAsync(PlaceOrderRequest.FromCore(request), ct);

    public Task<BybitResult<OrderAck>> PlaceOrderAsync(PlaceOrderRequest r, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.OrderType == OrderType.Limit && r.Price is null) throw new ArgumentException("a limit order needs a price", nameof(r));
        var body = Body(w =>
        {
            w.WriteString("category", _options.Category);
            w.WriteString("symbol", r.Symbol);
            w.WriteString("side", r.Side == Core.Domain.Side.Buy ? "Buy" : "Sell");
            w.WriteString("orderType", r.OrderType == OrderType.Market ? "Market" : "Limit");
            w.WriteString("qty", Wire(r.Qty));
            if (r.Price is { } p) w.WriteString("price", Wire(p));
            w.WriteString("timeInForce", r.OrderType == OrderType.Market ? "IOC" : TimeInForceWire(r.TimeInForce));
            if (r.OrderLinkId is { Length: > 0 } link) w.WriteString("orderLinkId", link);
            if (r.ReduceOnly) w.WriteBoolean("reduceOnly", true);
            if (r.PositionIdx is { } idx) w.WriteNumber("positionIdx", idx);
        });
        return SendAsync(Endpoints.Create, new Query(), body, (res, _) => BybitResponses.OrderAck(res), r.OrderLinkId is { Length: > 0 }, ct);
    }

    public Task<BybitResult<OrderAck>> AmendOrderAsync(AmendOrderRequest r, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (r.OrderId is null && r.OrderLinkId is null) throw new ArgumentException("an amend needs orderId or orderLinkId", nameof(r));
        if (r.Qty is null && r.Price is null) throw new ArgumentException("an amend needs a new qty or price", nameof(r));
        var body = Body(w =>
        {
            w.WriteString("category", _options.Category);
            w.WriteString("symbol", r.Symbol);
            if (r.OrderId is { } id) w.WriteString("orderId", id);
            if (r.OrderLinkId is { } link) w.WriteString("orderLinkId", link);
            if (r.Qty is { } q) w.WriteString("qty", Wire(q));
            if (r.Price is { } p) w.WriteString("price", Wire(p));
        });
        // Absolute target values: sending the same amend twice has the effect of sending it once.
        return SendAsync(Endpoints.Amend, new Query(), body, (res, _) => BybitResponses.OrderAck(res), true, ct);
    }

    public Task<BybitResult<OrderAck>> CancelOrderAsync(string symbol, ClientOrderId clientOrderId, CancellationToken ct = default) =>
        CancelOrderAsync(symbol, null, clientOrderId.Value, ct);

    public Task<BybitResult<OrderAck>> CancelOrderAsync(string symbol, string? orderId, string? orderLinkId, CancellationToken ct = default)
    {
        if (orderId is null && orderLinkId is null) throw new ArgumentException("a cancel needs orderId or orderLinkId");
        var body = Body(w =>
        {
            w.WriteString("category", _options.Category);
            w.WriteString("symbol", symbol);
            if (orderId is not null) w.WriteString("orderId", orderId);
            if (orderLinkId is not null) w.WriteString("orderLinkId", orderLinkId);
        });
        return SendAsync(Endpoints.Cancel, new Query(), body, (res, _) => BybitResponses.OrderAck(res), true, ct);
    }

    /// <summary>Cancels all open orders of a symbol (or, with no symbol, of the USDT settle coin).</summary>
    public Task<BybitResult<IReadOnlyList<OrderAck>>> CancelAllOrdersAsync(string? symbol = null, CancellationToken ct = default)
    {
        var body = Body(w =>
        {
            w.WriteString("category", _options.Category);
            if (symbol is not null) w.WriteString("symbol", symbol);
            else w.WriteString("settleCoin", "USDT");
        });
        return SendAsync(Endpoints.CancelAll, new Query(), body,
            (res, _) => BybitResponses.CancelAll(res), true, ct);
    }

    /// <summary>The most orders one /v5/order/cancel-batch request takes for linear contracts (https://bybit-exchange.github.io/docs/v5/order/batch-cancel).</summary>
    public const int CancelBatchMax = 20;

    /// <summary>
    /// Cancels up to <see cref="CancelBatchMax"/> orders in one request (each by orderId or orderLinkId). The request's
    /// outcome says whether the venue read it; each order's own outcome is in its item (retExtInfo.list, in the order sent).
    /// </summary>
    public Task<BybitResult<IReadOnlyList<BybitBatchCancelItem>>> CancelBatchAsync(IReadOnlyList<BatchCancelEntry> orders, CancellationToken ct = default)
    {
        if (orders.Count is 0 or > CancelBatchMax) throw new ArgumentException($"a batch cancel takes 1 to {CancelBatchMax} orders", nameof(orders));
        var body = Body(w =>
        {
            w.WriteString("category", _options.Category);
            w.WriteStartArray("request");
            foreach (var o in orders)
            {
                if (o.OrderId is null && o.OrderLinkId is null) throw new ArgumentException("a cancel needs orderId or orderLinkId", nameof(orders));
                w.WriteStartObject();
                w.WriteString("symbol", o.Symbol);
                if (o.OrderId is not null) w.WriteString("orderId", o.OrderId);
                if (o.OrderLinkId is not null) w.WriteString("orderLinkId", o.OrderLinkId);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
        // A cancel is idempotent: sending the batch again cancels nothing twice.
        return SendAsync(Endpoints.CancelBatch, new Query(), body, (BybitEnvelope e) => BybitResponses.CancelBatch(e, orders), true, ct);
    }

    /// <summary>Open orders; with an orderId or orderLinkId also a recently closed one (what reconciliation asks).</summary>
    public Task<BybitResult<BybitPage<BybitOrder>>> GetOpenOrdersAsync(OrderQuery? query = null, CancellationToken ct = default) =>
        SendAsync(Endpoints.Realtime, OrderQueryString(query ?? new OrderQuery(), settleIfNoSymbol: true), null,
            (r, _) => BybitResponses.Orders(r), true, ct);

    public Task<BybitResult<BybitPage<BybitOrder>>> GetOrderHistoryAsync(OrderQuery? query = null, CancellationToken ct = default) =>
        SendAsync(Endpoints.History, OrderQueryString(query ?? new OrderQuery(), settleIfNoSymbol: false), null,
            (r, _) => BybitResponses.Orders(r), true, ct);

    public Task<BybitResult<BybitPage<BybitExecution>>> GetExecutionsAsync(OrderQuery? query = null, CancellationToken ct = default) =>
        SendAsync(Endpoints.Executions, OrderQueryString(query ?? new OrderQuery(), settleIfNoSymbol: false), null,
            (r, _) => BybitResponses.Executions(r), true, ct);

    /// <summary>
    /// Every execution from <paramref name="since"/> to now (oldest first): in windows of at most 7 days, each followed
    /// through all its pages, because the venue answers a startTime alone with 7 days from it and refuses a wider
    /// window (https://bybit-exchange.github.io/docs/v5/order/execution). What the gateway asks after the private stream
    /// reconnected; the rows are deduplicated by execId downstream. A window with more than <paramref name="maxPages"/>
    /// pages is not cut silently: the result is Ambiguous/Incomplete and names the window.
    /// </summary>
    public async Task<BybitResult<IReadOnlyList<BybitExecution>>> GetExecutionsSinceAsync(DateTime since, string? symbol = null,
        int maxPages = 100, CancellationToken ct = default)
    {
        var rows = new List<BybitExecution>();
        var now = ServerNow;
        var attempts = 0;
        for (var from = since; ; from += ExecutionWindow)
        {
            var to = from + ExecutionWindow < now ? from + ExecutionWindow : now;
            var window = await AllPagesAsync(cursor => GetExecutionsAsync(new OrderQuery(symbol, Limit: 100, Cursor: cursor, StartTime: from, EndTime: to), ct),
                maxPages, $"executions {from:O}..{to:O}").ConfigureAwait(false);
            if (!window.IsOk) return window;
            rows.AddRange(window.Value!);
            attempts += window.Attempts;
            if (to >= now) break;
        }
        var ordered = rows.DistinctBy(e => e.ExecId).OrderBy(e => e.ExecTime).ThenBy(e => e.ExecId, StringComparer.Ordinal).ToList();
        return new BybitResult<IReadOnlyList<BybitExecution>>(BybitOutcome.Ok, ordered, 0, "OK", BybitErrorKind.None, attempts);
    }

    /// <summary>Every open order of the USDT- and USDC-settled contracts, all pages (50 a page; the venue's default is 20).</summary>
    public Task<BybitResult<IReadOnlyList<BybitOrder>>> GetAllOpenOrdersAsync(int maxPages = 100, CancellationToken ct = default) =>
        ForEachSettleCoinAsync(settle => AllPagesAsync(cursor => GetOpenOrdersAsync(new OrderQuery(Limit: 50, Cursor: cursor) { SettleCoin = settle }, ct),
            maxPages, $"open orders settled in {settle}"));

    /// <summary>Every position of the USDT- and USDC-settled contracts, all pages (200 a page).</summary>
    public Task<BybitResult<IReadOnlyList<BybitPosition>>> GetAllPositionsAsync(int maxPages = 100, CancellationToken ct = default) =>
        ForEachSettleCoinAsync(settle => AllPagesAsync(cursor => SendAsync(Endpoints.Positions,
                new Query().Add("category", _options.Category).Add("settleCoin", settle).Add("limit", "200").AddCursor(cursor), null,
                (r, _) => BybitResponses.Positions(r), true, ct),
            maxPages, $"positions settled in {settle}"));

    /// <summary>The settle coins of linear contracts: USDT and USDC perpetuals and futures.</summary>
    private static readonly string[] SettleCoins = ["USDT", "USDC"];

    /// <summary>One list read for each settle coin, joined; the first failure ends it.</summary>
    private static async Task<BybitResult<IReadOnlyList<T>>> ForEachSettleCoinAsync<T>(Func<string, Task<BybitResult<IReadOnlyList<T>>>> read)
    {
        var rows = new List<T>();
        var attempts = 0;
        foreach (var settle in SettleCoins)
        {
            var part = await read(settle).ConfigureAwait(false);
            if (!part.IsOk) return part;
            rows.AddRange(part.Value!);
            attempts += part.Attempts;
        }
        return new BybitResult<IReadOnlyList<T>>(BybitOutcome.Ok, rows, 0, "OK", BybitErrorKind.None, attempts);
    }

    /// <summary>
    /// Follows a list's nextPageCursor to the end. More pages than <paramref name="maxPages"/> is not success: the
    /// result is Ambiguous/Incomplete and names the list.
    /// </summary>
    private static async Task<BybitResult<IReadOnlyList<T>>> AllPagesAsync<T>(Func<string?, Task<BybitResult<BybitPage<T>>>> page, int maxPages, string what)
    {
        var rows = new List<T>();
        string? cursor = null;
        var attempts = 0;
        for (var pages = 1; ; pages++)
        {
            if (pages > maxPages)
                return new BybitResult<IReadOnlyList<T>>(BybitOutcome.Ambiguous, default, -1,
                    $"{what}: more than {maxPages} pages; the read is incomplete", BybitErrorKind.Incomplete, attempts);
            var r = await page(cursor).ConfigureAwait(false);
            attempts += r.Attempts;
            if (!r.IsOk) return new BybitResult<IReadOnlyList<T>>(r.Outcome, default, r.RetCode, r.Message, r.Kind, attempts);
            rows.AddRange(r.Value!.List);
            cursor = r.Value.NextPageCursor;
            if (cursor is null) return new BybitResult<IReadOnlyList<T>>(BybitOutcome.Ok, rows, 0, "OK", BybitErrorKind.None, attempts);
        }
    }

    /// <summary>The widest time window /v5/execution/list answers (7 days).</summary>
    public static readonly TimeSpan ExecutionWindow = TimeSpan.FromDays(7);

    public Task<BybitResult<BybitPage<BybitPosition>>> GetPositionsAsync(string? symbol = null, CancellationToken ct = default) =>
        SendAsync(Endpoints.Positions, new Query().Add("category", _options.Category).Add("symbol", symbol).Add("settleCoin", symbol is null ? "USDT" : null),
            null, (r, _) => BybitResponses.Positions(r), true, ct);

    public Task<BybitResult<BybitWalletAccount>> GetWalletBalanceAsync(CancellationToken ct = default) =>
        SendAsync(Endpoints.Wallet, new Query().Add("accountType", "UNIFIED"), null,
            (r, _) => BybitResponses.Wallet(r), true, ct);

    // ---- the request pipeline -------------------------------------------------------------------------------

    private Task<BybitResult<T>> SendAsync<T>(Endpoint ep, Query query, byte[]? body, Func<JsonElement, DateTime, T> read,
        bool retrySafe, CancellationToken ct) =>
        SendAsync(ep, query, body, (BybitEnvelope e) => read(e.Result, e.Time ?? DateTime.UtcNow), retrySafe, ct);

    /// <summary>The request pipeline, for a reader that needs more of the envelope than its result (a batch's retExtInfo).</summary>
    private async Task<BybitResult<T>> SendAsync<T>(Endpoint ep, Query query, byte[]? body, Func<BybitEnvelope, T> read,
        bool retrySafe, CancellationToken ct)
    {
        if (ep.Private && _signer is null)
            throw new InvalidOperationException($"{ep.Path} is private: BybitRestOptions.Credentials are required");
        var queryString = query.ToString();
        var policy = _options.Retry;
        var mayHaveActed = false;
        var resynced = false;
        for (var attempt = 1; ; attempt++)
        {
            // Banned: nothing goes out, not even to ask whether the ban is over.
            if (BannedUntil is { } banned)
                return Finish(BybitOutcome.RateLimited, BybitErrorKind.IpBanned, 10018,
                    $"the IP is banned by Bybit until {banned:HH:mm:ss} UTC: no request sent", default(T), attempt - 1, mayHaveActed);
            await _limiter.AcquireAsync(ep.Path, ep.Group, ct).ConfigureAwait(false);
            var a = await SendOnceAsync(ep, queryString, body, read, ct).ConfigureAwait(false);
            if (a.Outcome == BybitOutcome.Ambiguous) mayHaveActed = true;
            if (a.Kind == BybitErrorKind.IpBanned)
            {
                Interlocked.Increment(ref _rateLimited);
                Interlocked.Exchange(ref _bannedUntilTicks, (_time.GetUtcNow().UtcDateTime + _options.IpBanPause).Ticks);
                return Finish(a.Outcome, a.Kind, a.RetCode, $"{a.Message}: the IP is banned, no request for {_options.IpBanPause.TotalMinutes:0.#} min",
                    a.Value, attempt, mayHaveActed);
            }

            TimeSpan? wait = null;
            if (a.Outcome == BybitOutcome.RateLimited)
            {
                Interlocked.Increment(ref _rateLimited);
                var backoff = a.ResetIn is { } r && r > TimeSpan.Zero ? r : policy.Delay(attempt);
                if (backoff <= _options.MaxRateLimitWait)
                {
                    _limiter.BlockFor(ep.Path, ep.Group, backoff);
                    wait = TimeSpan.Zero; // the limiter makes the next attempt wait
                }
            }
            // 10002: the timestamp is outside recv_window; sync with the server's time and sign again
            // (https://bybit-exchange.github.io/docs/v5/guide, "timestamp"; https://bybit-exchange.github.io/docs/v5/error).
            else if (a.Kind == BybitErrorKind.ClockSkew && !resynced && ep.Private)
            {
                resynced = true;
                var sync = await SyncTimeAsync(ct).ConfigureAwait(false);
                if (sync.IsOk) wait = TimeSpan.Zero;
            }
            // A create with an orderLinkId is safe to send again: the venue refuses a second order with the same one
            // (110072, https://bybit-exchange.github.io/docs/v5/order/create-order).
            else if (a.Outcome == BybitOutcome.Ambiguous && retrySafe && a.Kind != BybitErrorKind.Duplicate)
            {
                wait = policy.Delay(attempt);
            }

            if (wait is null || attempt >= policy.MaxAttempts)
                return Finish(a.Outcome, a.Kind, a.RetCode, a.Message, a.Value, attempt, mayHaveActed);
            Interlocked.Increment(ref _retries);
            if (wait > TimeSpan.Zero) await Task.Delay(wait.Value, _time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>The result of the last attempt, except that a rejection cannot clear the doubt an earlier attempt left.</summary>
    internal static BybitResult<T> Finish<T>(BybitOutcome outcome, BybitErrorKind kind, int retCode, string message, T? value,
        int attempts, bool mayHaveActed)
    {
        if (mayHaveActed && outcome is BybitOutcome.Rejected or BybitOutcome.RateLimited)
            return new BybitResult<T>(BybitOutcome.Ambiguous, default, retCode,
                $"{message} (after an earlier attempt whose effect is unknown)", kind, attempts);
        return new BybitResult<T>(outcome, outcome == BybitOutcome.Ok ? value : default, retCode, message, kind, attempts);
    }

    private async Task<Attempt<T>> SendOnceAsync<T>(Endpoint ep, string query, byte[]? body, Func<BybitEnvelope, T> read, CancellationToken ct)
    {
        var uri = new Uri(_options.BaseUrl, query.Length == 0 ? ep.Path : ep.Path + "?" + query);
        using var request = new HttpRequestMessage(ep.Method, uri);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        }
        if (ep.Private)
        {
            var timestamp = BybitJson.ToUnixMs(ServerNow);
            var signature = body is not null
                ? _signer!.SignRest(timestamp, _options.RecvWindowMs, body)
                : _signer!.SignRest(timestamp, _options.RecvWindowMs, query);
            foreach (var (name, value) in _signer.RestHeaders(timestamp, _options.RecvWindowMs, signature))
                request.Headers.TryAddWithoutValidation(name, value);
        }

        Interlocked.Increment(ref _requests);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_options.RequestTimeout);
        HttpResponseMessage response;
        byte[] payload;
        try
        {
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseContentRead, timeout.Token).ConfigureAwait(false);
            payload = await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Attempt<T>.Failed(BybitOutcome.Ambiguous, BybitErrorKind.Timeout, $"no response within {_options.RequestTimeout.TotalMilliseconds:0} ms");
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return Attempt<T>.Failed(BybitOutcome.Ambiguous, BybitErrorKind.Transport, $"connection failed: {e.Message}");
        }

        using (response)
        {
            var resetIn = ObserveLimitHeaders(ep, response);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                var http = BybitErrors.ClassifyHttp((int)response.StatusCode);
                return Attempt<T>.Failed(http.Outcome, http.Kind, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}") with { ResetIn = resetIn };
            }
            return Interpret(payload, read) with { ResetIn = resetIn };
        }
    }

    private static Attempt<T> Interpret<T>(byte[] payload, Func<BybitEnvelope, T> read)
    {
        BybitEnvelope envelope;
        try
        {
            envelope = BybitEnvelope.Parse(payload);
        }
        catch (BybitFormatException e)
        {
            return Attempt<T>.Failed(BybitOutcome.Ambiguous, BybitErrorKind.MalformedResponse, e.Message);
        }
        using (envelope)
        {
            var c = BybitErrors.Classify(envelope.RetCode);
            if (c.Outcome != BybitOutcome.Ok)
                return new Attempt<T>(c.Outcome, c.Kind, envelope.RetCode, envelope.RetMsg, default, null);
            try
            {
                var value = read(envelope);
                return new Attempt<T>(BybitOutcome.Ok, c.Kind, envelope.RetCode, envelope.RetMsg, value, null);
            }
            catch (Exception e) when (e is BybitFormatException or InvalidOperationException or FormatException or OverflowException or ArgumentException)
            {
                // retCode 0 says the venue acted; without a readable result we cannot say what it returned.
                return new Attempt<T>(BybitOutcome.Ambiguous, BybitErrorKind.MalformedResponse, envelope.RetCode, $"result: {e.Message}", default, null);
            }
        }
    }

    /// <summary>Feeds the venue's rate-limit headers to the limiter; returns the time until the window resets.</summary>
    private TimeSpan? ObserveLimitHeaders(Endpoint ep, HttpResponseMessage response)
    {
        if (!TryHeaderLong(response, "X-Bapi-Limit-Status", out var remaining)) return null;
        TimeSpan? resetIn = null;
        if (TryHeaderLong(response, "X-Bapi-Limit-Reset-Timestamp", out var resetMs) && resetMs is > 0 and < 253_402_300_799_999)
        {
            // A little past the reset: our estimate of the server clock and our timers are good to a few ms only.
            var delta = DateTime.UnixEpoch.AddMilliseconds(resetMs) - ServerNow + ResetGuard;
            resetIn = delta < TimeSpan.Zero ? TimeSpan.Zero : delta > TimeSpan.FromMinutes(1) ? TimeSpan.FromMinutes(1) : delta;
        }
        _limiter.Observe(ep.Path, ep.Group, (int)Math.Clamp(remaining, 0, int.MaxValue), resetIn ?? TimeSpan.Zero);
        return resetIn;
    }

    private static bool TryHeaderLong(HttpResponseMessage response, string name, out long value)
    {
        value = 0;
        return response.Headers.TryGetValues(name, out var values)
               && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private Query OrderQueryString(OrderQuery q, bool settleIfNoSymbol) =>
        new Query().Add("category", _options.Category).Add("symbol", q.Symbol)
            .Add("settleCoin", q.SettleCoin ?? (settleIfNoSymbol && q.Symbol is null && q.OrderId is null && q.OrderLinkId is null ? "USDT" : null))
            .Add("orderId", q.OrderId).Add("orderLinkId", q.OrderLinkId)
            .Add("startTime", q.StartTime is { } from ? BybitJson.ToUnixMs(from).ToString(CultureInfo.InvariantCulture) : null)
            .Add("endTime", q.EndTime is { } to ? BybitJson.ToUnixMs(to).ToString(CultureInfo.InvariantCulture) : null)
            .Add("limit", q.Limit?.ToString(CultureInfo.InvariantCulture)).AddCursor(q.Cursor)
            .Add("openOnly", q.Closed ? "1" : null);

    private static BybitResult<TOut> Fail<TOut>(BybitResult<BybitServerTime> r) =>
        new(r.Outcome, default, r.RetCode, r.Message, r.Kind, r.Attempts);

    private static byte[] Body(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static string Wire(decimal d) => d.ToString(CultureInfo.InvariantCulture);

    private static string TimeInForceWire(TimeInForce t) => t switch
    {
        TimeInForce.GoodTillCancel => "GTC",
        TimeInForce.ImmediateOrCancel => "IOC",
        TimeInForce.PostOnly => "PostOnly",
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, null),
    };

    public void Dispose()
    {
        if (_ownsHttp) _http.Dispose();
    }

    private sealed record Endpoint(HttpMethod Method, string Path, bool Private, BybitLimitGroup Group);

    private static class Endpoints
    {
        public static readonly Endpoint Time = new(HttpMethod.Get, "/v5/market/time", false, BybitLimitGroup.Public);
        public static readonly Endpoint Instruments = new(HttpMethod.Get, "/v5/market/instruments-info", false, BybitLimitGroup.Public);
        public static readonly Endpoint Kline = new(HttpMethod.Get, "/v5/market/kline", false, BybitLimitGroup.Public);
        public static readonly Endpoint Tickers = new(HttpMethod.Get, "/v5/market/tickers", false, BybitLimitGroup.Public);
        public static readonly Endpoint RecentTrades = new(HttpMethod.Get, "/v5/market/recent-trade", false, BybitLimitGroup.Public);
        public static readonly Endpoint Create = new(HttpMethod.Post, "/v5/order/create", true, BybitLimitGroup.OrderWrite);
        public static readonly Endpoint Amend = new(HttpMethod.Post, "/v5/order/amend", true, BybitLimitGroup.OrderWrite);
        public static readonly Endpoint Cancel = new(HttpMethod.Post, "/v5/order/cancel", true, BybitLimitGroup.OrderWrite);
        public static readonly Endpoint CancelAll = new(HttpMethod.Post, "/v5/order/cancel-all", true, BybitLimitGroup.CancelAll);
        public static readonly Endpoint CancelBatch = new(HttpMethod.Post, "/v5/order/cancel-batch", true, BybitLimitGroup.OrderWrite);
        public static readonly Endpoint Realtime = new(HttpMethod.Get, "/v5/order/realtime", true, BybitLimitGroup.Query);
        public static readonly Endpoint History = new(HttpMethod.Get, "/v5/order/history", true, BybitLimitGroup.Query);
        public static readonly Endpoint Executions = new(HttpMethod.Get, "/v5/execution/list", true, BybitLimitGroup.Query);
        public static readonly Endpoint Positions = new(HttpMethod.Get, "/v5/position/list", true, BybitLimitGroup.Query);
        public static readonly Endpoint Wallet = new(HttpMethod.Get, "/v5/account/wallet-balance", true, BybitLimitGroup.Query);
    }

    private sealed record Attempt<T>(BybitOutcome Outcome, BybitErrorKind Kind, int RetCode, string Message, T? Value, TimeSpan? ResetIn)
    {
        public static Attempt<T> Failed(BybitOutcome outcome, BybitErrorKind kind, string message) => new(outcome, kind, -1, message, default, null);
    }

    /// <summary>A query string built in a fixed order; the exact string sent is the one signed.</summary>
    private sealed class Query
    {
        private readonly StringBuilder _sb = new();

        public Query Add(string name, string? value)
        {
            if (value is null) return this;
            if (_sb.Length > 0) _sb.Append('&');
            _sb.Append(name).Append('=').Append(Uri.EscapeDataString(value));
            return this;
        }

        /// <summary>
        /// The venue's nextPageCursor as it came: it is already URL-encoded, so escaping it again would send another
        /// cursor (the docs: "use the nextPageCursor token from the response"). Only what would break the query string
        /// (a space, '&amp;', '#', a character outside ASCII) is escaped.
        /// </summary>
        public Query AddCursor(string? cursor)
        {
            if (cursor is null) return this;
            if (!System.Text.Ascii.IsValid(cursor)) return Add("cursor", cursor);
            if (_sb.Length > 0) _sb.Append('&');
            _sb.Append("cursor=");
            foreach (var ch in cursor)
            {
                if (ch is '&' or '#' or '+' or ' ' || char.IsControl(ch)) _sb.Append(Uri.EscapeDataString(ch.ToString()));
                else _sb.Append(ch);
            }
            return this;
        }

        public override string ToString() => _sb.ToString();
    }
}

internal static class BybitResultExtensions
{
    public static BybitResult<TOut> With<TIn, TOut>(this BybitResult<TIn> r, TOut value) =>
        new(r.Outcome, value, r.RetCode, r.Message, r.Kind, r.Attempts);
}
