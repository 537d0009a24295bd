using Hean.Core.Domain;

namespace Hean.Core.MarketData.Synthetic;

/// <summary>The market-wide regime of the synthetic price process.</summary>
public enum MarketRegime : byte
{
    /// <summary>Ornstein–Uhlenbeck pull towards a slowly moving anchor.</summary>
    MeanReverting = 0,
    TrendUp = 1,
    TrendDown = 2,
}

/// <summary>
/// One step of the simulation: the book updates at <see cref="Time"/> and the trades until the next
/// step, in event order, plus the generator's hidden state for diagnostics and tests.
/// </summary>
public sealed record SyntheticStep(
    DateTime Time,
    MarketRegime Regime,
    IReadOnlyList<SyntheticSymbolState> Symbols,
    IReadOnlyList<IMarketEvent> Events);

/// <summary>
/// A symbol's state after a step: the model mid price at the step time (before rounding to the
/// tick), the annualised conditional volatility, and the full book after the step's trades, best
/// level first on each side.
/// </summary>
public sealed record SyntheticSymbolState(
    Symbol Symbol,
    double Mid,
    double Volatility,
    IReadOnlyList<BookLevel> Bids,
    IReadOnlyList<BookLevel> Asks);
