using Hean.Core.Domain;
using Hean.Core.MarketData;

namespace Hean.ML.Tests.Rl;

/// <summary>
/// A market whose best execution is known: SOLUSDT with a mid fixed at 100 and a wide spread (99.90 / 100.10,
/// 20 bps), a book refreshed every second, and takers that alternately hit the bid and lift the ask every
/// half second with far more than the touch. Posting earns the half spread (−10 bps, maker fee +2): crossing
/// pays it (+10 bps, taker fee +5.5). With <paramref name="trades"/> false nobody trades, so posts never fill.
/// With a drift, the touch leans the way the price goes (three times the quantity on that side), as real
/// books tend to before a move.
/// </summary>
public static class ToyMarket
{
    public static readonly Symbol Symbol = new("SOLUSDT");

    public static IReadOnlyList<IMarketEvent> Generate(DateTime start, TimeSpan length, bool trades = true, decimal driftPerSecond = 0m)
    {
        var events = new List<IMarketEvent>();
        long seq = 0, tradeId = 0;
        for (var ms = 0L; ms <= (long)length.TotalMilliseconds; ms += 500)
        {
            var time = start.AddMilliseconds(ms);
            var mid = 100m + driftPerSecond * ms / 1000m;
            var (bid, ask) = (mid - 0.10m, mid + 0.10m);
            if (ms % 1000 == 0)
            {
                seq++;
                var (bidQty, askQty) = driftPerSecond > 0 ? (15m, 5m) : driftPerSecond < 0 ? (5m, 15m) : (5m, 5m);
                events.Add(new BookUpdate(Symbol, time, seq, seq - 1, IsSnapshot: true,
                    [new BookLevel(bid, bidQty), new BookLevel(bid - 0.01m, 20m)], [new BookLevel(ask, askQty), new BookLevel(ask + 0.01m, 20m)]));
            }
            else if (trades)
            {
                var sell = ms / 500 % 4 == 1;
                events.Add(new Trade(Symbol, time, sell ? bid : ask, 50m, sell ? Side.Sell : Side.Buy, ++tradeId));
            }
        }
        return events;
    }
}
