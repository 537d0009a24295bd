using System.Net;
using System.Net.Http.Json;
using System.Threading.Channels;
using Hean.Actors.Monitoring;
using Hean.Actors.Notifications;
using Hean.Host.Configuration;

namespace Hean.Host.Hosting;

/// <summary>One place notifications go: how a notification becomes an HTTP request.</summary>
public interface INotificationChannel
{
    string Name { get; }
    HttpRequestMessage Request(Notification n);
}

/// <summary>A generic webhook: POST of one JSON object per notification.</summary>
public sealed class WebhookChannel(Uri url) : INotificationChannel
{
    public string Name => "webhook";

    public HttpRequestMessage Request(Notification n) => new(HttpMethod.Post, url)
    {
        Content = JsonContent.Create(new { source = "hean", kind = n.Kind, severity = n.Severity, time = n.Time, title = n.Title, text = n.Text }),
    };
}

/// <summary>Telegram's Bot API (or a compatible service): sendMessage to one chat.</summary>
public sealed class TelegramChannel(TelegramTarget target) : INotificationChannel
{
    public string Name => "telegram";

    public HttpRequestMessage Request(Notification n) =>
        // Appended, not resolved: a token has a ':' that would read as a URI scheme.
        new(HttpMethod.Post, new Uri($"{target.BaseUrl.ToString().TrimEnd('/')}/bot{target.Token}/sendMessage"))
        {
            Content = JsonContent.Create(new
            {
                chat_id = target.ChatId,
                text = $"{(n.IsCritical ? "🚨 " : "")}{n.Title}\n{n.Text}",
                disable_web_page_preview = true,
            }),
        };
}

/// <summary>
/// Sends notifications without ever making the caller wait: each channel has a bounded queue (full: dropped and
/// counted) and one sender that tries three times (1 s, then 2 s apart; a 429's Retry-After up to 30 s). Titles and
/// texts pass the log redactor first, so no secret leaves in a notification. Failures are logged by channel name
/// and status, never with the URL (it can hold a token).
/// </summary>
public sealed class NotificationDispatcher : IAsyncDisposable
{
    private const int QueueSize = 100;

    private readonly HttpClient _http;
    private readonly LogRedactor _redactor;
    private readonly List<(INotificationChannel Channel, Channel<Notification> Queue, Task Sender)> _channels = [];

    public NotificationDispatcher(IEnumerable<INotificationChannel> channels, LogRedactor redactor, HttpMessageHandler? handler = null)
    {
        _http = handler is null ? new HttpClient() : new HttpClient(handler);
        _http.Timeout = TimeSpan.FromSeconds(10);
        _redactor = redactor;
        foreach (var channel in channels)
        {
            var queue = Channel.CreateBounded<Notification>(new BoundedChannelOptions(QueueSize) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });
            foreach (var result in new[] { "sent", "failed", "dropped" }) HeanMetrics.Notifications.WithLabels(channel.Name, result);
            _channels.Add((channel, queue, Task.Run(() => SendAll(channel, queue.Reader))));
        }
    }

    public static NotificationDispatcher For(NotifySettings settings, LogRedactor redactor)
    {
        var channels = new List<INotificationChannel>();
        if (settings.Webhook is { } url) channels.Add(new WebhookChannel(url));
        if (settings.Telegram is { } telegram) channels.Add(new TelegramChannel(telegram));
        return new NotificationDispatcher(channels, redactor);
    }

    /// <summary>Never blocks.</summary>
    public void Enqueue(Notification n)
    {
        var clean = n with { Title = _redactor.Redact(n.Title), Text = _redactor.Redact(n.Text) };
        foreach (var (channel, queue, _) in _channels)
            if (!queue.Writer.TryWrite(clean)) HeanMetrics.Notifications.WithLabels(channel.Name, "dropped").Inc();
    }

    private async Task SendAll(INotificationChannel channel, ChannelReader<Notification> queue)
    {
        await foreach (var n in queue.ReadAllAsync())
        {
            string? problem = null;
            for (var attempt = 1; attempt <= 3; attempt++)
            {
                var wait = TimeSpan.FromSeconds(attempt);
                try
                {
                    using var response = await _http.SendAsync(channel.Request(n));
                    if (response.IsSuccessStatusCode)
                    {
                        problem = null;
                        break;
                    }
                    problem = $"HTTP {(int)response.StatusCode}";
                    if (response.StatusCode == HttpStatusCode.TooManyRequests && response.Headers.RetryAfter?.Delta is { } after)
                        wait = after < TimeSpan.FromSeconds(30) ? after : TimeSpan.FromSeconds(30);
                    else if (response.StatusCode != HttpStatusCode.TooManyRequests && (int)response.StatusCode is >= 400 and < 500)
                        break; // our request is wrong: retrying will not help
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    problem = e is TaskCanceledException ? "timed out" : e.GetType().Name + (e is HttpRequestException { HttpRequestError: var kind } ? $" ({kind})" : "");
                }
                if (attempt < 3) await Task.Delay(wait);
            }
            HeanMetrics.Notifications.WithLabels(channel.Name, problem is null ? "sent" : "failed").Inc();
            if (problem is not null) Serilog.Log.Warning("notification {Kind} not delivered to {Channel}: {Problem}", n.Kind, channel.Name, problem);
        }
    }

    /// <summary>Takes no more, delivers what is queued (up to <paramref name="drain"/>).</summary>
    public async Task StopAsync(TimeSpan drain)
    {
        foreach (var (_, queue, _) in _channels) queue.Writer.TryComplete();
        await Task.WhenAny(Task.WhenAll(_channels.Select(c => c.Sender)), Task.Delay(drain));
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5));
        _http.Dispose();
    }
}
