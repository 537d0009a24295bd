using System.Collections.Immutable;
using Akka.Actor;
using Akka.Persistence;
using Akka.Persistence.Journal;
using Akka.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Persistence.Redis.Tests;

/// <summary>
/// The Akka.Persistence journal contract (what the upstream persistence TCK checks, and more),
/// spoken to the Redis journal actor directly, against a real Redis.
/// </summary>
public class JournalContractTests : PersistenceTest
{
    private const string Pid = "p-1";
    private const string Writer = "writer-1";
    private const int ActorInstanceId = 1;
    private readonly TestProbe _sender;

    public JournalContractTests(ITestOutputHelper output) : this(Backend.Redis, output)
    {
    }

    private protected JournalContractTests(Backend backend, ITestOutputHelper output) : base(backend, output) => _sender = CreateTestProbe();

    private static Persistent Event(object payload, long seq, string pid = Pid, string writer = Writer) =>
        new(payload, seq, pid, "", false, ActorRefs.NoSender, writer);

    private void Write(params AtomicWrite[] writes) =>
        Journal.Tell(new WriteMessages(writes, _sender.Ref, ActorInstanceId));

    /// <summary>Writes events from..to of <paramref name="pid"/>, one AtomicWrite each, and expects every one stored.</summary>
    private void WriteEvents(int from, int to, string pid = Pid)
    {
        Write(Enumerable.Range(from, to - from + 1).Select(i => new AtomicWrite(Event($"a-{i}", i, pid))).ToArray());
        _sender.ExpectMsg<WriteMessagesSuccessful>(Patience);
        for (var i = from; i <= to; i++)
        {
            var success = _sender.ExpectMsg<WriteMessageSuccess>(Patience);
            Assert.Equal(i, success.Persistent.SequenceNr);
            Assert.Equal(ActorInstanceId, success.ActorInstanceId);
        }
    }

    /// <summary>Replays and returns the replayed events and the highest sequence number the journal reports.</summary>
    private (IReadOnlyList<IPersistentRepresentation> Events, long Highest) Replay(long from, long to, long max, string pid = Pid)
    {
        Journal.Tell(new ReplayMessages(from, to, max, pid, _sender.Ref));
        var events = new List<IPersistentRepresentation>();
        while (true)
        {
            switch (_sender.ReceiveOne(Patience))
            {
                case ReplayedMessage replayed:
                    events.Add(replayed.Persistent);
                    break;
                case RecoverySuccess success:
                    return (events, success.HighestSequenceNr);
                case ReplayMessagesFailure failure:
                    throw new Xunit.Sdk.XunitException("replay failed: " + failure.Cause);
                case var other:
                    throw new Xunit.Sdk.XunitException($"unexpected reply {other}");
            }
        }
    }

    private static long[] Seqs((IReadOnlyList<IPersistentRepresentation> Events, long Highest) replay) =>
        replay.Events.Select(e => e.SequenceNr).ToArray();

    private void Delete(long to, string pid = Pid)
    {
        Journal.Tell(new DeleteMessagesTo(pid, to, _sender.Ref));
        Assert.Equal(to, _sender.ExpectMsg<DeleteMessagesSuccess>(Patience).ToSequenceNr);
    }

    [SkippableFact]
    public void Replays_all_events_in_order_with_their_envelope()
    {
        WriteEvents(1, 5);

        var replay = Replay(1, long.MaxValue, long.MaxValue);

        Assert.Equal([1L, 2, 3, 4, 5], Seqs(replay));
        Assert.Equal(5, replay.Highest);
        for (var i = 0; i < 5; i++)
        {
            var e = replay.Events[i];
            Assert.Equal($"a-{i + 1}", e.Payload);
            Assert.Equal(Pid, e.PersistenceId);
            Assert.Equal(Writer, e.WriterGuid);
            Assert.False(e.IsDeleted);
            Assert.True(e.Timestamp > 0);
        }
    }

    [SkippableTheory]
    [InlineData(3, long.MaxValue, long.MaxValue, new long[] { 3, 4, 5 })] // lower bound
    [InlineData(1, 3, long.MaxValue, new long[] { 1, 2, 3 })]             // upper bound
    [InlineData(1, long.MaxValue, 3, new long[] { 1, 2, 3 })]             // count limit
    [InlineData(2, 3, long.MaxValue, new long[] { 2, 3 })]                // both bounds
    [InlineData(2, 5, 2, new long[] { 2, 3 })]                            // bounds and count
    [InlineData(1, long.MaxValue, 0, new long[0])]                        // count 0
    [InlineData(3, 2, long.MaxValue, new long[0])]                        // lower above upper
    [InlineData(6, long.MaxValue, long.MaxValue, new long[0])]            // lower above the highest
    [InlineData(0, 0, long.MaxValue, new long[0])]                        // nothing at 0
    public void Replays_only_the_events_within_the_bounds_and_the_count(long from, long to, long max, long[] expected)
    {
        WriteEvents(1, 5);

        var replay = Replay(from, to, max);

        Assert.Equal(expected, Seqs(replay));
        Assert.Equal(5, replay.Highest); // the journal's highest, whatever the bounds
    }

