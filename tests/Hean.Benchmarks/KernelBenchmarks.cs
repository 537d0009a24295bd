using BenchmarkDotNet.Attributes;
using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.Kernel;
using Hean.Core.MarketData;
using Hean.Core.MarketData.Replay;
using Hean.Core.MarketData.Synthetic;
using Hean.Core.Strategy;
using Hean.Core.Trading;

namespace Hean.Benchmarks;

/// <summary>
/// The backtest kernel, warm, with its input read as the command reads it, against the reading alone in the same run
/// (what `hean data inspect` costs), on one thread and with the source read ahead on a second one as `hean backtest` runs
/// it (<see cref="ReadAhead"/>): the FTX BTC-PERP 1m month (45,031 bars, ../shared/data) streamed from its gzip file,
/// and 12 h of the synthetic market (≈ 1.2 M book updates and trades). bars/s = 45,031 / mean; events/s likewise.
/// dotnet run -c Release --project tests/Hean.Benchmarks -- --filter '*KernelBenchmarks*' --job short
/// </summary>
[MemoryDiagnoser]
public class KernelBenchmarks
{
    private static readonly Symbol Btc = new("BTCUSDT");
    private string? _ftx;

    [GlobalSetup]
    public void Setup()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Hean.Akka.sln")))
                _ftx = Path.Combine(dir.FullName, "..", "shared", "data", "ohlcv", "ftx_BTC-PERP_1m_2021-12-31_2022-02-01.csv.gz");
        if (_ftx is null || !File.Exists(_ftx)) throw new InvalidOperationException("../shared/data/ohlcv/ftx_BTC-PERP_1m_2021-12-31_2022-02-01.csv.gz is missing");
    }

    private static KernelSettings Settings() => new(InstrumentCatalog.Default, 100_000m, InstrumentSettings.Default, new SimulatedExchangeOptions(),
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1), s => new EmaCrossStrategy(s));

    private static IEnumerable<IMarketEvent> Synthetic12h() =>
        new SyntheticMarket(SyntheticMarketOptions.Default(new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc)) with { Seed = 42 })
            .Generate(TimeSpan.FromHours(12));

    [Benchmark(Baseline = true, Description = "FTX 1m month: read only (data inspect's work)")]
    public long FtxRead()
    {
        long n = 0;
        foreach (var _ in OhlcvCsvReader.Stream(_ftx!, Btc)) n++;
        return n;
    }

    [Benchmark(Description = "FTX 1m month: whole kernel backtest, one thread")]
    public long FtxKernel() => new BacktestKernel(Settings()).Run(OhlcvCsvReader.Stream(_ftx!, Btc)).Fills.Count;

    [Benchmark(Description = "FTX 1m month: whole kernel backtest, file read ahead (as hean backtest)")]
    public long FtxKernelReadAhead() => new BacktestKernel(Settings()).Run(ReadAhead.Of(OhlcvCsvReader.Stream(_ftx!, Btc))).Fills.Count;

    [Benchmark(Description = "synthetic 12 h: generate only")]
    public long SyntheticGenerate()
    {
        long n = 0;
        foreach (var _ in Synthetic12h()) n++;
        return n;
    }

    [Benchmark(Description = "synthetic 12 h: whole kernel backtest, one thread")]
    public long SyntheticKernel() => new BacktestKernel(Settings()).Run(Synthetic12h()).Events;

    [Benchmark(Description = "synthetic 12 h: whole kernel backtest, generated ahead (as hean backtest)")]
    public long SyntheticKernelReadAhead() => new BacktestKernel(Settings()).Run(ReadAhead.Of(Synthetic12h())).Events;
}
