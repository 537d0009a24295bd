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
