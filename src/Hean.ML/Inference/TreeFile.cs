using System.Text.Json;
using System.Text.Json.Serialization;

namespace Hean.ML.Inference;

/// <summary>
/// The flat trees as JSON (<c>trees.json</c> in a registry version), so the live side loads a model
/// without ML.NET. Floats and doubles are written in their shortest round-trip form, so a loaded
/// ensemble predicts bit for bit what the saved one did.
/// </summary>
public static class TreeFile
{
    public const string Format = "hean-flat-trees-1";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false, Converters = { new JsonStringEnumConverter() } };

    public static string ToJson(FlatTreeEnsemble trees)
    {
        ArgumentNullException.ThrowIfNull(trees);
        var dto = new Dto(Format, trees.Objective, trees.FeatureCount, trees.Bias, trees.PlattSlope, trees.PlattOffset,
            trees.Roots.ToArray(), trees.Features.ToArray(), trees.Thresholds.ToArray(), trees.Left.ToArray(), trees.Right.ToArray(), trees.Leaves.ToArray());
        return JsonSerializer.Serialize(dto, Json);
    }

    /// <summary>Parses and validates; a malformed file throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static FlatTreeEnsemble FromJson(string json)
    {
        Dto? dto;
        try
        {
            dto = JsonSerializer.Deserialize<Dto>(json, Json);
        }
        catch (JsonException e)
        {
            throw new FormatException($"trees file is not valid JSON: {e.Message}", e);
        }
        if (dto is null || dto.Format != Format) throw new FormatException($"trees file format is '{dto?.Format}', expected '{Format}'");
        if (dto.Roots is null || dto.Features is null || dto.Thresholds is null || dto.Left is null || dto.Right is null || dto.Leaves is null)
            throw new FormatException("trees file lacks one of roots, features, thresholds, left, right, leaves");
        try
        {
            return new FlatTreeEnsemble(dto.Objective, dto.FeatureCount, dto.Bias, dto.Roots, dto.Features, dto.Thresholds, dto.Left, dto.Right, dto.Leaves,
                dto.PlattSlope, dto.PlattOffset);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"trees file is inconsistent: {e.Message}", e);
        }
    }

    public static void Save(FlatTreeEnsemble trees, string path) => AtomicFile.WriteAllText(path, ToJson(trees));

    public static FlatTreeEnsemble Load(string path) => FromJson(File.ReadAllText(path));

    private sealed record Dto(
        string Format, TreeObjective Objective, int FeatureCount, double Bias, double PlattSlope, double PlattOffset,
        int[]? Roots, int[]? Features, float[]? Thresholds, int[]? Left, int[]? Right, double[]? Leaves);
}
