using Hean.Core.Domain;
using Hean.Core.Execution;
using Hean.ML.Rl;
using Xunit;
using static Hean.ML.Tests.Rl.ExecutionEnvironmentTests;

namespace Hean.ML.Tests.Rl;

public class RlTrainingTests
{
    private static readonly RlTrainingOptions Options = new(Passes: 30, EpsilonStart: 0.5, EpsilonEnd: 0.05, Seed: 42, TimeBuckets: 3, QtyBuckets: 3);

    private static ExecutionEnvironment Env(bool trades = true, decimal drift = 0m, int minutes = 5) =>
        new(ToyMarket.Generate(T0, TimeSpan.FromMinutes(minutes), trades, drift), InstrumentCatalog.Default, Settings());

    [Fact]
    public void Training_with_the_same_seed_gives_the_same_policy_and_another_seed_explores_differently()
    {
        var a = RlTrainer.Train(Env(), Options);
        var b = RlTrainer.Train(Env(), Options);
        var c = RlTrainer.Train(Env(), Options with { Seed = 43 });
        Assert.Equal(a.Policy.Q, b.Policy.Q);
        Assert.Equal(a.Policy.Visits, b.Policy.Visits);
        Assert.Equal(a.Passes, b.Passes);
        Assert.NotEqual(a.Policy.Visits, c.Policy.Visits);
        Assert.True(a.Updates > 0);
    }

    [Fact]
    public void On_a_wide_spread_that_others_trade_through_the_agent_learns_to_post_and_beats_crossing_on_held_out_data()
    {
        var trained = RlTrainer.Train(Env(), Options);
        // Held out: a later stretch of the same kind of market, measured with the execution router's own logic.
        var test = ToyMarket.Generate(T0.AddHours(1), TimeSpan.FromMinutes(4));
        var scores = RlEvaluation.Compare(test, InstrumentCatalog.Default, Settings(), trained.Policy).ToDictionary(s => s.Algo);
        Assert.True(scores["rl"].Parents >= 5);
        Assert.Equal(scores["rl"].Parents, scores["market"].Parents);
        // Crossing costs ~15.5 bps, posting earns ~8: the agent must be near the posting optimum.
        Assert.InRange(scores["market"].MeanShortfallBps, 15, 16);
        Assert.True(scores["rl"].MeanShortfallBps < -7, $"rl {scores["rl"]}, market {scores["market"]}");
        Assert.True(scores["rl"].MeanShortfallBps <= scores["twap"].MeanShortfallBps + 0.5, $"rl {scores["rl"]}, twap {scores["twap"]}");
    }

    [Fact]
    public void When_posts_never_fill_and_the_price_runs_away_the_agent_learns_to_cross_early_and_beats_a_passive_twap()
    {
        // Nobody trades and the mid rises 2 bp a second with the bid heavier than the ask: a buyer who waits pays the
        // drift (a seller gains it), a post never fills. The signed imbalance tells the agent which one it is.
        var settings = Settings() with { Qty = 3m };
        var env = new ExecutionEnvironment(ToyMarket.Generate(T0, TimeSpan.FromMinutes(5), trades: false, driftPerSecond: 0.02m), InstrumentCatalog.Default,
            settings);
        var trained = RlTrainer.Train(env, Options with { Passes = 40 });
        var test = ToyMarket.Generate(T0.AddHours(1), TimeSpan.FromMinutes(4), trades: false, driftPerSecond: 0.02m);
        var scores = RlEvaluation.Compare(test, InstrumentCatalog.Default, settings, trained.Policy).ToDictionary(s => s.Algo);
        // Known answer for the buyer: cross every period (≈ 15.5 bps + the drift after 0, 10, 20 s ≈ 35.5), where a
        // passive TWAP crosses only what is behind schedule, a slice later (≈ 15.5 + drift after 10, 20, 30 s ≈ 55.5).
        Assert.True(scores["rl"].BuyShortfallBps < 40, $"rl {scores["rl"]}");
        Assert.True(scores["rl"].BuyShortfallBps < scores["twap"].BuyShortfallBps - 12, $"rl {scores["rl"]}, twap {scores["twap"]}");

    }

    [Fact]
    public void Bad_training_options_are_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => RlTrainer.Train(Env(minutes: 1), Options with { Passes = 0 }));
        Assert.Contains("passes", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => RlTrainer.Train(Env(minutes: 1), Options with { EpsilonStart = 2 }));
        Assert.Contains("exploration", ex.Message);
    }
}
