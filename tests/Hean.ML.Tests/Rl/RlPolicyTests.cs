using Hean.Core.Domain;
using Hean.Core.Execution;
using Xunit;

namespace Hean.ML.Tests.Rl;

public class RlPolicyTests
{
    private static readonly RlStateSpace Space = new(4, 2, [1.0, 2.0], [-1.0 / 3, 1.0 / 3], [0.5]);

    [Fact]
    public void States_are_distinct_per_bucket_and_edges_belong_to_the_bucket_above()
    {
        Assert.Equal(4 * 2 * 3 * 3 * 2, Space.Count);
        var all = new HashSet<int>();
        foreach (var t in new[] { 1.0, 0.7, 0.45, 0.1 })
        foreach (var q in new[] { 1.0, 0.2 })
        foreach (var s in new[] { 0.5, 1.5, 2.5 })
        foreach (var i in new[] { -0.9, 0.0, 0.9 })
        foreach (var v in new[] { 0.1, 0.9 })
            Assert.True(all.Add(Space.StateOf(new RlObservation(t, q, s, i, v))));
        Assert.Equal(Space.Count, all.Count);
        Assert.Equal(Space.StateOf(new RlObservation(1, 1, 1.0, 0, 0.1)), Space.StateOf(new RlObservation(1, 1, 1.7, 0, 0.1)));
        Assert.NotEqual(Space.StateOf(new RlObservation(1, 1, 0.99, 0, 0.1)), Space.StateOf(new RlObservation(1, 1, 1.0, 0, 0.1)));
        // 1 − 0.8 is a hair under 0.2 in binary: still the second fifth.
        var fifths = new RlStateSpace(5, 1, [], [], []);
        Assert.Equal(1, fifths.StateOf(new RlObservation(0.8, 1, null, null, null)));
        Assert.Equal(0, fifths.StateOf(new RlObservation(0.81, 1, null, null, null)));
        Assert.Equal(4, fifths.StateOf(new RlObservation(0, 1, null, null, null)));
    }

    [Fact]
    public void Unknown_values_fall_in_the_first_spread_and_volatility_bucket_and_the_middle_imbalance_bucket()
    {
        Assert.Equal(Space.StateOf(new RlObservation(1, 1, 0.1, 0, 0.1)), Space.StateOf(new RlObservation(1, 1, null, null, null)));
    }

    [Fact]
    public void The_best_tried_action_wins_an_untried_one_never_and_an_unseen_state_posts()
    {
        var q = new double[Space.Count * RlPolicy.Actions];
        var n = new int[q.Length];
        // State 0: cross tried (−3), wait tried (−1), post never tried (its 0 must not win).
        (q[0 * 3 + (int)RlAction.Cross], n[0 * 3 + (int)RlAction.Cross]) = (-3, 5);
        (q[0 * 3 + (int)RlAction.Wait], n[0 * 3 + (int)RlAction.Wait]) = (-1, 5);
        // State 1: a tie between post and cross goes to post.
        (q[1 * 3 + (int)RlAction.Post], n[1 * 3 + (int)RlAction.Post]) = (-2, 1);
        (q[1 * 3 + (int)RlAction.Cross], n[1 * 3 + (int)RlAction.Cross]) = (-2, 1);
        var policy = new RlPolicy(RlPolicy.CurrentFormat, Space, q, n);
        Assert.Null(policy.Validate());
        Assert.Equal(RlAction.Wait, policy.Greedy(0));
        Assert.Equal(RlAction.Post, policy.Greedy(1));
        Assert.Equal(RlAction.Post, policy.Greedy(2));
    }

    [Fact]
    public void Slices_spread_what_remains_over_the_periods_left_on_the_lot()
    {
        var btc = InstrumentCatalog.Default.Get("BTCUSDT");
        Assert.Equal(0.166m, RlExecution.SliceQty(0.5m, 2, 5, btc));
        Assert.Equal(0.5m, RlExecution.SliceQty(0.5m, 4, 5, btc));
        Assert.Equal(0.5m, RlExecution.SliceQty(0.5m, 9, 5, btc)); // past the last period: everything
        Assert.Equal(0.001m, RlExecution.SliceQty(0.002m, 0, 5, btc)); // at least the minimum
        var coarse = new Instrument(new Symbol("TESTUSDT"), 0.01m, 0.001m, 0.01m, 100m, 5m);
        Assert.Equal(0.015m, RlExecution.SliceQty(0.015m, 0, 5, coarse)); // 0.01 would leave 0.005, below the minimum: all of it
        Assert.Equal(0m, RlExecution.SliceQty(0m, 0, 5, btc));
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.Equal(0, RlExecution.PeriodOf(start, start, TimeSpan.FromSeconds(50), 5));
        Assert.Equal(1, RlExecution.PeriodOf(start, start.AddSeconds(10), TimeSpan.FromSeconds(50), 5));
        Assert.Equal(4, RlExecution.PeriodOf(start, start.AddSeconds(49.999), TimeSpan.FromSeconds(50), 5));
        Assert.Equal(5, RlExecution.PeriodOf(start, start.AddSeconds(50), TimeSpan.FromSeconds(50), 5));
    }

    [Fact]
    public void Broken_policies_and_specs_say_what_is_wrong()
    {
        var ok = new RlPolicy(RlPolicy.CurrentFormat, Space, new double[Space.Count * 3], new int[Space.Count * 3]);
        Assert.Null(ok.Validate());
        Assert.Contains("format 2", (ok with { Format = 2 }).Validate());
        Assert.Contains("visit counts", (ok with { Visits = [1] }).Validate());
        Assert.Contains("not finite", (ok with { Q = Enumerable.Repeat(double.NaN, Space.Count * 3).ToArray() }).Validate());
        Assert.Contains("ascending", (ok with { States = Space with { SpreadEdgesBps = [2, 1] } }).Validate());
        Assert.Contains("positive horizon", new RlAlgo(TimeSpan.Zero, 5, ok).Validate());
        Assert.Null(new RlAlgo(TimeSpan.FromSeconds(30), 5, ok).Validate());
    }
}
