using BenchmarkDotNet.Attributes;
using Hean.Core.Indicators;

namespace Hean.Benchmarks;

/// <summary>One indicator update (through <see cref="IBarIndicator"/>, as the feature engine calls it), per bar, warm.</summary>
[MemoryDiagnoser]
public class IndicatorBenchmarks
{
    private OhlcvBar[] _bars = null!;
    private IBarIndicator _indicator = null!;

    public static IEnumerable<string> Specs =>
    [
        "sma:20", "ema:20", "wma:20", "rsi:14", "macd:12:26:9", "bb:20:2", "atr:14", "adx:14", "stoch:14:3:3",
        "willr:14", "cci:20", "roc:14", "mfi:14", "obv", "vwap", "vwap:1d", "rv:20",
    ];

    [ParamsSource(nameof(Specs))]
    public string Spec { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        _bars = BenchmarkData.Walk();
        _indicator = IndicatorSpec.Parse(Spec).Create();
        foreach (var bar in _bars) _indicator.Update(bar);
    }

    [Benchmark(OperationsPerInvoke = BenchmarkData.Bars)]
    public double Update()
    {
        var indicator = _indicator;
        foreach (ref readonly var bar in _bars.AsSpan()) indicator.Update(bar);
        return indicator.Output(0);
    }
}
