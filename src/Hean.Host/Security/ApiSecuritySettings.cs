using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using Hean.Core.Domain;
using Microsoft.Extensions.Configuration;

namespace Hean.Host.Security;

/// <summary>
/// How the management API is protected: bearer tokens (on unless HEAN_API_AUTH=off, which only a loopback
/// listener may use), the Host names and Origins a request may carry (loopback by default, against DNS rebinding
/// and cross-site requests), whether /health and /metrics need a token too, TLS, and the write rate per token.
/// </summary>
public sealed record ApiSecuritySettings(
    bool AuthEnabled,
    string? Token,
    IReadOnlySet<string> AllowedHosts,
    IReadOnlySet<string> AllowedOrigins,
    bool ProtectHealth,
    X509Certificate2? Certificate,
    double WriteRate,
    int WriteBurst)
{
    /// <summary>A token shorter than this is refused: ours have 256 random bits (43 base64url characters).</summary>
    public const int MinTokenLength = 32;

    /// <summary>Longest operator text (reason of a kill switch, trading state or cancel) the API accepts.</summary>
    public const int MaxReasonLength = 500;

    /// <summary>Largest request body the API reads; its endpoints take their arguments in the query string.</summary>
    public const long MaxRequestBody = 16 * 1024;

    public static readonly ApiSecuritySettings Default = new(true, null, LoopbackNames(), new HashSet<string>(), false, null, 5, 10);

    public string Scheme => Certificate is null ? "http" : "https";

    public static ApiSecuritySettings From(IConfiguration c, string httpHost, List<string> problems)
    {
        var auth = (c["HEAN_API_AUTH"] ?? "token").Trim().ToLowerInvariant() switch
        {
            "" or "token" or "on" => true,
            "off" => false,
            var other => Problem<bool>(problems, $"HEAN_API_AUTH={other}: must be 'token' (the default) or 'off'", true),
        };
        // Never echoed: a token in an error message ends up in a terminal's scrollback or a CI log.
        var token = string.IsNullOrWhiteSpace(c["HEAN_TOKEN"]) ? null : c["HEAN_TOKEN"]!.Trim();
        if (token is not null && (token.Length < MinTokenLength || token.Any(ch => ch <= ' ' || ch > '~')))
        {
            problems.Add($"HEAN_TOKEN must be at least {MinTokenLength} printable ASCII characters without spaces (e.g. what `hean token new` prints)");
            token = null;
        }
        if (!auth && !IsLoopback(httpHost))
            problems.Add($"HEAN_HTTP_HOST={httpHost} is not a loopback address and HEAN_API_AUTH=off: the management API (kill switch, orders) " +
                         "would be open to the network. Remove HEAN_API_AUTH=off (a token is then required) or bind 127.0.0.1");

        var hosts = LoopbackNames();
        if (!IsWildcard(httpHost)) hosts.Add(httpHost.Trim().ToLowerInvariant());
        foreach (var name in List(c["HEAN_HTTP_ALLOWED_HOSTS"]))
        {
            if (Uri.CheckHostName(name) == UriHostNameType.Unknown) problems.Add($"HEAN_HTTP_ALLOWED_HOSTS: '{DisplayText.Printable(name)}' is not a host name");
            else hosts.Add(name.ToLowerInvariant());
        }
        var origins = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var origin in List(c["HEAN_HTTP_ALLOWED_ORIGINS"]))
        {
            if (Uri.TryCreate(origin, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.AbsolutePath == "/" && origin.Count(ch => ch == '/') == 2)
                origins.Add(uri.GetLeftPart(UriPartial.Authority));
            else problems.Add($"HEAN_HTTP_ALLOWED_ORIGINS: '{DisplayText.Printable(origin)}' is not an origin (scheme://host[:port], e.g. https://ops.example.com)");
        }
        var protect = (c["HEAN_METRICS_AUTH"] ?? "off").Trim().ToLowerInvariant() switch
        {
            "" or "off" or "false" => false,
            "on" or "true" => true,
            var other => Problem<bool>(problems, $"HEAN_METRICS_AUTH={other}: must be 'on' (/health and /metrics need a token) or 'off'", false),
        };
        if (protect && !auth) problems.Add("HEAN_METRICS_AUTH=on needs tokens: remove HEAN_API_AUTH=off");

        X509Certificate2? certificate = null;
        string? certPath = Blank(c["HEAN_HTTP_TLS_CERT"]), keyPath = Blank(c["HEAN_HTTP_TLS_KEY"]);
        if (certPath is not null || keyPath is not null)
        {
            if (certPath is null || keyPath is null)
                problems.Add("TLS needs both HEAN_HTTP_TLS_CERT (PEM certificate) and HEAN_HTTP_TLS_KEY (PEM private key)");
            else
            {
                try
                {
                    if (OwnerOnly.GroupOrOtherCanRead(keyPath) is { } mode)
                        problems.Add($"HEAN_HTTP_TLS_KEY={keyPath} is readable by group or others (mode {mode}): chmod 600 {keyPath}");
                    else certificate = X509Certificate2.CreateFromPemFile(certPath, keyPath);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException or ArgumentException)
                {
                    // The crypto messages name the problem, not the key's bytes.
                    problems.Add($"HEAN_HTTP_TLS_CERT={certPath}, HEAN_HTTP_TLS_KEY={keyPath}: not a PEM certificate and key that belong together ({e.GetType().Name}: {e.Message.Split('\n')[0]})");
                }
            }
        }

        var rate = 5.0;
        if (Blank(c["HEAN_API_WRITE_RATE"]) is { } rawRate)
        {
            if (double.TryParse(rawRate, NumberStyles.Float, CultureInfo.InvariantCulture, out var r) && r is >= 0.01 and <= 1000) rate = r;
            else problems.Add($"HEAN_API_WRITE_RATE={DisplayText.Printable(rawRate)}: must be a number of state-changing requests per second per token, in [0.01, 1000]");
        }
        return new ApiSecuritySettings(auth, token, hosts, origins, protect, certificate, rate, Math.Max(1, (int)Math.Ceiling(rate * 2)));
    }

    /// <summary>localhost, 127.0.0.0/8 and ::1 (a host name such as localhost counts only by that exact name).</summary>
    public static bool IsLoopback(string host)
    {
        host = host.Trim().Trim('[', ']');
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip);
    }

    private static bool IsWildcard(string host) => host.Trim() is "*" or "+" or "0.0.0.0" or "::" or "[::]";

    private static HashSet<string> LoopbackNames() => new(StringComparer.OrdinalIgnoreCase) { "localhost", "127.0.0.1", "[::1]", "::1" };

    private static IEnumerable<string> List(string? raw) =>
        (raw ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    private static string? Blank(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    private static T Problem<T>(List<string> problems, string problem, T fallback)
    {
        problems.Add(DisplayText.Printable(problem));
        return fallback;
    }
}
