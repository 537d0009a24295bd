using Akka.Persistence;
using Akka.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Persistence.Redis.Tests;

/// <summary>
/// The Akka.Persistence snapshot store contract (what the upstream TCK checks: selection by
/// sequence number and timestamp bounds, single and criteria deletes, overwrite), against a real Redis.
/// Five snapshots s-1..s-5 at sequence numbers 1..5, one minute apart.
/// </summary>
public class SnapshotStoreContractTests : PersistenceTest
{
    private const string Pid = "p-1";
    private static readonly DateTime T0 = new(2024, 3, 1, 12, 0, 0, DateTimeKind.Utc);
    private readonly TestProbe _sender;
    private readonly SnapshotMetadata[] _saved;

    public SnapshotStoreContractTests(ITestOutputHelper output) : this(Backend.Redis, output)
    {
    }

    private protected SnapshotStoreContractTests(Backend backend, ITestOutputHelper output) : base(backend, output)
    {
        _sender = CreateTestProbe();
        _saved = Enumerable.Range(1, 5).Select(i => Save($"s-{i}", i, T0.AddMinutes(i))).ToArray();
    }

    private SnapshotMetadata Save(object snapshot, long seq, DateTime timestamp, string pid = Pid)
    {
        var metadata = new SnapshotMetadata(pid, seq, timestamp);
        SnapshotStore.Tell(new SaveSnapshot(metadata, snapshot), _sender.Ref);
        Assert.Equal(metadata, _sender.ExpectMsg<SaveSnapshotSuccess>(Patience).Metadata);
        return metadata;
    }

    private SelectedSnapshot? Load(SnapshotSelectionCriteria criteria, long toSequenceNr = long.MaxValue, string pid = Pid)
    {
        SnapshotStore.Tell(new LoadSnapshot(pid, criteria, toSequenceNr), _sender.Ref);
        var result = _sender.ExpectMsg<LoadSnapshotResult>(Patience);
        Assert.Equal(toSequenceNr, result.ToSequenceNr);
        return result.Snapshot;
    }

    private void AssertLoaded(SelectedSnapshot? loaded, int index)
    {
        Assert.NotNull(loaded);
        Assert.Equal($"s-{index}", loaded.Snapshot);
        Assert.Equal(_saved[index - 1].PersistenceId, loaded.Metadata.PersistenceId);
        Assert.Equal(_saved[index - 1].SequenceNr, loaded.Metadata.SequenceNr);
        Assert.Equal(_saved[index - 1].Timestamp, loaded.Metadata.Timestamp);
    }

    [SkippableFact]
    public void Nothing_is_loaded_for_an_unknown_persistence_id() =>
        Assert.Null(Load(SnapshotSelectionCriteria.Latest, pid: "unknown"));

    [SkippableFact]
    public void Nothing_is_loaded_when_no_timestamp_matches() =>
        Assert.Null(Load(new SnapshotSelectionCriteria(long.MaxValue, T0)));

    [SkippableFact]
    public void Nothing_is_loaded_when_no_sequence_number_matches()
    {
        Assert.Null(Load(new SnapshotSelectionCriteria(0)));
        Assert.Null(Load(SnapshotSelectionCriteria.Latest, toSequenceNr: 0));
        Assert.Null(Load(new SnapshotSelectionCriteria(long.MaxValue, DateTime.MaxValue, minSequenceNr: 6)));
    }

    [SkippableFact]
    public void The_latest_snapshot_is_loaded() => AssertLoaded(Load(SnapshotSelectionCriteria.Latest), 5);

    [SkippableFact]
    public void The_latest_snapshot_within_the_upper_sequence_bound_is_loaded()
    {
        AssertLoaded(Load(new SnapshotSelectionCriteria(3)), 3);
        AssertLoaded(Load(SnapshotSelectionCriteria.Latest, toSequenceNr: 3), 3);
        AssertLoaded(Load(new SnapshotSelectionCriteria(4), toSequenceNr: 2), 2);
    }

    [SkippableFact]
    public void The_latest_snapshot_within_the_sequence_and_timestamp_bounds_is_loaded()
    {
        AssertLoaded(Load(new SnapshotSelectionCriteria(4, _saved[1].Timestamp)), 2);
        AssertLoaded(Load(new SnapshotSelectionCriteria(long.MaxValue, _saved[2].Timestamp.AddSeconds(30))), 3);
    }

    [SkippableFact]
    public void Lower_bounds_on_sequence_number_and_timestamp_are_respected()
    {
        AssertLoaded(Load(new SnapshotSelectionCriteria(4, DateTime.MaxValue, minSequenceNr: 2, minTimestamp: _saved[2].Timestamp)), 4);
        Assert.Null(Load(new SnapshotSelectionCriteria(2, DateTime.MaxValue, minSequenceNr: 1, minTimestamp: _saved[2].Timestamp)));
    }

