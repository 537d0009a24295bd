using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Hean.Core.Features;
using Hean.Core.Models;
using Hean.ML.Inference;

namespace Hean.ML.Registry;

/// <summary>One line of the promotion history.</summary>
public sealed record PromotionEntry(string Action, string Version, DateTime At);

/// <summary>
/// The promotion state (<c>promoted.json</c>): the promoted version (the pointer), the stack of
/// promotions that rollback pops (its top is the promoted version, the one below it the fallback),
/// and the log of every promote and rollback. Pointer and history live in one file so that one
/// atomic rename changes both.
/// </summary>
public sealed record PromotionState(string? Version, IReadOnlyList<string> Stack, IReadOnlyList<PromotionEntry> Log)
{
    public static readonly PromotionState Empty = new(null, [], []);

    [System.Text.Json.Serialization.JsonIgnore]
    public string? Previous => Stack.Count >= 2 ? Stack[^2] : null;
}

/// <summary>
/// Model versions in a folder: <c>v0001/</c>, <c>v0002/</c>… each with <c>manifest.json</c>,
/// <c>trees.json</c> (the flat trees the live side loads, no ML.NET needed), <c>model.zip</c> (the
/// ML.NET model) and <c>report.json</c> (the training report); plus <c>promoted.json</c>. A version is
/// written in a staging folder and renamed into place, and <c>promoted.json</c> is replaced by a
/// rename, so a reader never sees half a version or half a pointer. A model whose feature schema is
/// not the live one is refused on promote and on load (<see cref="ModelSchemaMismatchException"/>).
/// Bad requests (unknown version, nothing to roll back to) throw <see cref="ArgumentException"/>.
/// </summary>
public sealed class FileModelRegistry : IModelCatalog
{
    public const string PromotedFileName = "promoted.json";

    /// <summary>How the registry writes JSON: indented, NaN metrics as "NaN".</summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private readonly TimeProvider _time;

    public FileModelRegistry(string root, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Path.GetFullPath(root);
        _time = time ?? TimeProvider.System;
    }

    public string Root { get; }


    /// <summary>
    /// Adds a version: <paramref name="writeFiles"/> writes the model's files into a staging folder,
    /// the manifest gets the next version number, and the folder is renamed into place.
    /// </summary>
    public ModelManifest Register(ModelManifest draft, Action<string> writeFiles)
    {
        ArgumentNullException.ThrowIfNull(draft);
        ArgumentNullException.ThrowIfNull(writeFiles);
        return VersionFolders.Publish(Root, staging =>
        {
            writeFiles(staging);
            if (!File.Exists(Path.Combine(staging, ModelManifest.TreesFileName)))
                throw new InvalidOperationException($"a model version needs {ModelManifest.TreesFileName}");
        }, (staging, version) =>
        {
            var manifest = draft with { Version = version };
            File.WriteAllText(Path.Combine(staging, ModelManifest.FileName), JsonSerializer.Serialize(manifest, Json));
            return manifest;
        });
    }

    /// <summary>Every version, oldest first.</summary>
    public IReadOnlyList<ModelManifest> List() =>
        !Directory.Exists(Root)
            ? []
            : Directory.GetDirectories(Root)
                .Select(Path.GetFileName)
                .Where(n => VersionFolders.Number(n!) is not null && File.Exists(Path.Combine(Root, n!, ModelManifest.FileName)))
                .OrderBy(n => VersionFolders.Number(n!))
                .Select(n => Get(n!))
                .ToArray();

