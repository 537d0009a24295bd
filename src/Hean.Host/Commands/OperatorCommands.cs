using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;

namespace Hean.Host.Commands;

/// <summary>
/// Operator commands against a running node's management API (what Petabridge.Cmd's `pbm` does for
/// Akka.NET): kill switch, trading state, risk and state views. The node is found at --url, else
/// HEAN_URL, else http://127.0.0.1:HEAN_HTTP_PORT (8080).
/// </summary>
public static class OperatorCommands
{
    public static IEnumerable<Command> Create()
    {
        var url = new Option<string?>("--url") { Description = "the node's HTTP address (default HEAN_URL or http://127.0.0.1:8080)" };

        var reason = new Option<string>("--reason") { Description = "why (kept in the journal and the log)", Required = true };
        var flatten = new Option<bool>("--flatten") { Description = "also close every position with reduce-only market orders" };
        var engage = new Command("engage", "engage the kill switch: cancel all open orders, block new exposure") { reason, flatten, url };
        engage.SetAction(async (r, ct) => await Call(r.GetValue(url), HttpMethod.Post,
            $"/api/killswitch/engage?reason={Uri.EscapeDataString(r.GetValue(reason)!)}&by={By()}&flatten={r.GetValue(flatten).ToString().ToLowerInvariant()}", ct));
        var release = new Command("release", "release the kill switch; drawdown limits then measure from the current equity") { url };
        release.SetAction(async (r, ct) => await Call(r.GetValue(url), HttpMethod.Post, $"/api/killswitch/release?by={By()}", ct));
        var killSwitch = new Command("killswitch", "the emergency stop") { engage, release };

        var state = new Argument<string>("state") { Description = "active, reducing or halted" };
        var stateReason = new Option<string>("--reason") { Description = "why", Required = true };
        var tradingState = new Command("trading-state", "set ACTIVE / REDUCING (only orders that reduce exposure) / HALTED (no new orders)") { state, stateReason, url };
        tradingState.SetAction(async (r, ct) => await Call(r.GetValue(url), HttpMethod.Post,
            $"/api/trading-state?state={Uri.EscapeDataString(r.GetValue(state)!)}&reason={Uri.EscapeDataString(r.GetValue(stateReason)!)}&by={By()}", ct));

        var status = new Command("status", "risk state, limits and counters of the running node") { url };
        status.SetAction(async (r, ct) => await Call(r.GetValue(url), HttpMethod.Get, "/api/risk", ct));
        var risk = new Command("risk", "risk views") { status, RiskReportCommand.Create(url) };

        var show = new Command("state", "portfolio, positions, open orders and feed of the running node") { url };
        show.SetAction(async (r, ct) => await Call(r.GetValue(url), HttpMethod.Get, "/api/state", ct));

        var health = new Command("health", "health of every component of the running node") { url };
        health.SetAction(async (r, ct) => await Call(r.GetValue(url), HttpMethod.Get, "/health", ct, okOn503: true));

        return [killSwitch, tradingState, risk, show, health];
    }

    private static string By() => Uri.EscapeDataString($"{Environment.UserName}@cli");

    public static string BaseUrl(string? url)
    {
        if (!string.IsNullOrWhiteSpace(url)) return url.TrimEnd('/');
        if (Environment.GetEnvironmentVariable("HEAN_URL") is { Length: > 0 } env) return env.TrimEnd('/');
        var port = Environment.GetEnvironmentVariable("HEAN_HTTP_PORT") is { Length: > 0 } p ? p : "8080";
        return $"http://127.0.0.1:{port}";
    }

    private static async Task<int> Call(string? url, HttpMethod method, string path, CancellationToken ct, bool okOn503 = false)
    {
        var target = BaseUrl(url) + path;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        try
        {
            using var response = await http.SendAsync(new HttpRequestMessage(method, target), ct);
            var body = await response.Content.ReadAsStringAsync(ct);
            Console.WriteLine(Pretty(body));
            if (response.IsSuccessStatusCode || (okOn503 && (int)response.StatusCode == 503)) return Program.Ok;
            await Console.Error.WriteLineAsync($"error: {(int)response.StatusCode} from {target}");
            return (int)response.StatusCode is >= 400 and < 500 ? Program.BadInput : Program.Failed;
        }
        catch (HttpRequestException e)
        {
            await Console.Error.WriteLineAsync($"error: no HEAN node answers at {BaseUrl(url)} ({e.Message}); start one with `hean run` or pass --url");
            return Program.Failed;
        }
    }

    private static string Pretty(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            return JsonSerializer.Serialize(doc.RootElement, new JsonSerializerOptions { WriteIndented = true });
        }
        catch (JsonException)
        {
            return body;
        }
    }

    /// <summary>Reads a node's /api/state (for commands that need the live positions).</summary>
    public static async Task<JsonElement> StateAsync(string? url, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        return await http.GetFromJsonAsync<JsonElement>(BaseUrl(url) + "/api/state", ct);
    }
}
