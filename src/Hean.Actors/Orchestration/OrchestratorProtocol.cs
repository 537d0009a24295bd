using Akka.Actor;
using Hean.Actors.Feed;

namespace Hean.Actors.Orchestration;

public static class OrchestratorProtocol
{
    public sealed record GetRefs;

    /// <summary>The components, for the host's API and for tests.</summary>
    public sealed record TradingRefs(IActorRef Portfolio, IActorRef Orders, IActorRef Gateway, IActorRef Execution, IActorRef Risk, IActorRef Instruments);

    /// <summary>Create the market feed that a stream graph delivers to. Answer: the feed's IActorRef.</summary>
    public sealed record CreateFeed(TaskCompletionSource<FeedProtocol.FeedStatus>? Completion);

    public sealed record GetHealth;

    /// <summary>Stop taking market data after a final checkpoint. Answer: <see cref="FeedProtocol.FeedStatus"/> or <see cref="Common.Synced"/> without a feed.</summary>
    public sealed record StopTrading;
}

/// <summary>Health of one component, as served at /health/{component}.</summary>
public sealed record ComponentHealth(string Component, string Status, string? Reason, double UptimeSeconds, IReadOnlyDictionary<string, object?> Details)
{
    public const string Healthy = "healthy", Degraded = "degraded", Unhealthy = "unhealthy";
}

public sealed record HealthReport(string Status, double UptimeSeconds, IReadOnlyList<ComponentHealth> Components);
