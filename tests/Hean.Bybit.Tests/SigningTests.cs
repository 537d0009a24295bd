using System.Text;
using System.Text.Json;
using Hean.Bybit.Signing;
using Hean.Bybit.WebSocket;

namespace Hean.Bybit.Tests;

public class SigningTests
{
    [SkippableFact]
    public void Signatures_match_the_shared_vectors()
    {
        Skip.If(TestData.SharedBybitDir is null, TestData.SharedMissing);
        var checkedCount = CheckVectors(Path.Combine(TestData.SharedBybitDir!, "signing", "hmac_sha256_vectors.json"));
        Assert.Equal(10, checkedCount);
    }

    [Fact]
    public void Signatures_match_the_self_made_vectors()
    {
        var checkedCount = CheckVectors(Path.Combine(TestData.SamplesDir, "signing", "hmac_sha256_vectors.json"));
        Assert.Equal(3, checkedCount);
    }

    [Fact]
    public void A_body_signed_as_bytes_gives_the_signature_of_the_same_text()
    {
        var signer = new BybitSigner(new BybitCredentials("k", "s"));
        const string body = "{\"category\":\"linear\",\"symbol\":\"BTCUSDT\",\"note\":\"é\"}";
        Assert.Equal(signer.SignRest(1, 5000, body), signer.SignRest(1, 5000, Encoding.UTF8.GetBytes(body)));
        Assert.NotEqual(signer.SignRest(1, 5000, body), signer.SignRest(1, 5000, body.Replace(":", ": ")));
    }

    [Fact]
    public void Credentials_never_print_the_secret()
    {
        var c = new BybitCredentials("visible-key", "very-secret-value");
        Assert.DoesNotContain("very-secret-value", c.ToString());
        Assert.Contains("visible-key", c.ToString());
    }

    private static int CheckVectors(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var n = 0;
        foreach (var v in doc.RootElement.GetProperty("vectors").EnumerateArray())
        {
            var signer = new BybitSigner(new BybitCredentials(v.GetProperty("api_key").GetString()!, v.GetProperty("api_secret").GetString()!));
            var expected = v.GetProperty("expected_signature_hex_lower").GetString();
            var name = v.GetProperty("name").GetString();
            if (v.GetProperty("kind").GetString() == "rest")
            {
                var ts = long.Parse(v.GetProperty("timestamp_ms").GetString()!);
                var rw = long.Parse(v.GetProperty("recv_window_ms").GetString()!);
                var payload = v.TryGetProperty("json_body", out var body) ? body.GetString()! : v.GetProperty("query_string").GetString()!;
                Assert.Equal(v.GetProperty("string_to_sign").GetString(), BybitSigner.RestStringToSign(ts, signer.ApiKey, rw, payload));
                Assert.True(expected == signer.SignRest(ts, rw, payload), $"vector {name}");
                if (v.TryGetProperty("expected_headers", out var headers))
                    foreach (var (header, value) in signer.RestHeaders(ts, rw, signer.SignRest(ts, rw, payload)))
                        Assert.Equal(headers.GetProperty(header).GetString(), value);
            }
            else
            {
                var expires = v.GetProperty("expires_ms").GetInt64();
                var signature = signer.SignWebSocketAuth(expires);
                Assert.True(expected == signature, $"vector {name}");
                if (v.TryGetProperty("expected_auth_message", out var message))
                {
                    using var ours = JsonDocument.Parse(BybitWsRequest.Auth("auth-1", signer.ApiKey, expires, signature));
                    Assert.Equal(message.GetProperty("op").GetString(), ours.RootElement.GetProperty("op").GetString());
                    var args = ours.RootElement.GetProperty("args");
                    Assert.Equal(JsonValueKind.Number, args[1].ValueKind); // expires is a number, not a string
                    Assert.Equal(message.GetProperty("args").GetRawText().Replace(" ", "").Replace("\n", ""), args.GetRawText());
                }
            }
            n++;
        }
        return n;
    }
}
