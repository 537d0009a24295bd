using System.Collections.Immutable;
using System.Text;
using Akka.Serialization;
using Hean.Actors.Execution;
using Hean.Actors.Persistence;
using Hean.Core.Domain;
using Hean.Core.Execution;
using Hean.Core.Orders;
using Xunit;
using static Hean.Actors.Tests.Fixtures;

namespace Hean.Actors.Tests.Execution;

/// <summary>Everything the router and the algorithms persist has a stable manifest and reads back equal.</summary>
public sealed class AlgoSerializationTests() : HeanActorTest(PersistenceBackend.InMemory)
{
    private static readonly Instrument BtcRules = InstrumentCatalog.Default.Get(Btc);
    private static readonly OrderRequest Parent = Limit("P", Side.Sell, 1.5m, 50_010m);
    private static readonly VolumeProfile Profile = new(TimeSpan.FromHours(1), Enumerable.Range(1, 60).Select(i => (double)i).ToArray());
    private static readonly ExecutionQuality Quality = ExecutionQuality.Measure(Side.Sell, 1.5m, 50_000m, 1.5m, 49_990m, 41.25m, null, T0, At(90), 7);

    private static AlgoStarted Started(AlgoSpec spec) =>
        new(Parent, new SmartAlgo(Urgency.Low), spec, 50_000m, T0, AlgoState.PlanFor(Parent, spec, T0, BtcRules), "ema_cross",
            "VWAP over 600 s in 40 slices", new SortedDictionary<string, double> { ["horizon_s"] = 600, ["size_to_depth"] = 3.5 });

    public static TheoryData<string, object> Persisted => new()
    {
        { "algo-started.v1", Started(new VwapAlgo(TimeSpan.FromMinutes(10), 40, Profile, SliceStyle.Aggressive)) },
        { "algo-slice-sent.v1", new SliceSent(Id("P"), 3, Id("P-3"), 2, OrderType.Limit, TimeInForce.PostOnly, 0.25m, 50_010m, At(20), "slice 3 of 6 at the touch") },
        { "algo-slice-filled.v1", new SliceFilled(Id("P"), Id("P-3"), 0.125m, 50_010m, 1.2502500m, At(21)) },
        { "algo-slice-closed.v1", new SliceClosed(Id("P"), Id("P-3"), OrderStatus.Cancelled, At(22), "cancelled by request") },
        { "algo-slice-cancel-requested.v1", new SliceCancelRequested(Id("P"), Id("P-3"), At(22), "slice 4 of 6 is due") },
        { "algo-cancel-requested.v1", new AlgoCancelRequested(Id("P"), At(23), "kill switch") },
        { "algo-completed.v1", new AlgoCompleted(Id("P"), At(90), Quality) },
        { "algo-cancelled.v1", new AlgoCancelled(Id("P"), At(90), "operator", Quality with { FillRate = 0.5, EndMid = 50_100m }) },
        { "algo-rl-decided.v1", new RlDecided(Id("P"), At(10), 1, RlAction.Post, new RlObservation(0.8, 1, 0.02, null, 1.25)) },
        { "router-algo-registered.v1", new AlgoProtocol.AlgoRegistered(Id("P"), Btc, T0) },
        { "router-algo-ended.v1", new AlgoProtocol.AlgoEnded(Id("P"), At(90)) },
    };

    private HeanEventSerializer Serializer(object value)
    {
        var serializer = Sys.Serialization.FindSerializerFor(value);
        Assert.Equal(HeanEventSerializer.SerializerId, serializer.Identifier);
        return Assert.IsType<HeanEventSerializer>(serializer);
    }

    private object RoundTrip(object value, string manifest)
    {
        var serializer = Serializer(value);
        Assert.Equal(manifest, serializer.Manifest(value));
        var back = serializer.FromBinary(serializer.ToBinary(value), manifest);
        Assert.IsType(value.GetType(), back);
        return back;
    }

    [Theory]
    [MemberData(nameof(Persisted))]
    public void Algo_events_round_trip_by_manifest(string manifest, object value)
    {
        var back = RoundTrip(value, manifest);

        if (value is AlgoStarted started)
        {
            var b = (AlgoStarted)back;
            Assert.Equal(started with { Plan = b.Plan, Numbers = b.Numbers, Spec = b.Spec }, b);
            Assert.Equal(started.Plan, b.Plan);
            Assert.Equal(started.Numbers!.OrderBy(n => n.Key), b.Numbers!.OrderBy(n => n.Key));
            var spec = Assert.IsType<VwapAlgo>(b.Spec);
            Assert.Equal((TimeSpan.FromMinutes(10), 40, SliceStyle.Aggressive), (spec.Horizon, spec.Slices, spec.Style));
            Assert.Equal(Profile.Shares, spec.Profile.Shares);
            Assert.Equal(Profile.Period, spec.Profile.Period);
        }
        else
        {
            Assert.Equal(value, back);
        }
    }

