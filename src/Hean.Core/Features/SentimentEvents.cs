using Hean.Core.Domain;
using Hean.Core.MarketData;

namespace Hean.Core.Features;

// Market sentiment from the exchange's own derivatives data (Bybit: the tickers topic carries
// fundingRate and openInterest, allLiquidation.{symbol} the liquidations). The Bybit client will
// produce these events; replays that lack them simply never contain one.

/// <summary>The funding rate now in force (a fraction per funding interval: 0.0001 = 0.01 %).</summary>
public sealed record FundingRateUpdate(Symbol Symbol, DateTime Time, decimal Rate, DateTime? NextFundingTime = null) : IMarketEvent;

/// <summary>Open interest in contracts (base units for linear perpetuals).</summary>
public sealed record OpenInterestUpdate(Symbol Symbol, DateTime Time, decimal OpenInterest) : IMarketEvent;

/// <summary>
/// A forced close. <paramref name="PositionSide"/> is the side of the position that was liquidated
/// (Bybit's <c>S</c>): Buy = a long was liquidated, its order sold into the market.
/// </summary>
public sealed record Liquidation(Symbol Symbol, DateTime Time, Side PositionSide, decimal Price, decimal Qty) : IMarketEvent;
