using System.Text.Json.Nodes;
using Hean.Host.Security;
using Xunit;

namespace Hean.Host.Tests;

/// <summary>
/// The encrypted key store's file as someone might edit or damage it: every change is refused with a message that
/// says the file was altered, never a decoder's exception and never a decryption into other values.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class KeyStoreTests : IDisposable
{
    private const string Passphrase = "correct horse battery staple";
    private readonly string _dir = Directory.CreateTempSubdirectory("hean-keys-").FullName;

    public void Dispose() => Directory.Delete(_dir, true);

    private string Stored()
    {
        KeyStore.Open(_dir).Set("bybit", new Dictionary<string, string> { ["key"] = "k-123", ["secret"] = "s-456" }, Passphrase);
        return File.ReadAllText(KeyStore.PathIn(_dir));
    }

    private void Edit(string stored, Action<JsonNode> edit)
    {
        var json = JsonNode.Parse(stored)!;
        edit(json["entries"]!["bybit"]!);
        File.WriteAllText(KeyStore.PathIn(_dir), json.ToJsonString());
    }

    [Fact]
    public void The_right_passphrase_opens_the_entry_and_a_wrong_one_does_not()
    {
        Stored();
        Assert.Equal("s-456", KeyStore.Open(_dir).Get("bybit", Passphrase)["secret"]);
        var e = Assert.Throws<WrongPassphraseException>(() => KeyStore.Open(_dir).Get("bybit", "another passphrase"));
        Assert.Contains("does not open", e.Message);
    }

    [Theory]
    [InlineData("ciphertext")]
    [InlineData("nonce")]
    [InlineData("tag")]
    public void A_flipped_bit_in_any_field_is_detected(string field)
    {
        var stored = Stored();
        Edit(stored, entry =>
        {
            var bytes = Convert.FromBase64String((string)entry[field]!);
            bytes[^1] ^= 0x80;
            entry[field] = Convert.ToBase64String(bytes);
        });
        var e = Assert.Throws<WrongPassphraseException>(() => KeyStore.Open(_dir).Get("bybit", Passphrase));
        Assert.Contains("altered", e.Message);
    }

    [Theory]
    [InlineData("ciphertext", "not base64!", "ciphertext is not base64")]
    [InlineData("nonce", "\u002BAAA", "nonce or tag has the wrong length")]
    [InlineData("tag", null, "tag is missing")]
    public void A_field_that_is_not_what_the_store_writes_is_told_as_an_altered_file(string field, string? value, string what)
    {
        var stored = Stored();
        Edit(stored, entry => entry[field] = value);
        var e = Assert.Throws<FormatException>(() => KeyStore.Open(_dir).Get("bybit", Passphrase));
        Assert.Contains("altered", e.Message);
        Assert.Contains(what, e.Message);
        Assert.Contains("hean keys set bybit", e.Message);
    }

    [Theory]
    [InlineData("salt", null)]
    [InlineData("salt", "")]
    [InlineData("salt", "AAAA")]
    [InlineData("salt", "not base64!")]
    public void A_missing_or_short_salt_is_told_as_an_altered_file(string field, string? value)
    {
        var json = JsonNode.Parse(Stored())!;
        json[field] = value;
        File.WriteAllText(KeyStore.PathIn(_dir), json.ToJsonString());
        var e = Assert.Throws<FormatException>(() => KeyStore.Open(_dir).Get("bybit", Passphrase));
        Assert.Contains("altered", e.Message);
        Assert.Contains("salt", e.Message);
    }

    [Fact]
    public void An_entry_emptied_to_null_is_told_as_an_altered_file_by_get_and_by_set()
    {
        var json = JsonNode.Parse(Stored())!;
        json["entries"]!["bybit"] = null;
        File.WriteAllText(KeyStore.PathIn(_dir), json.ToJsonString());
        Assert.Contains("'bybit' entry's value is empty", Assert.Throws<FormatException>(() => KeyStore.Open(_dir).Get("bybit", Passphrase)).Message);
        Assert.Contains("altered", Assert.Throws<FormatException>(() =>
            KeyStore.Open(_dir).Set("other", new Dictionary<string, string> { ["key"] = "x" }, Passphrase)).Message);
    }

    [Fact]
    public void A_wrong_passphrase_changes_nothing_and_an_entry_cannot_be_moved_under_another_name()
    {
        var stored = Stored();
        Assert.Throws<WrongPassphraseException>(() => KeyStore.Open(_dir).Set("other", new Dictionary<string, string> { ["key"] = "x" }, "wrong"));
        Assert.Equal(stored, File.ReadAllText(KeyStore.PathIn(_dir)));

        var json = JsonNode.Parse(stored)!;
        var entries = json["entries"]!.AsObject();
        var entry = entries["bybit"]!.DeepClone();
        entries.Remove("bybit");
        entries["moved"] = entry;
        File.WriteAllText(KeyStore.PathIn(_dir), json.ToJsonString());
        Assert.Throws<WrongPassphraseException>(() => KeyStore.Open(_dir).Get("moved", Passphrase));
    }
}
