using Xunit.Abstractions;

namespace Hean.Persistence.Redis.Tests;

// The same contracts on a Redis Cluster node (scripts/services.sh starts one that owns every
// slot): Redis refuses any script or transaction whose keys span slots, so these pass only if
// every key of one persistence id shares its hash tag and the tag indexes are written apart.

public sealed class ClusterJournalContractTests(ITestOutputHelper output) : JournalContractTests(Backend.RedisCluster, output);

public sealed class ClusterSnapshotStoreContractTests(ITestOutputHelper output) : SnapshotStoreContractTests(Backend.RedisCluster, output);

public sealed class ClusterReadJournalTests(ITestOutputHelper output) : ReadJournalTests(Backend.RedisCluster, output);
