using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Xunit;

namespace Hean.Host.Tests;

/// <summary>
/// The management API as an attacker and as an operator meet it, against the real executable: tokens, roles,
/// cross-site and rebinding requests, binding rules, TLS, rate limits, and files only their owner can read.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class SecurityTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hean-sec-").FullName;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    private string DataDir => Path.Combine(_dir, ".hean");

    /// <summary>No HEAN_TOKEN: the node makes its own token file, and the commands read it from there.</summary>
    private Dictionary<string, string> Env => new() { ["HEAN_DATA_DIR"] = DataDir, ["HEAN_TOKEN"] = "" };

    private static HttpClient Client(string? token = null)
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        if (token is not null) http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task<(HttpStatusCode Status, string Body)> Send(HttpClient http, HttpMethod method, string url, Action<HttpRequestMessage>? setup = null)
    {
        using var request = new HttpRequestMessage(method, url);
        setup?.Invoke(request);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static async Task WaitReady(string url, string token)
    {
        using var http = Client(token);
        for (var i = 0; i < 240; i++)
        {
            if ((await Send(http, HttpMethod.Get, url + "/api/state")).Status == HttpStatusCode.OK) return;
            await Task.Delay(250);
        }
        throw new TimeoutException("the node's API did not come up");
    }

    private async Task<bool> KillSwitchEngaged(string url, string token)
    {
        using var http = Client(token);
        var (status, body) = await Send(http, HttpMethod.Get, url + "/api/risk");
        Assert.Equal(HttpStatusCode.OK, status);
        return JsonDocument.Parse(body).RootElement.GetProperty("kill_switch").GetBoolean();
    }

    [Fact]
    public async Task Only_a_token_in_the_header_from_an_allowed_host_and_origin_changes_state_and_the_audit_names_the_token()
    {
        await using var node = HeanProcess.Start(_dir, Env, "run", "--http-port", "0", "--paused", "--seed", "5");
        var url = await node.AddressAsync(TimeSpan.FromSeconds(60));

        // Created at first start, owner-only, 256 random bits; its place printed, never the token.
        var tokenFile = Path.Combine(DataDir, "api-token");
        var token = File.ReadAllText(tokenFile).Trim();
        Assert.Matches("^hean_[A-Za-z0-9_-]{43}$", token);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(DataDir));
        Assert.Contains(tokenFile, node.StdOut);
        Assert.DoesNotContain(token, node.StdOut + node.StdErr);

        using var anonymous = Client();
        using var operatorClient = Client(token);
        await WaitReady(url, token);
        var engage = url + "/api/killswitch/engage?reason=attack&flatten=true&by=risk-officer";

        // Without a token, with a wrong one, with one in the URL: refused, nothing changes.
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(anonymous, HttpMethod.Post, engage)).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(anonymous, HttpMethod.Get, url + "/api/state")).Status);
        using (var wrong = Client(token[..^1] + (token[^1] == 'A' ? 'B' : 'A')))
            Assert.Equal(HttpStatusCode.Unauthorized, (await Send(wrong, HttpMethod.Post, engage)).Status);
        var inUrl = await Send(anonymous, HttpMethod.Post, engage + "&token=" + token);
        Assert.Equal(HttpStatusCode.BadRequest, inUrl.Status);
        Assert.Contains("Authorization header", inUrl.Body);

        // A page on another site, even with the token (a browser would carry none, but nothing may rest on that):
        // the text/plain body and foreign Origin of a cross-site form post are refused.
        var crossSite = await Send(operatorClient, HttpMethod.Post, engage, r =>
        {
            r.Headers.Add("Origin", "http://evil.example");
            r.Content = new StringContent("x", System.Text.Encoding.UTF8, "text/plain");
        });
        Assert.Equal(HttpStatusCode.Forbidden, crossSite.Status);
        Assert.Equal(HttpStatusCode.Forbidden, (await Send(operatorClient, HttpMethod.Post, url + "/api/feed/pause",
            r => r.Headers.Add("Sec-Fetch-Site", "cross-site"))).Status);
        // DNS rebinding: the attacker's name in Host, even on a read.
        var rebinding = await Send(operatorClient, HttpMethod.Get, url + "/api/state", r => r.Headers.Host = "attacker.example");
        Assert.Equal(HttpStatusCode.BadRequest, rebinding.Status);
        Assert.DoesNotContain("portfolio", rebinding.Body);
        Assert.False(await KillSwitchEngaged(url, token));

        // Health and metrics stay open (Prometheus scrapes them) and never carry the token.
        var health = await Send(anonymous, HttpMethod.Get, url + "/health");
        Assert.True(health.Status is HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable, health.Body);
        var metrics = await Send(anonymous, HttpMethod.Get, url + "/metrics");
        Assert.Equal(HttpStatusCode.OK, metrics.Status);
        Assert.Contains("hean_api_refused_total{reason=\"origin\"} 2", metrics.Body);
        Assert.DoesNotContain(token, metrics.Body);

        // A viewer reads and cannot engage.
        var (code, viewerToken, err) = await HeanProcess.RunAsync(_dir, Env, Timeout, "token", "add", "alice", "--role", "viewer");
        Assert.True(code == 0, err);
        viewerToken = viewerToken.Trim();
        Assert.DoesNotContain(viewerToken, File.ReadAllText(Path.Combine(DataDir, "api-tokens.json"))); // kept as a hash
        using (var viewer = Client(viewerToken))
        {
            Assert.Equal(HttpStatusCode.OK, (await Send(viewer, HttpMethod.Get, url + "/api/risk")).Status);
            var refused = await Send(viewer, HttpMethod.Post, engage);
            Assert.Equal(HttpStatusCode.Forbidden, refused.Status);
            Assert.Contains("viewer", refused.Body);
        }
        Assert.False(await KillSwitchEngaged(url, token));

        // Absurd order values are the caller's error (400), never a 500 from an overflow further in.
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(operatorClient, HttpMethod.Post, url + "/api/orders?symbol=BTCUSDT&side=buy&qty=79228162514264337593543950335")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(operatorClient, HttpMethod.Post, url + "/api/orders?symbol=BTCUSDT&side=buy&qty=1&algo=twap&horizon=99999999d")).Status);

        // Bounded operator text.
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(operatorClient, HttpMethod.Post, url + "/api/killswitch/engage?reason=" + new string('x', 501))).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Send(operatorClient, HttpMethod.Post, url + "/api/killswitch/engage?reason=a%0Ab")).Status);

        // The operator: 200, and the audit names the token, not the `by` the caller wrote.
        var (status, body) = await Send(operatorClient, HttpMethod.Post, engage);
        Assert.Equal(HttpStatusCode.OK, status);
        var risk = JsonDocument.Parse(body).RootElement;
        Assert.True(risk.GetProperty("kill_switch").GetBoolean());
        Assert.Equal("operator", risk.GetProperty("kill_switch_by").GetString());
        (status, body) = await Send(operatorClient, HttpMethod.Post, url + "/api/trading-state?state=halted&reason=maintenance&by=someone-else");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("operator", JsonDocument.Parse(body).RootElement.GetProperty("trading_state_by").GetString());

        // A revoked token stops working at the next request; a rotated main token too.
        (code, _, err) = await HeanProcess.RunAsync(_dir, Env, Timeout, "token", "remove", "alice");
        Assert.True(code == 0, err);
        using (var revoked = Client(viewerToken)) Assert.Equal(HttpStatusCode.Unauthorized, (await Send(revoked, HttpMethod.Get, url + "/api/risk")).Status);

        // A damaged named-tokens file while the node runs: the tokens it had stay in force (the kill switch stays reachable).
        await File.WriteAllTextAsync(Path.Combine(DataDir, "api-tokens.json"), "{ not json");
        Assert.Equal(HttpStatusCode.OK, (await Send(operatorClient, HttpMethod.Get, url + "/api/risk")).Status);

        // Engage/release storms are cut by the per-token write rate (HEAN_API_WRITE_RATE, 5/s, burst 10): 429.
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 40; i++) statuses.Add((await Send(operatorClient, HttpMethod.Post, url + $"/api/trading-state?state=halted&reason=storm-{i}")).Status);
        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) < 30, string.Join(",", statuses));

        // The audit in the log names the token too, and the log holds no token.
        await node.DisposeAsync();
        var log = string.Concat(Directory.GetFiles(Path.Combine(DataDir, "logs")).Select(File.ReadAllText));
        Assert.Contains("kill switch engaged by operator", log);
        Assert.DoesNotContain("risk-officer", log);
        Assert.DoesNotContain(token, log);
        Assert.DoesNotContain(viewerToken, log);
        foreach (var file in Directory.GetFiles(DataDir, "*", SearchOption.AllDirectories))
            Assert.True((File.GetUnixFileMode(file) & (UnixFileMode.GroupRead | UnixFileMode.OtherRead)) == 0, $"{file} is readable by others");
    }

    [Fact]
    public async Task Every_operator_command_works_against_a_node_with_authentication_reading_the_token_file()
    {
        await using var node = HeanProcess.Start(_dir, Env, "run", "--http-port", "0", "--seed", "5");
        var url = await node.AddressAsync(TimeSpan.FromSeconds(60));
        await WaitReady(url, File.ReadAllText(Path.Combine(DataDir, "api-token")).Trim());

        async Task<string> Ok(params string[] args)
        {
            var (code, output, err) = await HeanProcess.RunAsync(_dir, Env, Timeout, [.. args, "--url", url]);
            Assert.True(code == 0, $"hean {string.Join(' ', args)} exited {code}: {err}");
            return output;
        }

        Assert.Contains("portfolio", await Ok("state"));
        Assert.Contains("components", await Ok("health"));
        Assert.Contains("components", await Ok("health", "--strict")); // the container health check: a running node is not unhealthy
        Assert.Contains("limits", await Ok("risk", "status"));
        // An operator order (retried while the first quotes arrive).
        var (submitted, submitOut, submitErr) = (0, "", "");
        for (var i = 0; i < 30; i++)
        {
            (submitted, submitOut, submitErr) = await HeanProcess.RunAsync(_dir, Env, Timeout,
                "order", "submit", "--symbol", "BTCUSDT", "--side", "buy", "--qty", "0.001", "--id", "sec-op-1", "--url", url);
            if (submitted == 0 || !submitErr.Contains("no price known", StringComparison.Ordinal)) break;
            await Task.Delay(1000);
        }
        Assert.True(submitted == 0, submitErr);
        Assert.Contains("started", submitOut);
        Assert.Contains("active", await Ok("order", "algos"));
        Assert.Contains("sec-op-1", await Ok("order", "algo", "sec-op-1"));
        var engaged = JsonDocument.Parse(await Ok("killswitch", "engage", "--reason", "cli with auth", "--json")).RootElement;
        Assert.Equal("operator", engaged.GetProperty("kill_switch_by").GetString());
        Assert.False(JsonDocument.Parse(await Ok("killswitch", "release", "--json")).RootElement.GetProperty("kill_switch").GetBoolean());
        Assert.Contains("reducing", await Ok("trading-state", "reducing", "--reason", "winding down"));

        // A wrong token from the command line: exit 2, and the error says where the token came from.
        var (bad, _, badErr) = await HeanProcess.RunAsync(_dir, Env, Timeout, "state", "--url", url, "--token", "hean_not-the-token-of-this-node-000000000000000");
        Assert.Equal(2, bad);
        Assert.Contains("401", badErr);
        Assert.Contains("--token", badErr);

        // Rotation: the old token stops working at once, the commands pick up the new file.
        var old = File.ReadAllText(Path.Combine(DataDir, "api-token")).Trim();
        var (rotated, _, rotateErr) = await HeanProcess.RunAsync(_dir, Env, Timeout, "token", "rotate");
        Assert.True(rotated == 0, rotateErr);
        Assert.NotEqual(old, File.ReadAllText(Path.Combine(DataDir, "api-token")).Trim());
        Assert.Contains("portfolio", await Ok("state"));
        (bad, _, _) = await HeanProcess.RunAsync(_dir, Env, Timeout, "state", "--url", url, "--token", old);
        Assert.Equal(2, bad);
    }

    [Fact]
    public void The_local_token_file_is_sent_to_loopback_addresses_only()
    {
        Directory.CreateDirectory(DataDir);
        File.WriteAllText(Path.Combine(DataDir, "api-token"), "hean_local-node-token-0000000000000000000000000\n");
        var saved = (Environment.GetEnvironmentVariable("HEAN_DATA_DIR"), Environment.GetEnvironmentVariable("HEAN_TOKEN"));
        try
        {
            Environment.SetEnvironmentVariable("HEAN_DATA_DIR", DataDir);
            Environment.SetEnvironmentVariable("HEAN_TOKEN", null);
            Assert.Equal("hean_local-node-token-0000000000000000000000000", Commands.NodeClient.FindToken(null, "http://127.0.0.1:8080").Token);
            Assert.Equal("hean_local-node-token-0000000000000000000000000", Commands.NodeClient.FindToken(null, "http://localhost:8080").Token);
            var remote = Commands.NodeClient.FindToken(null, "http://203.0.113.7:8080");
            Assert.Null(remote.Token);
            Assert.Contains("loopback", remote.Source);
            Assert.Equal("given", Commands.NodeClient.FindToken("given", "http://203.0.113.7:8080").Token); // on purpose: sent
        }
        finally
        {
            Environment.SetEnvironmentVariable("HEAN_DATA_DIR", saved.Item1);
            Environment.SetEnvironmentVariable("HEAN_TOKEN", saved.Item2);
        }
    }

    [Fact]
    public async Task Unsafe_bindings_and_bad_tokens_are_refused_at_start_with_exit_2()
    {
        var env = Env;
        env["HEAN_HTTP_HOST"] = "0.0.0.0";
        env["HEAN_API_AUTH"] = "off";
        var (code, _, err) = await HeanProcess.RunAsync(_dir, env, Timeout, "run", "--http-port", "0", "--duration", "5s");
        Assert.Equal(2, code);
        Assert.Contains("HEAN_HTTP_HOST=0.0.0.0 is not a loopback address", err);
        Assert.DoesNotContain("   at ", err); // a message, not a stack trace

        var shortToken = "hean_short-secret-value";
        (code, _, err) = await HeanProcess.RunAsync(_dir, new Dictionary<string, string> { ["HEAN_DATA_DIR"] = DataDir, ["HEAN_TOKEN"] = shortToken },
            Timeout, "run", "--http-port", "0", "--duration", "5s");
        Assert.Equal(2, code);
        Assert.Contains("HEAN_TOKEN must be at least 32", err);
        Assert.DoesNotContain(shortToken, err);
        Assert.False(Directory.Exists(Path.Combine(DataDir, "logs")), "nothing starts on bad settings");
    }

    [Fact]
    public async Task Tls_with_the_nodes_certificate_and_health_and_metrics_behind_the_token_on_request()
    {
        // A self-signed certificate for 127.0.0.1, its key owner-only.
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=hean-test", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        request.CertificateExtensions.Add(san.Build());
        using var cert = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certFile = Path.Combine(_dir, "node.crt");
        var keyFile = Path.Combine(_dir, "node.key");
        await File.WriteAllTextAsync(certFile, cert.ExportCertificatePem());
        await File.WriteAllTextAsync(keyFile, key.ExportPkcs8PrivateKeyPem());
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var env = Env;
        env["HEAN_HTTP_TLS_CERT"] = certFile;
        env["HEAN_HTTP_TLS_KEY"] = keyFile;
        env["HEAN_METRICS_AUTH"] = "on";
        await using var node = HeanProcess.Start(_dir, env, "run", "--http-port", "0", "--paused", "--seed", "5");
        var url = await node.AddressAsync(TimeSpan.FromSeconds(60));
        Assert.StartsWith("https://", url);
        var token = File.ReadAllText(Path.Combine(DataDir, "api-token")).Trim();

        using var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == cert.Thumbprint,
        };
        using var http = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(http, HttpMethod.Get, url + "/metrics")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Send(http, HttpMethod.Get, url + "/health")).Status);
        var metrics = await Send(http, HttpMethod.Get, url + "/metrics", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token));
        Assert.Equal(HttpStatusCode.OK, metrics.Status);

        // The node answers /api/state once trading has started (503 "starting" before): wait for that, then the commands
        // trust the node's certificate through HEAN_CA_CERT, and refuse it without.
        for (var sw = System.Diagnostics.Stopwatch.StartNew(); sw.Elapsed < TimeSpan.FromSeconds(60); await Task.Delay(200))
            if ((await Send(http, HttpMethod.Get, url + "/api/state", r => r.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token))).Status == HttpStatusCode.OK)
                break;
        var trusting = Env;
        trusting["HEAN_CA_CERT"] = certFile;
        var (code, output, err) = await HeanProcess.RunAsync(_dir, trusting, Timeout, "state", "--url", url);
        Assert.True(code == 0, err);
        Assert.Contains("portfolio", output);
        (code, _, err) = await HeanProcess.RunAsync(_dir, Env, Timeout, "state", "--url", url);
        Assert.Equal(1, code);
        Assert.Contains("SSL", err, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_group_readable_tls_key_is_refused()
    {
        var keyFile = Path.Combine(_dir, "open.key");
        await File.WriteAllTextAsync(keyFile, "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        File.SetUnixFileMode(keyFile, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var env = Env;
        env["HEAN_HTTP_TLS_CERT"] = keyFile;
        env["HEAN_HTTP_TLS_KEY"] = keyFile;
        var (code, _, err) = await HeanProcess.RunAsync(_dir, env, Timeout, "run", "--http-port", "0", "--duration", "5s");
        Assert.Equal(2, code);
        Assert.Contains("readable by group or others (mode 0644)", err);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
