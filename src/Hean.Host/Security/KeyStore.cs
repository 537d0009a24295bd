using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hean.Host.Security;

/// <summary>
/// Venue keys encrypted under a passphrase, as Hummingbot keeps them: <c>keys.json</c> in the data folder (0600).
/// The passphrase becomes a 256-bit key through PBKDF2-HMAC-SHA256 (600,000 iterations, a random salt per store);
/// each entry is AES-256-GCM with its own random nonce and its name as associated data, so an entry cannot be
/// moved under another name and any change to the file is detected. Names and times are readable without the
/// passphrase; secrets are not.
/// </summary>
public sealed class KeyStore
{
    public const string FileName = "keys.json";
    private const int Iterations = 600_000;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly string _path;
    private StoreFile _file;

    private KeyStore(string path, StoreFile file) => (_path, _file) = (path, file);

    public static string PathIn(string dataDir) => Path.Combine(dataDir, FileName);

    public IReadOnlyList<(string Name, DateTime Updated)> Entries => _file.Entries.Select(e => (e.Key, e.Value.Updated)).OrderBy(e => e.Key, StringComparer.Ordinal).ToList();

    public bool Contains(string name) => _file.Entries.ContainsKey(name);

    /// <summary>The store in the data folder, or an empty one (nothing is written until <see cref="Set"/>).</summary>
    public static KeyStore Open(string dataDir)
    {
        var path = PathIn(dataDir);
        if (!File.Exists(path))
            return new KeyStore(path, new StoreFile(1, "pbkdf2-sha256", Iterations, Convert.ToBase64String(RandomNumberGenerator.GetBytes(16)), []));
        if (OwnerOnly.GroupOrOtherCanRead(path) is { } mode)
            throw new UnauthorizedAccessException($"{path} is readable by group or others (mode {mode}): chmod 600 {path}");
        try
        {
            var file = JsonSerializer.Deserialize<StoreFile>(File.ReadAllText(path), Json);
            if (file is not { Version: 1, Kdf: "pbkdf2-sha256", Iterations: >= 100_000 } || file.Entries is null)
                throw new FormatException($"{path}: not a key store this version of hean reads");
            return new KeyStore(path, file);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path} is damaged (not valid JSON at line {e.LineNumber + 1})");
        }
    }

    /// <summary>Stores (or replaces) an entry. The passphrase must open every entry already there, so one store has one passphrase.</summary>
    public void Set(string name, IReadOnlyDictionary<string, string> values, string passphrase)
    {
        var key = DeriveKey(passphrase);
        foreach (var (other, entry) in _file.Entries) Decrypt(key, other, entry); // a wrong passphrase fails here, before anything changes
        var plain = JsonSerializer.SerializeToUtf8Bytes(values);
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var cipher = new byte[plain.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using (var aes = new AesGcm(key, tag.Length)) aes.Encrypt(nonce, plain, cipher, tag, Encoding.UTF8.GetBytes(name));
        CryptographicOperations.ZeroMemory(plain);
        CryptographicOperations.ZeroMemory(key);
        var entries = new Dictionary<string, Entry>(_file.Entries, StringComparer.Ordinal)
        {
            [name] = new Entry(Convert.ToBase64String(nonce), Convert.ToBase64String(cipher), Convert.ToBase64String(tag), DateTime.UtcNow),
        };
        Save(_file with { Entries = entries });
    }

    public bool Remove(string name)
    {
        if (!_file.Entries.ContainsKey(name)) return false;
        Save(_file with { Entries = _file.Entries.Where(e => e.Key != name).ToDictionary(StringComparer.Ordinal) });
        return true;
    }

    /// <summary>The entry's values; <see cref="WrongPassphraseException"/> when the passphrase does not open it.</summary>
    public IReadOnlyDictionary<string, string> Get(string name, string passphrase)
    {
        if (!_file.Entries.TryGetValue(name, out var entry)) throw new KeyNotFoundException($"no '{name}' in {_path}");
        var key = DeriveKey(passphrase);
        try
        {
            var plain = Decrypt(key, name, entry);
            try
            {
                return JsonSerializer.Deserialize<Dictionary<string, string>>(plain) ?? [];
            }
            finally
            {
                CryptographicOperations.ZeroMemory(plain);
            }
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    private byte[] DeriveKey(string passphrase)
    {
        if (string.IsNullOrEmpty(passphrase)) throw new WrongPassphraseException("the key store's passphrase is empty");
        // The store writes 16 random bytes.
        if (Base64(_file.Salt) is not { Length: >= 16 } salt)
            throw new FormatException($"{_path} was altered or is damaged: its salt is missing or not 16 bytes of base64; remove it and set the keys again");
        return Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(passphrase), salt, _file.Iterations, HashAlgorithmName.SHA256, 32);
    }

    private byte[] Decrypt(byte[] key, string name, Entry? entry)
    {
        if (entry is null) throw Altered(name, "value is empty");
        var cipher = Field(name, "ciphertext", entry.Ciphertext);
        var nonce = Field(name, "nonce", entry.Nonce);
        var tag = Field(name, "tag", entry.Tag);
        if (nonce.Length != AesGcm.NonceByteSizes.MaxSize || tag.Length != AesGcm.TagByteSizes.MaxSize)
            throw Altered(name, "nonce or tag has the wrong length");
        var plain = new byte[cipher.Length];
        try
        {
            using var aes = new AesGcm(key, AesGcm.TagByteSizes.MaxSize);
            aes.Decrypt(nonce, cipher, tag, plain, Encoding.UTF8.GetBytes(name));
            return plain;
        }
        catch (AuthenticationTagMismatchException)
        {
            throw new WrongPassphraseException($"the passphrase does not open {_path} (wrong passphrase, or the file was altered)");
        }
    }

    /// <summary>A stored field's bytes; a field that is not base64 means the file was edited or damaged, told as such.</summary>
    private byte[] Field(string name, string field, string? value) =>
        value is null ? throw Altered(name, $"{field} is missing") : Base64(value) ?? throw Altered(name, $"{field} is not base64");

    /// <summary>The bytes of a base64 text; null when there is none or it is not base64.</summary>
    private static byte[]? Base64(string? value)
    {
        if (value is null) return null;
        try
        {
            return Convert.FromBase64String(value);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private FormatException Altered(string name, string what) =>
        new($"{_path} was altered or is damaged: the '{name}' entry's {what}; set the key again (hean keys set {name}) after removing it");

    private void Save(StoreFile file)
    {
        OwnerOnly.WriteAllText(_path, JsonSerializer.Serialize(file, Json) + "\n");
        _file = file;
    }

    private sealed record StoreFile(int Version, string Kdf, int Iterations, string Salt, Dictionary<string, Entry> Entries);

    private sealed record Entry(string Nonce, string Ciphertext, string Tag, DateTime Updated);
}

public sealed class WrongPassphraseException(string message) : Exception(message);
