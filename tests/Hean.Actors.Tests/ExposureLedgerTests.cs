using Akka.Actor;
using Akka.TestKit;
using Hean.Actors.Common;
using Hean.Actors.Orders;
using Hean.Actors.Persistence;
using Hean.Actors.Portfolio;
using Hean.Actors.Risk;
using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Hean.Core.Risk;
using Hean.Core.Trading;
using Hean.Actors.Execution;
using Xunit;
using static Hean.Actors.Risk.RiskProtocol;
using OrderRejected = Hean.Actors.Risk.RiskProtocol.OrderRejected;
using static Hean.Actors.Tests.Fixtures;

namespace Hean.Actors.Tests;

/// <summary>
/// The risk governor's exposure ledger with the real order manager and portfolio on the SQLite journal: instruments
/// that ask at the same instant, each with the same (stale) view of a flat account, cannot together pass a limit.
/// </summary>
public sealed class ExposureLedgerTests : HeanActorTest
{
    // Equity 10,000 and MAX_LEVERAGE 3: positions and working orders together may reach 30,000 of notional.
    private static readonly RiskLimits Limits = new(MaxPositionSize: 10_000m, MaxLeverage: 3m, DailyDrawdownLimit: 0.05m) { MaxOrdersPerSecond = 50 };
    private static readonly Symbol Sol = new("SOLUSDT"), Xrp = new("XRPUSDT"), Ada = new("ADAUSDT");

    // Four symbols, each asking for 9,000 of notional: each alone is well inside every limit.
    private static readonly (Symbol Symbol, decimal Price, decimal Qty)[] Asks =
        [(Btc, 50_000m, 0.18m), (Eth, 3_000m, 3m), (Sol, 100m, 90m), (Xrp, 0.5m, 18_000m)];

    private readonly TestProbe _execution;
    private readonly IActorRef _portfolio, _orders;

    public ExposureLedgerTests() : base(PersistenceBackend.Sqlite)
    {
        _execution = CreateTestProbe("execution");
        _portfolio = Sys.ActorOf(Props.Create(() => new PortfolioActor(10_000m, TimeSpan.FromMinutes(1), 500, null)), "portfolio");
        _orders = Sys.ActorOf(Props.Create(() => new OrderManager(_portfolio, 200)), "orders");
    }

    private IActorRef StartRisk(string name = "risk") =>
        Sys.ActorOf(Props.Create(() => new RiskGovernor(Limits, _execution.Ref, HeanTimeouts.Default, 500, _portfolio, _orders)), name);

    /// <summary>What every instrument believed when it asked: a flat account with nothing working.</summary>
    private static ReviewOrder Stale(OrderRequest order, decimal price) => new(order, price, PortfolioState.Start(10_000m), At(10));

    private static OrderRequest Buy(string id, Symbol symbol, decimal qty) =>
        new(Id(id), symbol, Side.Buy, OrderType.Market, qty, null, TimeInForce.ImmediateOrCancel);

