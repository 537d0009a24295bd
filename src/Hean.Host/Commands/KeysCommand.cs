using System.CommandLine;
using Hean.Host.Configuration;
using Hean.Host.Security;

namespace Hean.Host.Commands;

/// <summary>
/// `hean keys set|list|remove`: venue keys in the encrypted key store of the data folder. `set bybit` asks for the
/// API key and secret without echo (or reads them as two lines from standard input) and the store's passphrase
/// (HEAN_KEYS_PASSPHRASE, else a prompt, twice for a new store). `hean run --exchange bybit` unlocks it at start
/// when no key is given in the environment.
/// </summary>
public static class KeysCommand
{
    public static Command Create()
    {
        var dataDir = new Option<string?>("--data-dir") { Description = "the node's data folder; default HEAN_DATA_DIR or ./.hean" };

        var name = new Argument<string>("venue") { Description = "the venue the keys are for: bybit" };
        var set = new Command("set", "store a venue's API key and secret, encrypted under the store's passphrase") { name, dataDir };
        set.SetAction(r => LocalNode.Run(() =>
        {
            var venue = Venue(r.GetValue(name)!);
            var store = KeyStore.Open(LocalNode.DataDir(r.GetValue(dataDir)));
            var key = Read("API key");
            var secret = Read("API secret");
            var passphrase = Passphrase(confirm: store.Entries.Count == 0);
            store.Set(venue, new Dictionary<string, string> { ["api_key"] = key, ["api_secret"] = secret }, passphrase);
            Console.WriteLine($"{venue} keys stored in {KeyStore.PathIn(LocalNode.DataDir(r.GetValue(dataDir)))} (encrypted; key ending …{key[^Math.Min(4, key.Length / 4)..]})");
            return Program.Ok;
        }));

        var list = new Command("list", "the venues with stored keys (no passphrase needed, no secret shown)") { dataDir };
        list.SetAction(r => LocalNode.Run(() =>
        {
            var store = KeyStore.Open(LocalNode.DataDir(r.GetValue(dataDir)));
            if (store.Entries.Count == 0) Console.WriteLine("no keys stored");
            foreach (var (venue, updated) in store.Entries) Console.WriteLine($"{venue,-12} set {updated:yyyy-MM-dd HH:mm:ss}Z");
            return Program.Ok;
        }));

        var removeName = new Argument<string>("venue") { Description = "the venue whose keys to forget" };
        var remove = new Command("remove", "forget a venue's stored keys") { removeName, dataDir };
        remove.SetAction(r => LocalNode.Run(() =>
        {
            var venue = Venue(r.GetValue(removeName)!);
            if (!KeyStore.Open(LocalNode.DataDir(r.GetValue(dataDir))).Remove(venue)) throw new ArgumentException($"no keys stored for {venue}");
            Console.WriteLine($"{venue} keys removed");
            return Program.Ok;
        }));

        return new Command("keys", "venue API keys in an encrypted store (PBKDF2 + AES-GCM under a passphrase)") { set, list, remove };
    }

    private static string Venue(string name) => name.Trim().ToLowerInvariant() == BybitConnection.KeyStoreEntry
        ? BybitConnection.KeyStoreEntry
        : throw new ArgumentException($"keys can be stored for: {BybitConnection.KeyStoreEntry}");


    /// <summary>From the terminal without echo, else one line of standard input.</summary>
    private static string Read(string what)
    {
        var value = Console.IsInputRedirected ? Console.In.ReadLine() : SecretPrompt.Ask(what);
        value = value?.Trim();
        if (string.IsNullOrEmpty(value)) throw new ArgumentException($"no {what} given (type it at the prompt, or pipe the key and the secret as two lines)");
        return value;
    }

    private static string Passphrase(bool confirm)
    {
        var passphrase = Environment.GetEnvironmentVariable("HEAN_KEYS_PASSPHRASE") is { Length: > 0 } env ? env : null;
        if (passphrase is null)
        {
            passphrase = SecretPrompt.Ask(confirm ? "new passphrase of the key store" : "passphrase of the key store")
                         ?? throw new ArgumentException("set HEAN_KEYS_PASSPHRASE (no terminal to ask for the passphrase)");
            if (confirm && SecretPrompt.Ask("the same passphrase again") != passphrase) throw new ArgumentException("the two passphrases differ");
        }
        // Checked for a new store only: an existing store's passphrase is whatever opens it.
        if (confirm && passphrase.Length < 12) throw new ArgumentException("the key store's passphrase must have at least 12 characters");
        return passphrase;
    }

}
