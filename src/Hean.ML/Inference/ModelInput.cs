namespace Hean.ML.Inference;

/// <summary>
/// How a feature value enters a tree model, in training and in inference alike. Trees compare in
/// single precision (as ML.NET does), and a missing value (NaN: warm-up, no book, no trade feed) is
/// replaced by <see cref="Missing"/>, a value below any real feature, so every split sends it left,
/// to the side of the smallest values. ML.NET's LightGBM would learn a default direction for NaN, but
/// keeps it internal to its trees; a fixed stand-in gives the same decision in ML.NET and in
/// <see cref="FlatTreeEnsemble"/>. A feature that is missing on every training row is constant and
/// never split on, yet keeps its slot: the model's input is always the full live vector.
/// </summary>
public static class ModelInput
{
    public const float Missing = -1e30f;

    public static float Encode(double value) => double.IsNaN(value) ? Missing : (float)value;

    /// <summary>The encoded copy of a feature vector.</summary>
    public static float[] Encode(ReadOnlySpan<double> values)
    {
        var encoded = new float[values.Length];
        for (var i = 0; i < values.Length; i++) encoded[i] = Encode(values[i]);
        return encoded;
    }
}
