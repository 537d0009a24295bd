using BenchmarkDotNet.Attributes;
using Hean.Core.MarketData;
using Hean.Core.MarketData.Synthetic;
using Hean.Core.Strategy;
using Hean.Streams.MarketData;

namespace Hean.Benchmarks;

/// <summary>
/// The hot path from a market event to a signal (the seed's tick-to-signal), without the actors:
/// MarketProcessor on a recorded stretch of the synthetic market (book deltas and trades of two
/// symbols, 1-minute candles, EMA-cross strategy). Reported per event, averaged over the stretch.
/// </summary>
[MemoryDiagnoser]
public class MarketPathBenchmarks
{
    private IMarketEvent[] _events = [];

    [GlobalSetup]
    public void Setup()
    {
        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        _events = new SyntheticMarket(SyntheticMarketOptions.Default(start) with { Seed = 7 }).Generate(TimeSpan.FromHours(1)).ToArray();
    }

    [Benchmark(OperationsPerInvoke = 100_000)]
    public int ProcessEvents()
    {
        var processor = new MarketProcessor(TimeSpan.FromMinutes(1), s => new EmaCrossStrategy(s));
        var signals = 0;
        var n = Math.Min(100_000, _events.Length);
        for (var i = 0; i < n; i++)
            foreach (var step in processor.Process(_events[i]))
                if (step.Signal is not null) signals++;
        return signals;
    }
}
