using Akka.Actor;
using Hean.Actors.Persistence;
using Hean.Actors.Portfolio;
using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Xunit;
using static Hean.Actors.Portfolio.PortfolioProtocol;
using static Hean.Actors.Tests.Fixtures;

namespace Hean.Actors.Tests;

/// <summary>The portfolio on the SQLite journal: restarts read back what the HEAN serializer wrote.</summary>
public sealed class PortfolioActorTests() : HeanActorTest(PersistenceBackend.Sqlite)
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromSeconds(10);

    private IActorRef StartPortfolio(int snapshotEvery = 500) =>
        Sys.ActorOf(Props.Create(() => new PortfolioActor(100_000m, SampleEvery, snapshotEvery)));

    private PortfolioState StateOf(IActorRef portfolio) => Ask<PortfolioView>(portfolio, new GetPortfolio()).State;

    private static UpdateMarks Marks(params (Symbol Symbol, decimal Price, int At)[] marks) =>
        new(marks.Select(m => new MarkPrice(m.Symbol, m.Price, At(m.At))).ToList());

    /// <summary>Buy 0.1 at 50 000, buy 0.1 at 51 000, sell 0.15 at 52 000, with taker fees.</summary>
    private static readonly Fill[] RoundTrip =
    [
        Fill("b1", "sim-1", Side.Buy, 50_000m, 0.1m, 2.75m, 1),
        Fill("b2", "sim-2", Side.Buy, 51_000m, 0.1m, 2.805m, 2),
        Fill("s1", "sim-3", Side.Sell, 52_000m, 0.15m, 4.29m, 3),
    ];

    [Fact]
    public void Booked_fills_set_position_cash_and_pnl_to_the_cent_including_fees()
    {
        var portfolio = StartPortfolio();

        portfolio.Tell(new BookFill(RoundTrip[0], 1));
        portfolio.Tell(new BookFill(RoundTrip[1], 2));
        var afterBuys = StateOf(portfolio);
        Assert.Equal(new Position(Btc, 0.2m, 50_500m, 0m, 5.555m), afterBuys.PositionOf(Btc));
        Assert.Equal(99_994.445m, afterBuys.Cash);
        Assert.Equal(100_094.445m, afterBuys.Equity); // marked at the last fill, 51 000

        portfolio.Tell(new BookFill(RoundTrip[2], 3));
        var state = StateOf(portfolio);

        Assert.Equal(new Position(Btc, 0.05m, 50_500m, 225m, 9.845m), state.PositionOf(Btc));
        Assert.Equal(225m, state.RealizedPnl);
        Assert.Equal(9.845m, state.Fees);
        Assert.Equal(100_215.155m, state.Cash);
        Assert.Equal(75m, state.UnrealizedPnl);
        Assert.Equal(100_290.155m, state.Equity);
        Assert.Equal(290.155m, state.Pnl);
        Assert.Equal(3, state.FillCount);
    }

    [Fact]
    public void Marks_are_last_writer_wins_by_market_time()
    {
        var portfolio = StartPortfolio();
        for (var i = 0; i < RoundTrip.Length; i++) portfolio.Tell(new BookFill(RoundTrip[i], i + 1));

        portfolio.Tell(Marks((Btc, 53_000m, 10)));
        Assert.Equal(100_340.155m, StateOf(portfolio).Equity);

        portfolio.Tell(Marks((Btc, 40_000m, 9), (Eth, 3_000m, 9)));
        var state = StateOf(portfolio);

        Assert.Equal(53_000m, state.MarkOf(Btc));
        Assert.Equal(3_000m, state.MarkOf(Eth));
        Assert.Equal(100_340.155m, state.Equity);
    }

    [Fact]
    public void A_fill_that_arrives_after_a_newer_mark_does_not_set_an_older_price()
    {
        // The gateway sends marks directly, fills come later through the order manager: the
        // order in which the two arrive must not change the state.
        var fill = Fill("b1", "sim-1", Side.Buy, 50_000m, 0.1m, 2.75m, 5);
        var fillThenMark = PortfolioState.Start(100_000m).Apply(fill).Mark(Btc, 50_200m, At(6));
        var portfolio = StartPortfolio();

        portfolio.Tell(Marks((Btc, 50_200m, 6)));
        portfolio.Tell(new BookFill(fill, 1));
        var markThenFill = StateOf(portfolio);

        Assert.Equal(50_200m, markThenFill.MarkOf(Btc));
        Assert.Equal(fillThenMark.Equity, markThenFill.Equity);
        Assert.Equal(100_017.25m, markThenFill.Equity);
    }

    [Fact]
    public void Checkpoint_samples_equity_only_when_due_and_changed_unless_forced()
    {
        var portfolio = StartPortfolio();
        var published = CreateTestProbe();
        Sys.EventStream.Subscribe(published.Ref, typeof(EquitySampled));
        portfolio.Tell(new BookFill(RoundTrip[0], 1));

        EquitySampled Sampled(int at, bool force = false)
        {
            var view = Ask<PortfolioView>(portfolio, new Checkpoint(At(at), force));
            return view.RecentEquity[^1];
        }

        var first = Sampled(0);
        Assert.Equal(At(0), first.Time);
        Assert.Equal(99_997.25m, first.Equity);
        Assert.Equal(50_000m, first.Marks["BTCUSDT"]);
        Assert.Equal(first, published.ExpectMsg<EquitySampled>(Patience));

        Assert.Same(first, Sampled(5));   // not due
        Assert.Same(first, Sampled(10));  // due, but the equity did not change

        portfolio.Tell(Marks((Btc, 50_100m, 11)));
        var second = Sampled(12);         // due and changed
        Assert.Equal(At(12), second.Time);
        Assert.Equal(100_007.25m, second.Equity);
        Assert.Equal(second, published.ExpectMsg<EquitySampled>(Patience));

        Assert.Same(second, Sampled(13)); // not due again
        var forced = Sampled(13, force: true);
        Assert.Equal(At(13), forced.Time);
        Assert.Equal(100_007.25m, forced.Equity);
        published.ExpectMsg<EquitySampled>(Patience);

        var curve = Ask<EquityCurve>(portfolio, new GetEquityCurve()).Samples;
        Assert.Equal([At(0), At(12), At(13)], curve.Select(s => s.Time));
    }

    [Theory]
    [InlineData(500)] // events only
    [InlineData(2)]   // snapshots on the way, the last sample replayed after them
    [InlineData(5)]   // the snapshot is the whole history
    public void A_restarted_portfolio_recovers_positions_marks_of_the_last_sample_and_equity(int snapshotEvery)
    {
        var portfolio = StartPortfolio(snapshotEvery);
        for (var i = 0; i < RoundTrip.Length; i++) portfolio.Tell(new BookFill(RoundTrip[i], i + 1));
        portfolio.Tell(new BookFill(Fill("e1", "sim-4", Side.Sell, 3_000m, 2m, 3.3m, 4, Eth), 1)); // each symbol's fills are numbered from 1
        portfolio.Tell(Marks((Btc, 53_000m, 20), (Eth, 2_950m, 20)));
        Ask<PortfolioView>(portfolio, new Checkpoint(At(20)));
        var before = Ask<PortfolioView>(portfolio, new GetPortfolio());
        var curve = Ask<EquityCurve>(portfolio, new GetEquityCurve()).Samples;
        StopAndWait(portfolio);

        var recovered = StartPortfolio(snapshotEvery);
        var after = Ask<PortfolioView>(recovered, new GetPortfolio());

        HeanEventSerializerTests.AssertSamePortfolio(before.State, after.State);
        Assert.Equal(53_000m, after.State.MarkOf(Btc));
        Assert.Equal(2_950m, after.State.MarkOf(Eth));
        Assert.Equal(100_440.155m - 3.3m, after.State.Equity);
        Assert.Equal(curve.Select(s => (s.Time, s.Equity)), Ask<EquityCurve>(recovered, new GetEquityCurve()).Samples.Select(s => (s.Time, s.Equity)));

        // The mark times came back too: an older mark still cannot move the equity.
        recovered.Tell(Marks((Btc, 10_000m, 15)));
        Assert.Equal(after.State.Equity, StateOf(recovered).Equity);
    }
}
