using System.Globalization;
using Hean.Actors.Notifications;
using Microsoft.Extensions.Configuration;

namespace Hean.Host.Configuration;

/// <summary>A Telegram bot (or a service speaking its Bot API at <see cref="BaseUrl"/>) and the chat it writes to.</summary>
public sealed record TelegramTarget(Uri BaseUrl, string Token, string ChatId)
{
    public override string ToString() => $"TelegramTarget {{ BaseUrl = {BaseUrl}, Token = ***, ChatId = {ChatId} }}";
}

/// <summary>
/// NOTIFY_*: where HEAN's own notifications go (a generic webhook, a Telegram-compatible bot, both or neither), which
/// kinds, and how many per minute. A problem names the setting, never its value (URLs and tokens can be secrets).
/// </summary>
public sealed record NotifySettings(Uri? Webhook, TelegramTarget? Telegram, IReadOnlyList<string> Kinds, int PerMinute)
{
    public static readonly string[] Names =
        ["NOTIFY_WEBHOOK_URL", "NOTIFY_TELEGRAM_TOKEN", "NOTIFY_TELEGRAM_CHAT_ID", "NOTIFY_TELEGRAM_URL", "NOTIFY_EVENTS", "NOTIFY_RATE_PER_MINUTE"];

    public const string TelegramApi = "https://api.telegram.org";

    public override string ToString() =>
        $"NotifySettings {{ Webhook = {(Webhook is null ? "none" : "***")}, Telegram = {Telegram}, Kinds = {string.Join(",", Kinds)}, PerMinute = {PerMinute} }}";

    /// <summary>The secrets in these settings (the webhook URL may carry a token in its path, as Slack's do).</summary>
    public IEnumerable<string?> Secrets => [Webhook?.ToString(), Webhook?.PathAndQuery is { Length: > 1 } p ? p : null, Telegram?.Token];

    /// <summary>Null when no channel is configured; problems are added to <paramref name="problems"/>.</summary>
    public static NotifySettings? From(IConfiguration c, List<string> problems)
    {
        string? Value(string name) => string.IsNullOrWhiteSpace(c[name]) ? null : c[name]!.Trim();

        Uri? Url(string name, string? raw)
        {
            if (raw is null) return null;
            if (Uri.TryCreate(raw, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttps || u.Scheme == Uri.UriSchemeHttp)) return u;
            problems.Add($"{name} must be an absolute http or https URL");
            return null;
        }

        var webhook = Url("NOTIFY_WEBHOOK_URL", Value("NOTIFY_WEBHOOK_URL"));
        var (token, chat) = (Value("NOTIFY_TELEGRAM_TOKEN"), Value("NOTIFY_TELEGRAM_CHAT_ID"));
        TelegramTarget? telegram = null;
        if (token is null != chat is null)
            problems.Add("NOTIFY_TELEGRAM_TOKEN and NOTIFY_TELEGRAM_CHAT_ID go together: set both or neither");
        else if (token is not null && chat is not null)
        {
            if (token.Any(ch => ch <= ' ' || ch > '~' || ch is '/' or '?' or '#' or '%'))
                problems.Add("NOTIFY_TELEGRAM_TOKEN must be a bot token (printable characters, no spaces, '/', '?', '#' or '%')");
            else if (Url("NOTIFY_TELEGRAM_URL", Value("NOTIFY_TELEGRAM_URL") ?? TelegramApi) is { } api)
                telegram = new TelegramTarget(api, token, chat);
        }
        else if (Value("NOTIFY_TELEGRAM_URL") is not null)
            problems.Add("NOTIFY_TELEGRAM_URL needs NOTIFY_TELEGRAM_TOKEN and NOTIFY_TELEGRAM_CHAT_ID");

        var kinds = NotificationKinds.All;
        if (Value("NOTIFY_EVENTS") is { } list)
        {
            kinds = list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(k => k.ToLowerInvariant()).Distinct().ToList();
            if (kinds.Where(k => !NotificationKinds.All.Contains(k)).ToList() is { Count: > 0 } unknown)
                problems.Add($"NOTIFY_EVENTS has unknown kinds ({string.Join(", ", unknown)}): use any of {string.Join(", ", NotificationKinds.All)}");
            if (kinds.Count == 0) problems.Add($"NOTIFY_EVENTS is empty: use any of {string.Join(", ", NotificationKinds.All)}");
        }
        var perMinute = 20;
        if (Value("NOTIFY_RATE_PER_MINUTE") is { } rate && (!int.TryParse(rate, NumberStyles.Integer, CultureInfo.InvariantCulture, out perMinute) || perMinute is < 1 or > 600))
            problems.Add("NOTIFY_RATE_PER_MINUTE must be a whole number from 1 to 600");
        return webhook is null && telegram is null ? null : new NotifySettings(webhook, telegram, kinds, perMinute);
    }
}