    [Fact]
    public void Four_symbols_asking_at_the_same_instant_never_take_exposure_past_the_limit()
    {
        var risk = StartRisk();
        // Without the ledger each request passes on its own: the caller's view alone cannot stop the fourth.
        foreach (var (symbol, price, qty) in Asks)
            Assert.Null(RiskState.Initial.Check(Stale(Buy("x", symbol, qty), price).Context, Limits));

        var instruments = Asks.Select((_, i) => CreateTestProbe($"instrument-{i}")).ToArray();
        for (var i = 0; i < Asks.Length; i++)
            risk.Tell(Stale(Buy($"o{i}", Asks[i].Symbol, Asks[i].Qty), Asks[i].Price), instruments[i].Ref);
        var answers = instruments.Select(p => p.ExpectMsg<object>(Patience)).ToList();

        var approved = answers.OfType<OrderApproved>().Select(a => int.Parse(a.ClientOrderId.Value[1..])).ToList();
        var rejected = Assert.Single(answers.OfType<OrderRejected>());
        Assert.Equal(3, approved.Count);
        Assert.Equal("insufficient_margin", rejected.ReasonCode);
        var reserved = approved.Sum(i => Asks[i].Qty * Asks[i].Price);
        Assert.True(reserved <= Limits.MaxLeverage * 10_000m, $"approved {reserved} of notional on equity 10,000");

        // The orders reach the order manager and fill: the reservations become positions, and still nothing more fits.
        foreach (var i in approved)
        {
            var order = Buy($"o{i}", Asks[i].Symbol, Asks[i].Qty);
            _orders.Tell(new OrdersProtocol.RegisterOrder(Created(order, 10)), TestActor);
            ExpectMsg<OrdersProtocol.OrderRegistered>(Patience);
            _orders.Tell(new OrdersProtocol.ApplyReport(Filled(
                new Fill(order.ClientOrderId, order.Symbol, Side.Buy, $"t{i}", Asks[i].Price, order.Qty, 0m, Liquidity.Taker, At(11)), 0m)));
        }
        AwaitAssert(() => Assert.Equal(3, Ask<PortfolioProtocol.PortfolioView>(_portfolio, new PortfolioProtocol.GetPortfolio()).State.FillCount), Patience);
        var left = Enumerable.Range(0, 4).Except(approved).Single();
        var again = Ask<object>(risk, Stale(Buy("again", Asks[left].Symbol, Asks[left].Qty), Asks[left].Price));
        Assert.Equal("max_leverage", Assert.IsType<OrderRejected>(again).ReasonCode);

        // Selling what was bought reduces exposure: it passes, even though the caller believes the account flat.
        var first = approved[0];
        var sell = new OrderRequest(Id("reduce"), Asks[first].Symbol, Side.Sell, OrderType.Market, Asks[first].Qty, null, TimeInForce.ImmediateOrCancel);
        Assert.IsType<OrderApproved>(Ask<object>(risk, new ReviewOrder(sell, Asks[first].Price, PortfolioState.Start(10_000m), At(12))));
    }

    [Fact]
    public void Four_instruments_signalling_at_the_same_instant_send_only_what_the_limits_allow()
    {
        var risk = StartRisk();
        var sent = new System.Collections.Concurrent.ConcurrentQueue<ExecutionProtocol.ExecuteOrder>();
        _execution.SetAutoPilot(new DelegateAutoPilot((sender, message) =>
        {
            if (message is ExecutionProtocol.ExecuteOrder e)
            {
                sent.Enqueue(e);
                sender.Tell(new ExecutionProtocol.ExecutionStarted(e.Order.ClientOrderId));
            }
            return AutoPilot.KeepRunning;
        }));
        // Each full-confidence signal sizes to 90 % of MAX_POSITION_SIZE: 9,000 of notional per symbol.
        var settings = new InstrumentSettings(Limits, new PositionSizer(0.9m), ExecutionStyle.Market, KellySizing.Default, 0.5);
        var instruments = Sys.ActorOf(Props.Create(() => new Instruments.InstrumentsActor(InstrumentCatalog.Default, settings,
            _portfolio, _orders, risk, _execution.Ref, HeanTimeouts.Default)), "instruments");

        var senders = Asks.Select((_, i) => CreateTestProbe($"feed-{i}")).ToArray();
        for (var i = 0; i < Asks.Length; i++)
        {
            var (symbol, price, _) = Asks[i];
            var signal = new Core.Signals.Signal(symbol, At(10), Core.Signals.SignalDirection.Long, 1.0, price, "test", "same instant");
            instruments.Tell(new Instruments.InstrumentProtocol.HandleSignal(signal, price, price), senders[i].Ref);
        }
        var outcomes = senders.Select(p => p.ExpectMsg<Instruments.InstrumentProtocol.SignalHandled>(Patience).Outcome).ToList();

        Assert.Equal(3, outcomes.Count(o => o.StartsWith("sent", StringComparison.Ordinal)));
        Assert.Equal("rejected by risk: insufficient_margin", Assert.Single(outcomes, o => !o.StartsWith("sent", StringComparison.Ordinal)));
        var notional = sent.Sum(e => e.Order.Qty * Asks.Single(a => a.Symbol == e.Order.Symbol).Price);
        Assert.Equal(3, sent.Count);
        Assert.True(notional <= Limits.MaxLeverage * 10_000m, $"sent {notional} of notional on equity 10,000");
    }

