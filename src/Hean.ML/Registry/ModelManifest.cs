using Hean.Core.Features;
using Hean.Core.Models;

namespace Hean.ML.Registry;

/// <summary>
/// What the registry knows about one model version (<c>manifest.json</c> in its folder): identity,
/// the feature schema it takes (id and names, in order), the training window, the data it came from
/// (path and SHA-256), its out-of-sample metrics, and how its predictions are scored.
/// </summary>
public sealed record ModelManifest(
    string Version,
    string Kind,
    string SchemaId,
    IReadOnlyList<string> FeatureNames,
    DateTime TrainedFrom,
    DateTime TrainedTo,
    string DataFile,
    string DataSha256,
    DateTime CreatedAt,
    DateTime? ExpiresAt,
    int Horizon,
    double ScoreScale,
    IReadOnlyDictionary<string, double> Metrics)
{
    public const string FileName = "manifest.json";
    public const string TreesFileName = "trees.json";
    public const string ModelFileName = "model.zip";
    public const string ReportFileName = "report.json";

    public ModelInfo ToInfo() => new(Version, Kind, SchemaId, TrainedFrom, TrainedTo, CreatedAt, ExpiresAt);

    /// <summary>Throws <see cref="ModelSchemaMismatchException"/> unless the model takes exactly the live features, in order.</summary>
    public void EnsureSchema(FeatureSchema live)
    {
        ArgumentNullException.ThrowIfNull(live);
        if (SchemaId == live.Id && FeatureNames.SequenceEqual(live.Names, StringComparer.Ordinal)) return;
        var i = 0;
        while (i < Math.Min(FeatureNames.Count, live.Count) && FeatureNames[i] == live.Names[i]) i++;
        var difference = i < Math.Min(FeatureNames.Count, live.Count)
            ? $"feature {i} is '{FeatureNames[i]}' in the model and '{live.Names[i]}' live"
            : FeatureNames.Count != live.Count ? $"the model takes {FeatureNames.Count} features, live has {live.Count}" : "the schema ids differ";
        throw new ModelSchemaMismatchException(
            $"model {Version} ({Kind}) was trained on feature schema {SchemaId}, the live schema is {live.Id}: {difference}; retrain it on the live schema");
    }
}
