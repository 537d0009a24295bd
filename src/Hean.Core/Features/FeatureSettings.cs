using Hean.Core.Features;

namespace Hean.Core.Features;

/// <summary>Settings of the feature stage.</summary>
/// <param name="CandleInterval">Bar size for bars built from trades (bars read from a file keep their own).</param>
/// <param name="Schema">The features to compute, shared with training.</param>
/// <param name="EmitDuringWarmUp">Emit vectors while bar indicators still warm up (their slots NaN); by default those bars only warm up.</param>
public sealed record FeatureSettings(TimeSpan CandleInterval, FeatureSchema Schema, bool EmitDuringWarmUp = false)
{
    public static FeatureSettings Default(TimeSpan candleInterval) => new(candleInterval, FeatureSchema.V1);
}
