using Akka.Actor;
using Akka.Event;
using Hean.Actors.Common;
using Hean.Actors.Orders;
using Hean.Core.Orders;
using static Hean.Actors.Execution.ExecutionProtocol;

namespace Hean.Actors.Execution;

/// <summary>
/// Takes approved orders to the venue: registers each with the order manager (persisted, with
/// its client order id) before the gateway may send it. Market and limit orders go straight
/// through; the algorithms (TWAP, VWAP, iceberg) arrive with the execution issue as children.
/// </summary>
public sealed class ExecutionRouter : ReceiveActor
{
    private readonly IActorRef _orders;
    private readonly IActorRef _gateway;
    private readonly HeanTimeouts _timeouts;
    private readonly ILoggingAdapter _log = Context.GetLogger();

    public ExecutionRouter(IActorRef orders, IActorRef gateway, HeanTimeouts timeouts)
    {
        _orders = orders;
        _gateway = gateway;
        _timeouts = timeouts;

        ReceiveAsync<ExecuteOrder>(Execute);
        Receive<CancelOrder>(m => _gateway.Forward(m));
        Receive<CancelAllOrders>(m => _gateway.Forward(m));
        Receive<Sync>(_ => Sender.Tell(Synced.Instance));
    }

    private async Task Execute(ExecuteOrder m)
    {
        var sender = Sender;
        var id = m.Order.ClientOrderId;
        try
        {
            var registered = await _orders.Ask(new OrdersProtocol.RegisterOrder(
                new OrderCreated(m.Order, m.Time, m.Origin, m.ArrivalPrice) { SignalPrice = m.SignalPrice }), _timeouts.Ask);
            if (registered is OrdersProtocol.OrderRefused refused)
            {
                sender.Tell(new ExecutionFailed(id, refused.Reason));
                return;
            }
            var placed = await _gateway.Ask<PlaceResult>(new PlaceOrder(m.Order, m.Time), _timeouts.Ask);
            sender.Tell(placed.Sent ? new ExecutionStarted(id) : new ExecutionFailed(id, placed.Error ?? "not sent"));
        }
        catch (Exception e)
        {
            // The order is persisted; whether the venue has it is unknown. It stays in flight for reconciliation.
            _log.Warning("order {0}: outcome unknown after {1}", id, e.GetBaseException().Message);
            sender.Tell(new ExecutionFailed(id, "outcome unknown: " + e.GetBaseException().Message));
        }
    }
}
