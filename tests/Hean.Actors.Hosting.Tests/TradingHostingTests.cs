using Akka.Actor;
using Akka.Hosting;
using Akka.Pattern;
using Hean.Actors.Common;
using Hean.Actors.Execution;
using Hean.Actors.Hosting;
using Hean.Actors.Instruments;
using Hean.Actors.Orchestration;
using Hean.Actors.Orders;
using Hean.Actors.Portfolio;
using Hean.Actors.Risk;
using Microsoft.Extensions.DependencyInjection;
using Xunit;
using static Hean.Actors.Orchestration.OrchestratorProtocol;

namespace Hean.Actors.Hosting.Tests;

/// <summary>
/// The trading components through their Akka.Hosting extensions: each starts its actor, registers it, and the others
/// find it through the ActorRegistry; the persistent ones keep their backoff supervision; the orchestrator reports
/// health over what it found and stops everything in order.
/// </summary>
public sealed class TradingHostingTests(ITestOutputHelper output) : Akka.Hosting.TestKit.TestKit(nameof(TradingHostingTests), output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private static readonly TradingSettings Settings = TradingSettings.Default with
    {
        MinBackoff = TimeSpan.FromMilliseconds(50), MaxBackoff = TimeSpan.FromMilliseconds(200),
    };

    protected override void ConfigureAkka(AkkaConfigurationBuilder builder, IServiceProvider provider) =>
        builder
            .AddHocon("akka.loglevel = WARNING\nakka.log-dead-letters = off", HoconAddMode.Prepend)
            .WithHeanInMemoryPersistence()
            .WithHeanPortfolio(Settings)
            .WithHeanOrders(Settings)
            .WithHeanPaperVenue(Settings)
            .WithHeanExecution(Settings)
            .WithHeanRisk(Settings)
            .WithHeanInstruments(Settings)
            .WithHeanOrchestrator(Settings);

    public static TheoryData<Type, string> Components => new()
    {
        { typeof(PortfolioActor), "/user/portfolio" },
        { typeof(OrderManager), "/user/orders" },
        { typeof(VenueGateway), "/user/gateway" },
        { typeof(ExecutionRouter), "/user/execution" },
        { typeof(RiskGovernor), "/user/risk" },
        { typeof(InstrumentsActor), "/user/instruments" },
        { typeof(Orchestrator), "/user/hean" },
    };

    [Theory]
    [MemberData(nameof(Components))]
    public async Task Each_extension_starts_its_component_and_registers_it(Type key, string path)
    {
        var actor = await ActorRegistry.GetAsync(key);
        Assert.Equal(path, actor.Path.ToStringWithoutAddress());
        if (key != typeof(Orchestrator)) await actor.Ask<Synced>(Sync.Instance, Patience);
    }

    [Fact]
    public async Task Components_are_found_through_IRequiredActor_and_the_orchestrator_reports_on_all_of_them()
    {
        var orchestrator = await Host.Services.GetRequiredService<IRequiredActor<Orchestrator>>().GetAsync();
        var risk = await Host.Services.GetRequiredService<IRequiredActor<RiskGovernor>>().GetAsync();
        Assert.Equal(TradingRefs.From(ActorRegistry).Risk, risk);

        var health = await orchestrator.Ask<HealthReport>(new GetHealth(), Patience);
        Assert.Equal(ComponentHealth.Healthy, health.Status);
        Assert.Equal(["orchestrator", "portfolio", "orders", "risk", "execution", "gateway", "instruments", "market_data"],
            health.Components.Select(c => c.Component));
    }

    [Fact]
    public async Task A_persistent_component_that_stops_is_started_again_by_its_backoff_supervisor_behind_the_same_registered_ref()
    {
        var portfolio = ActorRegistry.Get<PortfolioActor>();
        var before = (await portfolio.Ask<BackoffSupervisor.CurrentChild>(BackoffSupervisor.GetCurrentChild.Instance, Patience)).Ref;
        Assert.Equal("/user/portfolio/portfolio", before.Path.ToStringWithoutAddress());
        Watch(before);
        Sys.Stop(before); // what a failed Persist does
        ExpectTerminated(before, Patience);

        await AwaitAssertAsync(async () =>
        {
            var after = (await portfolio.Ask<BackoffSupervisor.CurrentChild>(BackoffSupervisor.GetCurrentChild.Instance, Patience)).Ref;
            Assert.False(after.IsNobody());
            Assert.NotEqual(before, after);
        }, Patience);
        var view = await portfolio.Ask<PortfolioProtocol.PortfolioView>(new PortfolioProtocol.GetPortfolio(), Patience);
        Assert.Equal(Settings.InitialCash, view.State.Cash);
    }

    [Fact]
    public async Task The_graceful_stop_stops_every_component()
    {
        var refs = TradingRefs.From(ActorRegistry);
        IActorRef[] components = [refs.Portfolio, refs.Orders, refs.Gateway, refs.Execution, refs.Risk, refs.Instruments];
        foreach (var c in components) Watch(c);

        await ActorRegistry.Get<Orchestrator>().Ask<Akka.Done>(StopComponents.Instance, Patience);

        var stopped = components.Select(_ => ExpectMsg<Terminated>(Patience).ActorRef).ToList();
        Assert.Equal(components.Reverse(), stopped);
    }
}

