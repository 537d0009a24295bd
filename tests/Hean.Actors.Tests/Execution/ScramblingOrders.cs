using Akka.Actor;
using Hean.Actors.Orders;
using Hean.Core.Exchange;
using Hean.Core.Orders;

namespace Hean.Actors.Tests.Execution;

/// <summary>
/// Between the gateway and the order manager: every venue report is delivered twice, and an acknowledgement is
/// held back until the next report of its order (or any other message), so fills arrive before their
/// acknowledgement and acknowledgements arrive late and twice. Everything else passes through in order.
/// </summary>
internal sealed class ScramblingOrders : ReceiveActor
{
    private readonly Dictionary<ClientOrderId, OrdersProtocol.ApplyReport> _heldAcks = new();

    public ScramblingOrders(IActorRef orders)
    {
        Receive<OrdersProtocol.ApplyReport>(r =>
        {
            var id = r.Report.ClientOrderId;
            if (r.Report is OrderAcceptedReport)
            {
                _heldAcks[id] = r;
                return;
            }
            orders.Tell(r);
            orders.Tell(r);
            if (_heldAcks.Remove(id, out var ack))
            {
                orders.Tell(ack);
                orders.Tell(ack);
            }
        });
        ReceiveAny(m =>
        {
            foreach (var ack in _heldAcks.Values)
            {
                orders.Tell(ack);
                orders.Tell(ack);
            }
            _heldAcks.Clear();
            orders.Forward(m);
        });
    }
}
