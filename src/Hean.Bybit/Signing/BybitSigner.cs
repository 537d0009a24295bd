using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Hean.Bybit.Signing;

/// <summary>
/// Bybit V5 HMAC-SHA256 signatures. REST: hex(HMAC(secret, timestamp + apiKey + recvWindow + payload)), where
/// the payload is the query string exactly as sent (GET) or the raw JSON body byte for byte (POST).
/// WebSocket auth: hex(HMAC(secret, "GET/realtime" + expires)).
/// (https://bybit-exchange.github.io/docs/v5/guide, authentication; https://bybit-exchange.github.io/docs/v5/ws/connect.)
/// </summary>
public sealed class BybitSigner
{
    public const string ApiKeyHeader = "X-BAPI-API-KEY";
    public const string TimestampHeader = "X-BAPI-TIMESTAMP";
    public const string RecvWindowHeader = "X-BAPI-RECV-WINDOW";
    public const string SignHeader = "X-BAPI-SIGN";

    private readonly byte[] _secret;

    public BybitSigner(BybitCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        if (string.IsNullOrEmpty(credentials.ApiKey)) throw new ArgumentException("the API key is empty", nameof(credentials));
        if (string.IsNullOrEmpty(credentials.ApiSecret)) throw new ArgumentException("the API secret is empty", nameof(credentials));
        ApiKey = credentials.ApiKey;
        _secret = Encoding.UTF8.GetBytes(credentials.ApiSecret);
    }

    public string ApiKey { get; }

    /// <summary>The string Bybit signs for a REST request.</summary>
    public static string RestStringToSign(long timestampMs, string apiKey, long recvWindowMs, string payload) =>
        string.Concat(timestampMs.ToString(CultureInfo.InvariantCulture), apiKey, recvWindowMs.ToString(CultureInfo.InvariantCulture), payload);

    /// <summary>The signature of a REST request whose payload is the query string (GET) or the JSON body (POST).</summary>
    public string SignRest(long timestampMs, long recvWindowMs, string payload) =>
        Hex(RestStringToSign(timestampMs, ApiKey, recvWindowMs, payload ?? ""));

    /// <summary>The signature of a REST request whose payload is the raw body bytes as sent.</summary>
    public string SignRest(long timestampMs, long recvWindowMs, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(RestStringToSign(timestampMs, ApiKey, recvWindowMs, ""));
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return Hex(message);
    }

    /// <summary>The signature of the WebSocket <c>auth</c> op for this expiry (Unix ms).</summary>
    public string SignWebSocketAuth(long expiresMs) => Hex("GET/realtime" + expiresMs.ToString(CultureInfo.InvariantCulture));

    /// <summary>The headers of a signed REST request.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> RestHeaders(long timestampMs, long recvWindowMs, string signature) =>
    [
        new(ApiKeyHeader, ApiKey),
        new(TimestampHeader, timestampMs.ToString(CultureInfo.InvariantCulture)),
        new(RecvWindowHeader, recvWindowMs.ToString(CultureInfo.InvariantCulture)),
        new(SignHeader, signature),
    ];

    /// <summary>Compares two hex signatures in constant time (for the server side).</summary>
    public static bool SignaturesEqual(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(actual ?? ""));

    private string Hex(string message) => Hex(Encoding.UTF8.GetBytes(message));

    private string Hex(byte[] message) => Convert.ToHexStringLower(HMACSHA256.HashData(_secret, message));
}
