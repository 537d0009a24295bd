using Akka.Actor;
using Akka.TestKit;
using Hean.Actors.Common;
using Hean.Actors.Execution;
using Hean.Actors.Instruments;
using Hean.Actors.Orders;
using Hean.Actors.Persistence;
using Hean.Actors.Portfolio;
using Hean.Actors.Risk;
using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Hean.Core.Risk;
using Hean.Core.Signals;
using Hean.Core.Trading;
using Xunit;
using static Hean.Actors.Tests.Fixtures;

namespace Hean.Actors.Tests;

/// <summary>
/// An instrument (persistence id instrument-BTCUSDT, SQLite journal) stopped and started again sizes its next order
/// as if it had never stopped: the strategy's round trips behind Kelly and the client order id counter come back.
/// </summary>
public sealed class InstrumentMemoryTests : HeanActorTest
{
    // Kelly from five round trips, so that it decides the size within a dozen signals.
    private static readonly InstrumentSettings Settings =
        new(new RiskLimits(10_000m, 3m, 0.05m), PositionSizer.Default, ExecutionStyle.Market, new KellySizing(0.25, 0.5, 5), 0.5);
    private static readonly decimal[] Prices = [50_000m, 51_500m, 50_700m, 50_200m, 49_100m, 49_600m, 50_100m, 51_000m, 50_400m, 52_000m, 51_200m, 51_900m, 52_500m];

    private readonly TestProbe _risk, _execution;
    private readonly IActorRef _portfolio, _orders;
    private readonly List<RiskProtocol.ReviewOrder> _reviews = [];

    public InstrumentMemoryTests() : base(PersistenceBackend.Sqlite)
    {
        _portfolio = Sys.ActorOf(Props.Create(() => new PortfolioActor(10_000m, TimeSpan.FromMinutes(1), 500, null)), "portfolio");
        _orders = Sys.ActorOf(Props.Create(() => new OrderManager(_portfolio, 200)), "orders");
        _risk = CreateTestProbe("risk");
        _execution = CreateTestProbe("execution");
        _risk.SetAutoPilot(new DelegateAutoPilot((sender, message) =>
        {
            if (message is RiskProtocol.ReviewOrder r)
            {
                lock (_reviews) _reviews.Add(r);
                sender.Tell(new RiskProtocol.OrderApproved(r.Order.ClientOrderId));
            }
            return AutoPilot.KeepRunning;
        }));
        _execution.SetAutoPilot(new DelegateAutoPilot((sender, message) =>
        {
            if (message is ExecutionProtocol.ExecuteOrder e) sender.Tell(new ExecutionProtocol.ExecutionStarted(e.Order.ClientOrderId));
            return AutoPilot.KeepRunning;
        }));
    }

    private IActorRef StartInstrument(string name) =>
        Sys.ActorOf(Props.Create(() => new InstrumentActor(InstrumentCatalog.Default.Get(Btc), Settings, _portfolio, _orders, _risk.Ref, _execution.Ref,
            HeanTimeouts.Default)), name);

    /// <summary>Long and short in turn, each signal an hour after the last, at the prices above.</summary>
    private static Signal SignalAt(int i) =>
        new(Btc, T0.AddHours(i), i % 2 == 0 ? SignalDirection.Long : SignalDirection.Short, 1.0, Prices[i], "test", "turn");

    private void Send(IActorRef instrument, int i)
    {
        instrument.Tell(new InstrumentProtocol.HandleSignal(SignalAt(i), Prices[i], Prices[i]), TestActor);
        Assert.StartsWith("sent", ExpectMsg<InstrumentProtocol.SignalHandled>(Patience).Outcome);
    }

    [Fact]
    public void A_restarted_instrument_sizes_and_numbers_its_next_order_as_if_it_had_never_stopped()
    {
        var first = StartInstrument("btc-1");
        for (var i = 0; i < Prices.Length - 1; i++) Send(first, i);
        // Every signal is written (the journal answers after its writes), then the instrument stops.
        Sys.ActorSelection(first.Path / "journal").Tell(Sync.Instance, TestActor);
        ExpectMsg<Synced>(Patience);
        Watch(first);
        Sys.Stop(first);
        ExpectTerminated(first, Patience);

        var again = StartInstrument("btc-2");
        Send(again, Prices.Length - 1);
        var last = _reviews[^1];

        // The same rules fed every signal without a stop.
        var unbroken = new InstrumentRules(InstrumentCatalog.Default.Get(Btc), Settings);
        InstrumentDecision.Send? expected = null;
        for (var i = 0; i < Prices.Length; i++)
            expected = unbroken.Decide(SignalAt(i), Prices[i], Prices[i], PortfolioState.Start(10_000m), []) as InstrumentDecision.Send;
        Assert.NotNull(expected);
        Assert.Equal("kelly", expected.Sizing.Basis); // what the restart must not lose
        Assert.Equal(expected.Sizing, last.Sizing);
        Assert.Equal(expected.Request.ClientOrderId, last.Order.ClientOrderId);

        // Rules that forgot (a fresh start) would size and number it otherwise.
        var forgetful = new InstrumentRules(InstrumentCatalog.Default.Get(Btc), Settings)
            .Decide(SignalAt(Prices.Length - 1), Prices[^1], Prices[^1], PortfolioState.Start(10_000m), []) as InstrumentDecision.Send;
        Assert.NotEqual(forgetful!.Sizing, last.Sizing);
        Assert.NotEqual(forgetful.Request.ClientOrderId, last.Order.ClientOrderId);
    }
}
