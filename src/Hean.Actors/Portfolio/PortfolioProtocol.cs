using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Core.Portfolio;

namespace Hean.Actors.Portfolio;

/// <summary>Messages of the portfolio (persistence id "portfolio").</summary>
public static class PortfolioProtocol
{
    /// <summary>
    /// A fill the order entity of its symbol has accepted (deduplicated, persisted). Seq numbers that
    /// entity's fills 1, 2, 3…; the portfolio books each symbol's fills in that order, ignores what it has,
    /// and asks for a resend when it sees a gap (a fill sent while it was restarting).
    /// </summary>
    public sealed record BookFill(Fill Fill, long Seq) : IWithSymbol
    {
        public Symbol Symbol => Fill.Symbol;
    }

    /// <summary>A funding settlement to book in cash (once per id).</summary>
    public sealed record BookFunding(Hean.Core.Portfolio.FundingPayment Payment);

    /// <summary>
    /// Asks the order manager for every fill after <paramref name="AfterSeq"/> of each symbol (<paramref name="AllSymbols"/>:
    /// also every fill of the symbols not named). Answer: one <see cref="FillsSince"/> per symbol asked.
    /// </summary>
    public sealed record ResendFills(IReadOnlyDictionary<string, long> AfterSeq, bool AllSymbols = false);

    /// <summary>Complete is false when fills older than the order entity keeps were asked for.</summary>
    public sealed record FillsSince(Symbol Symbol, IReadOnlyList<BookFill> Fills, bool Complete) : IWithSymbol;

    public readonly record struct MarkPrice(Symbol Symbol, decimal Price, DateTime Time);

    /// <summary>Latest prices from the venue. Not persisted; the equity samples carry the marks.</summary>
    public sealed record UpdateMarks(IReadOnlyList<MarkPrice> Marks);

    /// <summary>A point in market time where the equity curve is sampled. Answer: <see cref="PortfolioView"/>.</summary>
    public sealed record Checkpoint(DateTime Time, bool Force = false);

    public sealed record GetPortfolio;

    public sealed record PortfolioView(PortfolioState State, IReadOnlyList<EquitySampled> RecentEquity);

    /// <summary>Answer: <see cref="TradeStats"/>, the realized round trips behind Kelly sizing.</summary>
    public sealed record GetTradeStatistics;
    public sealed record TradeStats(int Count, double WinRate, double PayoffRatio, Hean.Core.Risk.TradeStatistics Statistics);

    public sealed record GetEquityCurve;
    public sealed record EquityCurve(IReadOnlyList<EquitySampled> Samples);
}
