using System.Text.Json;
using Akka.Actor;
using Akka.TestKit;
using Hean.Actors.Common;
using Hean.Actors.Orders;
using Hean.Actors.Persistence;
using Hean.Actors.Portfolio;
using Hean.Actors.Risk;
using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Hean.Core.Risk;
using Xunit;
using Xunit.Abstractions;
using static Hean.Actors.Orders.OrdersProtocol;
using static Hean.Actors.Portfolio.PortfolioProtocol;
using static Hean.Actors.Risk.RiskProtocol;

namespace Hean.Persistence.Redis.Tests;

/// <summary>
/// HEAN's own persistent actors (orders → portfolio, risk governor) trade through a day on the
/// backend, are stopped, started again, and must hold exactly the state they had: every event
/// and snapshot went through the HEAN serializer into the real server and back.
/// </summary>
public abstract class HeanRecoveryTests : PersistenceTest
{
    private static readonly Symbol Btc = new("BTCUSDT");
    private static readonly Symbol Eth = new("ETHUSDT");
    private static readonly DateTime T0 = new(2024, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private static readonly RiskLimits Limits = new(MaxPositionSize: 10_000m, MaxLeverage: 0.5m, DailyDrawdownLimit: 0.05m);
    private readonly TestProbe _execution;

    private protected HeanRecoveryTests(Backend backend, ITestOutputHelper output) : base(backend, output) =>
        _execution = CreateTestProbe("execution");

    private sealed record Actors(IActorRef Portfolio, IActorRef Orders, IActorRef Risk);

    private Actors Start(int snapshotEvery)
    {
        var portfolio = Sys.ActorOf(Props.Create(() => new PortfolioActor(100_000m, TimeSpan.FromSeconds(10), snapshotEvery, null)));
        var orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio, snapshotEvery)));
        var risk = Sys.ActorOf(Props.Create(() => new RiskGovernor(Limits, _execution.Ref, HeanTimeouts.Default, snapshotEvery, null)));
        return new Actors(portfolio, orders, risk);
    }

    [SkippableTheory]
    [InlineData(1_000)] // events only
    [InlineData(3)]     // snapshots on the way, events after the last one
    public void Orders_portfolio_and_risk_recover_exactly_the_state_they_had(int snapshotEvery)
    {
        var actors = Start(snapshotEvery);
        TradeADay(actors);
        var before = Observe(actors);
        Assert.Equal(3, before.OpenOrders);
        Assert.Equal(2, before.Portfolio.FillCount);
        Assert.Equal(2, before.Risk.Approved);
        Assert.Equal(1, before.Risk.Rejected);
        foreach (var actor in new[] { actors.Orders, actors.Portfolio, actors.Risk }) StopAndWait(actor);

        var after = Observe(Start(snapshotEvery));

        Assert.Equal(before.Orders, after.Orders);
        Assert.Equal(before.Stats, after.Stats);
        Assert.Equal(before.PortfolioJson, after.PortfolioJson);
        Assert.Equal(before.Portfolio.Equity, after.Portfolio.Equity);
        Assert.Equal(before.Risk, after.Risk);
    }

    private void TradeADay(Actors a)
    {
        Assert.IsType<EquityObserved>(Ask<object>(a.Risk, new ObserveEquity(At(0), 100_000m)));
        Assert.IsType<OrderApproved>(Ask<object>(a.Risk, new ReviewOrder(Limit("rest", Side.Buy, 0.05m, 49_000m), 50_000m, PortfolioState.Start(100_000m), At(1))));
        Assert.IsType<OrderApproved>(Ask<object>(a.Risk, new ReviewOrder(Market("done", Side.Buy, 0.02m), 50_000m, PortfolioState.Start(100_000m), At(2))));
        Assert.IsType<RiskProtocol.OrderRejected>(Ask<object>(a.Risk, new ReviewOrder(Market("huge", Side.Buy, 5m), 50_000m, PortfolioState.Start(100_000m), At(3))));

        Register(a.Orders, Limit("rest", Side.Buy, 0.05m, 49_000m), 1);
        a.Orders.Tell(new MarkSubmitted(new ClientOrderId("rest"), new Symbol("BTCUSDT"), At(1)), TestActor);
        ExpectMsg<Synced>(Patience);
        Report(a.Orders, new OrderAcceptedReport(new ClientOrderId("rest"), Btc, At(1), "venue-rest"));

        Register(a.Orders, Market("done", Side.Buy, 0.02m), 2);
        Report(a.Orders, Filled(Fill("done", "sim-1", Side.Buy, 50_000m, 0.02m, 0.55m, 2), 0m));

        Register(a.Orders, Limit("part", Side.Sell, 0.004m, 51_000m), 3);
        Report(a.Orders, new OrderAcceptedReport(new ClientOrderId("part"), Btc, At(3), "venue-part"));
        Report(a.Orders, Filled(Fill("part", "sim-2", Side.Sell, 51_000m, 0.001m, 0.01m, 4), 0.003m));

        Register(a.Orders, Limit("gone", Side.Buy, 0.001m, 48_000m), 5);
        Report(a.Orders, new OrderCancelledReport(new ClientOrderId("gone"), Btc, At(6), "cancelled by request"));

        Register(a.Orders, Limit("wait", Side.Buy, 0.1m, 2_900m, Eth), 7);
        Ask<Synced>(a.Orders, Sync.Instance);
        a.Portfolio.Tell(new UpdateMarks([new MarkPrice(Btc, 50_500m, At(8)), new MarkPrice(Eth, 2_950m, At(8))]));
        Ask<PortfolioView>(a.Portfolio, new Checkpoint(At(20)));
    }

    private sealed record Observed(string Orders, OrderStats Stats, int OpenOrders, PortfolioState Portfolio, string PortfolioJson, RiskState Risk);

    private Observed Observe(Actors a)
    {
        var open = Ask<OpenOrders>(a.Orders, new GetOpenOrders()).Orders;
        var all = new[] { "rest", "done", "part", "gone", "wait" }
            .Select(id => Ask<OrderView>(a.Orders, new GetOrder(new ClientOrderId(id))).Order ?? throw new InvalidOperationException($"order {id} unknown"))
            .ToList();
        var portfolio = Ask<PortfolioView>(a.Portfolio, new GetPortfolio());
        return new Observed(
            JsonSerializer.Serialize(all.Select(o => o with { TradeIds = [.. o.TradeIds.Order(StringComparer.Ordinal)] }), HeanJson.Options),
            Ask<OrderStats>(a.Orders, new GetOrderStats()),
            open.Count,
            portfolio.State,
            JsonSerializer.Serialize(new { portfolio.State, Curve = portfolio.RecentEquity.Select(e => (e.Time, e.Equity)) }, HeanJson.Options),
            Ask<RiskView>(a.Risk, new GetRiskState()).State);
    }

    private void Register(IActorRef orders, OrderRequest request, int atSeconds)
    {
        orders.Tell(new RegisterOrder(new OrderCreated(request, At(atSeconds), "test", 50_000m)), TestActor);
        ExpectMsg<OrderRegistered>(r => r.ClientOrderId == request.ClientOrderId, Patience);
    }

    private static void Report(IActorRef orders, ExecutionReport report) => orders.Tell(new ApplyReport(report));

    private static DateTime At(int seconds) => T0.AddSeconds(seconds);

    private static OrderRequest Limit(string id, Side side, decimal qty, decimal price, Symbol? symbol = null) =>
        new(new ClientOrderId(id), symbol ?? Btc, side, OrderType.Limit, qty, price);

    private static OrderRequest Market(string id, Side side, decimal qty) =>
        new(new ClientOrderId(id), Btc, side, OrderType.Market, qty, null, TimeInForce.ImmediateOrCancel);

    private static Fill Fill(string orderId, string tradeId, Side side, decimal price, decimal qty, decimal fee, int atSeconds) =>
        new(new ClientOrderId(orderId), Btc, side, tradeId, price, qty, fee, Liquidity.Taker, At(atSeconds));

    private static OrderFilledReport Filled(Fill fill, decimal leaves) => new(fill.ClientOrderId, fill.Symbol, fill.Time, fill, leaves);

    private T Ask<T>(IActorRef actor, object message) => actor.Ask<T>(message, Patience).GetAwaiter().GetResult();

    private void StopAndWait(IActorRef actor)
    {
        var watcher = CreateTestProbe();
        watcher.Watch(actor);
        Sys.Stop(actor);
        watcher.ExpectTerminated(actor, Patience);
    }
}

public sealed class RedisHeanRecoveryTests(ITestOutputHelper output) : HeanRecoveryTests(Backend.Redis, output);

public sealed class PostgresHeanRecoveryTests(ITestOutputHelper output) : HeanRecoveryTests(Backend.Postgres, output);
