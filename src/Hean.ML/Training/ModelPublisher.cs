using System.Security.Cryptography;
using System.Text.Json;
using Hean.Core.Features;
using Hean.ML.Inference;
using Hean.ML.Registry;

namespace Hean.ML.Training;

/// <summary>Registers the final model of a training run as a new registry version.</summary>
public static class ModelPublisher
{
    /// <summary>SHA-256 of a file's bytes, lower-case hex.</summary>
    public static string Sha256(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    public static ModelManifest Publish(FileModelRegistry registry, TrainingOutcome outcome, FeatureSchema schema, string dataFile, DateTime createdAt,
        TimeSpan? expiresAfter)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(schema);
        var report = outcome.Report;
        if (report.SchemaId != schema.Id) throw new ArgumentException($"the report's schema {report.SchemaId} is not {schema.Id}");
        var draft = new ModelManifest("pending", report.Kind, schema.Id, schema.Names.ToArray(), report.Final.TrainFrom, report.Final.TrainTo,
            Path.GetFullPath(dataFile), Sha256(dataFile), createdAt, createdAt + expiresAfter, report.Settings.Horizon, report.Final.ScoreScale,
            report.Summary());
        return registry.Register(draft, dir =>
        {
            TreeFile.Save(outcome.FinalModel.Trees, Path.Combine(dir, ModelManifest.TreesFileName));
            outcome.FinalModel.Save(Path.Combine(dir, ModelManifest.ModelFileName));
            File.WriteAllText(Path.Combine(dir, ModelManifest.ReportFileName), JsonSerializer.Serialize(report, FileModelRegistry.Json));
        });
    }
}