    [Fact]
    public void Every_algo_event_type_has_a_sample_and_a_distinct_manifest()
    {
        var samples = Persisted.Select(row => ((string)row[0], row[1].GetType())).ToList();
        var eventTypes = typeof(IAlgoEvent).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IAlgoEvent).IsAssignableFrom(t)).ToList();

        Assert.Equal(9, eventTypes.Count);
        foreach (var type in eventTypes) Assert.Contains(type, samples.Select(s => s.Item2));
        Assert.Equal(samples.Count, samples.Select(s => s.Item1).Distinct().Count());
    }

    [Fact]
    public void Every_algorithm_spec_keeps_its_kind()
    {
        AlgoSpec[] specs =
        [
            new MarketAlgo(), new LimitAlgo(TimeSpan.FromSeconds(10)), new TwapAlgo(TimeSpan.FromMinutes(5), 10),
            new IcebergAlgo(0.1m, TimeSpan.FromSeconds(30)), new SmartAlgo(Urgency.High),
        ];
        foreach (var spec in specs)
        {
            var back = (AlgoStarted)RoundTrip(Started(spec), "algo-started.v1");
            Assert.Equal(spec, back.Spec);
        }
        var json = Encoding.UTF8.GetString(Serializer(Started(specs[2])).ToBinary(Started(specs[2])));
        Assert.Contains("\"kind\":\"twap\"", json);
    }

    [Fact]
    public void Snapshots_of_an_algorithm_and_of_the_router_read_back()
    {
        var spec = new TwapAlgo(TimeSpan.FromMinutes(1), 4);
        var state = AlgoState.Start(Started(spec), BtcRules)
            .Apply(new SliceSent(Id("P"), 1, Id("P-1"), 0, OrderType.Limit, TimeInForce.PostOnly, 0.375m, 50_010m, T0, "slice 1 of 4"))
            .Apply(new SliceFilled(Id("P"), Id("P-1"), 0.2m, 50_010m, 2m, At(3)))
            .Apply(new SliceCancelRequested(Id("P"), Id("P-1"), At(15), "slice 2 of 4 is due"));

        var back = ((AlgoProtocol.AlgoSnapshot)RoundTrip(new AlgoProtocol.AlgoSnapshot(state), "algo-snapshot.v1")).State;

        Assert.Equal(state with { Children = back.Children, Plan = back.Plan }, back);
        Assert.Equal(state.Children, back.Children);
        Assert.Equal(state.Plan, back.Plan);
        Assert.IsType<ImmutableList<ChildSlice>>(back.Children);

        var router = new AlgoProtocol.RouterSnapshot([new AlgoProtocol.AlgoRegistered(Id("P"), Btc, T0), new AlgoProtocol.AlgoRegistered(Id("Q"), Eth, At(1))]);
        Assert.Equal(router.Running, ((AlgoProtocol.RouterSnapshot)RoundTrip(router, "router-snapshot.v1")).Running);
    }

    [Fact]
    public void What_the_execution_entities_and_their_index_persist_reads_back()
    {
        var imported = new AlgoProtocol.AlgosImported([new AlgoProtocol.AlgoRegistered(Id("P"), Btc, T0)],
            [new AlgoProtocol.AlgoRegistered(Id("O"), Btc, At(-5)), new AlgoProtocol.AlgoRegistered(Id("N"), Btc, At(-9))], At(2));
        var back = (AlgoProtocol.AlgosImported)RoundTrip(imported, "execution-algos-imported.v1");
        Assert.Equal(imported.Running, back.Running);
        Assert.Equal(imported.Ended, back.Ended);
        Assert.Equal(imported.At, back.At);

        Assert.Equal(new AlgoProtocol.ExecutionEntityStarted(Eth), RoundTrip(new AlgoProtocol.ExecutionEntityStarted(Eth), "execution-index-entity-started.v1"));

        var marker = new ExecutionLayoutMigrated(At(3), [Btc, Eth], [Id("P"), Id("Q")]);
        var markerBack = (ExecutionLayoutMigrated)RoundTrip(marker, "execution-layout-migrated.v1");
        Assert.Equal(marker.At, markerBack.At);
        Assert.Equal(marker.Symbols, markerBack.Symbols);
        Assert.Equal(marker.Running, markerBack.Running);
    }
}