    [SkippableFact]
    public void Replay_pages_through_more_events_than_one_batch_without_gaps()
    {
        // 2 000 per page by default: 4 500 events take three pages, a count limit stops inside the second.
        const int n = 4_500;
        Write(Enumerable.Range(1, n / 500).Select(b => new AtomicWrite(
            Enumerable.Range(b * 500 - 499, 500).Select(i => (IPersistentRepresentation)Event(i, i)).ToImmutableList())).ToArray());
        _sender.ExpectMsg<WriteMessagesSuccessful>(Patience);
        _sender.ReceiveN(n, Patience);

        Assert.Equal(Enumerable.Range(1, n).Select(i => (long)i), Seqs(Replay(1, long.MaxValue, long.MaxValue)));
        Assert.Equal(Enumerable.Range(1, 2_345).Select(i => (long)i), Seqs(Replay(1, long.MaxValue, 2_345)));
        Assert.Equal(Enumerable.Range(1_999, 2).Select(i => (long)i), Seqs(Replay(1_999, 2_000, long.MaxValue)));
    }

    [SkippableFact]
    public void Deleted_events_are_not_replayed()
    {
        WriteEvents(1, 5);

        Delete(3);

        var replay = Replay(1, long.MaxValue, long.MaxValue);
        Assert.Equal([4L, 5], Seqs(replay));
        Assert.Equal(5, replay.Highest);
    }

    [SkippableFact]
    public void The_highest_sequence_number_survives_deleting_every_event_and_the_sequence_continues()
    {
        WriteEvents(1, 5);

        Delete(long.MaxValue);

        var replay = Replay(1, long.MaxValue, long.MaxValue);
        Assert.Empty(replay.Events);
        Assert.Equal(5, replay.Highest);
        WriteEvents(6, 7);
        Assert.Equal([6L, 7], Seqs(Replay(1, long.MaxValue, long.MaxValue)));
    }

    [SkippableFact]
    public void An_unknown_persistence_id_replays_nothing_with_highest_zero()
    {
        WriteEvents(1, 2);

        var replay = Replay(1, long.MaxValue, long.MaxValue, pid: "never-written");

        Assert.Empty(replay.Events);
        Assert.Equal(0, replay.Highest);
    }

    [SkippableFact]
    public void A_write_that_cannot_be_serialized_is_rejected_and_the_others_of_the_batch_are_stored()
    {
        Write(new AtomicWrite(Event("a-1", 1)), new AtomicWrite(Event(new NotSerializable("no"), 2)), new AtomicWrite(Event("a-3", 3)));

        _sender.ExpectMsg<WriteMessagesSuccessful>(Patience);
        Assert.Equal(1, _sender.ExpectMsg<WriteMessageSuccess>(Patience).Persistent.SequenceNr);
        var rejected = _sender.ExpectMsg<WriteMessageRejected>(Patience);
        Assert.Equal(2, rejected.Persistent.SequenceNr);
        Assert.Contains("cannot be serialized", rejected.Cause.Message);
        Assert.Equal(3, _sender.ExpectMsg<WriteMessageSuccess>(Patience).Persistent.SequenceNr);

        var replay = Replay(1, long.MaxValue, long.MaxValue);
        Assert.Equal([1L, 3], Seqs(replay));
        Assert.Equal(3, replay.Highest);
        WriteEvents(4, 4); // the writer goes on after the rejected number
    }

    [SkippableFact]
    public void An_atomic_write_with_one_bad_event_stores_none_of_its_events()
    {
        WriteEvents(1, 1);
        var batch = ImmutableList.Create<IPersistentRepresentation>(Event("a-2", 2), Event(new NotSerializable("no"), 3), Event("a-4", 4));

        Write(new AtomicWrite(batch));

        _sender.ExpectMsg<WriteMessagesSuccessful>(Patience);
        Assert.Equal([2L, 3, 4], _sender.ReceiveN(3, Patience).Cast<WriteMessageRejected>().Select(r => r.Persistent.SequenceNr));
        Assert.Equal([1L], Seqs(Replay(1, long.MaxValue, long.MaxValue)));
    }

