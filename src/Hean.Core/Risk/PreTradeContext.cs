using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Core.Portfolio;

namespace Hean.Core.Risk;

/// <summary>
/// Everything one pre-trade check looks at: the order at its price, the portfolio, and what the
/// caller knows of the market and of our working orders. Optional parts that are absent skip
/// their checks (a backtest on bars has no mid, a test may have no instrument).
/// </summary>
public sealed record PreTradeContext(OrderRequest Order, decimal Price, PortfolioState Portfolio, DateTime Time)
{
    public Instrument? Instrument { get; init; }
    public decimal? Mid { get; init; }
    public int OpenOrders { get; init; }
    /// <summary>Notional of the working orders (their leaves quantity at their price).</summary>
    public decimal OpenOrdersNotional { get; init; }
    /// <summary>Orders submitted in the second before this one.</summary>
    public int OrdersInLastSecond { get; init; }
    /// <summary>1-day VaR99 of the portfolio after the order, when a VaR budget is set and history is known.</summary>
    public decimal? VarAfter { get; init; }

    /// <summary>
    /// Risk's own positions and working orders (<see cref="ExposureLedger.Complete"/>); when set, the checks use its
    /// positions instead of the portfolio's, which then only values them (equity, marks).
    /// </summary>
    public ExposureLedger? Exposure { get; init; }

    /// <summary>Working orders of the order's symbol on the order's side (their leaves): if they fill, the position goes further.</summary>
    public decimal WorkingSameSide { get; init; }

    /// <summary>The position the checks start from.</summary>
    public decimal PositionOf(Symbol symbol) => Exposure is { } e ? e.PositionOf(symbol) : Portfolio.PositionOf(symbol).Qty;

    /// <summary>Gross notional of the positions the checks start from, at the portfolio's marks.</summary>
    public decimal GrossExposure => Exposure is { } e ? e.GrossExposure(Portfolio.MarkOf) : Portfolio.GrossExposure;

    /// <summary>Gross exposure after the order: the symbol's position re-valued at the order's price, the rest at their marks.</summary>
    public decimal GrossAfter()
    {
        var current = PositionOf(Order.Symbol);
        var after = current + Order.Qty * Order.Side.Sign();
        var mark = Portfolio.MarkOf(Order.Symbol) ?? Price;
        return GrossExposure - Math.Abs(current) * mark + Math.Abs(after) * Price;
    }

    /// <summary>The leverage after the order (for the approval record).</summary>
    public decimal LeverageAfter() => Portfolio.Equity <= 0 ? decimal.MaxValue : GrossAfter() / Portfolio.Equity;

    /// <summary>True when the order brings the symbol's position closer to flat without flipping it.</summary>
    public bool Reduces()
    {
        var current = PositionOf(Order.Symbol);
        var after = current + Order.Qty * Order.Side.Sign();
        return Math.Abs(after) < Math.Abs(current) && Math.Sign(after) != -Math.Sign(current);
    }
}

/// <summary>
/// How a size was chosen: the hard limit, fractional Kelly and volatility targeting, each as a
/// notional (null when it had no estimate), and the smallest of them, which was used.
/// </summary>
public sealed record SizingDecision(decimal HardLimitNotional, decimal? KellyNotional, decimal? VolTargetNotional, decimal ChosenNotional, string Basis)
{
    public static SizingDecision Choose(decimal hard, decimal? kelly, decimal? vol)
    {
        var chosen = hard;
        var basis = "hard_limit";
        if (kelly is { } k && k < chosen) (chosen, basis) = (k, "kelly");
        if (vol is { } v && v < chosen) (chosen, basis) = (v, "vol_target");
        return new SizingDecision(hard, kelly, vol, Math.Max(0m, chosen), basis);
    }
}
