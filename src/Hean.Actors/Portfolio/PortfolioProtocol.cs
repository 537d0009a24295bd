using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Core.Portfolio;

namespace Hean.Actors.Portfolio;

/// <summary>Messages of the portfolio (persistence id "portfolio").</summary>
public static class PortfolioProtocol
{
    /// <summary>A fill the order manager has accepted (deduplicated, persisted).</summary>
    public sealed record BookFill(Fill Fill);

    public readonly record struct MarkPrice(Symbol Symbol, decimal Price, DateTime Time);

    /// <summary>Latest prices from the venue. Not persisted; the equity samples carry the marks.</summary>
    public sealed record UpdateMarks(IReadOnlyList<MarkPrice> Marks);

    /// <summary>A point in market time where the equity curve is sampled. Answer: <see cref="PortfolioView"/>.</summary>
    public sealed record Checkpoint(DateTime Time, bool Force = false);

    public sealed record GetPortfolio;

    public sealed record PortfolioView(PortfolioState State, IReadOnlyList<EquitySampled> RecentEquity);

    public sealed record GetEquityCurve;
    public sealed record EquityCurve(IReadOnlyList<EquitySampled> Samples);
}
