using System.Text.Json;
using Hean.Actors.Orchestration;
using Hean.Actors.Persistence;
using Hean.Actors.Risk;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Hean.Core.Risk;
using Hean.Core.Signals;
using Hean.Persistence.Redis.EventBus;

namespace Hean.Actors.Events;

/// <summary>Pure mapping of what HEAN publishes on its EventStream to bus events (type + JSON).</summary>
public static class LifecycleEvents
{
    public static BusEvent? ToBus(object e) => e switch
    {
        OrderCreated c => Bus(BusEventTypes.OrderCreated, c.Time, c),
        OrderSubmitted s => Bus(BusEventTypes.OrderSubmitted, s.Time, s),
        OrderAccepted a => Bus(BusEventTypes.OrderAccepted, a.Time, a),
        OrderRejected r => Bus(BusEventTypes.OrderRejected, r.Time, new { source = "venue", client_order_id = r.ClientOrderId.Value, time = r.Time, reason = r.Reason }),
        OrderRequestRejected r => Bus(BusEventTypes.OrderRejected, r.Time,
            new { source = "risk", client_order_id = r.ClientOrderId.Value, time = r.Time, reason = r.ReasonCode, detail = r.Detail }),
        OrderFilled f => Bus(BusEventTypes.OrderFilled, f.Time, f.Fill),
        OrderCancelRequested c => Bus(BusEventTypes.OrderCancelRequested, c.Time, c),
        OrderCancelled c => Bus(BusEventTypes.OrderCancelled, c.Time, c),
        EquitySampled s => Bus(BusEventTypes.PnlUpdate, s.Time, s),
        EmergencyStop s => Bus(BusEventTypes.EmergencyStop, s.Time, s),
        Signal s => Bus(BusEventTypes.Signal, s.Time, s),
        HealthReport h => Bus(BusEventTypes.HealthCheck, DateTime.UtcNow, h),
        Akka.Event.Error err => Bus(BusEventTypes.Error, err.Timestamp, new
        {
            source = err.LogSource,
            message = err.Message?.ToString(),
            cause = err.Cause?.GetBaseException().Message,
        }),
        TickSampler.Tick t => Bus(BusEventTypes.Tick, t.Time, t),
        _ => null,
    };

    private static BusEvent Bus(string type, DateTime time, object payload) =>
        new(type, time, JsonSerializer.Serialize(payload, payload.GetType(), HeanJson.Options));
}
