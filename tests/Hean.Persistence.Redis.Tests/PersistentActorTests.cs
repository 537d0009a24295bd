using Akka.Actor;
using Akka.Persistence;
using Akka.Serialization;
using Hean.Actors.Persistence;
using Hean.Core.Risk;
using StackExchange.Redis;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Persistence.Redis.Tests;

/// <summary>A small persistent actor on the Redis plugins: every way Akka.Persistence writes, then recovery.</summary>
public sealed class PersistentActorTests(ITestOutputHelper output) : PersistenceTest(Backend.Redis, output)
{
    [SkippableFact]
    public void DeferAsync_without_any_persist_before_it_runs_its_handler()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Recorder("r-1")));

        actor.Tell(new Recorder.Defer("x"), TestActor);

        ExpectMsg("deferred:x", Patience);
        Assert.Equal("", Ask(actor, new Recorder.GetState()));
    }

    [SkippableFact]
    public void PersistAll_of_no_events_then_DeferAsync_replies_and_stores_nothing()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Recorder("r-1")));

        actor.Tell(new Recorder.PersistMany([]), TestActor);
        actor.Tell(new Recorder.Defer("after-nothing"), TestActor);

        ExpectMsg("deferred:after-nothing", Patience);
        Assert.Equal(0, Ask<long>(actor, new Recorder.GetLastSequenceNr()));
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void Persist_PersistAsync_and_PersistAll_recover_in_the_order_they_were_written(bool withSnapshot)
    {
        var actor = Sys.ActorOf(Props.Create(() => new Recorder("r-1")));
        actor.Tell(new Recorder.PersistOne("a"), ActorRefs.NoSender);
        actor.Tell(new Recorder.PersistOneAsync("b"), ActorRefs.NoSender);
        actor.Tell(new Recorder.PersistMany(["c", "d", "e"]), ActorRefs.NoSender);
        if (withSnapshot)
        {
            actor.Tell(new Recorder.Snapshot(), TestActor);
            ExpectMsg<SaveSnapshotSuccess>(Patience);
        }
        actor.Tell(new Recorder.PersistOneAsync("f"), ActorRefs.NoSender);
        actor.Tell(new Recorder.PersistOne("g"), ActorRefs.NoSender);
        Assert.Equal("a,b,c,d,e,f,g", Ask(actor, new Recorder.GetState()));
        Stop(actor);

        var recovered = Sys.ActorOf(Props.Create(() => new Recorder("r-1")));

        Assert.Equal("a,b,c,d,e,f,g", Ask(recovered, new Recorder.GetState()));
        Assert.Equal(7, Ask<long>(recovered, new Recorder.GetLastSequenceNr()));
        Assert.Equal(withSnapshot ? 2 : 7, Ask<int>(recovered, new Recorder.GetReplayed()));
    }

    [SkippableFact]
    public void A_second_live_incarnation_of_a_persistence_id_cannot_write_over_the_first()
    {
        var first = Sys.ActorOf(Props.Create(() => new Recorder("r-1")));
        var second = Sys.ActorOf(Props.Create(() => new Recorder("r-1")));
        Assert.Equal("", Ask(first, new Recorder.GetState()));
        Assert.Equal("", Ask(second, new Recorder.GetState()));
        var watcher = CreateTestProbe();
        watcher.Watch(second);

        Assert.Equal("a1", Ask(first, new Recorder.PersistOne("a1")));
        second.Tell(new Recorder.PersistOne("b1"));

        watcher.ExpectTerminated(second, Patience); // a failed Persist stops the actor
        Stop(first);
        Assert.Equal("a1", Ask(Sys.ActorOf(Props.Create(() => new Recorder("r-1"))), new Recorder.GetState()));
    }

    [SkippableFact]
    public void Events_are_stored_as_the_HEAN_serializer_wrote_them_with_its_id_and_string_manifest()
    {
        var engaged = new KillSwitchEngaged(new DateTime(2024, 3, 1, 12, 0, 0, DateTimeKind.Utc), "drawdown", "risk", 95_000m);
        var actor = Sys.ActorOf(Props.Create(() => new Recorder("r-1")));
        Assert.Equal("ok", Ask(actor, new Recorder.PersistObject(engaged)));

        var raw = Redis.Db.SortedSetRangeByScore($"{Redis.Prefix}journal:{{r-1}}:events");
        var stored = StoredEvent.Decode((byte[])Assert.Single(raw)!);

        Assert.Equal(1, stored.SequenceNr);
        Assert.Equal(HeanEventSerializer.SerializerId, stored.SerializerId);
        Assert.Equal("kill-switch-engaged.v1", stored.SerializerManifest);
        var serializer = Sys.Serialization.FindSerializerForType(typeof(KillSwitchEngaged));
        Assert.Equal(serializer.ToBinary(engaged), stored.Payload);
        Stop(actor);
        Assert.Equal(engaged, Ask<object>(Sys.ActorOf(Props.Create(() => new Recorder("r-1"))), new Recorder.GetLastObject()));
    }

    [SkippableFact]
    public void Every_key_of_one_persistence_id_is_in_the_same_cluster_slot()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Recorder("order-BTCUSDT-1")));
        actor.Tell(new Recorder.PersistMany(["a", "b"]), ActorRefs.NoSender);
        actor.Tell(new Recorder.Snapshot(), TestActor);
        ExpectMsg<SaveSnapshotSuccess>(Patience);

        var all = Redis.Keys();
        var keys = all.Where(k => k.ToString().Contains("{order-BTCUSDT-1}", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, keys.Count); // events, highest, snapshot index, snapshot data
        Assert.Single(keys.Select(k => Redis.Connection.HashSlot(k)).Distinct());
        // Besides them only the journal-wide indexes, which span ids: all events and the persistence ids.
        Assert.Equal([Redis.Prefix + "all", Redis.Prefix + "persistence-ids"], all.Except(keys).Select(k => k.ToString()).Order());
    }

    [SkippableFact]
    public void The_plugins_own_their_connections_and_close_them_when_the_system_stops()
    {
        var actor = Sys.ActorOf(Props.Create(() => new Recorder("r-1")));
        actor.Tell(new Recorder.PersistOne("a"), ActorRefs.NoSender);
        actor.Tell(new Recorder.Snapshot(), TestActor);
        ExpectMsg<SaveSnapshotSuccess>(Patience);
        Assert.True(Redis.OpenClients() >= 2, $"journal and snapshot store connections open, saw {Redis.OpenClients()}");

        Shutdown(Sys, Patience);

        Assert.True(SpinWait.SpinUntil(() => Redis.OpenClients() == 0, Patience), $"{Redis.OpenClients()} connections left open");
    }

    private string Ask(IActorRef actor, object message) => Ask<string>(actor, message);

    private T Ask<T>(IActorRef actor, object message) => actor.Ask<T>(message, Patience).GetAwaiter().GetResult();

    private void Stop(IActorRef actor)
    {
        var watcher = CreateTestProbe();
        watcher.Watch(actor);
        Sys.Stop(actor);
        watcher.ExpectTerminated(actor, Patience);
    }
}

