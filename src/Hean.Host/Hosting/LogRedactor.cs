using System.Text.RegularExpressions;
using Serilog.Core;
using Serilog.Events;
using Serilog.Parsing;

namespace Hean.Host.Hosting;

/// <summary>
/// Takes secrets out of log events before any sink sees them: the values HEAN knows to be secret (API keys and
/// secrets, the API token, passphrases), any value written as <c>key=value</c> or <c>"key": "value"</c> under a secret's
/// name (password, token, secret, api key, signature, passphrase), bearer tokens, HEAN API tokens, and IPv4 addresses
/// other than loopback and 0.0.0.0. It works on the message template's text, every property (nested too) and the
/// exception, so text and JSON logs are redacted alike.
/// </summary>
public sealed partial class LogRedactor
{
    public const string Mask = "***";

    private readonly string[] _secrets;

    /// <param name="secrets">values that must never be logged; empty and very short ones (under 6 characters) are ignored</param>
    public LogRedactor(IEnumerable<string?> secrets) =>
        _secrets = secrets.OfType<string>().Where(s => s.Length >= 6).Distinct(StringComparer.Ordinal).OrderByDescending(s => s.Length).ToArray();

    [GeneratedRegex(@"(?i)(api[_-]?key|secret|token|password|passwd|pwd|passphrase|signature|authorization|credential)")]
    private static partial Regex SecretName();

    [GeneratedRegex(@"(?i)(?<key>\b(?:[\w.]*[_.-])?(?:api[_-]?key|api[_-]?secret|secret|token|password|passwd|pwd|passphrase|signature|sign)[""']?)(?<sep>\s*[:=]\s*[""']?)(?<value>[^\s""',;&}\]]+)")]
    private static partial Regex SecretAssignment();

    [GeneratedRegex(@"(?i)\bBearer\s+[^\s""',;]+")]
    private static partial Regex Bearer();

    [GeneratedRegex(@"\bhean_[A-Za-z0-9_-]{20,}")]
    private static partial Regex HeanToken();

    [GeneratedRegex(@"(?<![\w.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\w.]*\d)")]
    private static partial Regex Ipv4();

    /// <summary>True for a property or field name that holds a secret (its value is masked whatever it is).</summary>
    public static bool IsSecretName(string name) => SecretName().IsMatch(name);

    public string Redact(string text)
    {
        foreach (var secret in _secrets)
            if (text.Contains(secret, StringComparison.Ordinal)) text = text.Replace(secret, Mask, StringComparison.Ordinal);
        text = SecretAssignment().Replace(text, m => m.Groups["key"].Value + m.Groups["sep"].Value + Mask);
        text = Bearer().Replace(text, "Bearer " + Mask);
        text = HeanToken().Replace(text, "hean_" + Mask);
        return Ipv4().Replace(text, m => m.Value.StartsWith("127.", StringComparison.Ordinal) || m.Value == "0.0.0.0" ? m.Value : "[ip]");
    }

    public LogEvent Redact(LogEvent e)
    {
        var template = Redact(e.MessageTemplate);
        var properties = e.Properties.Select(p => new LogEventProperty(p.Key, IsSecretName(p.Key) ? new ScalarValue(Mask) : Redact(p.Value)));
        var exception = e.Exception is { } x && x.ToString() is var original && Redact(original) is var text && text != original
            ? new RedactedException(x, text, Redact(x.Message))
            : e.Exception;
        return new LogEvent(e.Timestamp, e.Level, exception, template, properties);
    }

    private MessageTemplate Redact(MessageTemplate template)
    {
        var changed = false;
        var tokens = template.Tokens.Select(t =>
        {
            if (t is not TextToken text || Redact(text.Text) is var redacted && redacted == text.Text) return t;
            changed = true;
            return new TextToken(redacted);
        }).ToList();
        return changed ? new MessageTemplate(tokens) : template;
    }

    private LogEventPropertyValue Redact(LogEventPropertyValue value) => value switch
    {
        ScalarValue { Value: string s } => new ScalarValue(Redact(s)),
        ScalarValue scalar => scalar,
        SequenceValue seq => new SequenceValue(seq.Elements.Select(Redact)),
        StructureValue st => new StructureValue(st.Properties.Select(p => new LogEventProperty(p.Name, IsSecretName(p.Name) ? new ScalarValue(Mask) : Redact(p.Value))),
            st.TypeTag),
        DictionaryValue d => new DictionaryValue(d.Elements.Select(kv => new KeyValuePair<ScalarValue, LogEventPropertyValue>(kv.Key,
            kv.Key.Value is string k && IsSecretName(k) ? new ScalarValue(Mask) : Redact(kv.Value)))),
        _ => value,
    };

    /// <summary>An exception whose text held a secret: its type and redacted text stand in for it in the logs.</summary>
    private sealed class RedactedException(Exception original, string text, string message) : Exception(message)
    {
        public override string ToString() => text;
        public override string? StackTrace => null;
        public override string? Source { get => original.GetType().FullName; set { } }
    }
}

/// <summary>Hands every event to the real sinks (a logger) redacted. Disposing it flushes and closes them.</summary>
public sealed class RedactingSink(LogRedactor redactor, Logger inner) : ILogEventSink, IDisposable
{
    public void Emit(LogEvent logEvent) => inner.Write(redactor.Redact(logEvent));

    public void Dispose() => inner.Dispose();
}
