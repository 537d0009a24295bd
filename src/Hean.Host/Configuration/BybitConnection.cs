using System.Text.Json;
using Hean.Bybit;
using Microsoft.Extensions.Configuration;

namespace Hean.Host.Configuration;

/// <summary>
/// Where and how to reach Bybit: mainnet, testnet (BYBIT_TESTNET=true) or explicit URLs (the fake
/// Bybit in tests). Key and secret come from BYBIT_API_KEY / BYBIT_API_SECRET or from a JSON file
/// outside the repository (BYBIT_SECRETS_FILE: {"api_key": "...", "api_secret": "..."}); they are
/// never logged (BybitCredentials prints the secret as ***).
/// </summary>
public sealed record BybitConnection(Uri RestUrl, Uri PublicWsUrl, Uri PrivateWsUrl, BybitCredentials Credentials)
{
    /// <summary>BYBIT_NOT_FOUND_PERIOD: how long an unacknowledged order must stay unknown at Bybit before it counts as never placed.</summary>
    public TimeSpan NotFoundPeriod { get; init; } = TimeSpan.FromSeconds(30);

    public static BybitConnection? From(IConfiguration c, string dataDir, List<string> problems)
    {
        var testnet = bool.TryParse(c["BYBIT_TESTNET"], out var t) && t;
        Uri? Url(string name, string fallback)
        {
            var raw = string.IsNullOrWhiteSpace(c[name]) ? fallback : c[name]!.Trim();
            if (Uri.TryCreate(raw, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "ws" or "wss") return uri;
            problems.Add($"{name}={raw}: not an http(s) or ws(s) URL");
            return null;
        }

        var rest = Url("BYBIT_REST_URL", testnet ? "https://api-testnet.bybit.com" : "https://api.bybit.com");
        var pub = Url("BYBIT_WS_PUBLIC_URL", testnet ? "wss://stream-testnet.bybit.com/v5/public/linear" : "wss://stream.bybit.com/v5/public/linear");
        var priv = Url("BYBIT_WS_PRIVATE_URL", testnet ? "wss://stream-testnet.bybit.com/v5/private" : "wss://stream.bybit.com/v5/private");

        string? key = c["BYBIT_API_KEY"], secret = c["BYBIT_API_SECRET"];
        if (c["BYBIT_SECRETS_FILE"] is { Length: > 0 } file)
        {
            // Every message names the file and the problem, never its content: a parser's message can quote the secret.
            const string shape = "expected {\"api_key\": \"…\", \"api_secret\": \"…\"}";
            try
            {
                if (Security.OwnerOnly.GroupOrOtherCanRead(file) is { } mode)
                    problems.Add($"BYBIT_SECRETS_FILE={file} is readable by group or others (mode {mode}): chmod 600 {file}");
                else
                {
                    using var doc = JsonDocument.Parse(File.ReadAllText(file));
                    key ??= Field(doc, "api_key");
                    secret ??= Field(doc, "api_secret");
                }
            }
            catch (JsonException e)
            {
                problems.Add($"BYBIT_SECRETS_FILE={file}: not valid JSON (line {e.LineNumber + 1}); {shape}");
            }
            catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException)
            {
                problems.Add($"BYBIT_SECRETS_FILE={file}: {e.Message}; {shape}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                problems.Add($"BYBIT_SECRETS_FILE={file}: cannot be read ({e.Message})");
            }
        }
        if ((string.IsNullOrWhiteSpace(key) || string.IsNullOrWhiteSpace(secret)) && FromKeyStore(c, dataDir, problems) is { } stored)
            (key, secret) = (key ?? stored.Key, secret ?? stored.Secret);
        if (string.IsNullOrWhiteSpace(key) || string.IsNullOrWhiteSpace(secret))
            problems.Add("EXCHANGE=bybit needs BYBIT_API_KEY and BYBIT_API_SECRET (or BYBIT_SECRETS_FILE, or `hean keys set bybit`)");
        var notFound = TimeSpan.FromSeconds(30);
        if (!string.IsNullOrWhiteSpace(c["BYBIT_NOT_FOUND_PERIOD"]))
        {
            try
            {
                notFound = Durations.Parse(c["BYBIT_NOT_FOUND_PERIOD"]!);
                if (notFound < TimeSpan.FromSeconds(1) || notFound > TimeSpan.FromHours(1)) throw new FormatException("must be between 1s and 1h");
            }
            catch (FormatException e)
            {
                problems.Add($"BYBIT_NOT_FOUND_PERIOD={c["BYBIT_NOT_FOUND_PERIOD"]}: {e.Message}");
            }
        }
        if (rest is null || pub is null || priv is null || string.IsNullOrWhiteSpace(key) || string.IsNullOrWhiteSpace(secret)) return null;
        return new BybitConnection(rest, pub, priv, new BybitCredentials(key, secret)) { NotFoundPeriod = notFound };
    }

    /// <summary>The "bybit" entry of the encrypted key store, unlocked with HEAN_KEYS_PASSPHRASE or a prompt.</summary>
    private static (string Key, string Secret)? FromKeyStore(IConfiguration c, string dataDir, List<string> problems)
    {
        try
        {
            var store = Security.KeyStore.Open(dataDir);
            if (!store.Contains(KeyStoreEntry)) return null;
            var passphrase = string.IsNullOrEmpty(c["HEAN_KEYS_PASSPHRASE"]) ? Security.SecretPrompt.Ask("passphrase of the key store") : c["HEAN_KEYS_PASSPHRASE"];
            if (passphrase is null)
            {
                problems.Add($"the Bybit keys are in {Security.KeyStore.PathIn(dataDir)}: set HEAN_KEYS_PASSPHRASE (no terminal to ask for it)");
                return null;
            }
            var values = store.Get(KeyStoreEntry, passphrase);
            return values.TryGetValue("api_key", out var key) && values.TryGetValue("api_secret", out var secret) ? (key, secret) : null;
        }
        catch (Exception e) when (e is Security.WrongPassphraseException or FormatException or UnauthorizedAccessException or IOException)
        {
            problems.Add(e.Message);
            return null;
        }
    }

    /// <summary>The key store entry `hean keys set bybit` writes.</summary>
    public const string KeyStoreEntry = "bybit";

    private static string? Field(JsonDocument doc, string name)
    {
        if (doc.RootElement.ValueKind != JsonValueKind.Object) throw new InvalidOperationException("the file is not a JSON object");
        if (!doc.RootElement.TryGetProperty(name, out var value)) throw new KeyNotFoundException($"no \"{name}\"");
        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw new InvalidOperationException($"\"{name}\" is not a string");
    }
}
