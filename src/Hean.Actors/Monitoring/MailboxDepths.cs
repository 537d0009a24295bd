using Akka.Actor;
using Akka.Actor.Internal;

namespace Hean.Actors.Monitoring;

/// <summary>
/// hean_mailbox_depth{actor}: the messages waiting in an actor's mailbox and in those of everything under it (a
/// backoff supervisor's child, the instruments' per-symbol actors, the router's algorithms), read from the local
/// actor cells: no message is sent, nothing waits. Sampled by the orchestrator for each component and the feed.
/// </summary>
public static class MailboxDepths
{
    public static void Sample(IEnumerable<IActorRef> children)
    {
        foreach (var child in children) HeanMetrics.MailboxDepth.WithLabels(Label(child.Path.Name)).Set(Depth(child));
    }

    /// <summary>"feed-1a2b3c4d" is "feed": one series however often the feed is recreated.</summary>
    private static string Label(string name) => name.StartsWith("feed-", StringComparison.Ordinal) ? "feed" : name;

    public static int Depth(IActorRef actor)
    {
        if (actor is not ActorRefWithCell { Underlying: var cell }) return 0;
        var depth = cell.NumberOfMessages;
        foreach (var child in cell.ChildrenContainer.Children) depth += Depth(child);
        return depth;
    }
}
