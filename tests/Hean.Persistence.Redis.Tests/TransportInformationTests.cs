using Akka.Actor;
using Akka.Persistence;
using Akka.TestKit;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Persistence.Redis.Tests;

/// <summary>An event and a snapshot holding an actor reference, with remoting on: stored and read back with the full address.</summary>
public class TransportInformationTests : PersistenceTest
{
    private const string Remoting = """
        akka.actor.provider = remote
        akka.remote.dot-netty.tcp { hostname = "127.0.0.1", port = 0 }
        akka.actor.serializers.transport-checking = "Hean.Persistence.Redis.Tests.TransportCheckingSerializer, Hean.Persistence.Redis.Tests"
        akka.actor.serialization-bindings { "Hean.Persistence.Redis.Tests.TransportInformationTests+HoldsRef, Hean.Persistence.Redis.Tests" = transport-checking }
        akka.actor.serialization-identifiers { "Hean.Persistence.Redis.Tests.TransportCheckingSerializer, Hean.Persistence.Redis.Tests" = 7499 }
        """;

    private readonly TestProbe _sender;

    public TransportInformationTests(ITestOutputHelper output) : base(Backend.Redis, output, Remoting)
    {
        _sender = CreateTestProbe();
    }

    /// <summary>Serialized by <see cref="TransportCheckingSerializer"/>, which, like the TCK's, needs the transport information.</summary>
    public sealed record HoldsRef(IActorRef Target, string Note);

    private Address Self => ((ExtendedActorSystem)Sys).Provider.DefaultAddress;

    [SkippableFact]
    public void An_event_holding_an_actor_ref_round_trips_through_the_journal_with_its_full_address()
    {
        Assert.True(Self.HasGlobalScope, "remoting is on: the system has a host and port");
        var target = CreateTestProbe().Ref;
        Journal.Tell(new WriteMessages([new AtomicWrite(new Persistent(new HoldsRef(target, "e1"), 1, "ref-1", "", false, ActorRefs.NoSender, "w"))],
            _sender.Ref, 1));
        _sender.ExpectMsg<WriteMessagesSuccessful>(Patience);
        _sender.ExpectMsg<WriteMessageSuccess>(Patience); // not rejected for want of transport information

        Journal.Tell(new ReplayMessages(1, long.MaxValue, long.MaxValue, "ref-1", _sender.Ref));
        var replayed = (HoldsRef)_sender.ExpectMsg<ReplayedMessage>(Patience).Persistent.Payload;
        _sender.ExpectMsg<RecoverySuccess>(Patience);
        Assert.Equal(target, replayed.Target);
        // What is stored is the full address, reachable from another node: host and port of this system.
        Assert.Contains(Stored("journal:{ref-1}:events"), s => s.Contains(FullAddress, StringComparison.Ordinal));
    }

    [SkippableFact]
    public void A_snapshot_holding_an_actor_ref_round_trips_with_its_full_address()
    {
        var target = CreateTestProbe().Ref;
        var metadata = new SnapshotMetadata("ref-2", 1, DateTime.UtcNow);
        SnapshotStore.Tell(new SaveSnapshot(metadata, new HoldsRef(target, "s1")), _sender.Ref);
        _sender.ExpectMsg<SaveSnapshotSuccess>(Patience);

        SnapshotStore.Tell(new LoadSnapshot("ref-2", SnapshotSelectionCriteria.Latest, long.MaxValue), _sender.Ref);
        var loaded = (HoldsRef)_sender.ExpectMsg<LoadSnapshotResult>(Patience).Snapshot!.Snapshot;
        Assert.Equal(target, loaded.Target);
        Assert.Contains(Stored("snapshot:{ref-2}:data"), s => s.Contains(FullAddress, StringComparison.Ordinal));
    }

    private string FullAddress => $"@{Self.Host}:{Self.Port}/";

    /// <summary>The raw values under one of the plugins' keys, as text.</summary>
    private IEnumerable<string> Stored(string key)
    {
        var redisKey = (StackExchange.Redis.RedisKey)(Redis.Prefix + key);
        var type = Redis.Db.KeyType(redisKey);
        var values = type == StackExchange.Redis.RedisType.Hash
            ? Redis.Db.HashValues(redisKey)
            : Redis.Db.SortedSetRangeByRank(redisKey);
        return values.Select(v => System.Text.Encoding.UTF8.GetString((byte[])v!));
    }
}

/// <summary>
/// Like the serializer of Akka's persistence TCK: an actor reference is written with the address of the transport it
/// goes out on, so serializing outside <c>Serialization.WithTransport</c> fails ("CurrentTransportInformation was not
/// set"), as it would for any serializer that must produce references another node can reach.
/// </summary>
public sealed class TransportCheckingSerializer(ExtendedActorSystem system) : Akka.Serialization.SerializerWithStringManifest(system)
{
    public override int Identifier => 7499;

    public override string Manifest(object o) => "holds-ref";

    public override byte[] ToBinary(object obj)
    {
        // Throws "CurrentTransportInformation is not set" outside Serialization.WithTransport.
        var info = Akka.Serialization.Serialization.GetCurrentTransportInformation();
        var held = (TransportInformationTests.HoldsRef)obj;
        var path = held.Target.Path.ToStringWithAddress(info.Address);
        return System.Text.Encoding.UTF8.GetBytes(path + "\n" + held.Note);
    }

    public override object FromBinary(byte[] bytes, string manifest)
    {
        var parts = System.Text.Encoding.UTF8.GetString(bytes).Split('\n', 2);
        return new TransportInformationTests.HoldsRef(system.Provider.ResolveActorRef(parts[0]), parts[1]);
    }
}
