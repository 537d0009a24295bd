using Akka.Actor;
using Akka.Event;
using Hean.Actors.Common;
using Hean.Actors.Execution;
using Hean.Actors.Monitoring;
using Hean.Actors.Orders;
using Hean.Actors.Portfolio;
using Hean.Actors.Risk;
using Hean.Core.Domain;
using Hean.Core.Execution;
using Hean.Core.Orders;
using Hean.Core.Risk;
using static Hean.Actors.Instruments.InstrumentProtocol;

namespace Hean.Actors.Instruments;

/// <summary>How signals become orders: straight market orders, or passive limit orders at the touch.</summary>
/// <summary>
/// How the instrument sends what the strategy decided: a market order, a post-only limit at the touch, or a parent
/// order for which the smart router chooses the algorithm (size against depth, spread, volatility, urgency from the
/// signal's confidence) and records why (persisted in the algorithm's start, logged, counted by choice).
/// </summary>
public enum ExecutionStyle { Market, Limit, Smart }

/// <summary>How an instrument sizes and sends: hard limits, Kelly, volatility target, execution style.</summary>
public sealed record InstrumentSettings(RiskLimits Limits, PositionSizer Sizer, ExecutionStyle Style, KellySizing Kelly, double TargetVolatility)
{
    public static InstrumentSettings Default { get; } = new(RiskLimits.Default, PositionSizer.Default, ExecutionStyle.Market, KellySizing.Default, 0.5);
}

/// <summary>
/// One tradable symbol: turns the strategy's signals into an order toward the target position
/// (ORDER_REQUEST) sized by the smallest of the hard limit, fractional Kelly and the volatility
/// target, has risk review it with everything the checks need, and sends it through the execution
/// router. Signals are handled one at a time; the answer comes when the order is with the venue.
/// </summary>
public sealed class InstrumentActor : ReceiveActor
{
    private readonly Instrument _instrument;
    private readonly InstrumentSettings _settings;
    private readonly IActorRef _portfolio, _orders, _risk, _execution;
    private readonly HeanTimeouts _timeouts;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private int _counter;
    // The strategy's own round trips, signal to signal, whether or not we traded them: Kelly estimates
    // the strategy's edge, and a Kelly of zero must not stop the statistics it would recover from.
    private readonly TradeStatistics _signalTrades = new(100);
    private (int Direction, decimal Price)? _virtual;

    public InstrumentActor(Instrument instrument, InstrumentSettings settings,
        IActorRef portfolio, IActorRef orders, IActorRef risk, IActorRef execution, HeanTimeouts timeouts)
    {
        (_instrument, _settings) = (instrument, settings);
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
                _risk.Tell(new RiskProtocol.ReportExecutionError(outcome, m.Signal.Time));
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
        if (open.Orders.Count > 0) await _orders.Ask<Synced>(Sync.Instance, _timeouts.Ask);
        // Whatever the venue has not confirmed cancelled yet may still fill: count it as if it will,
        // so that a cancel racing a fill can never make us trade twice toward the same target.
        var working = await _orders.Ask<OrdersProtocol.OpenOrders>(new OrdersProtocol.GetOpenOrders(), _timeouts.Ask);
        var inFlight = working.Orders.Where(o => o.Symbol == _instrument.Symbol).Sum(o => o.LeavesQty * o.Request.Side.Sign());

        var view = await _portfolio.Ask<PortfolioProtocol.PortfolioView>(new PortfolioProtocol.GetPortfolio(), _timeouts.Ask);
        RecordSignalTrade(signal);
        var portfolio = view.State;
        var current = portfolio.PositionOf(_instrument.Symbol).Qty + inFlight;
        var mid = m.BestBid is { } b && m.BestAsk is { } a ? (b + a) / 2 : signal.ReferencePrice;

        var sizing = Size(signal, portfolio.Equity);
        var targetQty = signal.ReferencePrice > 0 ? _instrument.FloorQty(sizing.ChosenNotional / signal.ReferencePrice) : 0m;
        if (targetQty < _instrument.MinQty) targetQty = 0m;
        var target = targetQty * (int)signal.Direction;
        var delta = target - current;
        var qty = _instrument.FloorQty(Math.Abs(delta));
        if (qty < _instrument.MinQty) return $"at target {target}";

        var side = delta > 0 ? Side.Buy : Side.Sell;
        var touch = side == Side.Buy ? m.BestAsk : m.BestBid;
        var passive = side == Side.Buy ? m.BestBid : m.BestAsk;
        decimal? limitPrice = _settings.Style == ExecutionStyle.Limit ? passive ?? _instrument.RoundPrice(signal.ReferencePrice) : null;
        var reduceOnly = Math.Abs(target) < Math.Abs(current) && Math.Sign(target) != -Math.Sign(current);
        var request = new OrderRequest(NextId(signal.Time), _instrument.Symbol, side,
            limitPrice is null ? OrderType.Market : OrderType.Limit, qty, limitPrice,
            limitPrice is null ? TimeInForce.ImmediateOrCancel : TimeInForce.PostOnly, reduceOnly);
        var price = limitPrice ?? touch ?? signal.ReferencePrice;

        var context = new PreTradeContext(request, price, portfolio, signal.Time)
        {
            Instrument = _instrument,
            Mid = m.BestBid is not null && m.BestAsk is not null ? mid : null,
            OpenOrders = working.Orders.Count,
            OpenOrdersNotional = working.Orders.Sum(o => o.LeavesQty * (o.Request.Price ?? portfolio.MarkOf(o.Symbol) ?? 0m)),
            VarAfter = _settings.Limits.VarBudget is null ? null : ParametricVar99(request, price, portfolio, signal.Volatility),
        };
        var review = await _risk.Ask(new RiskProtocol.ReviewOrder(context, sizing), _timeouts.Ask);
        if (review is RiskProtocol.OrderRejected rejected) return $"rejected by risk: {rejected.ReasonCode}";

        var algo = _settings.Style == ExecutionStyle.Smart ? new SmartAlgo(UrgencyOf(signal.Confidence)) : null;
        var result = await _execution.Ask(new ExecutionProtocol.ExecuteOrder(request, signal.Strategy, mid, signal.Time, signal.ReferencePrice, algo), _timeouts.Ask);
        switch (result)
        {
            case ExecutionProtocol.ExecutionStarted:
                _risk.Tell(new RiskProtocol.ReportExecutionSuccess());
                return $"sent {side} {qty} {_instrument.Symbol} ({request.ClientOrderId}), sized by {sizing.Basis}";
            case ExecutionProtocol.ExecutionFailed f:
                _risk.Tell(new RiskProtocol.ReportExecutionError($"{request.ClientOrderId}: {f.Reason}", signal.Time));
                return $"not sent: {f.Reason}";
            default:
                return "unexpected answer " + result.GetType().Name;
        }
    }

