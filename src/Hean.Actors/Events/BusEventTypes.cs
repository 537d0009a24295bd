namespace Hean.Actors.Events;

/// <summary>The lifecycle event types of the bus, with the original architecture's names; one Redis stream each.</summary>
public static class BusEventTypes
{
    public const string Tick = "TICK", Candle = "CANDLE", FeaturesReady = "FEATURES_READY", MlPrediction = "ML_PREDICTION", Signal = "SIGNAL",
        OrderRequest = "ORDER_REQUEST", OrderApproved = "ORDER_APPROVED", PnlUpdate = "PNL_UPDATE", HealthCheck = "HEALTH_CHECK", Error = "ERROR",
        EmergencyStop = "EMERGENCY_STOP", OrderCreated = "ORDER_CREATED", OrderSubmitted = "ORDER_SUBMITTED", OrderAccepted = "ORDER_ACCEPTED",
        OrderRejected = "ORDER_REJECTED", OrderFilled = "ORDER_FILLED", OrderCancelRequested = "ORDER_CANCEL_REQUESTED", OrderCancelled = "ORDER_CANCELLED";

    public static readonly IReadOnlyList<string> All =
    [
        Tick, Candle, FeaturesReady, MlPrediction, Signal, OrderRequest, OrderApproved, OrderCreated, OrderSubmitted, OrderAccepted, OrderRejected, OrderFilled, OrderCancelRequested, OrderCancelled,
        PnlUpdate, HealthCheck, Error, EmergencyStop,
    ];

    /// <summary>The type named by the operator (any case), or an error listing the known ones.</summary>
    public static string Parse(string type) =>
        All.FirstOrDefault(t => string.Equals(t, type.Trim(), StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown event type '{type}': use one of {string.Join(", ", All)}");
}
