using Hean.Core.Domain;

namespace Hean.Core.Signals;

/// <summary>The position a strategy wants, as a direction.</summary>
public enum SignalDirection : sbyte { Short = -1, Flat = 0, Long = 1 }

/// <summary>
/// A strategy's decision at a point in market time. Confidence in [0, 1] scales the size that
/// risk allows; ReferencePrice is the price the decision was made at (for slippage).
/// </summary>
public sealed record Signal(
    Symbol Symbol,
    DateTime Time,
    SignalDirection Direction,
    double Confidence,
    decimal ReferencePrice,
    string Strategy,
    string Reason)
{
    /// <summary>Annualized realized volatility of the symbol when the signal was made (for volatility targeting).</summary>
    public double? Volatility { get; init; }
}
