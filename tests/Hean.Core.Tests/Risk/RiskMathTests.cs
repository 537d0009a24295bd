using Hean.Core.Risk;
using Xunit;

namespace Hean.Core.Tests.Risk;

public sealed class RiskMathTests
{
    [Theory]
    [InlineData(0.6, 1.0, 0.2)]     // even payoff, 60% wins: 0.6 - 0.4/1
    [InlineData(0.5, 2.0, 0.25)]    // 0.5 - 0.5/2
    [InlineData(0.4, 1.0, -0.2)]    // negative edge
    [InlineData(0.5, 1.0, 0.0)]     // no edge
    public void Full_kelly_matches_the_formula(double p, double b, double expected) =>
        Assert.Equal(expected, KellySizing.FullKelly(p, b), 12);

    [Fact]
    public void Fractional_kelly_from_trade_statistics_with_cap_floor_and_sample_size()
    {
        var stats = new TradeStatistics(window: 100);
        // 18 wins of +20 and 12 losses of -10: p = 0.6, b = 2, f* = 0.6 - 0.4/2 = 0.4
        for (var i = 0; i < 18; i++) stats.Add(20m);
        var kelly = new KellySizing(Fraction: 0.25, Cap: 0.5, MinTrades: 30);
        Assert.Null(kelly.ShareOfEquity(stats)); // 18 trades: no estimate yet
        Assert.Equal(0.0, (kelly with { SmallSample = KellySmallSample.Zero }).ShareOfEquity(stats)); // or: no bet without evidence
        for (var i = 0; i < 12; i++) stats.Add(-10m);
        Assert.Equal(0.6, stats.WinRate, 12);
        Assert.Equal(2.0, stats.PayoffRatio, 12);
        Assert.Equal(0.1, kelly.ShareOfEquity(stats)!.Value, 12); // 0.4 × 0.25
        Assert.Equal(0.05, (kelly with { Fraction = 1, Cap = 0.05 }).ShareOfEquity(stats)!.Value, 12);
        Assert.Equal(0.1, (kelly with { SmallSample = KellySmallSample.Zero }).ShareOfEquity(stats)!.Value, 12); // at the minimum: the estimate

        var losing = new TradeStatistics();
        for (var i = 0; i < 40; i++) losing.Add(i % 3 == 0 ? 10m : -10m);
        Assert.Equal(0.0, kelly.ShareOfEquity(losing));
    }

