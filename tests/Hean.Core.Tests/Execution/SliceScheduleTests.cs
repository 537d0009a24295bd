using Hean.Core.Domain;
using Hean.Core.Execution;
using Xunit;
using static Hean.Core.Tests.Execution.AlgoFixtures;

namespace Hean.Core.Tests.Execution;

public sealed class SliceScheduleTests
{
    private static readonly Instrument Eth = InstrumentCatalog.Default.Get("ETHUSDT");
    private static readonly Instrument Xrp = InstrumentCatalog.Default.Get("XRPUSDT");

    public static TheoryData<string, decimal, int> Orders => new()
    {
        { "BTCUSDT", 1m, 7 },
        { "BTCUSDT", 0.003m, 5 },     // fewer lots than slices: the minimum quantity merges them
        { "BTCUSDT", 12.345m, 60 },
        { "BTCUSDT", 0.001m, 1 },
        { "ETHUSDT", 3.33m, 10 },
        { "XRPUSDT", 1001m, 9 },
        { "SOLUSDT", 0.7m, 3 },
    };

    [Theory]
    [MemberData(nameof(Orders))]
    public void Twap_parts_are_lots_at_least_the_minimum_and_sum_exactly_to_the_parent(string symbol, decimal qty, int slices)
    {
        var instrument = InstrumentCatalog.Default.Get(symbol);

        var plan = SliceSchedule.Twap(qty, T0, TimeSpan.FromMinutes(10), slices, instrument, 42);

        Assert.Equal(qty, plan.Sum(p => p.Qty));
        Assert.All(plan, p => Assert.True(instrument.IsOnLot(p.Qty) && p.Qty >= instrument.MinQty, $"slice {p.Qty}"));
        Assert.InRange(plan.Count, 1, slices);
        Assert.Equal(Enumerable.Range(0, plan.Count), plan.Select(p => p.Index));
        // Equal slices differ by at most one lot.
        Assert.True(plan.Max(p => p.Qty) - plan.Min(p => p.Qty) <= instrument.LotSize || plan.Count < slices);
    }

    [Fact]
    public void Split_is_exact_for_many_quantities_and_weights()
    {
        var random = new Random(7);
        for (var i = 0; i < 500; i++)
        {
            var instrument = i % 2 == 0 ? Btc : Xrp;
            var qty = instrument.LotSize * random.Next(1, 100_000);
            var weights = Enumerable.Range(0, random.Next(1, 40)).Select(_ => random.NextDouble() < 0.2 ? 0 : random.NextDouble()).ToArray();

            var parts = SliceSchedule.Split(qty, weights, instrument);

            Assert.Equal(weights.Length, parts.Count);
            Assert.Equal(qty, parts.Sum());
            Assert.All(parts, p => Assert.True(p == 0 || (instrument.IsOnLot(p) && p >= instrument.MinQty)));
        }
    }

    [Fact]
    public void Split_follows_the_weights_to_within_a_lot()
    {
        var parts = SliceSchedule.Split(10m, [1, 3, 0, 6], Btc);

        Assert.Equal([1m, 3m, 0m, 6m], parts);
        Assert.Equal([0.33m, 0.33m, 0.34m], SliceSchedule.Split(1m, [1, 1, 1], Eth));
    }

    [Fact]
    public void A_quantity_off_the_lot_grid_is_refused()
    {
        Assert.Throws<ArgumentException>(() => SliceSchedule.Split(1.0005m, [1, 1], Btc));
        Assert.Throws<ArgumentException>(() => SliceSchedule.Split(0m, [1], Btc));
        Assert.Throws<ArgumentException>(() => SliceSchedule.Split(1m, [1, double.NaN], Btc));
    }

    [Fact]
    public void Times_start_at_once_then_stay_within_half_the_jitter_of_their_place_and_increase()
    {
        var horizon = TimeSpan.FromMinutes(10);
        const int n = 20;
        var interval = horizon / n;

        var times = SliceSchedule.Times(T0, horizon, n, SliceSchedule.SeedOf("BTCUSDT-20240301120000000-1"));

        Assert.Equal(T0, times[0]);
        for (var k = 1; k < n; k++)
        {
            Assert.True(times[k] > times[k - 1]);
            var offset = (times[k] - (T0 + interval * k)) / interval;
            Assert.InRange(offset, -SliceSchedule.Jitter / 2 - 0.001, SliceSchedule.Jitter / 2 + 0.001);
            Assert.Equal(0, times[k].Ticks % TimeSpan.TicksPerMillisecond);
        }
        Assert.True(times[^1] < T0 + horizon);
        // Randomised: not all on their regular places.
        Assert.Contains(Enumerable.Range(1, n - 1), k => times[k] != T0 + interval * k);
    }

    [Fact]
    public void The_same_parent_id_gives_the_same_plan_and_another_one_a_different_one()
    {
        var a = SliceSchedule.Twap(1m, T0, TimeSpan.FromMinutes(5), 10, Btc, SliceSchedule.SeedOf("P-1"));
        var again = SliceSchedule.Twap(1m, T0, TimeSpan.FromMinutes(5), 10, Btc, SliceSchedule.SeedOf("P-1"));
        var other = SliceSchedule.Twap(1m, T0, TimeSpan.FromMinutes(5), 10, Btc, SliceSchedule.SeedOf("P-2"));

        Assert.Equal(a, again);
        Assert.NotEqual(a.Select(p => p.Due), other.Select(p => p.Due));
    }

    [Fact]
    public void The_seed_is_fnv1a_of_the_id_so_it_is_the_same_in_every_process()
    {
        Assert.Equal(0xcbf29ce484222325UL, SliceSchedule.SeedOf(""));
        Assert.Equal(0xaf63dc4c8601ec8cUL, SliceSchedule.SeedOf("a"));
    }

    [Fact]
    public void Vwap_sizes_slices_by_the_profile_volume_in_each_part_of_the_horizon()
    {
        // Minute 0 of the hour trades three times as much as minute 1; the rest of the hour is quiet.
        var shares = new double[60];
        shares[0] = 3;
        shares[1] = 1;
        var profile = new VolumeProfile(TimeSpan.FromHours(1), shares);

        var plan = SliceSchedule.Vwap(2m, T0, TimeSpan.FromMinutes(2), 2, profile, Btc, 1);

        Assert.Equal([1.5m, 0.5m], plan.Select(p => p.Qty));
        Assert.Equal(T0, plan[0].Due);
    }
}
