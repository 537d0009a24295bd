using Hean.Core.Features;

namespace Hean.ML.Datasets;

/// <summary>
/// Feature rows of one symbol, one per closed bar after the indicators' warm-up, exactly as the live
/// feature stage emits them (FEATURES_READY), with the bar's close price for the labels.
/// <see cref="Times"/>[i] is the close time of bar i (the decision time); row i uses bars up to and
/// including bar i only.
/// </summary>
public sealed class FeatureDataset
{
    public FeatureDataset(FeatureSchema schema, IReadOnlyList<DateTime> times, IReadOnlyList<double> closes, IReadOnlyList<double[]> rows, TimeSpan interval)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (times.Count != closes.Count || times.Count != rows.Count)
            throw new ArgumentException($"times ({times.Count}), closes ({closes.Count}) and rows ({rows.Count}) must have the same length");
        foreach (var row in rows)
            if (row.Length != schema.Count) throw new ArgumentException($"schema {schema.Id} has {schema.Count} features, a row has {row.Length}");
        Schema = schema;
        Times = times;
        Closes = closes;
        Rows = rows;
        Interval = interval;
    }

    public FeatureSchema Schema { get; }
    public IReadOnlyList<DateTime> Times { get; }
    public IReadOnlyList<double> Closes { get; }
    public IReadOnlyList<double[]> Rows { get; }

    /// <summary>The bar interval of the source.</summary>
    public TimeSpan Interval { get; }

    public int Count => Rows.Count;
}
