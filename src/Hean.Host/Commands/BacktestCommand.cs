using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Akka;
using Akka.Actor;
using Akka.Hosting;
using Akka.Streams.Dsl;
using Hean.Actors.Orchestration;
using Hean.Core.Risk;
using Hean.Actors.Orders;
using Hean.Actors.Persistence;
using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Core.MarketData.Synthetic;
using Hean.Core.Performance;
using Hean.Core.Time;
using Hean.Core.Kernel;
using Hean.Core.Trading;
using Hean.Host.Configuration;
using Hean.Host.Hosting;
using Hean.Host.Reports;
using Hean.Streams.MarketData;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Hean.Host.Commands;

public sealed record BacktestOptions(string? DataFile, Symbol? Symbol, ulong Seed, TimeSpan Duration, DateTime Start,
    TimeSpan Checkpoint, string? OutFile)
{
    /// <summary>False runs without the risk governor's limits and without Kelly / volatility sizing (for comparison).</summary>
    public bool Risk { get; init; } = true;

    public BacktestEngine Engine { get; init; } = BacktestEngine.Auto;

    /// <summary>Progress on standard error, and the table prepared (the command line); off for in-process callers.</summary>
    public bool Progress { get; init; }

    /// <summary>
    /// The file already opened and being read (the command line opens it before it loads the settings, so the two overlap);
    /// null: the kernel opens it. Disposed by the run, whichever engine runs.
    /// </summary>
    public KernelFeed? Feed { get; init; }
}

/// <summary>
/// What the kernel reads: a file's events (or the synthetic market's), read and price-tracked on a thread of its own from
/// the moment it is opened, with the prices they passed and the symbols seen. Read once; disposing it stops the reader.
/// </summary>
public sealed class KernelFeed : IDisposable
{
    private readonly ReadAhead.Started<IMarketEvent> _events;

    private KernelFeed(string name, List<Symbol> symbols, PriceTrack prices, IEnumerable<IMarketEvent> events)
    {
        Name = name;
        Symbols = symbols;
        Prices = prices;
        _events = ReadAhead.Begin(prices.Follow(events));
    }

    /// <summary>The file's name, or "synthetic".</summary>
    public string Name { get; }

    /// <summary>The symbols seen, in order of first appearance (complete once the events are read).</summary>
    public List<Symbol> Symbols { get; }

    /// <summary>The prices the events passed, at the checkpoint's spacing.</summary>
    public PriceTrack Prices { get; }

    public IEnumerable<IMarketEvent> Events => _events;

    /// <summary>A recorded file (told by content), streamed; throws at once when it is missing, on the first read when its format is unknown.</summary>
    public static KernelFeed File(string path, Symbol? symbol, TimeSpan checkpoint)
    {
        var symbols = new List<Symbol>();
        return new KernelFeed(Path.GetFileName(path), symbols, new PriceTrack(checkpoint), MarketSources.Stream(path, symbol, symbols));
    }

    public static KernelFeed Open(BacktestOptions options, IReadOnlyList<Symbol> defaultSymbols)
    {
        if (options.DataFile is { } file) return File(file, options.Symbol, options.Checkpoint);
        List<Symbol> symbols = options.Symbol is { } s ? [s] : [.. defaultSymbols];
        var market = new SyntheticMarket(MarketSources.Synthetic(symbols, options.Start, options.Seed)).Generate(options.Duration);
        return new KernelFeed("synthetic", symbols, new PriceTrack(options.Checkpoint), market);
    }

    public void Dispose() => _events.Dispose();
}

/// <summary>Which runtime runs a backtest: both apply the same Core rules and give the same fills.</summary>
public enum BacktestEngine { Auto, Kernel, Actors }

