using Hean.Core.Orders;

namespace Hean.Core.Portfolio;

/// <summary>A persisted change of the portfolio.</summary>
public interface IPortfolioEvent
{
    DateTime Time { get; }
}

public sealed record FillBooked(Fill Fill) : IPortfolioEvent
{
    public DateTime Time => Fill.Time;
}

/// <summary>
/// The fills booked so far, counted per symbol as the order entities number them: written once by the journal layout
/// migration into a portfolio that counted them globally (older versions).
/// </summary>
public sealed record FillSequencesAdopted(IReadOnlyDictionary<string, long> Seqs, DateTime Time) : IPortfolioEvent;

/// <summary>A point of the equity curve, with the marks it was computed at.</summary>
public sealed record EquitySampled(DateTime Time, IReadOnlyDictionary<string, decimal> Marks, decimal Equity) : IPortfolioEvent;

/// <summary>
/// A funding settlement of a perpetual position: <c>Amount</c> paid (negative: received), at the venue's funding
/// rate. <c>Id</c> is the venue's id of the settlement, so a settlement read twice is booked once.
/// </summary>
public sealed record FundingPayment(string Id, Hean.Core.Domain.Symbol Symbol, DateTime Time, decimal Amount, decimal Rate);

public sealed record FundingBooked(FundingPayment Payment) : IPortfolioEvent
{
    public DateTime Time => Payment.Time;
}
