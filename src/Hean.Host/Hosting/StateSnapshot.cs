using Akka.Actor;
using Hean.Actors.Feed;
using Hean.Actors.Orchestration;
using Hean.Actors.Orders;
using Hean.Actors.Portfolio;
using Hean.Actors.Risk;
using Hean.Core.Orders;

namespace Hean.Host.Hosting;

/// <summary>What an operator sees: the same numbers on the terminal, in /api/state and in reports.</summary>
public sealed record StateSnapshot(
    PortfolioSummary Portfolio,
    IReadOnlyList<PositionSummary> Positions,
    IReadOnlyList<OpenOrderSummary> OpenOrders,
    OrdersProtocol.OrderStats Orders,
    RiskSummary Risk,
    FeedProtocol.FeedStatus? Feed)
{
    public static async Task<StateSnapshot> QueryAsync(OrchestratorProtocol.TradingRefs refs, IActorRef? feed, TimeSpan timeout)
    {
        var portfolio = refs.Portfolio.Ask<PortfolioProtocol.PortfolioView>(new PortfolioProtocol.GetPortfolio(), timeout);
        var open = refs.Orders.Ask<OrdersProtocol.OpenOrders>(new OrdersProtocol.GetOpenOrders(), timeout);
        var stats = refs.Orders.Ask<OrdersProtocol.OrderStats>(new OrdersProtocol.GetOrderStats(), timeout);
        var risk = refs.Risk.Ask<RiskProtocol.RiskView>(new RiskProtocol.GetRiskState(), timeout);
        var feedStatus = feed is null ? Task.FromResult<FeedProtocol.FeedStatus?>(null)
            : feed.Ask<FeedProtocol.FeedStatus>(new FeedProtocol.GetStatus(), timeout).ContinueWith(t => t.IsCompletedSuccessfully ? t.Result : null);
        await Task.WhenAll(portfolio, open, stats, risk, feedStatus);

        var p = portfolio.Result.State;
        return new StateSnapshot(
            new PortfolioSummary(p.InitialCash, p.Cash, p.Equity, p.Pnl, p.RealizedPnl, p.UnrealizedPnl, p.Fees, p.GrossExposure, p.FillCount) { Funding = p.Funding },
            p.Positions.Values.Where(x => !x.IsFlat).Select(x => new PositionSummary(x.Symbol.Value, x.Qty, x.AvgPrice,
                p.MarkOf(x.Symbol), p.MarkOf(x.Symbol) is { } m ? x.UnrealizedPnl(m) : 0m, x.RealizedPnl, x.Fees)).ToList(),
            open.Result.Orders.Select(OpenOrderSummary.From).ToList(),
            stats.Result,
            new RiskSummary(risk.Result.State.KillSwitchEngaged, risk.Result.State.KillSwitchReason, risk.Result.State.Approved,
                risk.Result.State.Rejected, risk.Result.State.DayStartEquity, risk.Result.State.DailyDrawdown(p.Equity))
            {
                TradingState = risk.Result.State.EffectiveState.ToString().ToLowerInvariant(),
            },
            feedStatus.Result);
    }
}

public sealed record PortfolioSummary(decimal InitialCash, decimal Cash, decimal Equity, decimal Pnl, decimal RealizedPnl,
    decimal UnrealizedPnl, decimal Fees, decimal GrossExposure, long Fills)
{
    /// <summary>Funding paid on perpetual positions (negative: received).</summary>
    public decimal Funding { get; init; }
}

public sealed record PositionSummary(string Symbol, decimal Qty, decimal AvgPrice, decimal? Mark, decimal UnrealizedPnl, decimal RealizedPnl, decimal Fees);

public sealed record OpenOrderSummary(string ClientOrderId, string Symbol, string Side, string Type, decimal Qty, decimal? Price,
    decimal FilledQty, string Status, DateTime CreatedAt)
{
    public static OpenOrderSummary From(OrderState o) => new(o.Id.Value, o.Symbol.Value, o.Request.Side.ToString().ToLowerInvariant(),
        o.Request.Type.ToString().ToLowerInvariant(), o.Request.Qty, o.Request.Price, o.FilledQty, o.Status.ToString(), o.CreatedAt);
}

public sealed record RiskSummary(bool KillSwitchEngaged, string? KillSwitchReason, long Approved, long Rejected, decimal DayStartEquity, decimal DailyDrawdown)
{
    /// <summary>The effective trading state: active, reducing or halted.</summary>
    public string TradingState { get; init; } = "active";
}
