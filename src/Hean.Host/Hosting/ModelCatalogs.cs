using Hean.Core.Models;
using Hean.ML.Registry;

namespace Hean.Host.Hosting;

/// <summary>Where HEAN_MODEL_DIR is opened as a model catalog: the file registry of <c>hean model</c>.</summary>
public static class ModelCatalogs
{
    public static Func<string, IModelCatalog> Default { get; } = dir => new FileModelRegistry(dir);
}
