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

/// <summary>A point of the equity curve, with the marks it was computed at.</summary>
public sealed record EquitySampled(DateTime Time, IReadOnlyDictionary<string, decimal> Marks, decimal Equity) : IPortfolioEvent;
