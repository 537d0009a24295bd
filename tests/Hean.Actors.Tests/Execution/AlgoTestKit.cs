using Akka.Actor;
using Hean.Actors.Common;
using Hean.Actors.Execution;
using Hean.Actors.Orders;
using Hean.Actors.Persistence;
using Hean.Actors.Portfolio;
using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.Execution;
using Hean.Core.MarketData;
using Hean.Core.Orders;
using static Hean.Actors.Execution.ExecutionProtocol;
using static Hean.Actors.Tests.Fixtures;

namespace Hean.Actors.Tests.Execution;

/// <summary>
/// Portfolio, order manager, gateway over a real simulated exchange, and the execution router, wired as the
/// orchestrator wires them; market events are applied one at a time, each followed by the market-time tick
/// the feed sends, so every test runs on market time only.
/// </summary>
public abstract class AlgoTestKit(PersistenceBackend backend) : HeanActorTest(backend)
{
    private long _bookSequence;
    private int _routers;

    protected IActorRef Portfolio { get; private set; } = ActorRefs.Nobody;
    protected IActorRef Orders { get; private set; } = ActorRefs.Nobody;
    protected IActorRef Gateway { get; private set; } = ActorRefs.Nobody;
    protected IActorRef Router { get; set; } = ActorRefs.Nobody;
    protected SimulatedExchange Venue { get; private set; } = null!;

    /// <param name="latency">How long orders and cancels take to reach the venue.</param>
    /// <param name="gatewayOrders">Puts something between the gateway and the order manager (e.g. to scramble reports).</param>
    protected void Wire(TimeSpan latency = default, Func<IActorRef, Props>? gatewayOrders = null)
    {
        var portfolio = Portfolio = Sys.ActorOf(Props.Create(() => new PortfolioActor(1_000_000m, TimeSpan.FromSeconds(1), 500)), "portfolio");
        var orders = Orders = Sys.ActorOf(Props.Create(() => new OrderManager(portfolio, 200)), "orders");
        var venue = Venue = new SimulatedExchange(InstrumentCatalog.Default, new SimulatedExchangeOptions(Latency: latency));
        var reportsTo = gatewayOrders is null ? orders : Sys.ActorOf(gatewayOrders(orders), "orders-proxy");
        Gateway = Sys.ActorOf(Props.Create(() => new ExchangeGateway(venue, reportsTo, portfolio, HeanTimeouts.Default, CircuitBreakerSettings.Default)), "gateway");
        Router = StartRouter();
    }

    protected IActorRef StartRouter()
    {
        var (orders, gateway) = (Orders, Gateway);
        return Sys.ActorOf(Props.Create(() => new ExecutionRouter(orders, gateway, HeanTimeouts.Default, null)), $"execution-{++_routers}");
    }

    protected static DateTime AtS(double seconds) => T0.AddTicks((long)Math.Round(seconds * TimeSpan.TicksPerSecond));

    protected BookUpdate Book(double at, decimal bid = 49_990m, decimal ask = 50_000m, decimal qty = 1m, Symbol? symbol = null) =>
        Fixtures.Book(++_bookSequence, AtS(at), [L(bid, qty)], [L(ask, qty)], symbol);

    /// <summary>The venue sees the event, then the router hears that market time moved (as from the feed).</summary>
    protected void Step(IMarketEvent e)
    {
        Ask<MarketDataApplied>(Gateway, new ApplyMarketData([e]));
        Ask<MarketTimeHandled>(Router, new MarketTimeAdvanced(e.Time));
    }

    /// <summary>The same book every second from <paramref name="from"/> to <paramref name="to"/>.</summary>
    protected void Books(int from, int to, decimal bid = 49_990m, decimal ask = 50_000m, decimal qty = 1m)
    {
        for (var t = from; t <= to; t++) Step(Book(t, bid, ask, qty));
    }

    protected object Execute(OrderRequest parent, AlgoSpec spec, double at) =>
        Ask<object>(Router, new ExecuteOrder(parent, "test", null, AtS(at), Algo: spec));

    protected AlgoState AlgoOf(string parentId) =>
        Ask<AlgoView>(Router, new GetAlgo(Id(parentId))).State ?? throw new InvalidOperationException($"no algorithm for {parentId}");

    protected OrderState? OrderOf(string id)
    {
        SyncWith(Orders);
        return Ask<OrdersProtocol.OrderView>(Orders, new OrdersProtocol.GetOrder(Id(id))).Order;
    }

    protected OrdersProtocol.OrderStats OrderStats()
    {
        SyncWith(Orders);
        return Ask<OrdersProtocol.OrderStats>(Orders, new OrdersProtocol.GetOrderStats());
    }

    protected decimal PositionOf(Symbol symbol)
    {
        SyncWith(Orders);
        return Ask<PortfolioProtocol.PortfolioView>(Portfolio, new PortfolioProtocol.GetPortfolio()).State.PositionOf(symbol).Qty;
    }

    protected decimal VenuePosition(Symbol symbol) => Ask<VenueState>(Gateway, new GetVenueState()).Positions.GetValueOrDefault(symbol.Value);

    protected IReadOnlyList<ClientOrderId> ActiveAlgos() => Ask<ActiveAlgos>(Router, new GetActiveAlgos()).ParentIds;
}