/// <summary>A component whose dependency was not added before it does not start, and says which extension is missing.</summary>
public sealed class MissingDependencyTests
{
    [Fact]
    public async Task The_order_manager_without_the_portfolio_fails_the_start_naming_the_extension_to_call()
    {
        using var host = new Microsoft.Extensions.Hosting.HostBuilder()
            .ConfigureServices((_, s) => s.AddAkka("missing-dependency", b => b.WithHeanInMemoryPersistence().WithHeanOrders(TradingSettings.Default)))
            .Build();
        var failure = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync());
        var missing = Assert.IsType<MissingComponentException>(failure.GetBaseException());
        Assert.Contains("orders needs PortfolioActor", missing.Message);
        Assert.Contains("call WithHeanPortfolio before", missing.Message);
        await host.StopAsync();
    }

    [Fact]
    public void Each_component_names_what_it_is_missing()
    {
        using var system = ActorSystem.Create("missing", Persistence.HeanConfig.Build(Persistence.PersistenceBackend.InMemory, Path.GetTempPath()));
        var registry = ActorRegistry.For(system);
        var s = TradingSettings.Default;
        Assert.Contains("WithHeanPortfolio", Assert.Throws<MissingComponentException>(() => TradingHosting.StartOrders(system, registry, s)).Message);
        TradingHosting.StartPortfolio(system, registry, s);
        Assert.Contains("WithHeanOrders", Assert.Throws<MissingComponentException>(() => TradingHosting.StartPaperVenue(system, registry, s)).Message);
        TradingHosting.StartOrders(system, registry, s);
        Assert.Contains("WithHeanPaperVenue", Assert.Throws<MissingComponentException>(() => TradingHosting.StartExecution(system, registry, s)).Message);
        TradingHosting.StartPaperVenue(system, registry, s);
        Assert.Contains("WithHeanExecution", Assert.Throws<MissingComponentException>(() => TradingHosting.StartRisk(system, registry, s)).Message);
        TradingHosting.StartExecution(system, registry, s);
        Assert.Contains("WithHeanRisk", Assert.Throws<MissingComponentException>(() => TradingHosting.StartInstruments(system, registry, s)).Message);
        TradingHosting.StartRisk(system, registry, s);
        Assert.Contains("WithHeanInstruments", Assert.Throws<MissingComponentException>(() => TradingHosting.StartOrchestrator(system, registry, s)).Message);
        TradingHosting.StartInstruments(system, registry, s);
        Assert.NotNull(TradingHosting.StartOrchestrator(system, registry, s));
    }
}
