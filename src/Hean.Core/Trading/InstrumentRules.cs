using Hean.Core.Domain;
using Hean.Core.Execution;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Hean.Core.Risk;
using Hean.Core.Signals;

namespace Hean.Core.Trading;

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
/// A signal an instrument decided on, persisted (<c>instrument-SYMBOL</c>) so that a restart keeps what sizing learned:
/// the strategy's round trips behind Kelly and the client order id counter (the counter after this signal).
/// </summary>
public sealed record InstrumentSignalRecorded(Symbol Symbol, DateTime Time, SignalDirection Direction, decimal ReferencePrice, int Counter);

/// <summary>Everything <see cref="InstrumentRules"/> remembers, for a snapshot.</summary>
public sealed record InstrumentMemory(IReadOnlyList<decimal> SignalReturns, SignalDirection VirtualDirection, decimal VirtualPrice, int Counter);

/// <summary>What an instrument makes of a signal: nothing to do (already at the target), or one order to review and send.</summary>
public abstract record InstrumentDecision
{
    public sealed record AtTarget(decimal Target) : InstrumentDecision;

    /// <summary>The order toward the target, what risk reviews it with, how it was sized, the mid it arrives at, the algorithm (Smart style).</summary>
    public sealed record Send(OrderRequest Request, PreTradeContext Context, SizingDecision Sizing, decimal Mid, AlgoSpec? Algo) : InstrumentDecision;
}

/// <summary>
/// The trading rules of one symbol, the same in the actors (<c>InstrumentActor</c>) and in the backtest kernel: a signal
/// becomes an order toward the target position (ORDER_REQUEST), sized by the smallest of the hard limit (scaled by
/// confidence), fractional Kelly over the strategy's own round trips, and the volatility target. Orders still working in
/// the symbol count as if they will fill, so a cancel racing a fill never trades twice toward one target. Holds the
/// state those rules need (the signal round trips behind Kelly, the client order id counter); single-threaded.
/// </summary>
public sealed class InstrumentRules(Instrument instrument, InstrumentSettings settings)
{
    private const decimal RoundTripFees = 2 * 0.00055m;

    // The strategy's own round trips, signal to signal, whether or not we traded them: Kelly estimates
    // the strategy's edge, and a Kelly of zero must not stop the statistics it would recover from.
    private readonly TradeStatistics _signalTrades = new(100);
    private (int Direction, decimal Price)? _virtual;
    private int _counter;

    public Instrument Instrument { get; } = instrument;
    public InstrumentSettings Settings { get; } = settings;

    /// <summary>The last client order id number given out.</summary>
    public int Counter => _counter;

    public InstrumentMemory Memory =>
        new(_signalTrades.Values, _virtual is { } v ? (SignalDirection)v.Direction : SignalDirection.Flat, _virtual?.Price ?? 0m, _counter);

    /// <summary>Back to what a snapshot remembered.</summary>
    public void Restore(InstrumentMemory memory)
    {
        _signalTrades.Clear();
        foreach (var r in memory.SignalReturns) _signalTrades.Add(r);
        _virtual = memory.VirtualDirection == SignalDirection.Flat ? null : ((int)memory.VirtualDirection, memory.VirtualPrice);
        _counter = memory.Counter;
    }

    /// <summary>A recorded signal again, on recovery: the same statistics and counter as when it was decided.</summary>
    public void Replay(InstrumentSignalRecorded e)
    {
        RecordSignalTrade(e.Direction, e.ReferencePrice);
        _counter = Math.Max(_counter, e.Counter);
    }

    /// <summary>What to persist for a signal just decided.</summary>
    public InstrumentSignalRecorded Recorded(Signal signal) => new(Instrument.Symbol, signal.Time, signal.Direction, signal.ReferencePrice, _counter);

