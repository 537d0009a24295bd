using Hean.Core.Domain;
using Hean.Core.Signals;

namespace Hean.Core.Risk;

/// <summary>
/// Turns a signal into a target position: a fraction of MAX_POSITION_SIZE scaled by the signal's
/// confidence, rounded down to the lot size. Kelly and volatility targeting come with the risk issue.
/// </summary>
public sealed record PositionSizer(decimal FractionOfMaxPosition)
{
    public static PositionSizer Default { get; } = new(0.5m);

    public decimal TargetQty(Signal signal, Instrument instrument, RiskLimits limits)
    {
        if (signal.Direction == SignalDirection.Flat || signal.ReferencePrice <= 0) return 0m;
        var confidence = (decimal)Math.Clamp(signal.Confidence, 0.0, 1.0);
        var notional = limits.MaxPositionSize * FractionOfMaxPosition * confidence;
        var qty = instrument.FloorQty(notional / signal.ReferencePrice);
        if (qty < instrument.MinQty) return 0m;
        return qty * (int)signal.Direction;
    }
}
