using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Hean.Core.Execution;
using Hean.ML.Registry;

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

    public IReadOnlyList<string> Versions() => VersionFolders.List(Folder);

    /// <summary>Saves the policy as the next version; <paramref name="info"/>'s version is filled in. Returns the saved info.</summary>
    public RlPolicyInfo Save(RlPolicy policy, RlPolicyInfo info)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(info);
        if (policy.Validate() is { } invalid) throw new ArgumentException($"the policy cannot be saved: {invalid}", nameof(policy));
        return VersionFolders.Publish(Folder,
            staging => File.WriteAllText(Path.Combine(staging, PolicyFileName), JsonSerializer.Serialize(policy, Json)),
            (staging, version) =>
            {
                var numbered = info with { Version = version };
                File.WriteAllText(Path.Combine(staging, InfoFileName), JsonSerializer.Serialize(numbered, Json));
                return numbered;
            });
    }

    /// <summary>Loads a version (the latest when null). Throws <see cref="ArgumentException"/> for an unknown version, <see cref="FormatException"/> for a bad file.</summary>
    public (RlPolicy Policy, RlPolicyInfo Info) Load(string? version = null)
    {
        version ??= Versions().LastOrDefault() ?? throw new ArgumentException($"no saved policy in {Folder}");
        var dir = Path.Combine(Folder, version);
        if (VersionFolders.Number(version) is null || !Directory.Exists(dir)) throw new ArgumentException($"no policy version '{version}' in {Folder}");
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
}
