using Akka.Actor;
using Akka.Hosting;
using Hean.Actors.Orders;
using Hean.Actors.Persistence;
using Hean.Actors.Portfolio;
using Hean.Core.Domain;
using Xunit;
using static Hean.Actors.Tests.Fixtures;

namespace Hean.Actors.Tests;

/// <summary>
/// A fill is never lost between the order manager and the portfolio: a gap in the fill sequence,
/// or a portfolio that was down while a fill was sent, is closed by a resend from the order journal.
/// </summary>
public sealed class FillCatchUpTests() : HeanActorTest(PersistenceBackend.Sqlite)
{
    private static PortfolioProtocol.BookFill Book(int seq) =>
        new(Fill($"o{seq}", $"sim-{seq}", Side.Buy, 50_000m + seq, 0.001m, 0.01m, seq), seq);

    /// <summary>A real order manager with three filled orders in BTCUSDT, their fills told (as seqs 1, 2, 3) to a probe portfolio.</summary>
    private (IActorRef Orders, Akka.TestKit.TestProbe Portfolio) OrdersWithThreeFills()
    {
        var portfolio = CreateTestProbe();
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio.Ref, 200)));
        for (var i = 1; i <= 3; i++)
        {
            orders.Tell(new OrdersProtocol.RegisterOrder(Created(Market($"o{i}", Side.Buy, 0.001m))), TestActor);
            ExpectMsg<OrdersProtocol.OrderRegistered>(Patience);
            orders.Tell(new OrdersProtocol.ApplyReport(Filled(Book(i).Fill, 0m)));
            Assert.Equal(i, portfolio.ExpectMsg<PortfolioProtocol.BookFill>(Patience).Seq);
        }
        return (orders, portfolio);
    }

    [Fact]
    public void A_gap_asks_the_sender_for_a_resend_and_books_in_sequence()
    {
        var portfolio = Sys.ActorOf(Props.Create(() => new PortfolioActor(100_000m, TimeSpan.FromSeconds(1), 500, null)));
        var orders = CreateTestProbe();

        portfolio.Tell(Book(1), orders.Ref);
        portfolio.Tell(Book(3), orders.Ref); // 2 went missing
        Assert.Equal(1, orders.ExpectMsg<PortfolioProtocol.ResendFills>(Patience).AfterSeq["BTCUSDT"]);
        Assert.Equal(1, Ask<PortfolioProtocol.PortfolioView>(portfolio, new PortfolioProtocol.GetPortfolio()).State.FillCount);

        portfolio.Tell(new PortfolioProtocol.FillsSince(Btc, [Book(2), Book(3), Book(1)], true), orders.Ref);
        portfolio.Tell(Book(3), orders.Ref); // a late duplicate
        var state = Ask<PortfolioProtocol.PortfolioView>(portfolio, new PortfolioProtocol.GetPortfolio()).State;
        Assert.Equal(3, state.FillCount);
        Assert.Equal(0.003m, state.PositionOf(Btc).Qty);
        Assert.Equal(0.03m, state.Fees);
        orders.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void The_order_manager_resends_the_fills_after_a_sequence_number()
    {
        var (orders, portfolio) = OrdersWithThreeFills();

        var resent = Ask<PortfolioProtocol.FillsSince>(orders, new PortfolioProtocol.ResendFills(new Dictionary<string, long> { ["BTCUSDT"] = 1 }));
        Assert.True(resent.Complete);
        Assert.Equal([2L, 3L], resent.Fills.Select(f => f.Seq));
        Assert.Equal(["sim-2", "sim-3"], resent.Fills.Select(f => f.Fill.TradeId));
        Assert.Empty(Ask<PortfolioProtocol.FillsSince>(orders, new PortfolioProtocol.ResendFills(new Dictionary<string, long> { ["BTCUSDT"] = 3 })).Fills);
    }

    [Fact]
    public void The_order_entity_that_sent_a_fill_answers_the_portfolios_resend_request_itself()
    {
        // The portfolio asks whoever sent the fill after the gap (PortfolioActor.Book): that is the symbol's entity.
        var (orders, portfolio) = OrdersWithThreeFills();
        var entity = portfolio.LastSender;
        Assert.NotEqual(orders, entity);

        entity.Tell(new PortfolioProtocol.ResendFills(new Dictionary<string, long> { ["BTCUSDT"] = 1 }), portfolio.Ref);
        var resent = portfolio.ExpectMsg<PortfolioProtocol.FillsSince>(Patience);
        Assert.True(resent.Complete);
        Assert.Equal([2L, 3L], resent.Fills.Select(f => f.Seq));
        entity.Tell(new PortfolioProtocol.ResendFills(new Dictionary<string, long> { ["ETHUSDT"] = 0 }), portfolio.Ref); // not this entity's symbol
        portfolio.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [Fact]
    public void A_portfolio_that_was_down_when_a_fill_was_sent_catches_up_when_it_starts()
    {
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(ActorRefs.Nobody, 200)), "orders");
        orders.Tell(new OrdersProtocol.RegisterOrder(Created(Market("o1", Side.Buy, 0.002m))), TestActor);
        ExpectMsg<OrdersProtocol.OrderRegistered>(Patience);
        orders.Tell(new OrdersProtocol.ApplyReport(Filled(Fill("o1", "sim-1", Side.Buy, 50_000m, 0.001m, 0.01m, 1), 0.001m)));
        orders.Tell(new OrdersProtocol.ApplyReport(Filled(Fill("o1", "sim-2", Side.Buy, 50_010m, 0.001m, 0.01m, 2), 0m)));
        SyncWith(orders); // both fills went to Nobody: lost in transit

        var registry = ActorRegistry.For(Sys);
        registry.Register<OrderManager>(orders);
        var portfolio = Sys.ActorOf(Props.Create(() => new PortfolioActor(100_000m, TimeSpan.FromSeconds(1), 500, new RequiredActor<OrderManager>(registry))));
        AwaitAssert(() =>
        {
            var state = Ask<PortfolioProtocol.PortfolioView>(portfolio, new PortfolioProtocol.GetPortfolio()).State;
            Assert.Equal(2, state.FillCount);
            Assert.Equal(0.002m, state.PositionOf(Btc).Qty);
            Assert.Equal(50_005m, state.PositionOf(Btc).AvgPrice);
        }, Patience);
    }
}
