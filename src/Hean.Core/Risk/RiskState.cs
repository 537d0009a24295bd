using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Core.Portfolio;

namespace Hean.Core.Risk;

/// <summary>Why an order was refused, with the numbers behind it.</summary>
public sealed record RiskRejection(string ReasonCode, string Detail)
{
    /// <summary>Every reason code <see cref="RiskState.Check"/> gives (a test holds this list to the checks), so that each can be counted from 0.</summary>
    public static readonly IReadOnlyList<string> ReasonCodes =
    [
        "halted", "reducing", "instrument_rules", "insufficient_margin", "kill_switch", "max_concentration", "max_leverage", "max_open_orders", "max_order_notional",
        "max_position", "no_equity", "no_price", "order_rate", "price_band", "reduce_only_increases", "var_budget",
    ];
}

/// <summary>The risk governor's state as a fold over its events, and its decisions as pure functions.</summary>
public sealed record RiskState(
    bool KillSwitchEngaged,
    string? KillSwitchReason,
    DateTime? KillSwitchSince,
    DateOnly? Day,
    decimal DayStartEquity,
    decimal PeakEquity,
    long Approved,
    long Rejected)
{
    public static RiskState Initial { get; } = new(false, null, null, null, 0m, 0m, 0, 0);

    public TradingState TradingState { get; init; } = TradingState.Active;
    public string? TradingStateReason { get; init; }
    public string? TradingStateBy { get; init; }

    /// <summary>Execution errors in a row (persisted, so a restart does not forget a burst).</summary>
    public int ConsecutiveErrors { get; init; }

    /// <summary>Who engaged the kill switch (an operator's token name, or the rule that tripped it).</summary>
    public string? KillSwitchBy { get; init; }

    /// <summary>What the checks apply: HALTED wins, then REDUCING (by state or by an engaged kill switch).</summary>
    public TradingState EffectiveState =>
        TradingState == TradingState.Halted ? TradingState.Halted
        : KillSwitchEngaged || TradingState == TradingState.Reducing ? TradingState.Reducing
        : TradingState.Active;

    public RiskState Apply(IRiskEvent e) => e switch
    {
        OrderRequestApproved => this with { Approved = Approved + 1 },
        OrderRequestRejected => this with { Rejected = Rejected + 1 },
        TradingDayStarted d => this with { Day = d.Day, DayStartEquity = d.Equity, PeakEquity = Math.Max(PeakEquity, d.Equity) },
        EquityPeaked p => this with { PeakEquity = p.Equity },
        Risk.KillSwitchEngaged k => this with { KillSwitchEngaged = true, KillSwitchReason = k.Reason, KillSwitchSince = k.Time, KillSwitchBy = k.By },
        KillSwitchReleased r => r.RebaseEquity is { } equity
            // The operator starts afresh: limits measure losses from here, and a rule's REDUCING is lifted.
            ? this with
            {
                KillSwitchEngaged = false, KillSwitchReason = null, KillSwitchSince = null, KillSwitchBy = null, DayStartEquity = equity, PeakEquity = equity,
                ConsecutiveErrors = 0,
                TradingState = TradingStateBy == RuleAuthor ? TradingState.Active : TradingState,
                TradingStateReason = TradingStateBy == RuleAuthor ? "kill switch released" : TradingStateReason,
            }
            : this with { KillSwitchEngaged = false, KillSwitchReason = null, KillSwitchSince = null, KillSwitchBy = null, ConsecutiveErrors = 0 },
        TradingStateChanged t => this with { TradingState = t.State, TradingStateReason = t.Reason, TradingStateBy = t.By },
        ExecutionErrorRecorded => this with { ConsecutiveErrors = ConsecutiveErrors + 1 },
        ExecutionErrorsCleared => this with { ConsecutiveErrors = 0 },
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "unknown risk event")
    };

    /// <summary>The kill switch a burst of execution errors engages once this state counts MAX_CONSECUTIVE_ERRORS in a row (null: not yet, or engaged already).</summary>
    public KillSwitchEngaged? ErrorBurst(DateTime time, string lastDetail, RiskLimits limits) =>
        ConsecutiveErrors < limits.MaxConsecutiveErrors || KillSwitchEngaged ? null
            : new KillSwitchEngaged(time, $"{ConsecutiveErrors} consecutive execution errors reached MAX_CONSECUTIVE_ERRORS {limits.MaxConsecutiveErrors}; last: {lastDetail}",
                RuleAuthor, 0m);

    /// <summary>Loss since the start of the day as a fraction of the day's start equity (0 when up).</summary>
    public decimal DailyDrawdown(decimal equity) =>
        DayStartEquity <= 0 || equity >= DayStartEquity ? 0m : (DayStartEquity - equity) / DayStartEquity;

    /// <summary>Loss from the highest equity seen, as a fraction of it (0 at a new high).</summary>
    public decimal PeakDrawdown(decimal equity) =>
        PeakEquity <= 0 || equity >= PeakEquity ? 0m : (PeakEquity - equity) / PeakEquity;

    /// <summary>Pre-trade check with only the order, its price and the portfolio (see the context overload).</summary>
    public RiskRejection? Check(OrderRequest order, decimal price, PortfolioState portfolio, RiskLimits limits) =>
        Check(new PreTradeContext(order, price, portfolio, default), limits);

    /// <summary>True when the order brings the symbol's position closer to flat without flipping it.</summary>
    public static bool Reduces(OrderRequest order, PortfolioState portfolio) => new PreTradeContext(order, 0m, portfolio, default).Reduces();

    /// <summary>
    /// Every pre-trade check, in a fixed order, each refusal with a reason code and the numbers behind
    /// it. Null when the order may go. Orders that only reduce exposure skip the exposure limits.
    /// </summary>
    public RiskRejection? Check(PreTradeContext c, RiskLimits limits)
    {
        var order = c.Order;
        var price = c.Price;
        var portfolio = c.Portfolio;
        var current = c.PositionOf(order.Symbol);
        var after = current + order.Qty * order.Side.Sign();
        var reduces = c.Reduces();

        if (c.Instrument is { } instrument && instrument.Validate(order.Qty, order.Type == OrderType.Limit ? order.Price : null) is { } invalid)
            return new("instrument_rules", $"{order.Symbol}: {invalid}");
        if (EffectiveState == TradingState.Halted)
            return new("halted", $"trading is HALTED by {TradingStateBy}: {TradingStateReason}");
        if (KillSwitchEngaged && !reduces)
            return new("kill_switch", $"kill switch engaged since {KillSwitchSince:u}: {KillSwitchReason}");
        if (EffectiveState == TradingState.Reducing && !reduces)
            return new("reducing", $"trading is REDUCING ({TradingStateReason}): only orders that reduce exposure; position {current}, after {after}");
        if (price <= 0)
            return new("no_price", $"no valid price for {order.Symbol} ({price})");
        if (order.ReduceOnly && !reduces)
            return new("reduce_only_increases", $"reduce-only {order.Side} {order.Qty} would take the position from {current} to {after}");
        if (c.OrdersInLastSecond >= limits.MaxOrdersPerSecond)
            return new("order_rate", $"{c.OrdersInLastSecond} orders in the last second, MAX_ORDERS_PER_SECOND {limits.MaxOrdersPerSecond}");
        if (order.Type == OrderType.Limit && c.Mid is { } mid && mid > 0)
        {
            var distance = Math.Abs(price - mid) / mid;
            if (distance > limits.PriceBand)
                return new("price_band", $"limit {price} is {distance:P2} from the mid {mid}, PRICE_BAND {limits.PriceBand:P2}");
        }
        if (c.OpenOrders >= limits.MaxOpenOrders && !reduces)
            return new("max_open_orders", $"{c.OpenOrders} orders working, MAX_OPEN_ORDERS {limits.MaxOpenOrders}");
        if (portfolio.Equity <= 0 && !reduces)
            return new("no_equity", $"equity {portfolio.Equity:F2} is not positive");
        if (reduces) return null;

        // Working orders on the same side may fill too: the position is held to the limit as if they will.
        var notionalAfter = Math.Abs(after + c.WorkingSameSide * order.Side.Sign()) * price;
        if (notionalAfter > limits.MaxPositionSize)
            return new("max_position", c.WorkingSameSide == 0
                ? $"position notional after the order {notionalAfter:F2} USDT > MAX_POSITION_SIZE {limits.MaxPositionSize}"
                : $"position notional after the order and {c.WorkingSameSide} working on the same side {notionalAfter:F2} USDT > MAX_POSITION_SIZE {limits.MaxPositionSize}");

        var orderNotional = order.Qty * price;
        if (orderNotional > limits.OrderNotionalLimit)
            return new("max_order_notional", $"order notional {orderNotional:F2} USDT > MAX_ORDER_NOTIONAL {limits.OrderNotionalLimit}");

        var concentration = notionalAfter / portfolio.Equity;
        if (limits.MaxConcentration is { } maxConcentration && concentration > maxConcentration)
            return new("max_concentration", $"{order.Symbol} would be {concentration:P1} of equity {portfolio.Equity:F2}, MAX_CONCENTRATION {limits.MaxConcentration:P0}");

        var grossAfter = c.GrossAfter();
        var leverageAfter = grossAfter / portfolio.Equity;
        if (leverageAfter > limits.MaxLeverage)
            return new("max_leverage", $"leverage after the order {leverageAfter:F2} > MAX_LEVERAGE {limits.MaxLeverage} (gross {grossAfter:F2}, equity {portfolio.Equity:F2})");

        // Margin counts the working orders too: each may fill, and the venue reserves margin for it.
        var marginNeeded = (grossAfter + c.OpenOrdersNotional) / limits.MaxLeverage;
        if (marginNeeded > portfolio.Equity)
            return new("insufficient_margin", $"margin for positions and working orders {marginNeeded:F2} > equity {portfolio.Equity:F2}");

        if (limits.VarBudget is { } budget && c.VarAfter is { } var && var > budget)
            return new("var_budget", $"1-day VaR99 after the order {var:F2} USDT > VAR_BUDGET {budget}");
        return null;
    }

    /// <summary>The leverage the portfolio would have after the order (for the approval record).</summary>
    public static decimal LeverageAfter(OrderRequest order, decimal price, PortfolioState portfolio) =>
        new PreTradeContext(order, price, portfolio, default).LeverageAfter();

    /// <summary>Gross exposure after the order: the symbol's position re-valued at the order's price, the rest at their marks.</summary>
    public static decimal GrossAfter(OrderRequest order, decimal price, PortfolioState portfolio) =>
        new PreTradeContext(order, price, portfolio, default).GrossAfter();

    /// <summary>
    /// What an equity observation at <paramref name="time"/> means: a new day, a new peak, a
    /// drawdown breach that engages the kill switch. Returned in the order they must be persisted.
    /// </summary>
    public IReadOnlyList<IRiskEvent> OnEquity(DateTime time, decimal equity, RiskLimits limits, decimal? grossExposure = null)
    {
        // Most checkpoints change nothing: the list is made for the first event.
        List<IRiskEvent>? events = null;
        var state = this;
        var day = DateOnly.FromDateTime(time);
        if (state.Day != day)
        {
            var started = new TradingDayStarted(day, time, equity);
            (events ??= []).Add(started);
            state = state.Apply(started);
        }
        if (equity > state.PeakEquity)
        {
            // Peaks are persisted only in 0.1% steps: enough for drawdown-from-peak, few events.
            if (equity >= state.PeakEquity * 1.001m || state.PeakEquity == 0)
            {
                var peak = new EquityPeaked(time, equity);
                (events ??= []).Add(peak);
                state = state.Apply(peak);
            }
        }
        var drawdown = state.DailyDrawdown(equity);
        var fromPeak = state.PeakDrawdown(equity);
        if (!state.KillSwitchEngaged && drawdown >= limits.DailyDrawdownLimit)
        {
            (events ??= []).Add(new KillSwitchEngaged(time,
                $"daily drawdown {drawdown:P2} reached DAILY_DRAWDOWN_LIMIT {limits.DailyDrawdownLimit:P2} (day start equity {state.DayStartEquity:F2}, equity {equity:F2})",
                "risk-governor", equity));
            return events!;
        }
        if (!state.KillSwitchEngaged && fromPeak >= limits.PeakDrawdownLimit)
        {
            (events ??= []).Add(new KillSwitchEngaged(time,
                $"drawdown from peak {fromPeak:P2} reached PEAK_DRAWDOWN_LIMIT {limits.PeakDrawdownLimit:P2} (peak {state.PeakEquity:F2}, equity {equity:F2})",
                "risk-governor", equity));
            return events!;
        }
        // Near the daily limit the rule stops new exposure; a new day lifts what the rule set (never an operator's state).
        var nearLimit = drawdown >= limits.DailyDrawdownLimit * limits.ReduceAtShareOfDailyLimit;
        if (nearLimit && !state.KillSwitchEngaged && state.TradingState == TradingState.Active)
            (events ??= []).Add(new TradingStateChanged(time, TradingState.Reducing,
                $"daily drawdown {drawdown:P2} is past {limits.ReduceAtShareOfDailyLimit:P0} of DAILY_DRAWDOWN_LIMIT {limits.DailyDrawdownLimit:P2}", RuleAuthor));
        else if (!nearLimit && state.TradingState == TradingState.Reducing && state.TradingStateBy == RuleAuthor && state.Day != Day)
            (events ??= []).Add(new TradingStateChanged(time, TradingState.Active, "new trading day", RuleAuthor));
        else if (grossExposure is { } gross && equity > 0 && !state.KillSwitchEngaged)
        {
            // Prices move positions past the leverage limit with no order at all: stop adding until it is back under.
            var leverage = gross == 0 ? 0m : gross / equity;
            if (leverage > limits.MaxLeverage && state.TradingState == TradingState.Active)
                (events ??= []).Add(new TradingStateChanged(time, TradingState.Reducing,
                    $"{LeverageReason} {leverage:F2} is above MAX_LEVERAGE {limits.MaxLeverage} (gross {gross:F2}, equity {equity:F2})", RuleAuthor));
            else if (leverage <= limits.MaxLeverage && !nearLimit && state.TradingState == TradingState.Reducing
                     && state.TradingStateBy == RuleAuthor && state.TradingStateReason?.StartsWith(LeverageReason, StringComparison.Ordinal) == true)
                (events ??= []).Add(new TradingStateChanged(time, TradingState.Active, $"leverage {leverage:F2} is back under MAX_LEVERAGE {limits.MaxLeverage}", RuleAuthor));
        }
        return events ?? (IReadOnlyList<IRiskEvent>)[];
    }

    private const string LeverageReason = "leverage";

    /// <summary>Who changes the state when a rule does it.</summary>
    public const string RuleAuthor = "risk-governor";
}
