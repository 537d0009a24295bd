using Hean.Core.Indicators;
using Xunit;

namespace Hean.Core.Tests.Indicators;

/// <summary>
/// Property: on any series, the incremental indicator gives what a batch recomputation of the same
/// definition gives, bar by bar, including where each output is undefined. The series are made here
/// (random walks with flat stretches, zero volume and price gaps), so this holds on a fresh clone
/// without the shared data.
/// </summary>
public sealed class StreamingBatchPropertyTests
{
    public static TheoryData<string> Specs() =>
    [
        "sma:1", "sma:2", "sma:20", "ema:1", "ema:5", "ema:20", "wma:1", "wma:3", "wma:20", "rsi:2", "rsi:14",
        "macd:12:26:9", "macd:2:3:2", "bb:20:2", "bb:2:1.5", "atr:1", "atr:14", "adx:2", "adx:14",
        "stoch:14:3:3", "stoch:1:1:1", "stoch:5:1:10", "willr:1", "willr:14", "cci:2", "cci:20",
        "roc:1", "roc:14", "mfi:1", "mfi:14", "obv", "vwap", "vwap:1d", "vwap:4h", "rv:1", "rv:20",
    ];

    [Theory]
    [MemberData(nameof(Specs))]
    public void Streaming_equals_batch_recomputation_on_generated_series(string specText)
    {
        var spec = IndicatorSpec.Parse(specText);
        for (var seed = 1; seed <= 6; seed++)
        {
            var bars = IndicatorData.Generated(400 + 37 * seed, seed);
            var streamed = IndicatorData.Run(spec.Create(), bars);
            var batch = BatchReference.For(spec, bars);
            Assert.Equal(batch.Length, streamed.Length);
            for (var o = 0; o < batch.Length; o++)
            for (var i = 0; i < bars.Length; i++)
                AssertClose(batch[o][i], streamed[o][i], $"{spec.Columns[o]}[{i}] seed {seed}");
        }
    }

    /// <summary>1e-9 relative; values that are differences of nearly equal numbers (a histogram near 0)
    /// are held to 1e-9 of the inputs' scale instead, which is what double arithmetic can promise.</summary>
    private static void AssertClose(double expected, double actual, string what)
    {
        if (double.IsNaN(expected))
        {
            Assert.True(double.IsNaN(actual), $"{what}: expected undefined, got {actual:R}");
            return;
        }
        Assert.False(double.IsNaN(actual), $"{what}: expected {expected:R}, got undefined");
        var tolerance = 1e-9 * Math.Max(Math.Abs(expected), 1e-3);
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R}");
    }
}
