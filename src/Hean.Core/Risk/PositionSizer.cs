using Hean.Core.Domain;
using Hean.Core.Signals;

namespace Hean.Core.Risk;

/// <summary>
/// Turns a signal into a target position: a fraction of MAX_POSITION_SIZE scaled by the signal's
/// confidence, rounded down to the lot size. This is the hard-limit leg of the sizing; the instrument
/// takes the smallest of it, fractional Kelly and the volatility target (<see cref="SizingDecision"/>).
/// </summary>
public sealed record PositionSizer(decimal FractionOfMaxPosition)
{
    public static PositionSizer Default { get; } = new(0.5m);

    /// <summary>The hard-limit size of a signal: MAX_POSITION_SIZE × fraction × confidence (NaN confidence counts as none).</summary>
    public decimal HardNotional(Signal signal, RiskLimits limits) =>
        limits.MaxPositionSize * FractionOfMaxPosition * (decimal)(double.IsNaN(signal.Confidence) ? 0.0 : Math.Clamp(signal.Confidence, 0.0, 1.0));

    public decimal TargetQty(Signal signal, Instrument instrument, RiskLimits limits)
    {
        if (signal.Direction == SignalDirection.Flat || signal.ReferencePrice <= 0) return 0m;
        var notional = HardNotional(signal, limits);
        var qty = instrument.FloorQty(notional / signal.ReferencePrice);
        if (qty < instrument.MinQty) return 0m;
        return qty * (int)signal.Direction;
    }
}