    /// <param name="working">Every open order (all symbols: the risk checks count them); this symbol's count toward the target.</param>
    public InstrumentDecision Decide(Signal signal, decimal? bestBid, decimal? bestAsk, PortfolioState portfolio, IReadOnlyList<OrderState> working)
    {
        var inFlight = 0m;
        foreach (var o in working)
            if (o.Symbol == Instrument.Symbol) inFlight += o.LeavesQty * o.Request.Side.Sign();
        RecordSignalTrade(signal.Direction, signal.ReferencePrice);
        var current = portfolio.PositionOf(Instrument.Symbol).Qty + inFlight;
        var mid = bestBid is { } b && bestAsk is { } a ? (b + a) / 2 : signal.ReferencePrice;

        var sizing = Size(signal, portfolio.Equity);
        var targetQty = signal.ReferencePrice > 0 ? Instrument.FloorQty(sizing.ChosenNotional / signal.ReferencePrice) : 0m;
        if (targetQty < Instrument.MinQty) targetQty = 0m;
        var target = targetQty * (int)signal.Direction;
        var delta = target - current;
        var qty = Instrument.FloorQty(Math.Abs(delta));
        if (qty < Instrument.MinQty) return new InstrumentDecision.AtTarget(target);

        var side = delta > 0 ? Side.Buy : Side.Sell;
        var touch = side == Side.Buy ? bestAsk : bestBid;
        var passive = side == Side.Buy ? bestBid : bestAsk;
        decimal? limitPrice = Settings.Style == ExecutionStyle.Limit ? passive ?? Instrument.RoundPrice(signal.ReferencePrice) : null;
        var reduceOnly = Math.Abs(target) < Math.Abs(current) && Math.Sign(target) != -Math.Sign(current);
        var request = new OrderRequest(NextId(signal.Time), Instrument.Symbol, side,
            limitPrice is null ? OrderType.Market : OrderType.Limit, qty, limitPrice,
            limitPrice is null ? TimeInForce.ImmediateOrCancel : TimeInForce.PostOnly, reduceOnly);
        var price = limitPrice ?? touch ?? signal.ReferencePrice;

        var openNotional = 0m;
        foreach (var o in working) openNotional += o.LeavesQty * (o.Request.Price ?? portfolio.MarkOf(o.Symbol) ?? 0m);
        var context = new PreTradeContext(request, price, portfolio, signal.Time)
        {
            Instrument = Instrument,
            Mid = bestBid is not null && bestAsk is not null ? mid : null,
            OpenOrders = working.Count,
            OpenOrdersNotional = openNotional,
            VarAfter = Settings.Limits.VarBudget is null ? null : ParametricVar99(request, price, portfolio, signal.Volatility),
        };
        var algo = Settings.Style == ExecutionStyle.Smart ? new SmartAlgo(UrgencyOf(signal.Confidence)) : null;
        return new InstrumentDecision.Send(request, context, sizing, mid, algo);
    }

    /// <summary>A confident signal is worth crossing for; a weak one can wait for the maker side.</summary>
    public static Urgency UrgencyOf(double confidence) => confidence switch
    {
        >= 0.8 => Urgency.High,
        <= 0.3 => Urgency.Low,
        _ => Urgency.Normal,
    };

    /// <summary>The smallest of the hard limit (scaled by confidence), fractional Kelly and the volatility target.</summary>
    private SizingDecision Size(Signal signal, decimal equity)
    {
        var hard = Settings.Sizer.HardNotional(signal, Settings.Limits);
        decimal? kelly = Settings.Kelly.ShareOfEquity(_signalTrades) is { } share ? (decimal)share * equity : null;
        var vol = signal.Volatility is { } v ? VolatilityTarget.Notional(equity, Settings.TargetVolatility, v) : null;
        return SizingDecision.Choose(hard, kelly, vol);
    }

    /// <summary>Closes the strategy's virtual position at this signal's price (return after two taker fees) and opens the next.</summary>
    private void RecordSignalTrade(SignalDirection direction, decimal price)
    {
        if (price <= 0) return;
        if (_virtual is { } v && v.Price > 0)
            _signalTrades.Add(v.Direction * (price / v.Price - 1m) - RoundTripFees);
        _virtual = direction == SignalDirection.Flat ? null : ((int)direction, price);
    }

    /// <summary>
    /// 1-day VaR99 after the order for the VAR_BUDGET check: z99 × daily σ × gross exposure, with this
    /// symbol's realized volatility for every position and correlation 1 — conservative, and cheap
    /// enough for every order (the Monte Carlo report is `hean risk report`).
    /// </summary>
    private static decimal? ParametricVar99(OrderRequest order, decimal price, PortfolioState portfolio, double? annualVol)
    {
        if (annualVol is not { } vol || vol <= 0) return null;
        var gross = RiskState.GrossAfter(order, price, portfolio);
        var dailySigma = vol / Math.Sqrt(365.25);
        return gross * (decimal)(MonteCarloVar.InverseNormal(0.99) * dailySigma);
    }

    private ClientOrderId NextId(DateTime time) =>
        new($"{Instrument.Symbol.Value}-{time:yyyyMMddHHmmssfff}-{++_counter}");
}
