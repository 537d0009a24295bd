namespace Hean.Core.Exchange;

/// <summary>
/// Settings of the <see cref="SimulatedExchange"/>. Fee rates are fractions of the notional (0.0002 = 2 bp);
/// a negative maker rate is a rebate. An order (and a cancel) reaches the venue <see cref="Latency"/> after it
/// is sent. The synthetic book, used when there is a price but no order book, has one level on each side
/// <see cref="SyntheticHalfSpreadTicks"/> ticks away from the last price with <see cref="SyntheticDepthQty"/>.
/// </summary>
public sealed record SimulatedExchangeOptions(
    decimal MakerFeeRate = 0.0002m,
    decimal TakerFeeRate = 0.00055m,
    TimeSpan Latency = default,
    decimal SyntheticHalfSpreadTicks = 1m,
    decimal SyntheticDepthQty = 1_000_000m);
