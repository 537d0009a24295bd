using System.Globalization;
using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.Execution;
using Hean.Core.MarketData;
using Hean.Core.Orders;

namespace Hean.Core.Tests.Execution;

/// <summary>
/// Runs several algorithms on the same parents (same start times, same size, buys and sells) over the same
/// market events, each algorithm and side in its own replay so that they never meet at the venue, and
/// summarises their implementation shortfall. Buying and selling at the same moments makes the market's
/// drift cancel out of the averages, which leaves what the algorithms themselves cost.
/// </summary>
internal static class ShortfallStudy
{
    public sealed record Row(string Algo, int Parents, double MeanBps, double StdErrBps, double PriceBps, double FeeBps, double FillRate,
        double TimeToFillSeconds, double Children, IReadOnlyList<double> PerParentBps);

    public static IReadOnlyList<Row> Run(IReadOnlyList<IMarketEvent> events, IReadOnlyList<DateTime> starts, Symbol symbol, decimal qty,
        IReadOnlyList<(string Name, Func<MarketConditions, AlgoSpec> Spec)> algos, SimulatedExchangeOptions venue)
    {
        var rows = new List<Row>();
        foreach (var (name, spec) in algos)
        {
            var states = new List<AlgoState>();
            foreach (var side in new[] { Side.Buy, Side.Sell })
            {
                var parents = starts.Select((t, i) => new ReplayParent(t,
                    new OrderRequest(new ClientOrderId($"{name}-{side}-{i}"), symbol, side, OrderType.Market, qty, null, TimeInForce.ImmediateOrCancel),
                    spec)).ToList();
                var result = new ExecutionReplay(InstrumentCatalog.Default, venue).Run(events, parents);
                foreach (var s in result)
                {
                    if (s is not { Status: AlgoStatus.Completed, Quality: not null })
                        throw new InvalidOperationException($"{name} {side}: a parent did not complete ({s?.Status.ToString() ?? "never started"})");
                    states.Add(s);
                }
            }
            var bps = states.Select(s => s.Quality!.ShortfallBps).ToList();
            var mean = bps.Average();
            var stdErr = Math.Sqrt(bps.Sum(x => (x - mean) * (x - mean)) / Math.Max(1, bps.Count - 1) / bps.Count);
            rows.Add(new Row(name, bps.Count, mean, stdErr, states.Average(s => s.Quality!.PriceBps), states.Average(s => s.Quality!.FeeBps),
                states.Average(s => s.Quality!.FillRate), states.Average(s => s.Quality!.TimeToFillSeconds), states.Average(s => s.Children.Count), bps));
        }
        return rows;
    }

    /// <summary>Start times every <paramref name="every"/> inside each stretch of data without a gap longer than a minute, leaving a warm-up and the horizon.</summary>
    public static IReadOnlyList<DateTime> Starts(IReadOnlyList<IMarketEvent> events, TimeSpan warmUp, TimeSpan horizon, TimeSpan every)
    {
        var starts = new List<DateTime>();
        var windowStart = events[0].Time;
        for (var i = 1; i <= events.Count; i++)
        {
            if (i < events.Count && events[i].Time - events[i - 1].Time <= TimeSpan.FromMinutes(1)) continue;
            var windowEnd = events[i - 1].Time;
            for (var t = windowStart + warmUp; t + horizon + TimeSpan.FromSeconds(5) <= windowEnd; t += every) starts.Add(t);
            if (i < events.Count) windowStart = events[i].Time;
        }
        return starts;
    }

    public static string Table(IEnumerable<Row> rows) =>
        "algo               parents  shortfall bps (± s.e.)  price bps  fee bps  fill rate  time to fill s  children\n" +
        string.Join("\n", rows.Select(r => string.Create(CultureInfo.InvariantCulture,
            $"{r.Algo,-18} {r.Parents,7}  {r.MeanBps,9:F3} (± {r.StdErrBps:F3})  {r.PriceBps,9:F3}  {r.FeeBps,7:F3}  {r.FillRate,9:F3}  {r.TimeToFillSeconds,14:F1}  {r.Children,8:F1}")));
}
