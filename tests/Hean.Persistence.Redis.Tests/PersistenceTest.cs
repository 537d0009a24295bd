using Akka.Actor;
using Xunit.Abstractions;

namespace Hean.Persistence.Redis.Tests;

/// <summary>A TestKit on HEAN's configuration for one backend, in a corner of the real server of its own.</summary>
public abstract class PersistenceTest : Akka.TestKit.Xunit2.TestKit
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private protected PersistenceTest(Backend backend, ITestOutputHelper? output = null, string? extraHocon = null)
        : this(TestStore.Create(backend, extraHocon), output)
    {
    }

    private PersistenceTest(TestStore store, ITestOutputHelper? output)
        : base(store.Config, "hean-persistence-test", output)
    {
        Store = store;
    }

    private protected TestStore Store { get; }

    private protected RedisTestStore Redis => (RedisTestStore)Store;

    protected IActorRef Journal => Akka.Persistence.Persistence.Instance.Apply(Sys).JournalFor(null);

    protected IActorRef SnapshotStore => Akka.Persistence.Persistence.Instance.Apply(Sys).SnapshotStoreFor(null);

    protected override void AfterAll()
    {
        base.AfterAll();
        Store.Dispose();
    }
}
