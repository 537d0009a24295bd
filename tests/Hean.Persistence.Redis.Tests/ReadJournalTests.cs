using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Akka.TestKit;
using Hean.Persistence.Redis.Query;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Persistence.Redis.Tests;

/// <summary>
/// Akka.Persistence.Query on the Redis journal: by persistence id and by tag, current and live.
/// Events x1[t], y1[t], x2[u], y2[t,u] are written through the journal before each test.
/// </summary>
public class ReadJournalTests : PersistenceTest
{
    private const string ExtraHocon = "akka.persistence.query.journal.redis.refresh-interval = 50ms";
    private readonly TestProbe _writer;
    private readonly RedisReadJournal _queries;

    public ReadJournalTests(ITestOutputHelper output) : this(Backend.Redis, output)
    {
    }

    private protected ReadJournalTests(Backend backend, ITestOutputHelper output) : base(backend, output, ExtraHocon)
    {
        _writer = CreateTestProbe();
        _queries = PersistenceQuery.Get(Sys).ReadJournalFor<RedisReadJournal>(RedisReadJournal.Identifier);
        Write(("x", 1, "x1", ["t"]), ("y", 1, "y1", ["t"]), ("x", 2, "x2", ["u"]), ("y", 2, "y2", ["t", "u"]));
    }

    private void Write(params (string Pid, long Seq, string Event, string[] Tags)[] events)
    {
        var writes = events.Select(e => new AtomicWrite(new Persistent(
            e.Tags.Length == 0 ? e.Event : new Tagged(e.Event, e.Tags), e.Seq, e.Pid, "", false, ActorRefs.NoSender, "w"))).ToArray();
        Journal.Tell(new WriteMessages(writes, _writer.Ref, 1));
        _writer.ExpectMsg<WriteMessagesSuccessful>(Patience);
        _writer.ReceiveN(events.Length, Patience).ToList().ForEach(m => Assert.IsType<WriteMessageSuccess>(m));
    }

    private IReadOnlyList<EventEnvelope> All(Source<EventEnvelope, Akka.NotUsed> source)
    {
        var all = source.RunWith(Sink.Seq<EventEnvelope>(), Sys.Materializer());
        Assert.True(all.Wait(Patience), "a current query must complete");
        return all.Result;
    }

    private TestProbe Follow(Source<EventEnvelope, Akka.NotUsed> source)
    {
        var probe = CreateTestProbe();
        source.RunWith(Sink.ActorRef<EventEnvelope>(probe.Ref, "completed", _ => "failed"), Sys.Materializer());
        return probe;
    }

    private static string[] Events(IEnumerable<EventEnvelope> envelopes) => envelopes.Select(e => (string)e.Event).ToArray();

    [SkippableFact]
    public void Current_events_by_persistence_id_returns_the_range_and_completes()
    {
        Write(("x", 3, "x3", []), ("x", 4, "x4", []));

        var events = All(_queries.CurrentEventsByPersistenceId("x", 2, 3));

        Assert.Equal(["x2", "x3"], Events(events));
        Assert.Equal([2L, 3], events.Select(e => e.SequenceNr));
        Assert.All(events, e => Assert.Equal("x", e.PersistenceId));
        Assert.Equal([new Sequence(2), new Sequence(3)], events.Select(e => e.Offset));
        Assert.Equal(["x1", "x2", "x3", "x4"], Events(All(_queries.CurrentEventsByPersistenceId("x", 0, long.MaxValue))));
        Assert.Empty(All(_queries.CurrentEventsByPersistenceId("nobody", 0, long.MaxValue)));
    }

    [SkippableFact]
    public void Live_events_by_persistence_id_delivers_later_events_and_stops_at_the_upper_bound()
    {
        var probe = Follow(_queries.EventsByPersistenceId("x", 2, 4));
        Assert.Equal("x2", (string)probe.ExpectMsg<EventEnvelope>(Patience).Event);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        Write(("x", 3, "x3", []), ("x", 4, "x4", []), ("x", 5, "x5", []));

        Assert.Equal("x3", (string)probe.ExpectMsg<EventEnvelope>(Patience).Event);
        Assert.Equal("x4", (string)probe.ExpectMsg<EventEnvelope>(Patience).Event);
        probe.ExpectMsg("completed", Patience);
    }

