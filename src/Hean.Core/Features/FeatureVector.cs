using System.Globalization;

namespace Hean.Core.Features;

/// <summary>
/// The features of one symbol at one decision point, in the order of its <see cref="Schema"/>.
/// Immutable. NaN marks a feature that is undefined there (warm-up, no book yet, no such feed).
/// </summary>
public sealed class FeatureVector
{
    private readonly double[] _values;

    private FeatureVector(FeatureSchema schema, double[] values)
    {
        Schema = schema;
        _values = values;
    }

    /// <summary>A vector holding a copy of <paramref name="values"/>, one per feature of the schema.</summary>
    public static FeatureVector Create(FeatureSchema schema, ReadOnlySpan<double> values)
    {
        ArgumentNullException.ThrowIfNull(schema);
        if (values.Length != schema.Count)
            throw new ArgumentException($"schema {schema.Id} has {schema.Count} features, got {values.Length} values", nameof(values));
        return new FeatureVector(schema, values.ToArray());
    }

    public FeatureSchema Schema { get; }
    public int Count => _values.Length;
    public ReadOnlySpan<double> Values => _values;

    public double this[int index] => _values[index];

    public double this[string name]
    {
        get
        {
            var i = Schema.IndexOf(name);
            if (i < 0) throw new KeyNotFoundException($"feature '{name}' is not in schema {Schema.Id}");
            return _values[i];
        }
    }

    public bool IsDefined(string name) => !double.IsNaN(this[name]);

    public override string ToString() =>
        string.Join(", ", Schema.Names.Select((n, i) => n + "=" + _values[i].ToString("G6", CultureInfo.InvariantCulture)));
}