    [Fact]
    public void Rolling_window_forgets_old_trades_and_zero_counts_as_a_loss()
    {
        var stats = new TradeStatistics(window: 3);
        foreach (var p in new[] { 5m, 5m, 5m, 0m, -1m }) stats.Add(p);
        Assert.Equal(3, stats.Count);
        Assert.Equal(1.0 / 3, stats.WinRate, 12);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TradeStatistics(0));
    }

    [Fact]
    public void Realized_volatility_and_vol_target_notional()
    {
        // alternating +1% / -1% log returns: sample sd = 0.01 × sqrt(n/(n-1)) for n returns
        var closes = new List<decimal> { 100m };
        for (var i = 0; i < 20; i++) closes.Add(closes[^1] * (decimal)Math.Exp(i % 2 == 0 ? 0.01 : -0.01));
        var vol = VolatilityTarget.Annualized(closes, TimeSpan.FromDays(1));
        var logs = Enumerable.Range(1, 20).Select(i => Math.Log((double)(closes[i] / closes[i - 1]))).ToArray();
        var mean = logs.Average();
        var expected = Math.Sqrt(logs.Sum(r => (r - mean) * (r - mean)) / 19 * 365.25);
        Assert.Equal(expected, vol, 10);

        Assert.Equal(50_000m, VolatilityTarget.Notional(100_000m, 0.2, 0.4));
        Assert.Null(VolatilityTarget.Notional(100_000m, 0.2, 0));
        Assert.Null(VolatilityTarget.Notional(100_000m, 0.2, double.NaN));
        Assert.True(double.IsNaN(VolatilityTarget.Annualized([100m, 101m], TimeSpan.FromDays(1))));
    }

    [Fact]
    public void Inverse_normal_matches_known_quantiles()
    {
        Assert.Equal(1.6448536269514722, MonteCarloVar.InverseNormal(0.95), 8);
        Assert.Equal(2.3263478740408408, MonteCarloVar.InverseNormal(0.99), 8);
        Assert.Equal(0.0, MonteCarloVar.InverseNormal(0.5), 12);
        Assert.Equal(-2.3263478740408408, MonteCarloVar.InverseNormal(0.01), 8);
    }

    [Fact]
    public void Bootstrap_var_of_normal_returns_matches_the_closed_form_within_monte_carlo_error()
    {
        // 5,000 days of N(0, 2%) returns; one long position of 100,000: VaR95 = 1.645 × 2% × 100k ≈ 3,290
        var rng = new Random(12345);
        double Normal() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
        var history = Enumerable.Range(0, 5000).Select(_ => new[] { 0.02 * Normal() }).ToList();
        var result = MonteCarloVar.Bootstrap([100_000], history, paths: 20_000, horizonDays: 1, seed: 7);

        var var95 = MonteCarloVar.NormalVar(100_000, 0.02, 0.95);
        var var99 = MonteCarloVar.NormalVar(100_000, 0.02, 0.99);
        // ES of a normal: σ φ(z) / (1 − c)
        var cvar99 = 100_000 * 0.02 * Math.Exp(-2.3263478740408408 * 2.3263478740408408 / 2) / Math.Sqrt(2 * Math.PI) / 0.01;
        Assert.InRange(result.Var95, var95 * 0.94, var95 * 1.06);
        Assert.InRange(result.Var99, var99 * 0.92, var99 * 1.08);
        Assert.InRange(result.CVar99, cvar99 * 0.9, cvar99 * 1.1);
        Assert.True(result.CVar95 >= result.Var95 && result.CVar99 >= result.Var99);
        Assert.Equal(20_000, result.Paths);
        // Seeded: the same inputs give the same numbers.
        Assert.Equal(result, MonteCarloVar.Bootstrap([100_000], history, 20_000, 1, 7));
    }

    [Fact]
    public void Historical_var_is_an_empirical_quantile_and_a_hedge_removes_risk()
    {
        // 100 days of returns -50%..+49%: a long of 100 loses 45+ on the worst 5% of days
        var history = Enumerable.Range(0, 100).Select(i => new[] { (i - 50) / 100.0, (i - 50) / 100.0 }).ToList();
        var longOnly = MonteCarloVar.Historical([100, 0], history);
        Assert.Equal(45, longOnly.Var95, 9);
        Assert.Equal(49, longOnly.Var99, 9);
        Assert.Equal((50 + 49 + 48 + 47 + 46) / 5.0, longOnly.CVar95, 9);
        var hedged = MonteCarloVar.Historical([100, -100], history);
        Assert.Equal(0, hedged.Var99, 12);
        Assert.Throws<ArgumentException>(() => MonteCarloVar.Historical([1, 2, 3], history));
        Assert.Throws<ArgumentException>(() => MonteCarloVar.Historical([1], []));
    }

    [Fact]
    public void Stress_scenarios()
    {
        var history = Enumerable.Range(0, 500).Select(i => new[] { Math.Sin(i) * 0.02, Math.Cos(i * 1.3) * 0.03 }).ToList();
        var results = StressTests.Run([10_000, -5_000], history, [0.0001, 0.0002], paths: 10_000, seed: 1).ToDictionary(r => r.Scenario);

        Assert.Equal(3_000, results["gap_20pct"].Loss, 9);                          // 20% of 10k + 20% of 5k against the short
        Assert.Equal(10_000 * 0.0001 * 2 + 5_000 * 0.0002 * 2, results["liquidity_halved"].Loss, 9);
        var normal = MonteCarloVar.Bootstrap([10_000, -5_000], history, 10_000, 1, 1).Var99;
        Assert.True(results["volatility_x3"].Loss > 2.5 * normal, "tripled volatility roughly triples VaR");
        Assert.True(results["correlation_1"].Loss >= normal, "no diversification can only add risk");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(100)]
    [InlineData(int.MaxValue)]
    public void The_rolling_window_keeps_the_last_trades_oldest_first_and_sums_them_as_a_queue_would(int window)
    {
        // Against the plain definition: a queue of the last `window` PnLs, summed oldest first. Decimal sums depend on their
        // order (rounding at 28 digits), so the PnLs have many digits, and the results must be equal to the last one.
        var random = new Random(window);
        var stats = new TradeStatistics(window);
        var queue = new Queue<decimal>();
        for (var i = 0; i < 450; i++)
        {
            if (i == 300)
            {
                stats.Clear();
                queue.Clear();
            }
            var pnl = i % 7 == 0 ? 0m : (decimal)(random.NextDouble() - 0.45) * 1000m / 7m;
            stats.Add(pnl);
            queue.Enqueue(pnl);
            while (queue.Count > window) queue.Dequeue();

            Assert.Equal(queue.ToArray(), stats.Values);
            Assert.Equal(queue.ToList(), stats.Pnls);
            Assert.Equal(queue.Count, stats.Count);
            var wins = queue.Where(p => p > 0).ToList();
            var losses = queue.Where(p => p <= 0).ToList();
            decimal Sum(List<decimal> xs) { var s = 0m; foreach (var x in xs) s += x; return s; }
            Assert.Equal(wins.Count > 0 ? Sum(wins) / wins.Count : 0m, stats.AverageWin);
            Assert.Equal(losses.Count > 0 ? Sum(losses) / losses.Count : 0m, stats.AverageLoss);
            Assert.Equal((double)wins.Count / queue.Count, stats.WinRate);
            Assert.Equal(Sum(losses) < 0 ? (double)(Sum(wins) / -Sum(losses)) : null, stats.ProfitFactor);
        }
    }
}
