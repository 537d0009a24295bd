using System.Net;
using System.Text.Json;
using Hean.Actors.Notifications;
using Hean.Host.Configuration;
using Hean.Host.Hosting;
using Microsoft.Extensions.Configuration;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Host.Tests;

/// <summary>HEAN's own notifier: a real `hean run` tells a loopback webhook and a Telegram-compatible bot of its fills and its kill switch.</summary>
public sealed class NotificationTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hean-notify-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { /* temp */ }
    }

    /// <summary>What a receiver got, each body as JSON.</summary>
    private static List<(string Path, JsonElement Body)> Json(LoopbackReceiver receiver) =>
        receiver.Requests().Select(r => (r.Path, JsonDocument.Parse(r.Body).RootElement.Clone())).ToList();

    [Fact]
    public async Task A_run_tells_the_webhook_and_the_bot_of_fills_and_of_the_kill_switch_without_secrets()
    {
        await using var hook = new LoopbackReceiver();
        await using var bot = new LoopbackReceiver();
        const string botToken = "123456:bot-token-of-this-test";
        var env = new Dictionary<string, string>
        {
            ["HEAN_DATA_DIR"] = Path.Combine(_dir, ".hean"), ["HEAN_PERSISTENCE"] = "inmem", ["HEAN_TOKEN"] = Api.TestToken,
            ["NOTIFY_WEBHOOK_URL"] = $"http://127.0.0.1:{hook.Port}/hooks/hean-secret-path-0123",
            ["NOTIFY_TELEGRAM_URL"] = $"http://127.0.0.1:{bot.Port}/", ["NOTIFY_TELEGRAM_TOKEN"] = botToken, ["NOTIFY_TELEGRAM_CHAT_ID"] = "-1001",
            ["NOTIFY_RATE_PER_MINUTE"] = "600",
        };
        await using var node = HeanProcess.Start(_dir, env, "run", "--http-port", "0", "--speed", "60", "--seed", "3");
        var url = await node.AddressAsync(TimeSpan.FromSeconds(60));

        await Eventually(() => Json(hook).Any(r => Kind(r.Body) == "fills"), TimeSpan.FromSeconds(120), "no fill reached the webhook", node);
        await Api.PostAsync(url + "/api/killswitch/engage?reason=notification-test");
        await Eventually(() => Json(hook).Any(r => Kind(r.Body) == "kill_switch") && Json(bot).Any(r => Text(r.Body).Contains("KILL SWITCH")),
            TimeSpan.FromSeconds(30), "the kill switch was not told on both channels", node,
            () => $"webhook: {string.Join(", ", Json(hook).Select(r => Kind(r.Body)))}; bot: {string.Join(" | ", Json(bot).Select(r => Text(r.Body)))}");

        var hooked = Json(hook);
        Assert.All(hooked, r => Assert.Equal("/hooks/hean-secret-path-0123", r.Path));
        var fill = hooked.First(r => Kind(r.Body) == "fills").Body;
        Assert.Equal("hean", fill.GetProperty("source").GetString());
        Assert.Matches(@"^Fill (BTCUSDT|ETHUSDT) (BUY|SELL) [0-9.]+ @ [0-9.]+$", fill.GetProperty("title").GetString());
        var stop = hooked.First(r => Kind(r.Body) == "kill_switch").Body;
        Assert.Equal("critical", stop.GetProperty("severity").GetString());
        Assert.Contains("notification-test", stop.GetProperty("text").GetString());

        var told = Json(bot);
        Assert.All(told, r => Assert.Equal($"/bot{botToken}/sendMessage", r.Path));
        Assert.All(told, r => Assert.Equal("-1001", r.Body.GetProperty("chat_id").GetString()));
        Assert.Contains(told, r => Text(r.Body).StartsWith("Fill ", StringComparison.Ordinal));

        // No secret in any message: not the API token, not the bot token, not the webhook's path.
        var everything = string.Join("\n", hooked.Select(r => r.Body.GetRawText()).Concat(told.Select(r => r.Body.GetRawText())));
        foreach (var secret in new[] { Api.TestToken, botToken, "hean-secret-path-0123" }) Assert.DoesNotContain(secret, everything);
        output.WriteLine($"{hooked.Count} webhook and {told.Count} bot messages");
    }

    private static string? Kind(JsonElement body) => body.TryGetProperty("kind", out var k) ? k.GetString() : null;

    private static string Text(JsonElement body) => body.TryGetProperty("text", out var t) ? t.GetString() ?? "" : "";

    private static async Task Eventually(Func<bool> condition, TimeSpan timeout, string failure, HeanProcess node, Func<string>? seen = null)
    {
        var sw = System.Diagnostics.Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (condition()) return;
            if (node.HasExited) break;
            await Task.Delay(250);
        }
        throw new TimeoutException($"{failure}\n{seen?.Invoke()}\n{node.StdErr}");
    }

    private static List<string> Problems(Dictionary<string, string?> env)
    {
        var problems = new List<string>();
        NotifySettings.From(new ConfigurationBuilder().AddInMemoryCollection(env).Build(), problems);
        return problems;
    }

    [Fact]
    public void Bad_settings_are_named_without_their_values()
    {
        Assert.Null(NotifySettings.From(new ConfigurationBuilder().Build(), []));
        Assert.Equal(["NOTIFY_WEBHOOK_URL must be an absolute http or https URL"], Problems(new() { ["NOTIFY_WEBHOOK_URL"] = "ftp://x/secret-part" }));
        Assert.Contains("go together", Problems(new() { ["NOTIFY_TELEGRAM_TOKEN"] = "1:abc" }).Single());
        Assert.Contains("bot token", Problems(new() { ["NOTIFY_TELEGRAM_TOKEN"] = "1:a/b", ["NOTIFY_TELEGRAM_CHAT_ID"] = "7" }).Single());
        Assert.Contains("unknown kinds (trades)", Problems(new() { ["NOTIFY_WEBHOOK_URL"] = "https://h/x", ["NOTIFY_EVENTS"] = "fills,trades" }).Single());
        Assert.Contains("1 to 600", Problems(new() { ["NOTIFY_WEBHOOK_URL"] = "https://h/x", ["NOTIFY_RATE_PER_MINUTE"] = "0" }).Single());
        var ok = NotifySettings.From(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["NOTIFY_TELEGRAM_TOKEN"] = "1:abc", ["NOTIFY_TELEGRAM_CHAT_ID"] = "7", ["NOTIFY_EVENTS"] = "Kill_Switch, daily",
        }).Build(), [])!;
        Assert.Equal(new Uri("https://api.telegram.org"), ok.Telegram!.BaseUrl);
        Assert.Equal(["kill_switch", "daily"], ok.Kinds);
        Assert.DoesNotContain("1:abc", ok.ToString());
        Assert.Contains("1:abc", ok.Secrets);
    }

    [Fact]
    public async Task A_channel_that_fails_is_retried_then_counted_and_messages_pass_the_redactor()
    {
        var handler = new Answers(HttpStatusCode.ServiceUnavailable, HttpStatusCode.OK, HttpStatusCode.BadRequest);
        var sent = Actors.Monitoring.HeanMetrics.Notifications.WithLabels("webhook", "sent").Value;
        var failed = Actors.Monitoring.HeanMetrics.Notifications.WithLabels("webhook", "failed").Value;
        await using (var dispatcher = new NotificationDispatcher([new WebhookChannel(new Uri("http://127.0.0.1:9/x"))], new LogRedactor(["venue-secret-42"]), handler))
        {
            dispatcher.Enqueue(new Notification("errors", Notification.Warning, DateTime.UtcNow, "Error in gateway", "signing with venue-secret-42 failed"));
            dispatcher.Enqueue(new Notification("errors", Notification.Warning, DateTime.UtcNow, "Error in gateway", "second"));
        }
        // 503 then 200 for the first (sent on its second try), 400 for the second (our request is wrong: not retried).
        Assert.Equal(3, handler.Bodies.Count);
        Assert.Contains("signing with *** failed", handler.Bodies[0]);
        Assert.DoesNotContain("venue-secret-42", string.Join("", handler.Bodies));
        Assert.True(Actors.Monitoring.HeanMetrics.Notifications.WithLabels("webhook", "sent").Value >= sent + 1);
        Assert.True(Actors.Monitoring.HeanMetrics.Notifications.WithLabels("webhook", "failed").Value >= failed + 1);
    }

    private sealed class Answers(params HttpStatusCode[] codes) : HttpMessageHandler
    {
        private int _next;
        public List<string> Bodies { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Bodies.Add(await request.Content!.ReadAsStringAsync(ct));
            return new HttpResponseMessage(codes[Math.Min(_next++, codes.Length - 1)]);
        }
    }
}
