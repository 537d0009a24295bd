using Hean.Core.Domain;
using Hean.Core.Execution;
using Hean.Core.MarketData;
using Hean.Core.Orders;

namespace Hean.ML.Rl;

/// <summary>Implementation shortfall of one algorithm over the evaluation parents: mean, its standard error, fill rate, share crossed at the horizon.</summary>
public sealed record AlgoScore(string Algo, int Parents, double MeanShortfallBps, double StdErrorBps, double MeanFillRate, double BuyShortfallBps,
    double SellShortfallBps)
{
    public override string ToString() =>
        $"{Algo,-7} {MeanShortfallBps,8:F2} ± {StdErrorBps:F2} bps (buys {BuyShortfallBps:F2}, sells {SellShortfallBps:F2}; {Parents} parents, fill rate {MeanFillRate:P1})";
}

/// <summary>
/// Measures a policy against TWAP (and crossing at once) on events it was not trained on, with the execution
/// router's own logic (<see cref="ExecutionReplay"/>): the same parents (times, sides, quantity) for every
/// algorithm, each algorithm on its own simulated venue so they never meet in the book. With
/// <c>shifts</c> &gt; 1 the parents are run again starting a share of the horizon later, each shift on fresh
/// venues: more parents from a short capture, but overlapping in time, so not independent (the standard error
/// is then too small).
/// </summary>
public static class RlEvaluation
{
    public static IReadOnlyList<AlgoScore> Compare(IReadOnlyList<IMarketEvent> events, InstrumentCatalog catalog, RlEnvironmentSettings settings,
        RlPolicy policy, int shifts = 1)
    {
        if (shifts < 1) throw new ArgumentOutOfRangeException(nameof(shifts), "at least one");
        var env = new ExecutionEnvironment(events, catalog, settings);
        var algos = new (string Name, AlgoSpec Spec)[]
        {
            ("rl", new RlAlgo(settings.Horizon, settings.Periods, policy)),
            ("twap", new TwapAlgo(settings.Horizon, settings.Periods)),
            ("market", new MarketAlgo()),
        };
        var scores = new List<AlgoScore>();
        foreach (var (name, spec) in algos)
        {
            var done = new List<(Side, ExecutionQuality)>();
            for (var k = 0; k < shifts; k++)
            {
                var starts = env.EpisodeStarts(TimeSpan.FromTicks(settings.Horizon.Ticks * k / shifts));
                var parents = starts.Select((t, j) => new ReplayParent(t,
                    new OrderRequest(new ClientOrderId($"{name}{k}-{j}"), settings.Symbol, j % 2 == 0 ? Side.Buy : Side.Sell, OrderType.Market, settings.Qty,
                        null, TimeInForce.ImmediateOrCancel),
                    _ => spec)).ToList();
                var states = new ExecutionReplay(catalog, settings.Venue).Run(events, parents);
                done.AddRange(states.Where(s => s?.Quality is not null).Select(s => (s!.Parent.Side, s.Quality!)));
            }
            scores.Add(Score(name, done));
        }
        return scores;
    }

    private static AlgoScore Score(string name, IReadOnlyList<(Side Side, ExecutionQuality Quality)> done)
    {
        var q = done.Select(d => d.Quality).ToList();
        if (q.Count == 0) return new AlgoScore(name, 0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        var mean = q.Average(x => x.ShortfallBps);
        var variance = q.Count > 1 ? q.Sum(x => (x.ShortfallBps - mean) * (x.ShortfallBps - mean)) / (q.Count - 1) : 0;
        double Of(Side side) => done.Where(d => d.Side == side).Select(d => d.Quality.ShortfallBps).DefaultIfEmpty(double.NaN).Average();
        return new AlgoScore(name, q.Count, mean, Math.Sqrt(variance / q.Count), q.Average(x => x.FillRate), Of(Side.Buy), Of(Side.Sell));
    }
}