/// <summary>
/// `hean backtest`: the same graph and actors as paper trading, on recorded or synthetic data, as
/// fast as it goes, with an in-memory journal; writes the JSON report.
/// </summary>
public static class BacktestCommand
{
    public static async Task<BacktestReport> RunAsync(HeanSettings settings, BacktestOptions options, CancellationToken ct)
    {
        var trading = options.Risk ? settings.ToTrading(options.Checkpoint) : WithoutRisk(settings.ToTrading(options.Checkpoint));
        var kernel = KernelSettingsOf(settings, trading);
        var why = settings.Ml.Enabled ? "a model runs in the stream graph's inference stage" : kernel.Unsupported;
        if (options.Engine == BacktestEngine.Kernel && why is not null)
            throw new ArgumentException($"--engine kernel cannot run these settings: {why}; use --engine actors (or auto)");
        var onKernel = options.Engine == BacktestEngine.Kernel || (options.Engine == BacktestEngine.Auto && why is null);
        if (!onKernel) options.Feed?.Dispose(); // opened early for the kernel: the actors read the file themselves
        // The kernel runs on the caller's thread: nothing here awaits, so the command completes without a continuation
        // (each one was a state machine the JIT compiled at every start); the command line stops it through the token
        // (StopSignals).
        var report = onKernel
            ? RunKernel(kernel, options, settings.Symbols, ct)
            : await RunActorsAsync(settings, options, trading, ct);
        return report with { Settings = SettingsOf(settings, options, trading) };
    }