/// <summary>Records strings in order; each command exercises one way of persisting.</summary>
internal sealed class Recorder : ReceivePersistentActor
{
    public sealed record PersistOne(string Event);
    public sealed record PersistOneAsync(string Event);
    public sealed record PersistMany(string[] Events);
    public sealed record PersistObject(object Event);
    public sealed record Defer(string Tag);
    public sealed record Snapshot;
    public sealed record GetState;
    public sealed record GetLastSequenceNr;
    public sealed record GetReplayed;
    public sealed record GetLastObject;

    private List<string> _events = [];
    private object? _lastObject;
    private int _replayed;
    private IActorRef _snapshotRequester = ActorRefs.Nobody;

    public Recorder(string persistenceId)
    {
        PersistenceId = persistenceId;
        Recover<SnapshotOffer>(o => _events = ((string[])o.Snapshot).ToList());
        Recover<string>(e =>
        {
            _events.Add(e);
            _replayed++;
        });
        Recover<RecoveryCompleted>(_ => { });
        Recover<object>(e =>
        {
            _lastObject = e;
            _replayed++;
        });

        Command<PersistOne>(m => Persist(m.Event, Record));
        Command<PersistOneAsync>(m => PersistAsync(m.Event, Record));
        Command<PersistMany>(m => PersistAll(m.Events, Record));
        Command<PersistObject>(m => Persist(m.Event, e =>
        {
            _lastObject = e;
            Sender.Tell("ok");
        }));
        Command<Defer>(m => DeferAsync("deferred:" + m.Tag, d => Sender.Tell(d)));
        Command<Snapshot>(_ =>
        {
            _snapshotRequester = Sender;
            SaveSnapshot(_events.ToArray());
        });
        Command<SaveSnapshotSuccess>(s => _snapshotRequester.Tell(s));
        Command<GetState>(_ => Sender.Tell(string.Join(",", _events)));
        Command<GetLastSequenceNr>(_ => Sender.Tell(LastSequenceNr));
        Command<GetReplayed>(_ => Sender.Tell(_replayed));
        Command<GetLastObject>(_ => Sender.Tell(_lastObject ?? "none"));
    }

    public override string PersistenceId { get; }

    private void Record(string e)
    {
        _events.Add(e);
        Sender.Tell(e);
    }
}
