using Hean.Core.MarketData;
using Hean.Core.Signals;

namespace Hean.Streams.MarketData;

/// <summary>
/// One market event as it leaves the stream graph: the event, the candle it closed (if any),
/// the signal the strategy made on that candle (if any), and the touch after the event.
/// </summary>
public sealed record MarketStep(IMarketEvent Event, Candle? ClosedCandle, Signal? Signal, decimal? BestBid, decimal? BestAsk);