    /// <summary>What a run was asked to do and the trading settings it ran with, by the names a user sets them with.</summary>
    public static IReadOnlyDictionary<string, string> SettingsOf(HeanSettings settings, BacktestOptions options, TradingSettings trading)
    {
        string Invariant(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
        // In the order a user reads them (a map of strings: LINQ over tuples would be code compiled at run time).
        var all = new Dictionary<string, string>
        {
            ["--data"] = options.DataFile is { } file ? Path.GetFileName(file) : "synthetic market",
            ["--symbol"] = options.Symbol?.Value ?? "all in the data",
        };
        if (options.DataFile is null)
        {
            all["--seed"] = Invariant($"{options.Seed}");
            all["--duration"] = Durations.Format(options.Duration);
            all["--start"] = Invariant($"{options.Start:u}");
        }
        all["--checkpoint"] = Durations.Format(options.Checkpoint);
        all["--engine"] = options.Engine.ToString().ToLowerInvariant();
        all["--risk"] = options.Risk ? "on" : "off";
        all["INITIAL_CAPITAL"] = Invariant($"{trading.InitialCash}");
        all["CANDLE_INTERVAL"] = Durations.Format(settings.CandleInterval);
        all["EMA_FAST / EMA_SLOW"] = Invariant($"{settings.Ema.Fast} / {settings.Ema.Slow}");
        all["EXECUTION_STYLE"] = trading.ExecutionStyle.ToString().ToLowerInvariant();
        all["POSITION_FRACTION"] = Invariant($"{settings.PositionFraction}");
        all["MAX_POSITION_SIZE"] = Invariant($"{trading.Limits.MaxPositionSize}");
        all["MAX_LEVERAGE"] = Invariant($"{trading.Limits.MaxLeverage}");
        all["DAILY_DRAWDOWN_LIMIT"] = Invariant($"{trading.Limits.DailyDrawdownLimit}");
        all["PEAK_DRAWDOWN_LIMIT"] = Invariant($"{trading.Limits.PeakDrawdownLimit}");
        all["EXCHANGE_LATENCY_MS"] = Invariant($"{trading.Exchange.Latency.TotalMilliseconds}");
        all["maker / taker fee"] = Invariant($"{trading.Exchange.MakerFeeRate * 10_000m:0.##} / {trading.Exchange.TakerFeeRate * 10_000m:0.##} bps");
        all["HEAN_MODEL_DIR"] = settings.Ml.ModelDir ?? "none";
        return all;
    }

    public static KernelSettings KernelSettingsOf(HeanSettings settings, TradingSettings t) =>
        new(t.Catalog, t.InitialCash, new InstrumentSettings(t.Limits, t.Sizer, t.ExecutionStyle, t.Kelly, t.TargetVolatility), t.Exchange,
            t.CheckpointEvery, t.EquitySampleEvery, settings.CandleInterval, TradingSession.Strategies(settings.Ema));

    /// <summary>The backtest as one loop over the Core rules (<see cref="BacktestKernel"/>), the file streamed through it.</summary>
    public static BacktestReport RunKernel(KernelSettings settings, BacktestOptions options, IReadOnlyList<Symbol> defaultSymbols, CancellationToken ct = default)
    {
        using var feed = options.Feed ?? KernelFeed.Open(options, defaultSymbols);
        var (events, prices, symbols, sourceName) = (feed.Events, feed.Prices, feed.Symbols, feed.Name);
        StartupPhases.Mark("source opened");
        var wall = Stopwatch.StartNew();
        var kernel = new BacktestKernel(settings);
        var progress = options.DataFile is null ? new BacktestProgress(options.Start, options.Start + options.Duration) : new BacktestProgress(null, null);
        var r = options.Progress ? progress.Around(report => kernel.Run(events, ct, report)) : kernel.Run(events, ct);
        wall.Stop();
        StartupPhases.Mark("kernel loop");
        var p = r.Portfolio!;
        var risk = r.Risk!;
        // The fingerprint (the fills as text, then SHA-256: about 5 ms of code run for the first time) needs nothing the
        // statistics make: it is made on the reader's core, idle now, while this one measures the run.
        var fingerprinted = Task.Run(() => BacktestReport.FingerprintOf(r.Fills)); // a few ms: a stop now does not undo a finished run
        var (stats, series) = Measure(r.Fills, r.Equity, p.InitialCash, r.First, r.Last, prices);
        var direct = new List<(string, Hean.Core.Execution.ExecutionQuality)>(r.Direct.Count);
        foreach (var d in r.Direct.Values)
            if (ExecutionSummary.Direct(d.Created, d.Fills) is { } measured) direct.Add(measured);
        var execution = ExecutionSummary.Of(direct);
        var fingerprint = fingerprinted.GetAwaiter().GetResult();
        var names = new List<string>(symbols.Count);
        foreach (var s in symbols) names.Add(s.Value);
        return new BacktestReport(sourceName, names, options.DataFile is null ? options.Seed : null,
            r.First, r.Last, r.Events, r.Signals, wall.Elapsed.TotalSeconds, r.Events / Math.Max(wall.Elapsed.TotalSeconds, 1e-9),
            r.OrdersCreated, r.OrdersFilled, r.OrdersCancelled, r.OrdersRejected,
            r.Rejections.GroupBy(x => x.Reason).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            risk.Rejected,
            r.RiskRejections.GroupBy(x => x.ReasonCode).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            r.Fills.Count, p.Fees, p.RealizedPnl, p.UnrealizedPnl, p.Pnl, p.Equity,
            stats.Sharpe, stats.MaxDrawdown,
            risk.KillSwitchEngaged, risk.KillSwitchReason,
            fingerprint,
            r.Fills.Select(ReportFill.From).ToList())
        {
            Execution = execution,
            Errors = r.Errors,
            FirstError = r.FirstError,
            Engine = "kernel",
            Statistics = stats,
            Series = series,
        };
    }

    private static async Task<BacktestReport> RunActorsAsync(HeanSettings settings, BacktestOptions options, TradingSettings trading, CancellationToken ct)
    {
        IReadOnlyList<Symbol> symbols;
        Source<IMarketEvent, NotUsed> source;
        var prices = new PriceTrack(options.Checkpoint);
        string sourceName;
        if (options.DataFile is { } file)
        {
            var events = MarketSources.File(file, options.Symbol);
            symbols = events.Select(e => e.Symbol).Distinct().ToList();
            source = Source.From(prices.Follow(events));
            sourceName = Path.GetFileName(file);
        }
        else
        {
            symbols = options.Symbol is { } s ? [s] : settings.Symbols;
            var market = new SyntheticMarket(MarketSources.Synthetic(symbols, options.Start, options.Seed));
            source = Source.From(prices.Follow(market.Generate(options.Duration)));
            sourceName = "synthetic";
        }

        // The model is loaded and checked before anything starts; no hot swap, so a rerun replays the same.
        using var ml = MlRuntime.Start(settings.Ml, hotSwap: false);
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddHeanTrading(trading, PersistenceBackend.InMemory, settings.DataDir);
        using var host = builder.Build();
        await host.StartAsync(ct);
        try
        {
            var system = host.Services.GetRequiredService<ActorSystem>();
            ml?.PublishTo(system);
            var registry = host.Services.GetRequiredService<ActorRegistry>();
            var orchestrator = await registry.GetAsync<Orchestrator>(ct);
            var refs = OrchestratorProtocol.TradingRefs.From(registry);
            var collector = system.ActorOf(Props.Create<EventCollector>(), "report-collector");
            await collector.Ask<EventCollector.Collected>(new EventCollector.GetCollected(), TimeSpan.FromSeconds(10)); // subscribed
            var execution = system.ActorOf(Props.Create<ExecutionCollector>(), "report-execution");
            await execution.Ask<ExecutionCollector.Measured>(new ExecutionCollector.Measure(), TimeSpan.FromSeconds(10)); // subscribed

            var wall = Stopwatch.StartNew();
            var session = await TradingSession.StartAsync(system, orchestrator, source,
                MarketGraphSettings.Backtest(settings.CandleInterval, TradingSession.Strategies(settings.Ema)) with { Ml = ml?.Graph },
                new SimulatedClock(options.Start));
            await using var _ = ct.Register(() => session.KillSwitch.Shutdown());
            var feed = await session.Completion;
            wall.Stop();

            await refs.Orders.Ask<Actors.Common.Synced>(Actors.Common.Sync.Instance, TimeSpan.FromSeconds(30));
            var collected = await collector.Ask<EventCollector.Collected>(new EventCollector.GetCollected(), TimeSpan.FromSeconds(30));
            var measured = await execution.Ask<ExecutionCollector.Measured>(new ExecutionCollector.Measure(), TimeSpan.FromSeconds(30));
            var state = await StateSnapshot.QueryAsync(refs, session.Feed, TimeSpan.FromSeconds(30));

            var p = state.Portfolio;
            var (stats, series) = Measure(collected.Fills, collected.Equity, p.InitialCash, feed.FirstMarketTime, feed.LastMarketTime, prices);
            return new BacktestReport(sourceName, symbols.Select(x => x.Value).ToList(), options.DataFile is null ? options.Seed : null,
                feed.FirstMarketTime, feed.LastMarketTime, feed.Events, feed.Signals, wall.Elapsed.TotalSeconds,
                feed.Events / Math.Max(wall.Elapsed.TotalSeconds, 1e-9),
                state.Orders.Created, state.Orders.Filled, state.Orders.Cancelled, state.Orders.Rejected,
                collected.Rejections.GroupBy(r => r.Reason).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
                state.Risk.Rejected,
                collected.RiskRejections.GroupBy(r => r.ReasonCode).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
                collected.Fills.Count, p.Fees, p.RealizedPnl, p.UnrealizedPnl, p.Pnl, p.Equity,
                stats.Sharpe, stats.MaxDrawdown,
                state.Risk.KillSwitchEngaged, state.Risk.KillSwitchReason,
                BacktestReport.FingerprintOf(collected.Fills),
                collected.Fills.Select(ReportFill.From).ToList())
            {
                Ml = ml is null ? null : new BacktestMl(ml.Monitor.ModelVersion, ml.Monitor.Predictions, ml.Monitor.Fallbacks,
                    ml.Monitor.Failures, ml.Monitor.Timeouts, ml.Monitor.Expired, ml.Monitor.Breaker.ToString()),
                Execution = ExecutionSummary.Of(measured.Parents),
                Errors = feed.Errors + (feed.StreamFailed ? 1 : 0),
                FirstError = feed.FirstError ?? feed.LastError,
                Statistics = stats,
                Series = series,
            };
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }
    }

    /// <summary>The statistics and the curves of a run, from what both engines record the same way.</summary>
    private static (BacktestStatistics, BacktestSeries) Measure(IReadOnlyList<Hean.Core.Orders.Fill> fills, IReadOnlyList<Hean.Core.Portfolio.EquitySampled> equity,
        decimal initialCash, DateTime? from, DateTime? to, PriceTrack prices)
    {
        var trips = RoundTrips.Of(fills, to ?? DateTime.UnixEpoch);
        return (BacktestStatistics.Of(trips, equity, initialCash, from, to, prices), new BacktestSeries(equity, prices, trips.Fills));
    }

    /// <summary>
    /// The same sizing request (MAX_POSITION_SIZE × POSITION_FRACTION × confidence) with every other
    /// limit, rule and sizing method out of the way: what the strategy would do without risk management.
    /// </summary>
    public static TradingSettings WithoutRisk(TradingSettings s) => s with
    {
        Limits = new RiskLimits(s.Limits.MaxPositionSize, 1_000m, 0.999m)
        {
            MaxOrderNotional = decimal.MaxValue / 4, MaxOpenOrders = int.MaxValue, MaxOrdersPerSecond = int.MaxValue, PriceBand = 0.999m,
            PeakDrawdownLimit = 0.999m, ReduceAtShareOfDailyLimit = 1m, MaxConsecutiveErrors = int.MaxValue, BadTickJump = 0.999m,
        },
        Kelly = s.Kelly with { MinTrades = int.MaxValue },
        TargetVolatility = 1_000,
    };

    public static void Write(BacktestReport report, string path)
    {
        // Whole or not at all, flushed to disk before it replaces an older report.
        Hean.ML.Inference.AtomicFile.WriteAllText(path, JsonSerializer.Serialize(report, new JsonSerializerOptions(HeanJson.Options) { WriteIndented = true }));
    }
}

/// <summary>
/// Follows the order lifecycle and the algorithms' final reports on the EventStream for the execution section of the
/// report: every algorithm parent with the quality it measured, every direct order measured the same way.
/// </summary>
internal sealed class ExecutionCollector : ReceiveActor
{
    public sealed record Measure;
    public sealed record Measured(IReadOnlyList<(string Algo, Hean.Core.Execution.ExecutionQuality Quality)> Parents);