    [SkippableFact]
    public void A_single_snapshot_is_deleted_by_its_metadata()
    {
        SnapshotStore.Tell(new DeleteSnapshot(_saved[2]), _sender.Ref);
        _sender.ExpectMsg<DeleteSnapshotSuccess>(Patience);

        AssertLoaded(Load(new SnapshotSelectionCriteria(3)), 2);
        AssertLoaded(Load(SnapshotSelectionCriteria.Latest), 5);
    }

    [SkippableFact]
    public void A_delete_by_metadata_with_another_timestamp_keeps_the_snapshot_and_one_without_a_timestamp_deletes_it()
    {
        // Metadata of an older snapshot at the same sequence number must not delete the one stored now.
        SnapshotStore.Tell(new DeleteSnapshot(new SnapshotMetadata(Pid, 3, T0.AddMinutes(3).AddSeconds(-1))), _sender.Ref);
        _sender.ExpectMsg<DeleteSnapshotSuccess>(Patience);
        AssertLoaded(Load(new SnapshotSelectionCriteria(3)), 3);

        SnapshotStore.Tell(new DeleteSnapshot(new SnapshotMetadata(Pid, 3, DateTime.MinValue)), _sender.Ref);
        _sender.ExpectMsg<DeleteSnapshotSuccess>(Patience);
        AssertLoaded(Load(new SnapshotSelectionCriteria(3)), 2);
    }

    [SkippableFact]
    public void Snapshots_matching_the_criteria_are_deleted_and_the_others_kept()
    {
        var criteria = new SnapshotSelectionCriteria(3, _saved[2].Timestamp);
        SnapshotStore.Tell(new DeleteSnapshots(Pid, criteria), _sender.Ref);
        Assert.Equal(criteria, _sender.ExpectMsg<DeleteSnapshotsSuccess>(Patience).Criteria);

        Assert.Null(Load(new SnapshotSelectionCriteria(3)));
        AssertLoaded(Load(new SnapshotSelectionCriteria(4)), 4);
        AssertLoaded(Load(SnapshotSelectionCriteria.Latest), 5);
    }

    [SkippableFact]
    public void Criteria_whose_timestamp_bound_matches_nothing_delete_nothing()
    {
        SnapshotStore.Tell(new DeleteSnapshots(Pid, new SnapshotSelectionCriteria(3, _saved[0].Timestamp.AddSeconds(-1))), _sender.Ref);
        _sender.ExpectMsg<DeleteSnapshotsSuccess>(Patience);

        for (var i = 1; i <= 5; i++) AssertLoaded(Load(new SnapshotSelectionCriteria(i)), i);
    }

    [SkippableFact]
    public void Deleting_everything_leaves_nothing_to_load()
    {
        SnapshotStore.Tell(new DeleteSnapshots(Pid, SnapshotSelectionCriteria.Latest), _sender.Ref);
        _sender.ExpectMsg<DeleteSnapshotsSuccess>(Patience);

        Assert.Null(Load(SnapshotSelectionCriteria.Latest));
    }

    [SkippableFact]
    public void A_snapshot_saved_again_at_the_same_sequence_number_replaces_the_old_one()
    {
        var later = T0.AddHours(1);
        Save("s-5 again", 5, later);

        var loaded = Load(SnapshotSelectionCriteria.Latest);
        Assert.NotNull(loaded);
        Assert.Equal("s-5 again", loaded.Snapshot);
        Assert.Equal(later, loaded.Metadata.Timestamp);
        // The replaced one is gone, not merely shadowed: a bound that only it matched finds s-4.
        AssertLoaded(Load(new SnapshotSelectionCriteria(5, _saved[4].Timestamp)), 4);
    }

    [SkippableFact]
    public void A_large_snapshot_round_trips_byte_for_byte()
    {
        var big = new byte[4 * 1024 * 1024];
        new Random(7).NextBytes(big);
        Save(big, 6, T0.AddMinutes(6));

        var loaded = Load(SnapshotSelectionCriteria.Latest);
        Assert.NotNull(loaded);
        Assert.Equal(big, Assert.IsType<byte[]>(loaded.Snapshot));
    }

    [SkippableFact]
    public void Snapshots_of_other_persistence_ids_are_untouched()
    {
        Save("other", 9, T0, pid: "p-2");

        SnapshotStore.Tell(new DeleteSnapshots(Pid, SnapshotSelectionCriteria.Latest), _sender.Ref);
        _sender.ExpectMsg<DeleteSnapshotsSuccess>(Patience);

        Assert.Equal("other", Load(SnapshotSelectionCriteria.Latest, pid: "p-2")?.Snapshot);
    }

    [SkippableFact]
    public void A_snapshot_that_cannot_be_serialized_fails_the_save_and_keeps_the_previous_one()
    {
        SnapshotStore.Tell(new SaveSnapshot(new SnapshotMetadata(Pid, 6, T0.AddMinutes(6)), new NotSerializable("no")), _sender.Ref);

        Assert.Contains("cannot be serialized", _sender.ExpectMsg<SaveSnapshotFailure>(Patience).Cause.Message);
        AssertLoaded(Load(SnapshotSelectionCriteria.Latest), 5);
    }
}
