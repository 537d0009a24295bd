using Akka.Actor;
using Akka.Hosting;
using Hean.Actors.Execution;
using Hean.Actors.Feed;
using Hean.Actors.Hosting;
using Hean.Actors.Instruments;
using Hean.Actors.Orders;
using Hean.Actors.Portfolio;
using Hean.Actors.Risk;

namespace Hean.Actors.Orchestration;

public static class OrchestratorProtocol
{
    /// <summary>The components, for the orchestrator, the host's API and tests.</summary>
    public sealed record TradingRefs(IActorRef Portfolio, IActorRef Orders, IActorRef Gateway, IActorRef Execution, IActorRef Risk, IActorRef Instruments)
    {
        /// <summary>The components as registered by the Akka.Hosting extensions (<see cref="TradingHosting"/>).</summary>
        public static TradingRefs From(IReadOnlyActorRegistry registry) => new(
            registry.Get<PortfolioActor>(), registry.Get<OrderManager>(), registry.Get<VenueGateway>(),
            registry.Get<ExecutionRouter>(), registry.Get<RiskGovernor>(), registry.Get<InstrumentsActor>());
    }

    /// <summary>Create the market feed that a stream graph delivers to. Answer: the feed's IActorRef.</summary>
    public sealed record CreateFeed(TaskCompletionSource<FeedProtocol.FeedStatus>? Completion);

    public sealed record GetHealth;

    /// <summary>Stop taking market data after a final checkpoint. Answer: <see cref="FeedProtocol.FeedStatus"/> or <see cref="Common.Synced"/> without a feed.</summary>
    public sealed record StopTrading;

    /// <summary>
    /// The graceful stop (a CoordinatedShutdown task): the feed stops (after a final checkpoint if it was still taking
    /// data), execution drains, then the components stop in reverse dependency order. Answer: <see cref="Akka.Done"/>.
    /// </summary>
    public sealed record StopComponents
    {
        public static StopComponents Instance { get; } = new();
    }
}

/// <summary>Health of one component, as served at /health/{component}.</summary>
public sealed record ComponentHealth(string Component, string Status, string? Reason, double UptimeSeconds, IReadOnlyDictionary<string, object?> Details)
{
    public const string Healthy = "healthy", Degraded = "degraded", Unhealthy = "unhealthy";
}

public sealed record HealthReport(string Status, double UptimeSeconds, IReadOnlyList<ComponentHealth> Components);
