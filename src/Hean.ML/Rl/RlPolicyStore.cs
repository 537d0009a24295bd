using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Hean.Core.Execution;

namespace Hean.ML.Rl;

/// <summary>
/// What is known about a saved policy (<c>info.json</c> beside <c>policy.json</c>): the version, when it was made,
/// the data it was trained on (files and one SHA-256 over their bytes in order), the episode settings it was
/// trained for (the router should run it with the same horizon and periods), the seed and passes, and the
/// held-out evaluation against TWAP.
/// </summary>
public sealed record RlPolicyInfo(
    string Version,
    string Kind,
    int Format,
    DateTime CreatedAt,
    IReadOnlyList<string> TrainData,
    string TrainDataSha256,
    IReadOnlyList<string> TestData,
    string Symbol,
    decimal Qty,
    TimeSpan Horizon,
    int Periods,
    TimeSpan DecisionEvery,
    double UnfinishedPenaltyBps,
    ulong Seed,
    int Passes,
    IReadOnlyList<AlgoScore> Evaluation);

/// <summary>
/// Saved execution policies: <c>&lt;root&gt;/rl-execution/v0001/</c>, <c>v0002/</c>… each with <c>policy.json</c>
/// (the <see cref="RlPolicy"/>: format, state space, Q-table, visit counts) and <c>info.json</c>
/// (<see cref="RlPolicyInfo"/>). A version is written into a staging folder and renamed into place, so a
/// reader never sees half of one.
/// </summary>
public sealed class RlPolicyStore(string root)
{
    public const string PolicyFileName = "policy.json";
    public const string InfoFileName = "info.json";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    public string Folder { get; } = Path.Combine(Path.GetFullPath(root), ModelKinds.RlExecution);

    public static string VersionName(int number) => "v" + number.ToString("D4", CultureInfo.InvariantCulture);

    public IReadOnlyList<string> Versions() =>
        Directory.Exists(Folder)
            ? Directory.GetDirectories(Folder).Select(d => Path.GetFileName(d)).Where(n => Number(n) is not null).Order(StringComparer.Ordinal).ToList()
            : [];

    /// <summary>Saves the policy as the next version; <paramref name="info"/>'s version is filled in. Returns the saved info.</summary>
    public RlPolicyInfo Save(RlPolicy policy, RlPolicyInfo info)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(info);
        if (policy.Validate() is { } invalid) throw new ArgumentException($"the policy cannot be saved: {invalid}", nameof(policy));
        Directory.CreateDirectory(Folder);
        var staging = Path.Combine(Folder, $".staging-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        try
        {
            File.WriteAllText(Path.Combine(staging, PolicyFileName), JsonSerializer.Serialize(policy, Json));
            for (var attempt = 0; ; attempt++)
            {
                var numbered = info with { Version = VersionName(Versions().Select(v => Number(v)!.Value).DefaultIfEmpty(0).Max() + 1) };
                File.WriteAllText(Path.Combine(staging, InfoFileName), JsonSerializer.Serialize(numbered, Json));
                try
                {
                    Directory.Move(staging, Path.Combine(Folder, numbered.Version));
                    return numbered;
                }
                catch (IOException) when (attempt < 10 && Directory.Exists(Path.Combine(Folder, numbered.Version)))
                {
                    // another writer took this number first: take the next one
                }
            }
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    /// <summary>Loads a version (the latest when null). Throws <see cref="ArgumentException"/> for an unknown version, <see cref="FormatException"/> for a bad file.</summary>
    public (RlPolicy Policy, RlPolicyInfo Info) Load(string? version = null)
    {
        version ??= Versions().LastOrDefault() ?? throw new ArgumentException($"no saved policy in {Folder}");
        var dir = Path.Combine(Folder, version);
        if (Number(version) is null || !Directory.Exists(dir)) throw new ArgumentException($"no policy version '{version}' in {Folder}");
        return (LoadPolicy(Path.Combine(dir, PolicyFileName)), Read<RlPolicyInfo>(Path.Combine(dir, InfoFileName)));
    }

    /// <summary>Reads and validates one <c>policy.json</c>.</summary>
    public static RlPolicy LoadPolicy(string path)
    {
        var policy = Read<RlPolicy>(path);
        if (policy.Validate() is { } invalid) throw new FormatException($"{path}: {invalid}");
        return policy;
    }

    /// <summary>SHA-256 over the files' bytes, in the order given, as lowercase hex.</summary>
    public static string HashOf(IEnumerable<string> files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var f in files) sha.AppendData(File.ReadAllBytes(f));
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    private static T Read<T>(string path)
    {
        if (!File.Exists(path)) throw new FormatException($"{path} is missing");
        try
        {
            return JsonSerializer.Deserialize<T>(File.ReadAllText(path), Json) ?? throw new FormatException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path} is not valid: {e.Message}", e);
        }
    }

    private static int? Number(string name) =>
        name.Length == 5 && name[0] == 'v' && int.TryParse(name.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null;
}
