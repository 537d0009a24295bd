using Hean.Core.Features;
using Hean.Core.MarketData;

namespace Hean.ML.Datasets;

/// <summary>
/// Builds a <see cref="FeatureDataset"/> from closed bars with the live feature code: the same
/// <see cref="FeatureEngine"/> calls, in the same order, as the feature stage makes for a
/// <see cref="Candle"/> event (bar in, then the window closed at the bar's close time; warm-up bars
/// only start the next window). Book, trade-flow and sentiment features, which bars cannot give,
/// stay NaN, as they would live without those feeds.
/// </summary>
public static class DatasetBuilder
{
    public static FeatureDataset Build(IReadOnlyList<Candle> candles, FeatureSchema schema)
    {
        ArgumentNullException.ThrowIfNull(candles);
        ArgumentNullException.ThrowIfNull(schema);
        if (candles.Count == 0) throw new ArgumentException("no bars to build a dataset from");
        var engine = new FeatureEngine(candles[0].Symbol, schema);
        var times = new List<DateTime>(candles.Count);
        var closes = new List<double>(candles.Count);
        var rows = new List<double[]>(candles.Count);
        foreach (var candle in candles)
        {
            engine.OnCandle(candle);
            var time = candle.CloseTime;
            if (!engine.IndicatorsReady)
            {
                engine.StartNextWindow(time);
                continue;
            }
            rows.Add(engine.CloseWindow(time).Values.ToArray());
            times.Add(time);
            closes.Add((double)candle.Close);
        }
        return new FeatureDataset(schema, times, closes, rows, candles[0].Interval);
    }
}