    public ModelManifest Get(string version)
    {
        var path = Path.Combine(VersionDir(version), ModelManifest.FileName);
        try
        {
            return JsonSerializer.Deserialize<ModelManifest>(File.ReadAllText(path), Json)
                   ?? throw new FormatException($"{path} is empty");
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path} is not a valid manifest: {e.Message}", e);
        }
    }

    public string VersionDir(string version)
    {
        var normalized = Normalize(version);
        var dir = Path.Combine(Root, normalized);
        if (!File.Exists(Path.Combine(dir, ModelManifest.FileName)))
            throw new ArgumentException($"no model version {normalized} in {Root}" + (List() is { Count: > 0 } all ? $" (versions: {string.Join(", ", all.Select(m => m.Version))})" : " (the registry is empty)"));
        return dir;
    }

    public PromotionState Promotion()
    {
        var path = Path.Combine(Root, PromotedFileName);
        if (!File.Exists(path)) return PromotionState.Empty;
        try
        {
            return JsonSerializer.Deserialize<PromotionState>(File.ReadAllText(path), Json) ?? PromotionState.Empty;
        }
        catch (JsonException e)
        {
            throw new FormatException($"{path} is not a valid promotion file: {e.Message}", e);
        }
    }

    public string? PromotedVersion() => Promotion().Version;

    /// <summary>Makes <paramref name="version"/> the live model, after checking it loads and takes the live features.</summary>
    public ModelManifest Promote(string version, FeatureSchema live)
    {
        var predictor = Load(version, live);
        var state = Promotion();
        var name = predictor.Info.Version;
        if (state.Version == name) throw new ArgumentException($"{name} is already promoted");
        var entry = new PromotionEntry("promote", name, _time.GetUtcNow().UtcDateTime);
        Save(new PromotionState(name, [.. state.Stack, name], [.. state.Log, entry]));
        return Get(name);
    }

    /// <summary>Goes back to the version promoted before the current one (which must still load on the live schema).</summary>
    public ModelManifest Rollback(FeatureSchema live)
    {
        var state = Promotion();
        if (state.Version is null) throw new ArgumentException("no model is promoted, nothing to roll back");
        if (state.Previous is not { } previous) throw new ArgumentException($"{state.Version} is the only version ever promoted, nothing to roll back to");
        Load(previous, live);
        var entry = new PromotionEntry("rollback", previous, _time.GetUtcNow().UtcDateTime);
        Save(new PromotionState(previous, state.Stack.Take(state.Stack.Count - 1).ToArray(), [.. state.Log, entry]));
        return Get(previous);
    }

    public LoadedModels LoadPromoted(FeatureSchema live)
    {
        var state = Promotion();
        if (state.Version is null) throw new InvalidOperationException($"no model is promoted in {Root}");
        var current = Load(state.Version, live);
        var previous = state.Previous is { } p ? Load(p, live) : null;
        return new LoadedModels(current, previous);
    }

    /// <summary>One version as a predictor, refused when its schema is not <paramref name="live"/>.</summary>
    public TreeEnsemblePredictor Load(string version, FeatureSchema live)
    {
        ArgumentNullException.ThrowIfNull(live);
        var manifest = Get(version);
        manifest.EnsureSchema(live);
        var trees = TreeFile.Load(Path.Combine(VersionDir(manifest.Version), ModelManifest.TreesFileName));
        if (trees.FeatureCount != live.Count)
            throw new ModelSchemaMismatchException($"model {manifest.Version}'s trees take {trees.FeatureCount} features, the live schema {live.Id} has {live.Count}");
        return new TreeEnsemblePredictor(manifest.ToInfo(), trees, manifest.ScoreScale);
    }

    private void Save(PromotionState state)
    {
        Directory.CreateDirectory(Root);
        AtomicFile.WriteAllText(Path.Combine(Root, PromotedFileName), JsonSerializer.Serialize(state, Json));
    }


    /// <summary>Accepts "v0003", "v3" and "3".</summary>
    private static string Normalize(string version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(version);
        var text = version.Trim();
        var number = VersionFolders.Number(text) ?? (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : (int?)null);
        return number is { } v ? VersionFolders.Name(v) : throw new ArgumentException($"'{version}' is not a model version (v0001, v1 or 1)");
    }
}
