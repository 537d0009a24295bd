using Hean.Core.Models;

namespace Hean.Host.Hosting;

/// <summary>Where HEAN_MODEL_DIR is opened as a model catalog.</summary>
public static class ModelCatalogs
{
    /// <summary>
    /// The catalog of a registry folder. The file registry of <c>hean model</c> (Hean.ML) plugs in here,
    /// one line: <c>dir => new FileModelRegistry(dir)</c>. Until then a model directory is refused at start.
    /// </summary>
    public static Func<string, IModelCatalog> Default { get; } = dir =>
        throw new ArgumentException($"HEAN_MODEL_DIR={dir}: this build has no model registry to read it (the file registry is not wired in)");
}
