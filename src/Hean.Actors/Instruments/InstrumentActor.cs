using Akka.Actor;
using Akka.Event;
using Hean.Actors.Common;
using Hean.Actors.Execution;
using Hean.Actors.Monitoring;
using Hean.Actors.Orders;
using Hean.Actors.Portfolio;
using Hean.Actors.Risk;
using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Core.Risk;
using Hean.Core.Signals;
using static Hean.Actors.Instruments.InstrumentProtocol;

namespace Hean.Actors.Instruments;

/// <summary>How signals become orders: straight market orders, or passive limit orders at the touch.</summary>
public enum ExecutionStyle { Market, Limit }

/// <summary>
/// One tradable symbol: turns the strategy's signals into an order toward the target position
/// (ORDER_REQUEST), has risk review it, and sends it through the execution router. Signals are
/// handled one at a time; the answer comes when the order is with the venue.
/// </summary>
public sealed class InstrumentActor : ReceiveActor
{
    private readonly Instrument _instrument;
    private readonly RiskLimits _limits;
    private readonly PositionSizer _sizer;
    private readonly ExecutionStyle _style;
    private readonly IActorRef _portfolio, _orders, _risk, _execution;
    private readonly HeanTimeouts _timeouts;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private int _counter;

    public InstrumentActor(Instrument instrument, RiskLimits limits, PositionSizer sizer, ExecutionStyle style,
        IActorRef portfolio, IActorRef orders, IActorRef risk, IActorRef execution, HeanTimeouts timeouts)
    {
        (_instrument, _limits, _sizer, _style) = (instrument, limits, sizer, style);
        (_portfolio, _orders, _risk, _execution, _timeouts) = (portfolio, orders, risk, execution, timeouts);
        ReceiveAsync<HandleSignal>(async m =>
        {
            var sender = Sender;
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            string outcome;
            try
            {
                outcome = await Handle(m);
            }
            catch (Exception e)
            {
                outcome = "failed: " + e.GetBaseException().Message;
                _log.Error("signal for {0} failed: {1}", _instrument.Symbol, e.GetBaseException().Message);
            }
            HeanMetrics.Latency.WithLabels("signal_to_order").Observe(System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds);
            sender.Tell(new SignalHandled(outcome));
        });
    }

    private async Task<string> Handle(HandleSignal m)
    {
        var signal = m.Signal;
        HeanMetrics.Signals.WithLabels(signal.Symbol.Value, signal.Direction.ToString().ToLowerInvariant()).Inc();

        // A new signal replaces whatever we still have working in this symbol.
        var open = await _orders.Ask<OrdersProtocol.OpenOrders>(new OrdersProtocol.GetOpenOrders(_instrument.Symbol), _timeouts.Ask);
        foreach (var o in open.Orders)
            await _execution.Ask<ExecutionProtocol.CancelResult>(new ExecutionProtocol.CancelOrder(o.Id, "replaced by a new signal", signal.Time), _timeouts.Ask);
        var inFlight = 0m;
        if (open.Orders.Count > 0)
        {
            await _orders.Ask<Synced>(Sync.Instance, _timeouts.Ask);
            // Whatever the venue has not confirmed cancelled yet may still fill: count it as if it will,
            // so that a cancel racing a fill can never make us trade twice toward the same target.
            var still = await _orders.Ask<OrdersProtocol.OpenOrders>(new OrdersProtocol.GetOpenOrders(_instrument.Symbol), _timeouts.Ask);
            inFlight = still.Orders.Sum(o => o.LeavesQty * o.Request.Side.Sign());
        }

        var view = await _portfolio.Ask<PortfolioProtocol.PortfolioView>(new PortfolioProtocol.GetPortfolio(), _timeouts.Ask);
        var current = view.State.PositionOf(_instrument.Symbol).Qty + inFlight;
        var target = _sizer.TargetQty(signal, _instrument, _limits);
        var delta = target - current;
        var qty = _instrument.FloorQty(Math.Abs(delta));
        if (qty < _instrument.MinQty) return $"at target {target}";

        var side = delta > 0 ? Side.Buy : Side.Sell;
        var touch = side == Side.Buy ? m.BestAsk : m.BestBid;
        var passive = side == Side.Buy ? m.BestBid : m.BestAsk;
        decimal? limitPrice = _style == ExecutionStyle.Limit ? passive ?? _instrument.RoundPrice(signal.ReferencePrice) : null;
        var reduceOnly = Math.Abs(target) < Math.Abs(current) && Math.Sign(target) != -Math.Sign(current);
        var request = new OrderRequest(NextId(signal.Time), _instrument.Symbol, side,
            limitPrice is null ? OrderType.Market : OrderType.Limit, qty, limitPrice,
            limitPrice is null ? TimeInForce.ImmediateOrCancel : TimeInForce.PostOnly, reduceOnly);
        var price = limitPrice ?? touch ?? signal.ReferencePrice;

        var review = await _risk.Ask(new RiskProtocol.ReviewOrder(request, price, view.State, signal.Time), _timeouts.Ask);
        if (review is RiskProtocol.OrderRejected rejected) return $"rejected by risk: {rejected.ReasonCode}";

        var mid = m.BestBid is { } b && m.BestAsk is { } a ? (b + a) / 2 : signal.ReferencePrice;
        var result = await _execution.Ask(new ExecutionProtocol.ExecuteOrder(request, signal.Strategy, mid, signal.Time), _timeouts.Ask);
        return result switch
        {
            ExecutionProtocol.ExecutionStarted => $"sent {side} {qty} {_instrument.Symbol} ({request.ClientOrderId})",
            ExecutionProtocol.ExecutionFailed f => $"not sent: {f.Reason}",
            _ => "unexpected answer " + result.GetType().Name
        };
    }

    private ClientOrderId NextId(DateTime time) =>
        new($"{_instrument.Symbol.Value}-{time:yyyyMMddHHmmssfff}-{++_counter}");
}
