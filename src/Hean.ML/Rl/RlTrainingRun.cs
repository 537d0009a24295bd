using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.Execution;
using Hean.Core.MarketData;

namespace Hean.ML.Rl;

/// <summary>What <c>hean train --model rl-execution</c> does with fixed episode settings: the defaults below.</summary>
public sealed record RlRunSettings(
    decimal ParentNotional,
    TimeSpan Horizon,
    int Periods,
    TimeSpan DecisionEvery,
    TimeSpan Warmup,
    double UnfinishedPenaltyBps,
    int Passes,
    double EpsilonStart,
    double EpsilonEnd,
    SimulatedExchangeOptions Venue,
    int EvaluationShifts)
{
    /// <summary>
    /// Parents of about 50,000 USDT over 30 s in 5 periods, 10 bps for being forced at the horizon, 200 passes with
    /// exploration from 0.3 to 0.02, a venue with 20 ms latency, maker 2 bp, taker 5.5 bp; the test parents run at
    /// 6 shifts of the horizon (overlapping: more parents, not independent ones).
    /// </summary>
    public static RlRunSettings Default { get; } = new(50_000m, TimeSpan.FromSeconds(30), 5, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10), 10,
        200, 0.3, 0.02, new SimulatedExchangeOptions(Latency: TimeSpan.FromMilliseconds(20)), 6);
}

public sealed record RlRunResult(RlTrainingResult Training, IReadOnlyList<AlgoScore> Evaluation, RlPolicyInfo Saved, RlEnvironmentSettings Settings,
    string TrainDescription, string TestDescription, TimeSpan Elapsed);

/// <summary>Loads the data, trains on the training part, evaluates against TWAP on the held-out part, saves the policy as a new version.</summary>
public static class RlTrainingRun
{
    public static RlRunResult Run(string dataSpec, string outDir, ulong seed, RlRunSettings run, InstrumentCatalog catalog, Action<string> log,
        CancellationToken ct = default)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var data = RlData.Load(dataSpec, seed);
        var symbol = RlData.MainSymbol(data.Train.SelectMany(s => s.Events));
        var instrument = catalog.Get(symbol);
        var settings = SettingsFor(data.Train[0].Events, symbol, instrument, run);
        var trainSettings = data.TestFrom is { } split ? settings with { EpisodesTo = split } : settings;
        var envs = data.Train.Select(s => new ExecutionEnvironment(s.Events, catalog, trainSettings)).ToList();
        var trainDescription = Describe(data.Train, envs.Sum(e => e.EpisodeStarts().Count), data.TestFrom, before: true);
        log($"rl-execution: {symbol}, parents of {settings.Qty} over {settings.Horizon.TotalSeconds:0} s in {settings.Periods} periods; train {trainDescription}");
        if (envs.Sum(e => e.EpisodeStarts().Count) == 0) throw new ArgumentException("the training data is too short for one episode");

        var options = new RlTrainingOptions(run.Passes, run.EpsilonStart, run.EpsilonEnd, seed);
        ct.ThrowIfCancellationRequested();
        var space = RlTrainer.StateSpaceFor(envs, options);
        var training = RlTrainer.Train(envs, options, space);
        foreach (var p in training.Passes.Where(p => p.Pass == 1 || p.Pass % Math.Max(1, run.Passes / 5) == 0))
            log($"  pass {p.Pass,4}: epsilon {p.Epsilon:F2}, {p.Episodes} episodes, mean shortfall {p.MeanShortfallBps,7:F2} bps, forced share {p.MeanForcedShare:P0}");
        ct.ThrowIfCancellationRequested();

        var testSettings = data.TestFrom is { } from ? settings with { EpisodesFrom = from } : settings;
        var evaluation = RlEvaluation.Compare(data.Test.Events, catalog, testSettings, training.Policy, run.EvaluationShifts);
        var testDescription = Describe([data.Test], new ExecutionEnvironment(data.Test.Events, catalog, testSettings).EpisodeStarts().Count, data.TestFrom,
            before: false);
        log($"held-out test {testDescription} × {run.EvaluationShifts} shifts: implementation shortfall vs arrival mid, fees included");
        foreach (var score in evaluation) log("  " + score);

        var info = new RlPolicyInfo("", ModelKinds.RlExecution, RlPolicy.CurrentFormat, DateTime.UtcNow,
            data.Train.SelectMany(s => s.Files).ToList(), Hash(data.Train, seed), data.TestFrom is null ? data.Test.Files : [],
            symbol.Value, settings.Qty, settings.Horizon, settings.Periods, settings.DecisionEvery, settings.UnfinishedPenaltyBps, seed, run.Passes, evaluation);
        var saved = new RlPolicyStore(outDir).Save(training.Policy, info);
        log($"saved {Path.Combine(new RlPolicyStore(outDir).Folder, saved.Version)} ({training.Updates} updates, {clock.Elapsed.TotalSeconds:F1} s)");
        return new RlRunResult(training, evaluation, saved, settings, trainDescription, testDescription, clock.Elapsed);
    }

    private static RlEnvironmentSettings SettingsFor(IReadOnlyList<IMarketEvent> events, Symbol symbol, Instrument instrument, RlRunSettings run)
    {
        var price = events.Select(e => e switch
        {
            Trade t when t.Symbol == symbol => t.Price,
            BookUpdate { IsSnapshot: true } u when u.Symbol == symbol && u.Bids.Count > 0 => u.Bids[0].Price,
            _ => 0m,
        }).FirstOrDefault(p => p > 0);
        if (price <= 0) throw new ArgumentException($"the data has no price for {symbol}");
        var qty = Math.Max(instrument.MinQty, instrument.FloorQty(run.ParentNotional / price));
        return new RlEnvironmentSettings(symbol, qty, run.Horizon, run.Periods, run.DecisionEvery, run.Warmup, TimeSpan.Zero, run.UnfinishedPenaltyBps,
            run.Venue);
    }

    /// <summary>SHA-256 of the training files; for synthetic data, of the seed that made it.</summary>
    private static string Hash(IReadOnlyList<RlDataSet> train, ulong seed)
    {
        var files = train.SelectMany(s => s.Files).ToList();
        return files.Count > 0
            ? RlPolicyStore.HashOf(files)
            : Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes($"{RlData.Synthetic}:{seed}")));
    }

    private static string Describe(IReadOnlyList<RlDataSet> sets, int episodes, DateTime? split, bool before)
    {
        var parts = sets.Select(s => $"{s.Name} ({s.Events.Count} events, {s.Events[0].Time:yyyy-MM-dd HH:mm:ss}–{s.Events[^1].Time:HH:mm:ss})");
        var cut = split is { } t ? (before ? $", episodes before {t:HH:mm:ss}" : $", episodes from {t:HH:mm:ss}") : "";
        return $"{string.Join(" + ", parts)}{cut}: {episodes} episodes";
    }
}
