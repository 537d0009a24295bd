using System.Text.Json;
using Hean.Core.Execution;
using Hean.ML.Rl;
using Xunit;

namespace Hean.ML.Tests.Rl;

public sealed class RlPolicyStoreTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "hean-rl-store-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    private static RlPolicy Policy(double scale)
    {
        var space = new RlStateSpace(2, 2, [1.5, 3.25], [-1.0 / 3, 1.0 / 3], [0.1]);
        var q = Enumerable.Range(0, space.Count * RlPolicy.Actions).Select(i => -i * scale / 7.0).ToArray(); // non-terminating decimals
        var visits = Enumerable.Range(0, q.Length).Select(i => i % 5).ToArray();
        return new RlPolicy(RlPolicy.CurrentFormat, space, q, visits);
    }

    private static RlPolicyInfo Info() => new("", ModelKinds.RlExecution, RlPolicy.CurrentFormat, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc),
        ["a.gz"], "abc", ["b.gz"], "BTCUSDT", 0.5m, TimeSpan.FromSeconds(60), 6, TimeSpan.FromSeconds(1), 10, 42, 100,
        [new AlgoScore("rl", 10, 1.5, 0.2, 1, 1.2, 1.8)]);

    [Fact]
    public void A_saved_policy_loads_back_equal_and_acts_the_same_and_versions_count_up()
    {
        var store = new RlPolicyStore(_root);
        var first = store.Save(Policy(1), Info());
        var second = store.Save(Policy(2), Info());
        Assert.Equal(["v0001", "v0002"], store.Versions());
        Assert.Equal("v0001", first.Version);
        Assert.True(File.Exists(Path.Combine(_root, "rl-execution", "v0002", RlPolicyStore.PolicyFileName)));
        Assert.True(File.Exists(Path.Combine(_root, "rl-execution", "v0002", RlPolicyStore.InfoFileName)));

        var (latest, info) = store.Load();
        Assert.Equal("v0002", info.Version);
        Assert.Equal(Policy(2).Q, latest.Q); // bit for bit
        Assert.Equal(Policy(2).Visits, latest.Visits);
        Assert.Equal(Policy(2).States.SpreadEdgesBps, latest.States.SpreadEdgesBps);
        Assert.Equal(second with { Evaluation = [], TrainData = [], TestData = [] }, info with { Evaluation = [], TrainData = [], TestData = [] });
        Assert.Equal(second.Evaluation, info.Evaluation);
        Assert.Equal(second.TrainData, info.TrainData);
        Assert.Equal(second.TestData, info.TestData);
        var (v1, _) = store.Load("v0001");
        Assert.Equal(Policy(1).Q, v1.Q);
        for (var s = 0; s < latest.States.Count; s++) Assert.Equal(Policy(2).Greedy(s), latest.Greedy(s));
    }

    [Fact]
    public void Unknown_versions_and_bad_files_are_refused_with_a_clear_error()
    {
        var store = new RlPolicyStore(_root);
        Assert.Contains("no saved policy", Assert.Throws<ArgumentException>(() => store.Load()).Message);
        store.Save(Policy(1), Info());
        Assert.Contains("no policy version 'v0009'", Assert.Throws<ArgumentException>(() => store.Load("v0009")).Message);

        var path = Path.Combine(_root, "rl-execution", "v0001", RlPolicyStore.PolicyFileName);
        var wrongFormat = Policy(1) with { Format = 99 };
        File.WriteAllText(path, JsonSerializer.Serialize(wrongFormat));
        Assert.Contains("format 99 is not supported", Assert.Throws<FormatException>(() => store.Load("v0001")).Message);
        File.WriteAllText(path, JsonSerializer.Serialize(Policy(1) with { Q = [1, 2, 3] }));
        Assert.Contains("Q-table has 3 values", Assert.Throws<FormatException>(() => store.Load("v0001")).Message);
        File.WriteAllText(path, "{ not json");
        Assert.Contains("is not valid", Assert.Throws<FormatException>(() => store.Load("v0001")).Message);
    }

    [Fact]
    public void The_data_hash_depends_on_the_bytes_and_their_order()
    {
        Directory.CreateDirectory(_root);
        var (a, b) = (Path.Combine(_root, "a"), Path.Combine(_root, "b"));
        File.WriteAllText(a, "one");
        File.WriteAllText(b, "two");
        Assert.Equal(RlPolicyStore.HashOf([a, b]), RlPolicyStore.HashOf([a, b]));
        Assert.NotEqual(RlPolicyStore.HashOf([a, b]), RlPolicyStore.HashOf([b, a]));
        Assert.Equal(64, RlPolicyStore.HashOf([a]).Length);
    }
}
