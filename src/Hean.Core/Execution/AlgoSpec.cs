using System.Text.Json.Serialization;

namespace Hean.Core.Execution;

/// <summary>How soon the order must be done: it trades waiting risk against the cost of crossing.</summary>
public enum Urgency : byte { Low = 1, Normal = 2, High = 3 }

/// <summary>
/// How a scheduled slice is worked: <see cref="Passive"/> posts it at the touch (maker fee, no spread)
/// and crosses only what is behind schedule at the next slice; <see cref="Aggressive"/> crosses it at once.
/// </summary>
public enum SliceStyle : byte { Passive = 1, Aggressive = 2 }

/// <summary>
/// The execution algorithm of a parent order. Persisted in the algo's journal with a "kind"
/// discriminator, so the schema is stable whatever the classes are called.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "kind")]
[JsonDerivedType(typeof(MarketAlgo), "market")]
[JsonDerivedType(typeof(LimitAlgo), "limit")]
[JsonDerivedType(typeof(TwapAlgo), "twap")]
[JsonDerivedType(typeof(VwapAlgo), "vwap")]
[JsonDerivedType(typeof(IcebergAlgo), "iceberg")]
[JsonDerivedType(typeof(SmartAlgo), "smart")]
[JsonDerivedType(typeof(RlAlgo), "rl")]
public abstract record AlgoSpec
{
    /// <summary>The metric label: market, limit, twap, vwap, iceberg, smart.</summary>
    [JsonIgnore]
    public abstract string Name { get; }
}

/// <summary>Cross the whole quantity now; what the book could not take is sent again on the next tick.</summary>
public sealed record MarketAlgo : AlgoSpec
{
    public override string Name => "market";
}

/// <summary>Post-only at the touch for the maker fee; when the touch has moved away for <paramref name="RepriceAfter"/>, cancel and post again.</summary>
public sealed record LimitAlgo(TimeSpan RepriceAfter) : AlgoSpec
{
    public override string Name => "limit";
}

/// <summary>Equal slices over the horizon at randomised times (each within half an interval of its place).</summary>
public sealed record TwapAlgo(TimeSpan Horizon, int Slices, SliceStyle Style = SliceStyle.Passive) : AlgoSpec
{
    public override string Name => "twap";
}

/// <summary>Slices sized by the share of volume the profile expects in each part of the horizon.</summary>
public sealed record VwapAlgo(TimeSpan Horizon, int Slices, VolumeProfile Profile, SliceStyle Style = SliceStyle.Passive) : AlgoSpec
{
    public override string Name => "vwap";
}

/// <summary>
/// Shows <paramref name="VisibleQty"/> at a time and refills when it is done. At the parent's limit
/// price when it has one, else post-only at the touch, re-priced like <see cref="LimitAlgo"/>.
/// </summary>
public sealed record IcebergAlgo(decimal VisibleQty, TimeSpan RepriceAfter) : AlgoSpec
{
    public override string Name => "iceberg";
}

/// <summary>Let <see cref="SmartRouter"/> choose from size against depth, spread, volatility and urgency.</summary>
public sealed record SmartAlgo(Urgency Urgency) : AlgoSpec
{
    public override string Name => "smart";
}