    [SkippableFact]
    public void An_atomic_write_of_several_events_is_stored_and_replayed_whole()
    {
        var batch = Enumerable.Range(1, 3).Select(i => (IPersistentRepresentation)Event($"a-{i}", i)).ToImmutableList();

        Write(new AtomicWrite(batch));

        _sender.ExpectMsg<WriteMessagesSuccessful>(Patience);
        Assert.Equal([1L, 2, 3], _sender.ReceiveN(3, Patience).Cast<WriteMessageSuccess>().Select(s => s.Persistent.SequenceNr));
        Assert.Equal(["a-1", "a-2", "a-3"], Replay(1, long.MaxValue, long.MaxValue).Events.Select(e => e.Payload));
    }

    [SkippableFact]
    public void A_second_writer_that_does_not_continue_the_sequence_fails_and_stores_nothing()
    {
        WriteEvents(1, 5);
        // Another incarnation that recovered at 3 and now writes 4..6 over the first one's 4 and 5.
        var stale = Enumerable.Range(4, 3).Select(i => (IPersistentRepresentation)Event($"stale-{i}", i, writer: "writer-2")).ToImmutableList();

        Write(new AtomicWrite(stale));

        var failed = _sender.ExpectMsg<WriteMessagesFailed>(Patience);
        Assert.Contains("another writer", failed.Cause.Message);
        Assert.Equal([4L, 5, 6], _sender.ReceiveN(3, Patience).Cast<WriteMessageFailure>().Select(f => f.Persistent.SequenceNr));
        var replay = Replay(1, long.MaxValue, long.MaxValue);
        Assert.Equal(["a-1", "a-2", "a-3", "a-4", "a-5"], replay.Events.Select(e => e.Payload));
        Assert.Equal(5, replay.Highest);
    }

    [SkippableFact]
    public void A_write_that_skips_sequence_numbers_fails_instead_of_leaving_a_gap()
    {
        WriteEvents(1, 2);

        Write(new AtomicWrite(Event("a-5", 5)));

        _sender.ExpectMsg<WriteMessagesFailed>(Patience);
        _sender.ExpectMsg<WriteMessageFailure>(Patience);
        Assert.Equal([1L, 2], Seqs(Replay(1, long.MaxValue, long.MaxValue)));
    }

    [SkippableFact]
    public void Many_writes_sent_without_waiting_are_stored_in_the_order_they_were_sent()
    {
        for (var batch = 0; batch < 10; batch++)
            Write(Enumerable.Range(batch * 100 + 1, 100).Select(i => new AtomicWrite(Event($"a-{i}", i))).ToArray());

        var successes = _sender.ReceiveN(10 * 101, Patience).OfType<WriteMessageSuccess>().Select(s => s.Persistent.SequenceNr);
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), successes);
        Assert.Equal(Enumerable.Range(1, 1000).Select(i => (long)i), Seqs(Replay(1, long.MaxValue, long.MaxValue)));
    }

    [SkippableFact]
    public void Writes_of_different_persistence_ids_in_one_batch_are_kept_apart()
    {
        Write(new AtomicWrite(Event("x-1", 1, "x")), new AtomicWrite(Event("y-1", 1, "y")), new AtomicWrite(Event("x-2", 2, "x")));
        _sender.ExpectMsg<WriteMessagesSuccessful>(Patience);
        _sender.ReceiveN(3, Patience);

        Assert.Equal(["x-1", "x-2"], Replay(1, long.MaxValue, long.MaxValue, "x").Events.Select(e => e.Payload));
        Assert.Equal(["y-1"], Replay(1, long.MaxValue, long.MaxValue, "y").Events.Select(e => e.Payload));
    }

    [SkippableFact]
    public void An_empty_write_succeeds_and_stores_nothing()
    {
        Journal.Tell(new WriteMessages([], _sender.Ref, ActorInstanceId));
        _sender.ExpectMsg<WriteMessagesSuccessful>(Patience);

        var replay = Replay(1, long.MaxValue, long.MaxValue);
        Assert.Empty(replay.Events);
        Assert.Equal(0, replay.Highest);
    }

    [SkippableFact]
    public void Tagged_events_are_replayed_without_their_tags_wrapper()
    {
        Write(new AtomicWrite(Event(new Tagged("a-1", ["orders", "fills"]), 1)), new AtomicWrite(Event("a-2", 2)));
        _sender.ExpectMsg<WriteMessagesSuccessful>(Patience);
        _sender.ReceiveN(2, Patience);

        Assert.Equal(["a-1", "a-2"], Replay(1, long.MaxValue, long.MaxValue).Events.Select(e => e.Payload));
    }
}
