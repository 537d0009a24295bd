using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hean.Host.Security;

public enum ApiRole
{
    /// <summary>Reads state, risk, algorithms (GET).</summary>
    Viewer,

    /// <summary>Also changes it: kill switch, trading state, orders, feed (POST).</summary>
    Operator,
}

/// <summary>Who made a request: the token's name, which every audited action records as its author.</summary>
public sealed record ApiCaller(string Name, ApiRole Role);

/// <summary>
/// The node's API tokens. The main one is the operator token <c>api-token</c> in the data folder (created at first
/// start, 256 random bits, mode 0600; the `hean` commands read it from there), or HEAN_TOKEN when set. Further named
/// tokens with a role live in <c>api-tokens.json</c> beside it, kept only as SHA-256 hashes (`hean token add` shows a
/// new token once). Both files are read again when they change, so a rotation takes effect at the next request.
/// Tokens are compared by hash in constant time, against every entry, whether or not an earlier one matched.
/// </summary>
public sealed class ApiTokens
{
    public const string TokenFile = "api-token";
    public const string NamedFile = "api-tokens.json";

    /// <summary>The name of the main token: the author recorded for what it does.</summary>
    public const string MainName = "operator";

    private readonly string _dataDir;
    private readonly byte[]? _fixed;
    private readonly Lock _lock = new();
    private ((DateTime, long) Main, (DateTime, long) Named) _stamps;
    private bool _loaded;
    private IReadOnlyList<Entry> _entries = [];

    private ApiTokens(string dataDir, string? fixedToken)
    {
        _dataDir = dataDir;
        _fixed = fixedToken is null ? null : Hash(fixedToken);
    }

    public string MainTokenPath => Path.Combine(_dataDir, TokenFile);

    /// <summary>Where the main token comes from, for the start-up line (never the token itself).</summary>
    public string MainTokenSource => _fixed is null ? MainTokenPath : "HEAN_TOKEN";

    /// <summary>Opens the node's tokens; creates the main token file when there is none and HEAN_TOKEN is not set.</summary>
    public static ApiTokens Open(string dataDir, string? fixedToken)
    {
        var tokens = new ApiTokens(dataDir, fixedToken);
        if (fixedToken is null && !File.Exists(tokens.MainTokenPath)) OwnerOnly.WriteAllText(tokens.MainTokenPath, NewToken() + "\n");
        tokens.Refresh();
        return tokens;
    }

    /// <summary>A new random token: "hean_" and 256 random bits in base64url.</summary>
    public static string NewToken() => "hean_" + Base64Url(RandomNumberGenerator.GetBytes(32));

    /// <summary>The caller the token belongs to, or null. Constant time in the token's content.</summary>
    public ApiCaller? Verify(string? presented)
    {
        if (string.IsNullOrEmpty(presented) || presented.Length > 512) return null;
        var hash = Hash(presented);
        ApiCaller? found = null;
        foreach (var entry in Current())
            if (CryptographicOperations.FixedTimeEquals(hash, entry.Hash) && found is null)
                found = entry.Caller;
        return found;
    }

    private IReadOnlyList<Entry> Current()
    {
        lock (_lock)
        {
            Refresh();
            return _entries;
        }
    }

    private void Refresh()
    {
        var stamps = (Stamp(MainTokenPath), Stamp(Path.Combine(_dataDir, NamedFile)));
        if (_loaded && stamps == _stamps) return;
        try
        {
            var entries = new List<Entry>();
            if (_fixed is not null) entries.Add(new Entry(new ApiCaller(MainName, ApiRole.Operator), _fixed));
            else if (ReadMainToken(MainTokenPath) is { } main) entries.Add(new Entry(new ApiCaller(MainName, ApiRole.Operator), Hash(main)));
            foreach (var named in NamedTokens.Read(_dataDir).Tokens ?? [])
                if (named is { Name: { Length: > 0 } name, Sha256: { Length: 64 } sha } && name != MainName)
                    entries.Add(new Entry(new ApiCaller(name, named.Role), Convert.FromHexString(sha)));
            (_entries, _stamps, _loaded) = (entries, stamps, true);
        }
        catch (Exception e) when (_loaded && e is FormatException or IOException or UnauthorizedAccessException)
        {
            // Damaged or unreadable while the node runs: keep the tokens it had (the kill switch must stay reachable),
            // say so once per change of the files.
            Serilog.Log.Warning("API tokens not reloaded, the previous ones stay in force: {Problem}", e.Message);
            _stamps = stamps;
        }
    }

    /// <summary>The token in a token file (first line, trimmed), or null when there is no such file.</summary>
    public static string? ReadMainToken(string path)
    {
        try
        {
            var token = File.ReadLines(path).FirstOrDefault()?.Trim();
            return string.IsNullOrEmpty(token) ? null : token;
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
    }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>When and how large: a rotation within one timestamp tick still changes the content's length or is seen at the next tick.</summary>
    private static (DateTime, long) Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.LastWriteTimeUtc, info.Length) : (DateTime.MinValue, -1);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private sealed record Entry(ApiCaller Caller, byte[] Hash);
}

/// <summary>The named tokens file: names, roles and SHA-256 hashes, never the tokens.</summary>
public sealed record NamedTokens(IReadOnlyList<NamedToken> Tokens)
{
    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    public static NamedTokens Read(string dataDir)
    {
        var path = Path.Combine(dataDir, ApiTokens.NamedFile);
        if (!File.Exists(path)) return new NamedTokens([]);
        try
        {
            return JsonSerializer.Deserialize<NamedTokens>(File.ReadAllText(path), Json) ?? new NamedTokens([]);
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path} is damaged (not the JSON `hean token` writes, line {e.LineNumber + 1}); remove it and add the tokens again");
        }
        catch (NotSupportedException)
        {
            throw new FormatException($"{path} is damaged (not the JSON `hean token` writes); remove it and add the tokens again");
        }
    }

    public void Write(string dataDir) => OwnerOnly.WriteAllText(Path.Combine(dataDir, ApiTokens.NamedFile), JsonSerializer.Serialize(this, Json) + "\n");
}

public sealed record NamedToken(string Name, ApiRole Role, string Sha256, DateTime Created);
