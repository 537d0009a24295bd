using Akka.Actor;
using Hean.Actors.Common;
using Hean.Actors.Orders;
using Hean.Actors.Persistence;
using Hean.Bybit.Rest;
using Hean.Bybit.WebSocket;
using Hean.Core.Orders;
using Hean.FakeBybit;
using Hean.Venues.Bybit;
using Xunit;
using static Hean.Actors.Tests.Fixtures;

namespace Hean.Actors.Tests;

/// <summary>
/// Actor tests against the fake Bybit on loopback (a BTCUSDT book published), on the SQLite journal: the REST client,
/// private streams, a gateway that has finished its start-up pass, and the order manager's answers.
/// </summary>
public abstract class FakeBybitActorTest() : HeanActorTest(PersistenceBackend.Sqlite), IAsyncLifetime
{
    protected FakeBybitServer Fake { get; private set; } = null!;
    private readonly List<IAsyncDisposable> _streams = new();

    /// <summary>Most tests watch the portfolio with a probe, which cannot answer the position check.</summary>
    protected static readonly BybitGatewaySettings Quick = new(TimeSpan.FromMilliseconds(300), TimeSpan.Zero, TimeSpan.FromSeconds(5), CheckPositions: false);

    /// <summary>How long one REST call may take.</summary>
    protected virtual TimeSpan RequestTimeout => TimeSpan.FromSeconds(3);

    public async Task InitializeAsync()
    {
        Fake = await FakeBybitServer.StartAsync();
        Fake.Venue.PublishBook("BTCUSDT", [(60_000.0m, 1m), (59_999.9m, 2m)], [(60_000.1m, 1m), (60_000.2m, 2m)]);
    }

    public async Task DisposeAsync()
    {
        foreach (var s in _streams) await s.DisposeAsync();
        await Fake.DisposeAsync();
    }

    protected BybitRestClient Rest(TimeSpan? ipBanPause = null) => new(new BybitRestOptions
    {
        IpBanPause = ipBanPause ?? TimeSpan.FromMinutes(10),
        BaseUrl = Fake.RestUrl,
        Credentials = Fake.Credentials,
        RequestTimeout = RequestTimeout,
        Retry = new RetryPolicy(3, TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(200)),
    });

    protected async Task<BybitPrivateStream> PrivateStream(TimeSpan? reconnectDelay = null)
    {
        var options = new BybitStreamOptions(Fake.PrivateWsUrl);
        if (reconnectDelay is { } d) options = options with { ReconnectMinDelay = d, ReconnectMaxDelay = d * 2 };
        var stream = new BybitPrivateStream(options, Fake.Credentials);
        _streams.Add(stream);
        stream.Start();
        using var cts = new CancellationTokenSource(Patience);
        await stream.WaitUntilReadyAsync(cts.Token);
        return stream;
    }

    /// <summary>A gateway that has finished its start-up reconciliation (it answers Sync only then).</summary>
    protected IActorRef Gateway(IActorRef orders, IActorRef portfolio, BybitPrivateStream? stream, BybitGatewaySettings? settings = null)
    {
        var s = settings ?? Quick;
        var gateway = Sys.ActorOf(Props.Create(() => new BybitGateway(Rest(null), stream, orders, portfolio, HeanTimeouts.Default, s)));
        SyncWith(gateway);
        return gateway;
    }

    protected OrderState? OrderOf(IActorRef orders, string id) => Ask<OrdersProtocol.OrderView>(orders, new OrdersProtocol.GetOrder(Id(id))).Order;

    protected void Register(IActorRef orders, OrderRequest order)
    {
        orders.Tell(new OrdersProtocol.RegisterOrder(Created(order)), TestActor);
        ExpectMsg<OrdersProtocol.OrderRegistered>(Patience);
    }
}
