using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.Execution;
using Hean.ML.Rl;
using Xunit;

namespace Hean.ML.Tests.Rl;

public class ExecutionEnvironmentTests
{
    internal static readonly DateTime T0 = new(2024, 7, 18, 0, 0, 0, DateTimeKind.Utc);

    internal static RlEnvironmentSettings Settings(double penalty = 10) => new(ToyMarket.Symbol, Qty: 3m, Horizon: TimeSpan.FromSeconds(30),
        Periods: 3, DecisionEvery: TimeSpan.FromSeconds(1), Warmup: TimeSpan.FromSeconds(5), Gap: TimeSpan.FromSeconds(5), penalty,
        new SimulatedExchangeOptions());

    internal static readonly RlStateSpace Space = new(3, 3, [], [-1.0 / 3, 1.0 / 3], []);

    /// <summary>Crossing: +10 bps of price, the taker fee on the fill price (100.10 for a buy, 99.90 for a sell).</summary>
    internal static double CrossBps(Side side) => 10 + 5.5 * (side == Side.Buy ? 1.001 : 0.999);

    /// <summary>Posting: −10 bps of price, the maker fee on the fill price (99.90 for a buy, 100.10 for a sell).</summary>
    internal static double PostBps(Side side) => -10 + 2 * (side == Side.Buy ? 0.999 : 1.001);

    private static (IReadOnlyList<RlEpisode> Episodes, List<RlTransition> Transitions) RunWith(RlAction action, bool trades = true, double penalty = 10)
    {
        var env = new ExecutionEnvironment(ToyMarket.Generate(T0, TimeSpan.FromMinutes(3), trades), InstrumentCatalog.Default, Settings(penalty));
        var transitions = new List<RlTransition>();
        return (env.Run(Space, _ => action, transitions.Add), transitions);
    }

    [Fact]
    public void Crossing_pays_half_the_spread_and_the_taker_fee_and_the_rewards_add_up_to_minus_the_shortfall()
    {
        var (episodes, transitions) = RunWith(RlAction.Cross);
        Assert.Equal(5, episodes.Count); // 3 minutes: starts at 5 s, 40 s, 75 s, 110 s, 145 s
        Assert.All(episodes, e =>
        {
            Assert.Equal(3m, e.Quality.FilledQty);
            Assert.Equal(CrossBps(e.Side), e.Quality.ShortfallBps, 6);
            Assert.Equal(0, e.ForcedShare);
            Assert.Equal(3, e.Decisions); // one slice of 1 per period
        });
        Assert.Equal(-episodes.Sum(e => CrossBps(e.Side)), transitions.Sum(t => t.Reward), 6);
        Assert.Equal(episodes.Count, transitions.Count(t => t.Next is null));
        Assert.Equal(new[] { Side.Buy, Side.Sell, Side.Buy, Side.Sell, Side.Buy }, episodes.Select(e => e.Side));
    }

    [Fact]
    public void Posting_earns_the_half_spread_less_the_maker_fee()
    {
        var (episodes, _) = RunWith(RlAction.Post);
        Assert.All(episodes, e =>
        {
            Assert.Equal(3m, e.Quality.FilledQty);
            Assert.Equal(PostBps(e.Side), e.Quality.ShortfallBps, 6);
            Assert.Equal(0, e.ForcedShare);
        });
    }

    [Fact]
    public void Waiting_to_the_end_forces_a_market_order_for_everything_and_costs_the_penalty()
    {
        var (episodes, transitions) = RunWith(RlAction.Wait, penalty: 10);
        Assert.All(episodes, e =>
        {
            Assert.Equal(1.0, e.ForcedShare);
            Assert.Equal(CrossBps(e.Side), e.Quality.ShortfallBps, 6);
            Assert.Equal(3, e.Decisions); // once per period, however often the market ticks
        });
        Assert.Equal(-episodes.Sum(e => CrossBps(e.Side) + 10), transitions.Sum(t => t.Reward), 6);
    }

    [Fact]
    public void Posts_that_never_fill_are_cancelled_each_period_and_the_rest_is_crossed_at_the_horizon()
    {
        var (episodes, _) = RunWith(RlAction.Post, trades: false);
        Assert.All(episodes, e =>
        {
            Assert.Equal(3m, e.Quality.FilledQty);
            Assert.Equal(1.0, e.ForcedShare);
            Assert.Equal(CrossBps(e.Side), e.Quality.ShortfallBps, 6);
        });
    }

    [Fact]
    public void The_same_events_and_choices_give_the_same_episodes()
    {
        var random = new SeededRandom(7);
        var actions = Enumerable.Range(0, 1000).Select(_ => (RlAction)(int)(random.NextDouble() * 3)).ToArray();
        IReadOnlyList<RlEpisode> Run()
        {
            var k = 0;
            var env = new ExecutionEnvironment(ToyMarket.Generate(T0, TimeSpan.FromMinutes(3)), InstrumentCatalog.Default, Settings());
            return env.Run(Space, _ => actions[k++ % actions.Length]);
        }
        var (a, b) = (Run(), Run());
        Assert.Equal(a.Select(e => e.Quality), b.Select(e => e.Quality));
        Assert.Contains(a, e => e.Quality.ShortfallBps != a[0].Quality.ShortfallBps); // the choices mattered
    }

    [Fact]
    public void Bad_settings_are_refused_with_the_reason()
    {
        var events = ToyMarket.Generate(T0, TimeSpan.FromMinutes(1));
        var ex = Assert.Throws<ArgumentException>(() => new ExecutionEnvironment(events, InstrumentCatalog.Default, Settings() with { Qty = 0.05m }));
        Assert.Contains("multiple of the lot", ex.Message);
        ex = Assert.Throws<ArgumentException>(() => new ExecutionEnvironment(events, InstrumentCatalog.Default, Settings() with { DecisionEvery = TimeSpan.FromSeconds(11) }));
        Assert.Contains("decision step", ex.Message);
    }
}
