using Hean.Core.Domain;
using Hean.Core.Features;

namespace Hean.Core.Features;

/// <summary>
/// FEATURES_READY: the features of a symbol at a decision point, the close of a bar.
/// <paramref name="Time"/> is the bar's close time (the end of the window the features cover); a
/// bar built from trades is known to be closed only at the first trade of the next bar, and the
/// book part of the vector is the book as it stood then.
/// </summary>
public sealed record FeaturesReady(Symbol Symbol, DateTime Time, FeatureVector Features);
