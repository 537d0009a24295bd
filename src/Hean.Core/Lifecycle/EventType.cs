namespace Hean.Core.Lifecycle;

/// <summary>The event types of the trade lifecycle (ORIGINAL-ARCHITECTURE.md, DESIGN.md).</summary>
public enum EventType
{
    Tick,
    Candle,
    FeaturesReady,
    MlPrediction,
    Signal,
    OrderRequest,
    OrderApproved,
    OrderRejected,
    OrderSubmitted,
    OrderAccepted,
    OrderFilled,
    OrderCancelled,
    PnlUpdate,
    HealthCheck,
    Error,
    EmergencyStop,
}

public static class EventTypeNames
{
    /// <summary>The seed's upper-snake name, e.g. ORDER_FILLED.</summary>
    public static string ToWireName(this EventType t) => t switch
    {
        EventType.Tick => "TICK",
        EventType.Candle => "CANDLE",
        EventType.FeaturesReady => "FEATURES_READY",
        EventType.MlPrediction => "ML_PREDICTION",
        EventType.Signal => "SIGNAL",
        EventType.OrderRequest => "ORDER_REQUEST",
        EventType.OrderApproved => "ORDER_APPROVED",
        EventType.OrderRejected => "ORDER_REJECTED",
        EventType.OrderSubmitted => "ORDER_SUBMITTED",
        EventType.OrderAccepted => "ORDER_ACCEPTED",
        EventType.OrderFilled => "ORDER_FILLED",
        EventType.OrderCancelled => "ORDER_CANCELLED",
        EventType.PnlUpdate => "PNL_UPDATE",
        EventType.HealthCheck => "HEALTH_CHECK",
        EventType.Error => "ERROR",
        EventType.EmergencyStop => "EMERGENCY_STOP",
        _ => throw new ArgumentOutOfRangeException(nameof(t), t, null)
    };
}
