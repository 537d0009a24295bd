using Hean.Core.Domain;
using System.CommandLine;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Hean.Host.Commands.Display;
using Hean.Host.Security;

namespace Hean.Host.Commands;

/// <summary>
/// How the operator commands reach a node: its address (--url, else HEAN_URL, else http://127.0.0.1:HEAN_HTTP_PORT),
/// its token (--token, else HEAN_TOKEN, else the api-token file in HEAN_DATA_DIR or ./.hean), sent in the
/// Authorization header, and for a node with a self-signed certificate the certificate to trust (HEAN_CA_CERT).
/// The answer is shown as tables; --json prints the node's JSON as it came, for scripts.
/// </summary>
public sealed record NodeClient(Option<string?> Url, Option<string?> Token, Option<bool> Json)
{
    public static NodeClient Options() => new(
        new Option<string?>("--url") { Description = "the node's HTTP address (default HEAN_URL or http://127.0.0.1:8080)" },
        new Option<string?>("--token") { Description = "API token (default HEAN_TOKEN, else the node's api-token file in HEAN_DATA_DIR or ./.hean)" },
        new Option<bool>("--json") { Description = "print the node's JSON answer (for scripts) instead of tables" });

    /// <summary>The node's address and token, and --json: for commands that show the node's answer.</summary>
    public void AddTo(Command command)
    {
        AddConnectionTo(command);
        command.Options.Add(Json);
    }

    /// <summary>The node's address and token alone: for commands that read from a node and show something of their own.</summary>
    public void AddConnectionTo(Command command)
    {
        command.Options.Add(Url);
        command.Options.Add(Token);
    }

    public static string BaseUrl(string? url)
    {
        if (!string.IsNullOrWhiteSpace(url)) return url.TrimEnd('/');
        if (Environment.GetEnvironmentVariable("HEAN_URL") is { Length: > 0 } env) return env.TrimEnd('/');
        var port = Environment.GetEnvironmentVariable("HEAN_HTTP_PORT") is { Length: > 0 } p ? p : "8080";
        return $"http://127.0.0.1:{port}";
    }

    /// <summary>
    /// The token to send and where it came from; null when none is found (the node then answers 401). The local node's
    /// token file is sent only to a loopback address: a node elsewhere gets only a token given on purpose.
    /// </summary>
    public static (string? Token, string Source) FindToken(string? option, string baseUrl)
    {
        if (!string.IsNullOrWhiteSpace(option)) return (option.Trim(), "--token");
        if (Environment.GetEnvironmentVariable("HEAN_TOKEN") is { Length: > 0 } env) return (env.Trim(), "HEAN_TOKEN");
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out var uri) || !ApiSecuritySettings.IsLoopback(uri.Host))
            return (null, $"no token (the local token file goes to loopback addresses only; pass --token or HEAN_TOKEN for {baseUrl})");
        var file = Path.Combine(LocalNode.DataDir(), ApiTokens.TokenFile);
        return ApiTokens.ReadMainToken(file) is { } token ? (token, file) : (null, $"no token (--token, HEAN_TOKEN or {file})");
    }

    public static HttpClient Http(string? token, TimeSpan timeout)
    {
        var handler = new HttpClientHandler();
        if (Environment.GetEnvironmentVariable("HEAN_CA_CERT") is { Length: > 0 } caPath)
        {
            X509Certificate2 ca;
            try
            {
                ca = X509Certificate2.CreateFromPem(File.ReadAllText(caPath));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Security.Cryptography.CryptographicException)
            {
                throw new ArgumentException($"HEAN_CA_CERT={caPath}: not a readable PEM certificate ({e.Message.Split('\n')[0]})");
            }
            // The node's own certificate (or its CA) is trusted; its name must still match the URL.
            handler.ServerCertificateCustomValidationCallback = (_, certificate, _, errors) =>
            {
                if (errors == SslPolicyErrors.None) return true;
                if (certificate is null || (errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0) return false;
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                return chain.Build(certificate);
            };
        }
        var http = new HttpClient(handler) { Timeout = timeout };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>Calls the node, shows the answer (as <paramref name="view"/> or, with --json, as JSON); an error names the node's reason and the status.</summary>
    public async Task<int> Call(ParseResult r, HttpMethod method, string path, NodeView view, CancellationToken ct, bool okOn503 = false)
    {
        var url = r.GetValue(Url);
        var (token, source) = FindToken(r.GetValue(Token), BaseUrl(url));
        var target = BaseUrl(url) + path;
        try
        {
            using var http = Http(token, TimeSpan.FromSeconds(60));
            using var response = await http.SendAsync(new HttpRequestMessage(method, target), ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            if (response.IsSuccessStatusCode || (okOn503 && (int)response.StatusCode == 503))
            {
                Show(body, r.GetValue(Json) ? null : view);
                return Program.Ok;
            }
            var message = ErrorOf(body);
            if ((int)response.StatusCode == 401) message += $" [token from {source}]";
            await Console.Error.WriteLineAsync($"error: {message} ({(int)response.StatusCode} from {target})");
            return (int)response.StatusCode is >= 400 and < 500 ? Program.BadInput : Program.Failed;
        }
        catch (HttpRequestException e)
        {
            var why = e.GetBaseException() is { } inner && inner != e ? $"{e.Message} {inner.Message}" : e.Message;
            await Console.Error.WriteLineAsync($"error: no HEAN node answers at {BaseUrl(url)} ({why}); start one with `hean run` or pass --url");
            return Program.Failed;
        }
        catch (ArgumentException e)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message);
            return Program.BadInput;
        }
    }

    /// <summary>Reads a node's /api/state (for commands that need the live positions).</summary>
    public async Task<JsonElement> StateAsync(ParseResult r, CancellationToken ct)
    {
        using var http = Http(FindToken(r.GetValue(Token), BaseUrl(r.GetValue(Url))).Token, TimeSpan.FromSeconds(30));
        using var response = await http.GetAsync(BaseUrl(r.GetValue(Url)) + "/api/state", ct);
        if (!response.IsSuccessStatusCode)
            throw new ArgumentException($"{(int)response.StatusCode} from the node: {ErrorOf(await response.Content.ReadAsStringAsync(ct))}");
        return await response.Content.ReadFromJsonAsync<JsonElement>(ct);
    }

    private static string ErrorOf(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.String)
                return e.GetString()!;
            // A node that has not started trading yet answers {"status": "starting"}.
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("status", out var st) && st.ValueKind == JsonValueKind.String
                && st.GetString() == "starting")
                return "the node is still starting (its market data and actors are not up yet): try again in a few seconds";
        }
        catch (JsonException)
        {
        }
        return DisplayText.Printable(body, 300);
    }

    /// <summary>The answer through the view, or indented JSON when there is no view or the answer is not JSON.</summary>
    private static void Show(string body, NodeView? view)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            Console.WriteLine(body);
            return;
        }
        using (doc)
        {
            if (view is null) Console.WriteLine(JsonSerializer.Serialize(doc.RootElement, new JsonSerializerOptions { WriteIndented = true }));
            else Terminal.Write(view(doc.RootElement, DateTime.UtcNow));
        }
    }
}
