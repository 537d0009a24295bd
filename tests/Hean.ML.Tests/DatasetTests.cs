using Akka.Actor;
using Akka.Streams;
using Akka.Streams.Dsl;
using Hean.Core.Features;
using Hean.Core.MarketData;
using Hean.Core.MarketData.Replay;
using Hean.ML.Datasets;
using Hean.Streams.Features;

namespace Hean.ML.Tests;

public class DatasetTests
{
    [Fact]
    public void Rows_start_after_the_warm_up_and_are_stamped_with_the_bar_close()
    {
        var candles = TestCandles.Walk(300, seed: 1);
        var dataset = DatasetBuilder.Build(candles, FeatureSchema.V1);
        Assert.InRange(dataset.Count, 250, 299);
        var first = candles.Count - dataset.Count;
        Assert.Equal(candles[first].CloseTime, dataset.Times[0]);
        Assert.Equal((double)candles[^1].Close, dataset.Closes[^1]);
        Assert.All(dataset.Rows, r => Assert.Equal(FeatureSchema.V1.Count, r.Length));
        // bars carry no book, trades or sentiment: those slots are missing, the indicators are not
        var row = dataset.Rows[0];
        Assert.All(Enumerable.Range(FeatureSchema.V1.BookOffset, FeatureSchema.V1.Count - FeatureSchema.V1.BookOffset), i => Assert.True(double.IsNaN(row[i])));
        Assert.All(Enumerable.Range(0, FeatureSchema.V1.BookOffset), i => Assert.False(double.IsNaN(row[i]), FeatureSchema.V1.Names[i]));
    }

    [Fact]
    public void Perturbing_future_bars_leaves_every_earlier_row_bit_identical()
    {
        var candles = TestCandles.Walk(400, seed: 2);
        var baseline = DatasetBuilder.Build(candles, FeatureSchema.V1);
        const int cut = 250;
        var random = new Random(3);
        var perturbed = candles.Select((c, i) =>
        {
            if (i < cut) return c;
            var f = (decimal)(0.8 + random.NextDouble() * 0.4);
            return c with { Open = c.Open * f, High = c.High * f * 1.01m, Low = c.Low * f * 0.99m, Close = c.Close * f, Volume = c.Volume * 3 };
        }).ToList();
        var changed = DatasetBuilder.Build(perturbed, FeatureSchema.V1);

        Assert.Equal(baseline.Times, changed.Times);
        var cutTime = candles[cut].CloseTime;
        int before = 0, differing = 0;
        for (var r = 0; r < baseline.Count; r++)
        {
            if (baseline.Times[r] < cutTime)
            {
                before++;
                AssertBitIdentical(baseline.Rows[r], changed.Rows[r], r);
            }
            else if (!baseline.Rows[r].SequenceEqual(changed.Rows[r]))
            {
                differing++;
            }
        }
        Assert.True(before > 150, $"only {before} rows before the cut");
        Assert.Equal(baseline.Count - before, differing); // every row from the cut on sees the change: the test can tell
    }

    [Fact]
    public async Task Offline_rows_equal_the_vectors_of_the_live_feature_stage()
    {
        var candles = TestCandles.Walk(500, seed: 4);
        await AssertOfflineEqualsLive(candles);
    }

    [SkippableFact]
    public async Task Offline_rows_equal_the_live_vectors_on_real_coinbase_bars()
    {
        var path = TestCandles.SharedData(TestCandles.CoinbaseHourly);
        Skip.If(path is null, $"shared/data/{TestCandles.CoinbaseHourly} not found above {AppContext.BaseDirectory}");
        var candles = OhlcvCsvReader.ReadAll(path!, TestCandles.Symbol).Take(3000).ToList();
        await AssertOfflineEqualsLive(candles);
    }

    [Fact]
    public void Forward_returns_look_exactly_h_bars_ahead_and_the_dead_zone_drops_small_moves()
    {
        var labels = Labels.ForwardLogReturns([100, 110, 99, 121], horizon: 2);
        Assert.Equal(Math.Log(99 / 100.0), labels[0], 15);
        Assert.Equal(Math.Log(121 / 110.0), labels[1], 15);
        Assert.True(double.IsNaN(labels[2]) && double.IsNaN(labels[3]));
        Assert.Equal(true, Labels.Direction(0.003, 0.002));
        Assert.Equal(false, Labels.Direction(-0.0021, 0.002));
        Assert.Null(Labels.Direction(0.002, 0.002));
        Assert.Null(Labels.Direction(-0.001, 0.002));
        Assert.Null(Labels.Direction(double.NaN, 0.002));
        Assert.Throws<ArgumentOutOfRangeException>(() => Labels.ForwardLogReturns([1, 2], 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => Labels.Direction(0.1, -0.1));
    }

    [Fact]
    public void A_label_that_would_span_a_gap_in_the_data_is_left_out()
    {
        var candles = TestCandles.Walk(200, seed: 6);
        var gapped = candles.Take(150).Concat(candles.Skip(150).Select(c => c with { Time = c.Time.AddHours(5) })).ToList();
        var dataset = DatasetBuilder.Build(gapped, FeatureSchema.V1);
        var labels = Labels.ForwardLogReturns(dataset, horizon: 3);
        var firstAfterGap = dataset.Times.ToList().FindIndex(t => t > gapped[149].CloseTime);
        Assert.Equal([true, true, true], labels[(firstAfterGap - 3)..firstAfterGap].Select(double.IsNaN));
        Assert.False(double.IsNaN(labels[firstAfterGap - 4]));
        Assert.False(double.IsNaN(labels[firstAfterGap]));
        Assert.Equal(3, labels.Take(dataset.Count - 3).Count(double.IsNaN));
    }

    private static async Task AssertOfflineEqualsLive(IReadOnlyList<Candle> candles)
    {
        var offline = DatasetBuilder.Build(candles, FeatureSchema.V1);
        using var system = ActorSystem.Create("dataset-test");
        var live = await Source.From(candles.Cast<IMarketEvent>())
            .Via(FeatureFlow.Create(FeatureSettings.Default(candles[0].Interval)))
            .RunWith(Sink.Seq<FeaturesReady>(), system.Materializer());
        Assert.Equal(live.Count, offline.Count);
        for (var r = 0; r < live.Count; r++)
        {
            Assert.Equal(live[r].Time, offline.Times[r]);
            Assert.Equal(FeatureSchema.V1, live[r].Features.Schema);
            AssertBitIdentical(live[r].Features.Values.ToArray(), offline.Rows[r], r);
        }
    }

    private static void AssertBitIdentical(double[] expected, double[] actual, int row)
    {
        for (var i = 0; i < expected.Length; i++)
            Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i]),
                $"row {row} feature {FeatureSchema.V1.Names[i]}: {expected[i]:R} vs {actual[i]:R}");
    }
}
