using System.Text.Json;
using Hean.Actors.Orchestration;
using Hean.Actors.Persistence;
using Hean.Actors.Risk;
using Hean.Core.Features;
using Hean.Core.MarketData;
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
        Candle c => Bus(BusEventTypes.Candle, c.CloseTime, new
        {
            symbol = c.Symbol.Value, open_time = c.Time, close_time = c.CloseTime, interval_seconds = c.Interval.TotalSeconds, open = c.Open, high = c.High, low = c.Low, close = c.Close,
            volume = c.Volume,
        }),
        FeaturesReady f => Bus(BusEventTypes.FeaturesReady, f.Time, new { symbol = f.Symbol.Value, time = f.Time, schema = f.Features.Schema.Id, features = Named(f.Features) }),
        MlPrediction p => Bus(BusEventTypes.MlPrediction, p.Time, p),
        OrderRequested r => Bus(BusEventTypes.OrderRequest, r.Time, new
        {
            client_order_id = r.Order.ClientOrderId.Value, symbol = r.Order.Symbol.Value, side = r.Order.Side, type = r.Order.Type, qty = r.Order.Qty,
            price = r.Order.Price, reduce_only = r.Order.ReduceOnly, reference_price = r.ReferencePrice, time = r.Time,
        }),
        OrderRequestApproved a => Bus(BusEventTypes.OrderApproved, a.Time, a),
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

    /// <summary>Feature name → value; a feature not yet defined (warm-up, no book) is null.</summary>
    private static Dictionary<string, double?> Named(FeatureVector v)
    {
        var named = new Dictionary<string, double?>(v.Count, StringComparer.Ordinal);
        for (var i = 0; i < v.Count; i++) named[v.Schema.Names[i]] = double.IsFinite(v[i]) ? v[i] : null;
        return named;
    }

    private static BusEvent Bus(string type, DateTime time, object payload) =>
        new(type, time, JsonSerializer.Serialize(payload, payload.GetType(), HeanJson.Options));
}