    [Fact]
    public void A_cancelled_or_refused_order_gives_its_reservation_back()
    {
        var risk = StartRisk();
        var big = Limit("big", Side.Buy, 0.19m, 50_000m); // 9,500
        Assert.IsType<OrderApproved>(Ask<object>(risk, Stale(big, 50_000m)));
        Assert.IsType<OrderApproved>(Ask<object>(risk, Stale(Buy("eth", Eth, 3m), 3_000m)));
        var sol = Buy("sol", Sol, 90m);
        Assert.IsType<OrderApproved>(Ask<object>(risk, Stale(sol, 100m)));
        // 27,500 reserved: 9,000 more does not fit.
        Assert.Equal("insufficient_margin", Assert.IsType<OrderRejected>(Ask<object>(risk, Stale(Buy("xrp", Xrp, 18_000m), 0.5m))).ReasonCode);

        // The limit order rests at the venue and is cancelled: its 9,500 are free again.
        _orders.Tell(new OrdersProtocol.RegisterOrder(Created(big, 10)), TestActor);
        ExpectMsg<OrdersProtocol.OrderRegistered>(Patience);
        _orders.Tell(new OrdersProtocol.ApplyReport(Accepted("big", 10)));
        _orders.Tell(new OrdersProtocol.ApplyReport(Cancelled("big", "test", 11)));
        AwaitAssert(() => Assert.IsType<OrderApproved>(Ask<object>(risk, Stale(Buy($"xrp-{Guid.NewGuid():N}", Xrp, 18_000m), 0.5m))), Patience);
        Assert.Equal("insufficient_margin", Assert.IsType<OrderRejected>(Ask<object>(risk, Stale(Buy("ada", Ada, 9_000m), 1m))).ReasonCode);
        // A second XRP order on the same side counts the first against MAX_POSITION_SIZE, though the caller sees neither.
        Assert.Equal("max_position", Assert.IsType<OrderRejected>(Ask<object>(risk, Stale(Buy("xrp-more", Xrp, 4_000m), 0.5m))).ReasonCode);

        // An approval that execution refused before the order manager heard of it is released at once.
        risk.Tell(new ReleaseReservation(sol.ClientOrderId));
        Assert.IsType<OrderApproved>(Ask<object>(risk, Stale(Buy("ada-2", Ada, 9_000m), 1m)));
    }

    [Fact]
    public void A_restarted_governor_rebuilds_the_ledger_from_the_portfolio_and_the_working_orders()
    {
        var risk = StartRisk("risk-1");
        var btc = Buy("btc", Btc, 0.18m); // 9,000, filled
        var eth = Limit("eth", Side.Buy, 3m, 3_000m, Eth); // 9,000, working
        Assert.IsType<OrderApproved>(Ask<object>(risk, Stale(btc, 50_000m)));
        Assert.IsType<OrderApproved>(Ask<object>(risk, Stale(eth, 3_000m)));
        _orders.Tell(new OrdersProtocol.RegisterOrder(Created(btc, 10)), TestActor);
        ExpectMsg<OrdersProtocol.OrderRegistered>(Patience);
        _orders.Tell(new OrdersProtocol.ApplyReport(Filled(new Fill(btc.ClientOrderId, Btc, Side.Buy, "t1", 50_000m, 0.18m, 0m, Liquidity.Taker, At(11)), 0m)));
        _orders.Tell(new OrdersProtocol.RegisterOrder(Created(eth, 10)), TestActor);
        ExpectMsg<OrdersProtocol.OrderRegistered>(Patience);
        AwaitAssert(() => Assert.Equal(1, Ask<PortfolioProtocol.PortfolioView>(_portfolio, new PortfolioProtocol.GetPortfolio()).State.FillCount), Patience);

        Watch(risk);
        Sys.Stop(risk);
        ExpectTerminated(risk, Patience);
        var restarted = StartRisk("risk-2");

        // 9,000 held and 9,000 working, though the caller sees a flat account: 9,000 more fits (27,000), 9,000 after that not.
        Assert.IsType<OrderApproved>(Ask<object>(restarted, Stale(Buy("sol", Sol, 90m), 100m)));
        var more = Ask<object>(restarted, Stale(Buy("xrp", Xrp, 18_000m), 0.5m));
        Assert.Equal("insufficient_margin", Assert.IsType<OrderRejected>(more).ReasonCode);
        // The BTC position counts against MAX_POSITION_SIZE: 0.03 more would make 10,500.
        var btcMore = Ask<object>(restarted, Stale(Buy("btc-2", Btc, 0.03m), 50_000m));
        Assert.Equal("max_position", Assert.IsType<OrderRejected>(btcMore).ReasonCode);
    }