    [SkippableFact]
    public void Current_events_by_tag_are_in_write_order_with_positions_as_offsets_and_tags_attached()
    {
        var t = All(_queries.CurrentEventsByTag("t", Offset.NoOffset()));
        var u = All(_queries.CurrentEventsByTag("u", Offset.NoOffset()));

        Assert.Equal(["x1", "y1", "y2"], Events(t));
        Assert.Equal([new Sequence(1), new Sequence(2), new Sequence(3)], t.Select(e => e.Offset));
        Assert.Equal([("x", 1L), ("y", 1L), ("y", 2L)], t.Select(e => (e.PersistenceId, e.SequenceNr)));
        Assert.Equal(["t", "u"], t[2].Tags.Order());
        Assert.Equal(["x2", "y2"], Events(u));
    }

    [SkippableFact]
    public void An_offset_is_exclusive_so_a_projection_resumes_after_the_last_event_it_handled()
    {
        Assert.Equal(["y1", "y2"], Events(All(_queries.CurrentEventsByTag("t", new Sequence(1)))));
        Assert.Equal(["y2"], Events(All(_queries.CurrentEventsByTag("t", new Sequence(2)))));
        Assert.Empty(All(_queries.CurrentEventsByTag("t", new Sequence(3))));
        Assert.Empty(All(_queries.CurrentEventsByTag("never-used", Offset.NoOffset())));
    }

    [SkippableFact]
    public void Live_events_by_tag_delivers_events_written_after_it_started()
    {
        var probe = Follow(_queries.EventsByTag("t", new Sequence(2)));
        Assert.Equal("y2", (string)probe.ExpectMsg<EventEnvelope>(Patience).Event);
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(200));

        Write(("z", 1, "z1", ["t"]), ("x", 3, "x3", ["u"]), ("x", 4, "x4", ["t"]));

