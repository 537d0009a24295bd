using Akka.Actor;
using Akka.Hosting;
using Hean.Actors.Execution;
using Hean.Actors.Instruments;
using Hean.Actors.Orchestration;
using Hean.Actors.Orders;
using Hean.Actors.Persistence;
using Hean.Actors.Portfolio;
using Hean.Actors.Risk;
using Hean.Core.Exchange;
using Hean.Core.Trading;

namespace Hean.Actors.Hosting;

/// <summary>Marker of the venue's gateway in the ActorRegistry: the paper <see cref="ExchangeGateway"/> or a live venue's.</summary>
public sealed class VenueGateway;

/// <summary>
/// The trading components through Akka.Hosting, one extension per feature. Each starts its actor under /user when the
/// system starts, in the order the extensions were called, and registers it in the ActorRegistry under a marker type
/// (the actor's class; <see cref="VenueGateway"/> for the venue). A component takes what it needs from the registry
/// when it starts, so the order of the calls is the dependency order: portfolio, orders, venue, execution, risk,
/// instruments, orchestrator. A missing dependency is a <see cref="MissingComponentException"/> at start.
/// The <c>Start*</c> methods are the same wiring for a system built without Akka.Hosting (actor tests).
/// </summary>
public static class TradingHosting
{
    /// <summary>
    /// portfolio (backoff) → PortfolioActor, persistent "portfolio"; after a restart it asks the order manager for missed
    /// fills. Before it starts, the journal is brought to the current layout (<see cref="JournalLayout"/>: a journal of the
    /// global order manager is migrated once).
    /// </summary>
    public static AkkaConfigurationBuilder WithHeanPortfolio(this AkkaConfigurationBuilder builder, TradingSettings settings) =>
        builder.WithActors((system, registry) => StartPortfolio(system, registry, settings));

    /// <summary>orders (backoff) → OrderManager, the parent of the order entities "orders-{SYMBOL}" (index "orders-index"); needs the portfolio.</summary>
    public static AkkaConfigurationBuilder WithHeanOrders(this AkkaConfigurationBuilder builder, TradingSettings settings) =>
        builder.WithActors((system, registry) => StartOrders(system, registry, settings));

    /// <summary>The paper venue: <see cref="ExchangeGateway"/> over a <see cref="SimulatedExchange"/> (paper, backtests); needs orders and portfolio.</summary>
    public static AkkaConfigurationBuilder WithHeanPaperVenue(this AkkaConfigurationBuilder builder, TradingSettings settings) =>
        builder.WithActors((system, registry) => StartPaperVenue(system, registry, settings));

    /// <summary>A venue's gateway from (orders, portfolio), e.g. a live venue adapter; needs orders and portfolio.</summary>
    public static AkkaConfigurationBuilder WithHeanVenue(this AkkaConfigurationBuilder builder, Func<IActorRef, IActorRef, Props> gateway) =>
        builder.WithActors((system, registry) => StartVenue(system, registry, gateway));

    /// <summary>execution (backoff) → ExecutionRouter, the parent of the execution entities "execution-{SYMBOL}" (index "execution-index"); needs orders and the venue.</summary>
    public static AkkaConfigurationBuilder WithHeanExecution(this AkkaConfigurationBuilder builder, TradingSettings settings) =>
        builder.WithActors((system, registry) => StartExecution(system, registry, settings));

    /// <summary>risk (backoff) → RiskGovernor, persistent "risk-governor"; needs execution, the portfolio and orders (its exposure ledger follows them).</summary>
    public static AkkaConfigurationBuilder WithHeanRisk(this AkkaConfigurationBuilder builder, TradingSettings settings) =>
        builder.WithActors((system, registry) => StartRisk(system, registry, settings));

    /// <summary>instruments → InstrumentsActor (one InstrumentActor per symbol); needs portfolio, orders, risk and execution.</summary>
    public static AkkaConfigurationBuilder WithHeanInstruments(this AkkaConfigurationBuilder builder, TradingSettings settings) =>
        builder.WithActors((system, registry) => StartInstruments(system, registry, settings));

    /// <summary>/user/hean → Orchestrator: feeds, health, graceful stop (a CoordinatedShutdown task); needs every component above.</summary>
    public static AkkaConfigurationBuilder WithHeanOrchestrator(this AkkaConfigurationBuilder builder, TradingSettings settings) =>
        builder.WithActors((system, registry) => StartOrchestrator(system, registry, settings));

    /// <summary>Every trading component with the paper venue (or <paramref name="venue"/>), in dependency order, and the orchestrator.</summary>
    public static AkkaConfigurationBuilder WithHeanTrading(this AkkaConfigurationBuilder builder, TradingSettings settings,
        Func<IActorRef, IActorRef, Props>? venue = null)
    {
        builder.WithHeanPortfolio(settings).WithHeanOrders(settings);
        if (venue is null) builder.WithHeanPaperVenue(settings);
        else builder.WithHeanVenue(venue);
        return builder.WithHeanExecution(settings).WithHeanRisk(settings).WithHeanInstruments(settings).WithHeanOrchestrator(settings);
    }

    /// <summary><see cref="WithHeanTrading"/> for a system built without Akka.Hosting; returns the orchestrator.</summary>
    public static IActorRef StartTrading(ActorSystem system, IActorRegistry registry, TradingSettings settings, Func<IActorRef, IActorRef, Props>? venue = null)
    {
        StartPortfolio(system, registry, settings);
        StartOrders(system, registry, settings);
        if (venue is null) StartPaperVenue(system, registry, settings);
        else StartVenue(system, registry, venue);
        StartExecution(system, registry, settings);
        StartRisk(system, registry, settings);
        StartInstruments(system, registry, settings);
        return StartOrchestrator(system, registry, settings);
    }

