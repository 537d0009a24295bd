using Hean.Core.Domain;
using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Prometheus;

namespace Hean.Host.Security;

/// <summary>
/// The gate in front of every endpoint, in this order: the Host must be an allowed name (a DNS-rebinding page
/// carries its own name); a browser's cross-site request is refused (a foreign Origin, or Sec-Fetch-Site:
/// cross-site); under /api (and /health, /metrics with HEAN_METRICS_AUTH=on) a bearer token in the Authorization
/// header, never in the URL; state changes (POST) need an operator token and are rate-limited per token. No CORS
/// headers are ever sent, so a browser on another origin can neither read an answer nor send a token.
/// </summary>
public static class ApiGuard
{
    private const string CallerKey = "hean.caller";

    private static readonly Counter Refused = Metrics.CreateCounter("hean_api_refused_total",
        "Management API requests refused, by reason (host, origin, no_token, token_in_url, bad_token, role, rate, body)",
        new CounterConfiguration { LabelNames = ["reason"] });

    private static readonly string[] Reasons = ["host", "origin", "no_token", "token_in_url", "bad_token", "role", "rate", "body"];

    /// <summary>The caller of a request that passed the gate ("unauthenticated" with HEAN_API_AUTH=off).</summary>
    public static ApiCaller Caller(HttpContext context) =>
        context.Items[CallerKey] as ApiCaller ?? new ApiCaller("unauthenticated", ApiRole.Operator);

    public static void UseApiGuard(this WebApplication app, ApiSecuritySettings settings, ApiTokens? tokens)
    {
        foreach (var reason in Reasons) Refused.WithLabels(reason); // exported at 0 from the start
        var buckets = new ConcurrentDictionary<string, TokenBucket>();
        var log = Serilog.Log.ForContext("SourceContext", "Hean.Host.Http.ApiGuard");
        app.Use(async (context, next) =>
        {
            var request = context.Request;
            var host = request.Host.Host;
            if (!HostAllowed(settings, host))
            {
                await Refuse(context, StatusCodes.Status400BadRequest, "host",
                    $"Host '{DisplayText.Printable(host, 80)}' is not allowed (loopback names and HEAN_HTTP_ALLOWED_HOSTS)");
                return;
            }
            if (request.Headers.Origin is { Count: > 0 } origin && !OriginAllowed(settings, origin.ToString(), request))
            {
                await Refuse(context, StatusCodes.Status403Forbidden, "origin",
                    $"cross-origin requests are refused (Origin '{DisplayText.Printable(origin.ToString(), 80)}'; allowed: HEAN_HTTP_ALLOWED_ORIGINS)");
                return;
            }
            if (string.Equals(request.Headers["Sec-Fetch-Site"], "cross-site", StringComparison.OrdinalIgnoreCase))
            {
                await Refuse(context, StatusCodes.Status403Forbidden, "origin", "cross-site requests are refused");
                return;
            }
            if (request.ContentLength > ApiSecuritySettings.MaxRequestBody)
            {
                await Refuse(context, StatusCodes.Status413PayloadTooLarge, "body",
                    $"request body over {ApiSecuritySettings.MaxRequestBody} bytes; the API takes its arguments in the query string");
                return;
            }

            var path = request.Path;
            var api = path.StartsWithSegments("/api");
            var open = !api && !(settings.ProtectHealth && (path.StartsWithSegments("/health") || path.StartsWithSegments("/metrics")));
            if (open)
            {
                await next(context);
                return;
            }
            if (request.Query.ContainsKey("token") || request.Query.ContainsKey("access_token"))
            {
                // A URL is logged by proxies and kept in browser history: a token there is a token leaked.
                await Refuse(context, StatusCodes.Status400BadRequest, "token_in_url",
                    "send the token in the Authorization header (Authorization: Bearer …), never in the URL");
                return;
            }
            var write = !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method);
            ApiCaller caller;
            if (!settings.AuthEnabled || tokens is null) caller = new ApiCaller("unauthenticated", ApiRole.Operator);
            else
            {
                var header = request.Headers.Authorization.ToString();
                if (header.Length == 0)
                {
                    context.Response.Headers.WWWAuthenticate = "Bearer realm=\"hean\"";
                    await Refuse(context, StatusCodes.Status401Unauthorized, "no_token",
                        "this endpoint needs a token: Authorization: Bearer <token> (the node's is in HEAN_DATA_DIR/api-token)");
                    return;
                }
                var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
                if (tokens.Verify(presented) is not { } known)
                {
                    context.Response.Headers.WWWAuthenticate = "Bearer realm=\"hean\", error=\"invalid_token\"";
                    await Refuse(context, StatusCodes.Status401Unauthorized, "bad_token", "the token is not valid (rotated or mistyped?)");
                    return;
                }
                caller = known;
            }
            if (write && caller.Role < ApiRole.Operator)
            {
                await Refuse(context, StatusCodes.Status403Forbidden, "role", $"token '{caller.Name}' is a {caller.Role.ToString().ToLowerInvariant()}: this needs an operator token");
                return;
            }
            if (write && !buckets.GetOrAdd(caller.Name, _ => new TokenBucket(settings.WriteRate, settings.WriteBurst)).TryTake())
            {
                context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(1 / settings.WriteRate)).ToString(System.Globalization.CultureInfo.InvariantCulture);
                await Refuse(context, StatusCodes.Status429TooManyRequests, "rate",
                    $"over {settings.WriteRate:0.##} state-changing requests per second for token '{caller.Name}' (HEAN_API_WRITE_RATE); try again shortly");
                return;
            }
            context.Items[CallerKey] = caller;
            if (write) log.Information("API {Method} {Path} by {Caller}", request.Method, path.Value, caller.Name);
            else log.Debug("API {Method} {Path} by {Caller}", request.Method, path.Value, caller.Name);
            await next(context);
        });
    }

    private static bool HostAllowed(ApiSecuritySettings settings, string host)
    {
        if (host.Length == 0) return false;
        if (settings.AllowedHosts.Contains(host)) return true;
        // An address literal cannot be a rebinding attack: the page that sent it is on that very address.
        return System.Net.IPAddress.TryParse(host.Trim('[', ']'), out _);
    }

    private static bool OriginAllowed(ApiSecuritySettings settings, string origin, HttpRequest request)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")) return false;
        if (settings.AllowedOrigins.Contains(uri.GetLeftPart(UriPartial.Authority))) return true;
        // Same origin: a page the node itself serves, reached under an allowed Host.
        return string.Equals(uri.Authority, request.Host.Value, StringComparison.OrdinalIgnoreCase) && uri.Scheme == request.Scheme;
    }

    private static async Task Refuse(HttpContext context, int status, string reason, string message)
    {
        Refused.WithLabels(reason).Inc();
        context.Response.StatusCode = status;
        context.Response.Headers[HeaderNames.CacheControl] = "no-store";
        await context.Response.WriteAsJsonAsync(new { error = message });
    }

    /// <summary>Refills at <c>rate</c> per second up to <c>burst</c>.</summary>
    private sealed class TokenBucket(double rate, int burst)
    {
        private readonly Lock _lock = new();
        private double _tokens = burst;
        private long _last = Stopwatch.GetTimestamp();

        public bool TryTake()
        {
            lock (_lock)
            {
                var now = Stopwatch.GetTimestamp();
                _tokens = Math.Min(burst, _tokens + Stopwatch.GetElapsedTime(_last, now).TotalSeconds * rate);
                _last = now;
                if (_tokens < 1) return false;
                _tokens -= 1;
                return true;
            }
        }
    }
}
