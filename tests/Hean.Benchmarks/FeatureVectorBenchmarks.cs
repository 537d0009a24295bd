using BenchmarkDotNet.Attributes;
using Hean.Core.Domain;
using Hean.Core.Features;
using Hean.Core.Indicators;
using Hean.Core.MarketData;

namespace Hean.Benchmarks;

/// <summary>
/// The feature engine with schema v1 (16 indicators, 40 features), per operation:
/// a closed bar into every indicator plus the whole vector read (one decision point); a book update
/// (OFI); a trade; and reading the vector alone (book features over a 50-level book).
/// </summary>
[MemoryDiagnoser]
public class FeatureVectorBenchmarks
{
    private OhlcvBar[] _bars = null!;
    private Trade _trade = null!;
    private OrderBook _book = null!;
    private FeatureEngine _engine = null!;

    [GlobalSetup]
    public void Setup()
    {
        _bars = BenchmarkData.Walk();
        _book = BenchmarkData.Book();
        _trade = new Trade(BenchmarkData.Symbol, BenchmarkData.Time, 100m, 0.5m, Side.Buy, 1);
        _engine = new FeatureEngine(BenchmarkData.Symbol, FeatureSchema.V1);
        foreach (var bar in _bars) _engine.OnBar(bar);
        _engine.OnBook(_book);
        _engine.OnTrade(_trade);
    }

    [Benchmark(OperationsPerInvoke = BenchmarkData.Bars)]
    public double BarAndVector()
    {
        var engine = _engine;
        var sum = 0.0;
        foreach (ref readonly var bar in _bars.AsSpan())
        {
            engine.OnBar(bar);
            sum += engine.Compute(bar.Time)[0];
            engine.StartNextWindow(bar.Time);
        }
        return sum;
    }

    [Benchmark(OperationsPerInvoke = BenchmarkData.Bars)]
    public void BookUpdate()
    {
        for (var i = 0; i < BenchmarkData.Bars; i++) _engine.OnBook(_book);
    }

    [Benchmark(OperationsPerInvoke = BenchmarkData.Bars)]
    public void TradeUpdate()
    {
        for (var i = 0; i < BenchmarkData.Bars; i++) _engine.OnTrade(_trade);
    }

    [Benchmark(OperationsPerInvoke = BenchmarkData.Bars)]
    public double VectorOnly()
    {
        var sum = 0.0;
        for (var i = 0; i < BenchmarkData.Bars; i++) sum += _engine.Compute(BenchmarkData.Time)[30];
        return sum;
    }
}
