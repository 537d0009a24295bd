using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Core.Portfolio;

namespace Hean.Core.Risk;

/// <summary>Why an order was refused, with the numbers behind it.</summary>
public sealed record RiskRejection(string ReasonCode, string Detail);

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

    public RiskState Apply(IRiskEvent e) => e switch
    {
        OrderRequestApproved => this with { Approved = Approved + 1 },
        OrderRequestRejected => this with { Rejected = Rejected + 1 },
        TradingDayStarted d => this with { Day = d.Day, DayStartEquity = d.Equity, PeakEquity = Math.Max(PeakEquity, d.Equity) },
        EquityPeaked p => this with { PeakEquity = p.Equity },
        Risk.KillSwitchEngaged k => this with { KillSwitchEngaged = true, KillSwitchReason = k.Reason, KillSwitchSince = k.Time },
        KillSwitchReleased => this with { KillSwitchEngaged = false, KillSwitchReason = null, KillSwitchSince = null },
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "unknown risk event")
    };

    /// <summary>Loss since the start of the day as a fraction of the day's start equity (0 when up).</summary>
    public decimal DailyDrawdown(decimal equity) =>
        DayStartEquity <= 0 ? 0m : Math.Max(0m, (DayStartEquity - equity) / DayStartEquity);

    /// <summary>
    /// Pre-trade check of one order at <paramref name="price"/> against the limits and the portfolio.
    /// Null when the order may go.
    /// </summary>
    public RiskRejection? Check(OrderRequest order, decimal price, PortfolioState portfolio, RiskLimits limits)
    {
        var current = portfolio.PositionOf(order.Symbol).Qty;
        var after = current + order.Qty * order.Side.Sign();
        var reduces = Math.Abs(after) < Math.Abs(current) && Math.Sign(after) != -Math.Sign(current);

        if (KillSwitchEngaged && !reduces)
            return new("kill_switch", $"kill switch engaged since {KillSwitchSince:u}: {KillSwitchReason}");
        if (price <= 0)
            return new("no_price", $"no valid price for {order.Symbol} ({price})");
        if (portfolio.Equity <= 0 && !reduces)
            return new("no_equity", $"equity {portfolio.Equity:F2} is not positive");
        if (reduces) return null;

        var notionalAfter = Math.Abs(after) * price;
        if (notionalAfter > limits.MaxPositionSize)
            return new("max_position", $"position notional after the order {notionalAfter:F2} USDT > MAX_POSITION_SIZE {limits.MaxPositionSize}");

        var mark = portfolio.MarkOf(order.Symbol) ?? price;
        var grossAfter = portfolio.GrossExposure - Math.Abs(current) * mark + notionalAfter;
        var leverageAfter = grossAfter / portfolio.Equity;
        if (leverageAfter > limits.MaxLeverage)
            return new("max_leverage", $"leverage after the order {leverageAfter:F2} > MAX_LEVERAGE {limits.MaxLeverage} (gross {grossAfter:F2}, equity {portfolio.Equity:F2})");
        return null;
    }

    /// <summary>The leverage the portfolio would have after the order (for the approval record).</summary>
    public static decimal LeverageAfter(OrderRequest order, decimal price, PortfolioState portfolio)
    {
        var current = portfolio.PositionOf(order.Symbol).Qty;
        var after = current + order.Qty * order.Side.Sign();
        var mark = portfolio.MarkOf(order.Symbol) ?? price;
        var gross = portfolio.GrossExposure - Math.Abs(current) * mark + Math.Abs(after) * price;
        return portfolio.Equity <= 0 ? decimal.MaxValue : gross / portfolio.Equity;
    }

    /// <summary>
    /// What an equity observation at <paramref name="time"/> means: a new day, a new peak, a
    /// drawdown breach that engages the kill switch. Returned in the order they must be persisted.
    /// </summary>
    public IReadOnlyList<IRiskEvent> OnEquity(DateTime time, decimal equity, RiskLimits limits)
    {
        var events = new List<IRiskEvent>();
        var state = this;
        var day = DateOnly.FromDateTime(time);
        if (state.Day != day)
        {
            var started = new TradingDayStarted(day, time, equity);
            events.Add(started);
            state = state.Apply(started);
        }
        if (equity > state.PeakEquity)
        {
            // Peaks are persisted only in 0.1% steps: enough for drawdown-from-peak, few events.
            if (equity >= state.PeakEquity * 1.001m || state.PeakEquity == 0)
            {
                var peak = new EquityPeaked(time, equity);
                events.Add(peak);
                state = state.Apply(peak);
            }
        }
        var drawdown = state.DailyDrawdown(equity);
        if (!state.KillSwitchEngaged && drawdown >= limits.DailyDrawdownLimit)
            events.Add(new KillSwitchEngaged(time,
                $"daily drawdown {drawdown:P2} reached DAILY_DRAWDOWN_LIMIT {limits.DailyDrawdownLimit:P2} (day start equity {state.DayStartEquity:F2}, equity {equity:F2})",
                "risk-governor", equity));
        return events;
    }
}
