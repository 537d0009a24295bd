using Akka.Actor;
using Akka.Hosting;
using Akka.Pattern;
using Hean.Actors.Orchestration;

namespace Hean.Actors.Hosting;

/// <summary>A component that its Akka.Hosting extension needs was not registered before it.</summary>
public sealed class MissingComponentException(string message) : InvalidOperationException(message);

/// <summary>What the per-feature Akka.Hosting extensions share: finding a dependency in the registry, the backoff supervisor.</summary>
public static class Components
{
    /// <summary>
    /// The actor registered under <typeparamref name="TKey"/>; a clear error naming the extension to call first when it
    /// is missing (each extension starts its actors when the system starts, in the order the extensions were called).
    /// </summary>
    public static IActorRef Require<TKey>(this IReadOnlyActorRegistry registry, string component, string extension) =>
        registry.TryGet<TKey>(out var actor)
            ? actor
            : throw new MissingComponentException(
                $"{component} needs {typeof(TKey).Name}, which is not in the ActorRegistry: call {extension} before the extension that adds {component}");

    /// <summary>
    /// A persistent component under a <see cref="BackoffSupervisor"/> with OnStop: a failed Persist stops the actor, the
    /// supervisor starts it again after <see cref="TradingSettings.MinBackoff"/>–<see cref="TradingSettings.MaxBackoff"/>
    /// and it recovers from its journal. The supervisor and its child share the name; the registry holds the supervisor,
    /// which forwards every message to the current child.
    /// </summary>
    public static IActorRef Supervised(this ActorSystem system, Props child, string name, TradingSettings settings) =>
        system.ActorOf(BackoffSupervisor.Props(
            Backoff.OnStop(child, name, settings.MinBackoff, settings.MaxBackoff, 0.2, -1)
                .WithAutoReset(TimeSpan.FromSeconds(30))), name);
}
