namespace Hean.Bybit;

/// <summary>An HMAC API key pair. The secret never appears in <see cref="ToString"/> (and so never in logs).</summary>
public sealed record BybitCredentials(string ApiKey, string ApiSecret)
{
    public override string ToString() => $"BybitCredentials {{ ApiKey = {ApiKey}, ApiSecret = *** }}";
}
