using Akka.Actor;
using Hean.Actors.Monitoring;
using Xunit;

namespace Hean.Actors.Tests;

/// <summary>hean_mailbox_depth reads what waits in an actor's mailbox and in those under it.</summary>
public sealed class MailboxDepthsTests : Akka.TestKit.Xunit2.TestKit
{
    /// <summary>Blocks on its first message until released: what is sent after it waits in the mailbox.</summary>
    private sealed class Stuck : ReceiveActor
    {
        public Stuck(ManualResetEventSlim release) => ReceiveAny(_ => release.Wait(TimeSpan.FromSeconds(30)));
    }

    private sealed class Parent : ReceiveActor
    {
        public Parent(ManualResetEventSlim release)
        {
            var child = Context.ActorOf(Akka.Actor.Props.Create(() => new Stuck(release)), "child");
            ReceiveAny(m => child.Forward(m));
        }
    }

    [Fact]
    public void The_depth_of_an_actor_counts_its_children_mailboxes()
    {
        using var release = new ManualResetEventSlim();
        var parent = Sys.ActorOf(Akka.Actor.Props.Create(() => new Parent(release)), "portfolio");
        Assert.Equal(0, MailboxDepths.Depth(parent));
        for (var i = 0; i < 11; i++) parent.Tell(i);
        // One message is being handled (blocked); ten wait in the child's mailbox.
        AwaitAssert(() => Assert.Equal(10, MailboxDepths.Depth(parent)), TimeSpan.FromSeconds(5));
        MailboxDepths.Sample([parent]);
        Assert.Equal(10, HeanMetrics.MailboxDepth.WithLabels("portfolio").Value);
        release.Set();
        AwaitAssert(() => Assert.Equal(0, MailboxDepths.Depth(parent)), TimeSpan.FromSeconds(5));
    }
}
