using Hean.Core.Features;
using Hean.Core.Signals;
using Hean.Core.MarketData;
using Hean.Core.Models;

namespace Hean.Streams.Inference;

/// <summary>Loading the promoted models for the live schema, at start and at every hot swap.</summary>
public static class ModelLoading
{
    /// <summary>
    /// The promoted model and its predecessor from <paramref name="catalog"/>, each checked against the
    /// live schema (the catalog checks too; a model on another schema is refused here all the same).
    /// Throws <see cref="ModelSchemaMismatchException"/> on a mismatch and <see cref="InvalidOperationException"/>
    /// when no version is promoted.
    /// </summary>
    public static LoadedModels LoadChecked(IModelCatalog catalog, FeatureSchema live)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(live);
        if (catalog.PromotedVersion() is null) throw new InvalidOperationException("no model version is promoted (hean model promote V)");
        var models = catalog.LoadPromoted(live);
        Check(models.Current, live);
        if (models.Previous is { } previous) Check(previous, live);
        return models;
    }

    private static void Check(IPredictor model, FeatureSchema live)
    {
        if (model.Info.SchemaId != live.Id)
            throw new ModelSchemaMismatchException(
                $"model {model.Info.Version} was trained on feature schema {model.Info.SchemaId}, but the live schema is {live.Id}; retrain it on the live features");
    }
}
