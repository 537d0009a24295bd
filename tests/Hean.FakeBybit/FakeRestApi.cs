using System.Globalization;
using System.Text;
using Hean.Bybit;
using Hean.Bybit.Signing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Hean.FakeBybit;

/// <summary>
/// The fake's REST endpoints. A private request is checked like the venue does it: API key (10003), timestamp inside
/// the receive window (10002), HMAC signature over the exact query string or body (10004), then the per-endpoint rate
/// limit (10006 with the X-Bapi-Limit headers). Faults apply on top.
/// </summary>
internal sealed class FakeRestApi(FakeVenue venue, Faults faults, FakeBybitOptions options)
{
    private readonly BybitSigner _signer = new(new BybitCredentials(options.ApiKey, options.ApiSecret));
    private readonly FakeRateLimiter _limiter = new();
    private readonly Dictionary<string, long> _calls = [];
    private readonly Dictionary<string, List<string>> _queries = [];
    private readonly Lock _callsLock = new();

    /// <summary>Requests that reached an endpoint (refused ones included).</summary>
    public long CallsTo(string path)
    {
        lock (_callsLock) return _calls.GetValueOrDefault(path);
    }

    /// <summary>The query strings of the GET requests that reached a path, in arrival order.</summary>
    public IReadOnlyList<string> QueriesTo(string path)
    {
        lock (_callsLock) return _queries.TryGetValue(path, out var q) ? q.ToList() : [];
    }

    public void Map(WebApplication app)
    {
        Get(app, "/v5/market/time", null, _ => venue.ServerTime());
        Get(app, "/v5/market/instruments-info", null, venue.Instruments);
        Get(app, "/v5/market/kline", null, venue.Kline);
        Get(app, "/v5/market/tickers", null, venue.Tickers);
        Get(app, "/v5/market/recent-trade", null, venue.RecentTrades);
        Post(app, "/v5/order/create", options.OrderWritesPerSecond, venue.Create);
        Post(app, "/v5/order/amend", options.OrderWritesPerSecond, venue.Amend);
        Post(app, "/v5/order/cancel", options.OrderWritesPerSecond, venue.Cancel);
        Post(app, "/v5/order/cancel-all", 10, venue.CancelAll);
        Post(app, "/v5/order/cancel-batch", options.OrderWritesPerSecond, venue.CancelBatch);
        Get(app, "/v5/order/realtime", options.QueriesPerSecond, venue.Realtime);
        Get(app, "/v5/order/history", options.QueriesPerSecond, venue.History);
        Get(app, "/v5/execution/list", options.QueriesPerSecond, venue.ExecutionList);
        Get(app, "/v5/position/list", options.QueriesPerSecond, venue.Positions);
        Get(app, "/v5/account/wallet-balance", options.QueriesPerSecond, venue.WalletBalance);
    }

    private void Get(WebApplication app, string path, int? limit, Func<FakeParams, FakeReply> action) =>
        app.MapGet(path, ctx => HandleAsync(ctx, path, limit, action));

    private void Post(WebApplication app, string path, int limit, Func<FakeParams, FakeReply> action) =>
        app.MapPost(path, ctx => HandleAsync(ctx, path, limit, action));