    [Fact]
    public async Task Entities_that_recover_together_make_risk_rebuild_its_ledger_once_and_reviews_wait_for_it()
    {
        var portfolio = CreateTestProbe();
        var orders = CreateTestProbe();
        var risk = Sys.ActorOf(Props.Create(() => new RiskGovernor(Limits, _execution.Ref, HeanTimeouts.Default, 500, portfolio.Ref, orders.Ref)), "risk-burst");
        void Rebuild()
        {
            portfolio.ExpectMsg<PortfolioProtocol.GetPortfolio>(Patience);
            portfolio.Reply(new PortfolioProtocol.PortfolioView(PortfolioState.Start(10_000m), []));
            var watch = orders.ExpectMsg<OrdersProtocol.WatchExposure>(Patience);
            orders.Reply(new OrdersProtocol.ExposureWatch(watch.Attachment, []));
        }
        Rebuild(); // at its start
        Assert.IsType<OrderApproved>(Ask<object>(risk, Stale(Buy("a", Btc, 0.01m), 50_000m)));

        // Five entities recover at once (as at a node's start): one rebuild, and the review asked meanwhile waits for it.
        foreach (var symbol in new[] { Btc, Eth, Sol, Xrp, Ada }) Sys.EventStream.Publish(new OrdersProtocol.OrdersRecovered(symbol));
        var review = risk.Ask<object>(Stale(Buy("b", Eth, 1m), 3_000m), Patience);
        Rebuild();
        portfolio.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
        Assert.IsType<OrderApproved>(await review);
    }

    [Fact]
    public async Task An_order_entity_that_restarts_makes_risk_rebuild_from_every_entity_without_counting_a_fill_twice()
    {
        var risk = StartRisk();
        var btc = Buy("btc", Btc, 0.18m); // 9,000, filled in BTCUSDT's entity (its fill 1)
        var eth = Buy("eth", Eth, 3m);    // 9,000, filled in ETHUSDT's entity (its fill 1 too)
        foreach (var (order, price) in new[] { (btc, 50_000m), (eth, 3_000m) })
        {
            Assert.IsType<OrderApproved>(Ask<object>(risk, Stale(order, price)));
            _orders.Tell(new OrdersProtocol.RegisterOrder(Created(order, 10)), TestActor);
            ExpectMsg<OrdersProtocol.OrderRegistered>(Patience);
            _orders.Tell(new OrdersProtocol.ApplyReport(Filled(new Fill(order.ClientOrderId, order.Symbol, Side.Buy, "t-" + order.ClientOrderId, price, order.Qty, 0m,
                Liquidity.Taker, At(11)), 0m)));
        }
        AwaitAssert(() => Assert.Equal(2, Ask<PortfolioProtocol.PortfolioView>(_portfolio, new PortfolioProtocol.GetPortfolio()).State.FillCount), Patience);

        // BTCUSDT's entity stops (as after a failed write); its parent starts it again, it recovers and risk rebuilds.
        var recovered = CreateTestProbe();
        Sys.EventStream.Subscribe(recovered.Ref, typeof(OrdersProtocol.OrdersRecovered));
        var entity = await Sys.ActorSelection(_orders.Path / OrderEntity.PersistenceIdOf(Btc)).ResolveOne(Patience);
        Watch(entity);
        Sys.Stop(entity);
        ExpectTerminated(entity, Patience);
        Assert.Equal(Btc, recovered.ExpectMsg<OrdersProtocol.OrdersRecovered>(Patience).Symbol);

        // Reviewed after the rebuild: 18,000 held (each fill once, per symbol), so 9,000 more fits (27,000) and 9,000 after that not.
        Assert.IsType<OrderApproved>(Ask<object>(risk, Stale(Buy("sol", Sol, 90m), 100m)));
        Assert.Equal("insufficient_margin", Assert.IsType<OrderRejected>(Ask<object>(risk, Stale(Buy("xrp", Xrp, 18_000m), 0.5m))).ReasonCode);
    }
}