    /// <summary>A confident signal is worth crossing for; a weak one can wait for the maker side.</summary>
    public static Urgency UrgencyOf(double confidence) => confidence switch
    {
        >= 0.8 => Urgency.High,
        <= 0.3 => Urgency.Low,
        _ => Urgency.Normal,
    };

    /// <summary>The smallest of the hard limit (scaled by confidence), fractional Kelly and the volatility target.</summary>
    private SizingDecision Size(Hean.Core.Signals.Signal signal, decimal equity)
    {
        var hard = _settings.Sizer.HardNotional(signal, _settings.Limits);
        decimal? kelly = _settings.Kelly.ShareOfEquity(_signalTrades) is { } share ? (decimal)share * equity : null;
        var vol = signal.Volatility is { } v ? VolatilityTarget.Notional(equity, _settings.TargetVolatility, v) : null;
        return SizingDecision.Choose(hard, kelly, vol);
    }

    /// <summary>Closes the strategy's virtual position at this signal's price (return after two taker fees) and opens the next.</summary>
    private void RecordSignalTrade(Hean.Core.Signals.Signal signal)
    {
        const decimal roundTripFees = 2 * 0.00055m;
        if (signal.ReferencePrice <= 0) return;
        if (_virtual is { } v && v.Price > 0)
            _signalTrades.Add(v.Direction * (signal.ReferencePrice / v.Price - 1m) - roundTripFees);
        _virtual = signal.Direction == Hean.Core.Signals.SignalDirection.Flat ? null : ((int)signal.Direction, signal.ReferencePrice);
    }

    /// <summary>
    /// 1-day VaR99 after the order for the VAR_BUDGET check: z99 × daily σ × gross exposure, with this
    /// symbol's realized volatility for every position and correlation 1 — conservative, and cheap
    /// enough for every order (the Monte Carlo report is `hean risk report`).
    /// </summary>
    private static decimal? ParametricVar99(OrderRequest order, decimal price, Hean.Core.Portfolio.PortfolioState portfolio, double? annualVol)
    {
        if (annualVol is not { } vol || vol <= 0) return null;
        var gross = RiskState.GrossAfter(order, price, portfolio);
        var dailySigma = vol / Math.Sqrt(365.25);
        return gross * (decimal)(MonteCarloVar.InverseNormal(0.99) * dailySigma);
    }

    private ClientOrderId NextId(DateTime time) =>
        new($"{_instrument.Symbol.Value}-{time:yyyyMMddHHmmssfff}-{++_counter}");
}
