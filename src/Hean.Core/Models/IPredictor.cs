using Hean.Core.Features;

namespace Hean.Core.Models;

/// <summary>
/// What a trained model says about one feature vector.
/// <see cref="Raw"/> is the model's own output (forward return for a regressor, P(up) for a classifier);
/// <see cref="Score"/> is its direction in [−1, 1] (the sign is the direction, 0 = no view);
/// <see cref="Confidence"/> in [0, 1] is what risk sizing may use.
/// </summary>
public readonly record struct Prediction(double Raw, double Score, double Confidence);

/// <summary>Identity and provenance of a model version, as the registry stores it.</summary>
public sealed record ModelInfo(
    string Version,
    string Kind,
    string SchemaId,
    DateTime TrainedFrom,
    DateTime TrainedTo,
    DateTime CreatedAt,
    DateTime? ExpiresAt);

/// <summary>
/// A loaded model that turns a feature vector (in the order of the schema it was trained on,
/// <see cref="ModelInfo.SchemaId"/>) into a prediction. Implementations are thread-safe and do not
/// allocate per call on the hot path.
/// </summary>
public interface IPredictor
{
    ModelInfo Info { get; }

    Prediction Predict(ReadOnlySpan<double> features);
}

/// <summary>
/// A predictor whose every call is a bounded computation: a fixed number of steps over its own immutable
/// arrays (a flat tree ensemble: trees × depth comparisons), no I/O, no locks, no waiting. It cannot hang,
/// so the inference stage runs it in place (ML_INFERENCE_MODE=auto) instead of handing it to an inference
/// thread and back, which costs more than the prediction. Anything else goes to the inference threads.
/// </summary>
public interface IBoundedPredictor : IPredictor;

/// <summary>The promoted model and the version before it (the fallback), both checked against the live schema.</summary>
public sealed record LoadedModels(IPredictor Current, IPredictor? Previous);

/// <summary>
/// Where the live system finds its models (the file registry of <c>hean model</c>). The stream
/// graph polls <see cref="PromotedVersion"/> and hot-swaps when it changes.
/// </summary>
public interface IModelCatalog
{
    /// <summary>The version promoted now, or null when none is; cheap (reads a pointer).</summary>
    string? PromotedVersion();

    /// <summary>
    /// Loads the promoted model and its predecessor. Throws <see cref="ModelSchemaMismatchException"/>
    /// when a model's feature schema is not <paramref name="live"/>.
    /// </summary>
    LoadedModels LoadPromoted(FeatureSchema live);
}

/// <summary>A model trained on another feature schema than the live one: refused, never guessed.</summary>
public sealed class ModelSchemaMismatchException(string message) : Exception(message);