    public static IActorRef StartPortfolio(ActorSystem system, IActorRegistry registry, TradingSettings s)
    {
        // Before any stream is read as the current layout: a journal of older versions is migrated (once) first. The
        // timeout is per stream read: generous, a long paper-trading journal is read whole once.
        JournalLayout.Ensure(system, TimeSpan.FromMinutes(2));
        // The order manager starts after the portfolio: the portfolio waits for its registration to ask for missed fills.
        var fillSource = new RequiredActor<OrderManager>(registry);
        return Register<PortfolioActor>(registry, system.Supervised(
            Props.Create(() => new PortfolioActor(s.InitialCash, s.EquitySampleEvery, s.SnapshotEvery, fillSource)), "portfolio", s));
    }

    public static IActorRef StartOrders(ActorSystem system, IActorRegistry registry, TradingSettings s)
    {
        var portfolio = registry.Require<PortfolioActor>("orders", nameof(WithHeanPortfolio));
        return Register<OrderManager>(registry, system.Supervised(Props.Create(() => new OrderManager(portfolio, s.SnapshotEvery, s.Timeouts.Ask)), "orders", s));
    }

    public static IActorRef StartPaperVenue(ActorSystem system, IActorRegistry registry, TradingSettings s) =>
        StartVenue(system, registry, (orders, portfolio) =>
            Props.Create(() => new ExchangeGateway(new SimulatedExchange(s.Catalog, s.Exchange), orders, portfolio, s.Timeouts, s.Breaker)));

    public static IActorRef StartVenue(ActorSystem system, IActorRegistry registry, Func<IActorRef, IActorRef, Props> gateway)
    {
        var orders = registry.Require<OrderManager>("the venue", nameof(WithHeanOrders));
        var portfolio = registry.Require<PortfolioActor>("the venue", nameof(WithHeanPortfolio));
        return Register<VenueGateway>(registry, system.ActorOf(gateway(orders, portfolio), "gateway"));
    }

    public static IActorRef StartExecution(ActorSystem system, IActorRegistry registry, TradingSettings s)
    {
        var orders = registry.Require<OrderManager>("execution", nameof(WithHeanOrders));
        var gateway = registry.Require<VenueGateway>("execution", nameof(WithHeanPaperVenue) + " (or " + nameof(WithHeanVenue) + ")");
        var execution = ExecutionSettings.For(s.Catalog, s.Exchange, s.SnapshotEvery);
        return Register<ExecutionRouter>(registry, system.Supervised(
            Props.Create(() => new ExecutionRouter(orders, gateway, s.Timeouts, execution)), "execution", s));
    }

    public static IActorRef StartRisk(ActorSystem system, IActorRegistry registry, TradingSettings s)
    {
        var execution = registry.Require<ExecutionRouter>("risk", nameof(WithHeanExecution));
        var portfolio = registry.Require<PortfolioActor>("risk", nameof(WithHeanPortfolio));
        var orders = registry.Require<OrderManager>("risk", nameof(WithHeanOrders));
        return Register<RiskGovernor>(registry, system.Supervised(
            Props.Create(() => new RiskGovernor(s.Limits, execution, s.Timeouts, s.SnapshotEvery, portfolio, orders)), "risk", s));
    }

    public static IActorRef StartInstruments(ActorSystem system, IActorRegistry registry, TradingSettings s)
    {
        var portfolio = registry.Require<PortfolioActor>("instruments", nameof(WithHeanPortfolio));
        var orders = registry.Require<OrderManager>("instruments", nameof(WithHeanOrders));
        var risk = registry.Require<RiskGovernor>("instruments", nameof(WithHeanRisk));
        var execution = registry.Require<ExecutionRouter>("instruments", nameof(WithHeanExecution));
        var settings = new InstrumentSettings(s.Limits, s.Sizer, s.ExecutionStyle, s.Kelly, s.TargetVolatility);
        return Register<InstrumentsActor>(registry, system.ActorOf(Props.Create(() =>
            new InstrumentsActor(s.Catalog, settings, portfolio, orders, risk, execution, s.Timeouts)), "instruments"));
    }

    public static IActorRef StartOrchestrator(ActorSystem system, IActorRegistry registry, TradingSettings s)
    {
        const string component = "the orchestrator";
        var refs = new OrchestratorProtocol.TradingRefs(
            registry.Require<PortfolioActor>(component, nameof(WithHeanPortfolio)),
            registry.Require<OrderManager>(component, nameof(WithHeanOrders)),
            registry.Require<VenueGateway>(component, nameof(WithHeanPaperVenue) + " (or " + nameof(WithHeanVenue) + ")"),
            registry.Require<ExecutionRouter>(component, nameof(WithHeanExecution)),
            registry.Require<RiskGovernor>(component, nameof(WithHeanRisk)),
            registry.Require<InstrumentsActor>(component, nameof(WithHeanInstruments)));
        var orchestrator = Register<Orchestrator>(registry, system.ActorOf(Props.Create(() => new Orchestrator(s, refs)), Orchestrator.Name));
        // Graceful stop, before the system stops its actors: the feed stops (a final checkpoint if it was still taking
        // data), execution drains, then the components stop in reverse dependency order.
        CoordinatedShutdown.Get(system).AddTask(CoordinatedShutdown.PhaseServiceStop, "hean-graceful-stop",
            () => orchestrator.Ask<Akka.Done>(OrchestratorProtocol.StopComponents.Instance, s.Timeouts.Ask * 3)
                .ContinueWith(_ => Akka.Done.Instance, TaskContinuationOptions.ExecuteSynchronously));
        return orchestrator;
    }

    private static IActorRef Register<TKey>(IActorRegistry registry, IActorRef actor)
    {
        registry.Register<TKey>(actor);
        return actor;
    }
}