        var z1 = probe.ExpectMsg<EventEnvelope>(Patience);
        Assert.Equal(("z1", new Sequence(4)), ((string)z1.Event, (Sequence)z1.Offset));
        var x4 = probe.ExpectMsg<EventEnvelope>(Patience);
        Assert.Equal(("x4", new Sequence(5)), ((string)x4.Event, (Sequence)x4.Offset));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(200));
    }

    [SkippableFact]
    public void Events_deleted_from_the_journal_are_skipped_by_tag_queries()
    {
        Journal.Tell(new DeleteMessagesTo("x", 1, _writer.Ref));
        _writer.ExpectMsg<DeleteMessagesSuccess>(Patience);

        var t = All(_queries.CurrentEventsByTag("t", Offset.NoOffset()));

        Assert.Equal(["y1", "y2"], Events(t));
        Assert.Equal([new Sequence(2), new Sequence(3)], t.Select(e => e.Offset));
    }

    /// <summary>A subscriber that asks for exactly <paramref name="demand"/> elements, never more.</summary>
    private sealed class ExactDemand(long demand) : Reactive.Streams.ISubscriber<EventEnvelope>
    {
        public readonly List<string> Received = [];
        public readonly TaskCompletionSource Completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public Reactive.Streams.ISubscription? Subscription;

        public void OnSubscribe(Reactive.Streams.ISubscription subscription)
        {
            Subscription = subscription;
            if (demand > 0) subscription.Request(demand);
        }

        public void OnNext(EventEnvelope element)
        {
            lock (Received) Received.Add((string)element.Event);
        }

        public void OnError(Exception cause) => Completed.TrySetException(cause);

        public void OnComplete() => Completed.TrySetResult();
    }

    [SkippableFact]
    public void Current_queries_complete_when_the_subscribers_demand_is_used_up_exactly()
    {
        // x holds x1, x2; tag t holds x1, y1, y2: a subscriber asking for exactly that many must see completion.
        foreach (var (source, count, expected) in new (Source<EventEnvelope, Akka.NotUsed>, long, string[])[]
                 {
                     (_queries.CurrentEventsByPersistenceId("x", 0, long.MaxValue), 2, ["x1", "x2"]),
                     (_queries.CurrentEventsByTag("t", Offset.NoOffset()), 3, ["x1", "y1", "y2"]),
                 })
        {
            var subscriber = new ExactDemand(count);
            source.RunWith(Sink.FromSubscriber(subscriber), Sys.Materializer());
            Assert.True(subscriber.Completed.Task.Wait(Patience), $"completion after exactly {count} elements");
            Assert.Equal(expected, subscriber.Received);
        }
    }

    [SkippableFact]
    public void Current_events_by_persistence_id_stops_at_the_highest_sequence_number_stored_when_it_started()
    {
        var subscriber = new ExactDemand(1);
        _queries.CurrentEventsByPersistenceId("x", 0, long.MaxValue).RunWith(Sink.FromSubscriber(subscriber), Sys.Materializer());
        AwaitCondition(() => { lock (subscriber.Received) return subscriber.Received.Count == 1; }, Patience);

        Write(("x", 3, "x3", []), ("x", 4, "x4", [])); // after the query started
        subscriber.Subscription!.Request(10);

        Assert.True(subscriber.Completed.Task.Wait(Patience), "a current query must complete");
        Assert.Equal(["x1", "x2"], subscriber.Received);
    }

    [SkippableFact]
    public void All_events_come_in_write_order_with_positions_as_offsets_current_and_live()
    {
        var all = All(_queries.CurrentAllEvents(Offset.NoOffset()));
        Assert.Equal(["x1", "y1", "x2", "y2"], Events(all));
        Assert.Equal([new Sequence(1), new Sequence(2), new Sequence(3), new Sequence(4)], all.Select(e => e.Offset));
        Assert.Equal(["x2", "y2"], Events(All(_queries.CurrentAllEvents(new Sequence(2)))));

        var probe = Follow(_queries.AllEvents(new Sequence(3)));
        Assert.Equal("y2", (string)probe.ExpectMsg<EventEnvelope>(Patience).Event);
        Write(("z", 1, "z1", []));
        var z1 = probe.ExpectMsg<EventEnvelope>(Patience);
        Assert.Equal(("z1", new Sequence(5)), ((string)z1.Event, (Sequence)z1.Offset));
    }

    [SkippableFact]
    public void Persistence_ids_current_and_live_each_once_and_rebuilt_when_the_set_is_missing()
    {
        var ids = Sink.Seq<string>();
        var current = _queries.CurrentPersistenceIds().RunWith(ids, Sys.Materializer());
        Assert.True(current.Wait(Patience), "a current query must complete");
        Assert.Equal(["x", "y"], current.Result);

        var probe = CreateTestProbe();
        _queries.PersistenceIds().RunWith(Sink.ActorRef<string>(probe.Ref, "completed", _ => "failed"), Sys.Materializer());
        Assert.Equal(["x", "y"], new[] { probe.ExpectMsg<string>(Patience), probe.ExpectMsg<string>(Patience) });
        Write(("x", 3, "x3", []), ("z", 1, "z1", [])); // x again: not a new id
        Assert.Equal("z", probe.ExpectMsg<string>(Patience));
        probe.ExpectNoMsg(TimeSpan.FromMilliseconds(300));

        // A journal whose id set is gone (or that predates it): the ids are found again from its keys.
        Redis.Db.KeyDelete(Redis.Prefix + "persistence-ids");
        var rebuilt = _queries.CurrentPersistenceIds().RunWith(Sink.Seq<string>(), Sys.Materializer());
        Assert.True(rebuilt.Wait(Patience));
        Assert.Equal(["x", "y", "z"], rebuilt.Result);
    }
}