    private readonly Dictionary<Hean.Core.Orders.ClientOrderId, Hean.Core.Orders.OrderCreated> _direct = new();
    private readonly Dictionary<Hean.Core.Orders.ClientOrderId, List<Hean.Core.Orders.Fill>> _fills = new();
    private readonly List<(string, Hean.Core.Execution.ExecutionQuality)> _algos = [];

    public ExecutionCollector()
    {
        Receive<Hean.Core.Orders.OrderCreated>(c =>
        {
            // An algorithm's child carries "{algo}:{parent}" as its origin; the parent is measured as a whole.
            if (!c.Origin.Contains(':', StringComparison.Ordinal)) _direct[c.ClientOrderId] = c;
        });
        Receive<Hean.Core.Orders.OrderFilled>(f =>
        {
            if (!_direct.ContainsKey(f.ClientOrderId)) return;
            if (!_fills.TryGetValue(f.ClientOrderId, out var list)) _fills[f.ClientOrderId] = list = [];
            list.Add(f.Fill);
        });
        Receive<Actors.Execution.ExecutionProtocol.AlgoReport>(r =>
        {
            if (r.State.Quality is { } q) _algos.Add((r.State.Spec.Name, q));
        });
        Receive<Measure>(_ => Sender.Tell(new Measured(_algos.Concat(_direct.Values
            .Select(c => ExecutionSummary.Direct(c, _fills.GetValueOrDefault(c.ClientOrderId) ?? []))
            .Where(d => d is not null).Select(d => d!.Value)).ToList())));
    }

    protected override void PreStart()
    {
        Context.System.EventStream.Subscribe(Self, typeof(Hean.Core.Orders.OrderCreated));
        Context.System.EventStream.Subscribe(Self, typeof(Hean.Core.Orders.OrderFilled));
        Context.System.EventStream.Subscribe(Self, typeof(Actors.Execution.ExecutionProtocol.AlgoReport));
    }
}