    /// <param name="limit">Per-second limit of a private endpoint; null for public ones.</param>
    private async Task HandleAsync(HttpContext ctx, string path, int? limit, Func<FakeParams, FakeReply> action)
    {
        lock (_callsLock) _calls[path] = _calls.GetValueOrDefault(path) + 1;
        var isPost = HttpMethods.IsPost(ctx.Request.Method);
        string body;
        using (var reader = new StreamReader(ctx.Request.Body, Encoding.UTF8))
            body = isPost ? await reader.ReadToEndAsync(ctx.RequestAborted) : "";
        var query = ctx.Request.QueryString.HasValue ? ctx.Request.QueryString.Value![1..] : "";
        if (!isPost)
            lock (_callsLock)
            {
                if (!_queries.TryGetValue(path, out var seen)) _queries[path] = seen = [];
                seen.Add(query);
            }

        if (faults.TakeBanned())
        {
            if (faults.BanAsRetCode) await WriteAsync(ctx, Refuse(10018, "Exceeded the IP Rate Limit.").Json, null);
            else
            {
                ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
                await ctx.Response.WriteAsync("403, access too frequent", ctx.RequestAborted);
            }
            return;
        }
        if (limit is { } perSecond)
        {
            if (Authenticate(ctx.Request, isPost ? body : query) is { } refused)
            {
                await WriteAsync(ctx, refused, null);
                return;
            }
            if (faults.TakeRateLimit() || faults.TakeRefusal(path))
            {
                var reset = V5Json.Ms(venue.Now) + 100;
                await WriteAsync(ctx, RateLimited(), (perSecond, 0, reset));
                return;
            }
            var (allowed, remaining, resetMs) = _limiter.Take(path, perSecond, venue.Now);
            if (!allowed)
            {
                await WriteAsync(ctx, RateLimited(), (perSecond, 0, resetMs));
                return;
            }
            var p = isPost ? FakeParams.FromJson(body) : FakeParams.FromQuery(ctx.Request.Query);
            var reply = p is null ? Refuse(10001, "params error: the body is not a JSON object") : action(p);
            if (path == "/v5/order/create" && reply.RetCode == 0 && faults.TakeAcceptThenAbort())
            {
                ctx.Abort();
                return;
            }
            await DelayAsync(ctx, path);
            await WriteAsync(ctx, reply.Json, (perSecond, remaining, resetMs));
            return;
        }

        var publicReply = action(FakeParams.FromQuery(ctx.Request.Query));
        await DelayAsync(ctx, path);
        await WriteAsync(ctx, publicReply.Json, null);
    }

    /// <summary>Null when the request is properly signed; otherwise the error envelope.</summary>
    private string? Authenticate(HttpRequest request, string payload)
    {
        var key = request.Headers[BybitSigner.ApiKeyHeader].ToString();
        if (key.Length == 0 || key != options.ApiKey) return Refuse(10003, "API key is invalid.").Json;
        if (!long.TryParse(request.Headers[BybitSigner.TimestampHeader].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
            return Refuse(10001, "params error: X-BAPI-TIMESTAMP is missing").Json;
        var recvWindow = long.TryParse(request.Headers[BybitSigner.RecvWindowHeader].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var rw)
            ? rw
            : 5000;
        var serverMs = V5Json.Ms(venue.Now);
        if (timestamp < serverMs - recvWindow || timestamp >= serverMs + 1000)
            return Refuse(10002, $"invalid request, please check your server timestamp or recv_window param. req_timestamp[{timestamp}],server_timestamp[{serverMs}],recv_window[{recvWindow}]").Json;
        var expected = _signer.SignRest(timestamp, recvWindow, payload);
        if (faults.RejectSignatures || !BybitSigner.SignaturesEqual(expected, request.Headers[BybitSigner.SignHeader].ToString()))
            return Refuse(10004, $"error sign! origin_string[{BybitSigner.RestStringToSign(timestamp, key, recvWindow, payload)}]").Json;
        return null;
    }

    private string RateLimited() => Refuse(10006, "Too many visits!").Json;

    private FakeReply Refuse(int retCode, string message) => new(retCode, V5Json.Envelope(retCode, message, null, venue.Now));

    private async Task DelayAsync(HttpContext ctx, string path)
    {
        var delay = faults.ResponseDelay > faults.DelayOf(path) ? faults.ResponseDelay : faults.DelayOf(path);
        if (delay <= TimeSpan.Zero) return;
        try
        {
            await Task.Delay(delay, ctx.RequestAborted);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static async Task WriteAsync(HttpContext ctx, string json, (int Limit, int Remaining, long ResetMs)? limits)
    {
        if (ctx.RequestAborted.IsCancellationRequested) return;
        if (limits is { } l)
        {
            ctx.Response.Headers["X-Bapi-Limit"] = l.Limit.ToString(CultureInfo.InvariantCulture);
            ctx.Response.Headers["X-Bapi-Limit-Status"] = l.Remaining.ToString(CultureInfo.InvariantCulture);
            ctx.Response.Headers["X-Bapi-Limit-Reset-Timestamp"] = l.ResetMs.ToString(CultureInfo.InvariantCulture);
        }
        ctx.Response.ContentType = "application/json";
        try
        {
            await ctx.Response.WriteAsync(json, ctx.RequestAborted);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
