using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Hean.Core.Features;
using Hean.Core.MarketData.Replay;
using Hean.Host.Configuration;
using Hean.Host.Hosting;
using Hean.ML;
using Hean.ML.Datasets;
using Hean.ML.Registry;
using Hean.ML.Training;
using Symbol = Hean.Core.Domain.Symbol;

namespace Hean.Host.Commands;

/// <summary>
/// `hean train --data FILE --model lightgbm-return|fasttree-trend|rl-execution …`: walk-forward
/// training of a tree model on an OHLCV CSV with the live feature code (schema V1), a table of
/// out-of-sample metrics and backtests per window (also saved as JSON), and the final model
/// registered as a new version. `rl-execution` goes to <see cref="RlTrainCommand"/>.
/// Exit code 0 done, 2 bad input, 1 anything else.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "OHLCV CSV (.csv or .csv.gz); for rl-execution, the book data the agent trains on", Required = true };
        var symbol = new Option<string>("--symbol") { Description = "symbol the bars belong to", DefaultValueFactory = _ => "BTCUSD" };
        var model = new Option<string>("--model") { Description = $"{string.Join(" | ", ModelKinds.All)}", Required = true };
        var horizon = new Option<int>("--horizon") { Description = "bars ahead of the forward-return label", DefaultValueFactory = _ => 4 };
        var trainDays = new Option<double>("--train-days") { Description = "length of each training window, days", DefaultValueFactory = _ => 180 };
        var stepDays = new Option<double>("--step-days") { Description = "length of each test window and step between windows, days", DefaultValueFactory = _ => 30 };
        var purge = new Option<int?>("--purge-bars") { Description = "bars left out between training and test (≥ horizon); default: the horizon" };
        var deadZone = new Option<double>("--dead-zone") { Description = "fasttree-trend: |forward log return| at or below this is no direction (rows dropped)", DefaultValueFactory = _ => 0.002 };
        var fee = new Option<double>("--fee-bps") { Description = "backtest fee per side, basis points of notional", DefaultValueFactory = _ => 5.5 };
        var trees = new Option<int>("--trees") { Description = "boosting rounds", DefaultValueFactory = _ => 200 };
        var leaves = new Option<int>("--leaves") { Description = "leaves per tree", DefaultValueFactory = _ => 15 };
        var seed = new Option<ulong>("--seed") { Description = "random seed; the same data and seed give the same model", DefaultValueFactory = _ => 42 };
        var modelDir = ModelDirOption.Create("model registry folder the version is added to; default HEAN_MODEL_DIR, else ./.hean/models (HEAN_DATA_DIR/models)", formerName: "--out");
        var report = new Option<string?>("--report") { Description = "also write the training report (JSON) here; it is always saved in the version folder" };
        var expires = new Option<double?>("--expires-days") { Description = "the model expires this many days after it is created (its predictions are then flagged)" };
        var cmd = new Command("train", "walk-forward training of a model; the final model is registered as a new version")
        {
            data, symbol, model, horizon, trainDays, stepDays, purge, deadZone, fee, trees, leaves, seed, report, expires,
        };
        modelDir.AddTo(cmd);
        cmd.SetAction(async (r, ct) => await Program.Guard(async () =>
        {
            var file = r.GetValue(data)!;
            var kind = r.GetValue(model)!;
            var dir = modelDir.Value(r) ?? ModelFolder.Default(HeanSettings.LoadConfiguration());
            if (kind == ModelKinds.RlExecution) return await RlTrainCommand.RunAsync(new RlTrainArgs(file, dir, r.GetValue(seed)), ct);
            if (kind != ModelKinds.LightGbmReturn && kind != ModelKinds.FastTreeTrend)
                throw new ArgumentException($"--model must be one of {string.Join(", ", ModelKinds.All)}, got '{kind}'");
            var s = r.GetValue(seed);
            if (s > int.MaxValue) throw new ArgumentException($"--seed must be at most {int.MaxValue} for tree models, got {s}");
            var expiresDays = r.GetValue(expires);
            if (expiresDays is { } e && !(e > 0 && e <= 3650)) throw new ArgumentException($"--expires-days must be in (0, 3650], got {e}");
            var feeBps = r.GetValue(fee);
            if (!(feeBps >= 0 && feeBps < 1000)) throw new ArgumentException($"--fee-bps must be in [0, 1000), got {feeBps}");

            var candles = OhlcvCsvReader.ReadAll(file, new Symbol(r.GetValue(symbol)!));
            var interval = candles[0].Interval;
            var h = r.GetValue(horizon);
            var settings = new TrainingSettings(kind, h, Bars(r.GetValue(trainDays), interval, "--train-days"), Bars(r.GetValue(stepDays), interval, "--step-days"),
                r.GetValue(purge) ?? h, r.GetValue(deadZone), feeBps / 1e4, new TreeTrainingOptions(r.GetValue(trees), r.GetValue(leaves), Seed: (int)s));
            settings.Validate();
            if (settings.PurgeBars < settings.Horizon)
                throw new ArgumentException($"--purge-bars ({settings.PurgeBars}) must be at least --horizon ({settings.Horizon}), or training labels would see test prices");

            var registry = new FileModelRegistry(dir);
            var schema = FeatureSchema.V1;
            var dataset = DatasetBuilder.Build(candles, schema);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{kind}: {candles.Count} bars of {interval.TotalMinutes:0} min, {dataset.Count} feature rows ({schema}), horizon {h} bars, " +
                $"windows of {settings.TrainBars} train / {settings.PurgeBars} purge / {settings.StepBars} test bars, seed {s}"));
            var outcome = await CommandProgress.RunAsync("train", report => Task.Run(() =>
            {
                var (windows, done) = (0, 0);
                // The windows, then the final model on everything: windows + 1 trainings.
                return WalkForwardTraining.Run(dataset, settings,
                    w => report(new ProgressUpdate(string.Create(CultureInfo.InvariantCulture,
                        $"window {++done} of {windows} trained (tested {w.TestFrom:yyyy-MM-dd} → {w.TestTo:yyyy-MM-dd})"), (double)done / (windows + 1))),
                    n =>
                    {
                        windows = n;
                        report(new ProgressUpdate($"{n} walk-forward windows, then the final model", 0));
                    });
            }, ct));
            Console.Write(TrainingTable.Format(outcome.Report));

            var manifest = ModelPublisher.Publish(registry, outcome, schema, file, DateTime.UtcNow, expiresDays is { } d ? TimeSpan.FromDays(d) : null);
            if (r.GetValue(report) is { } reportPath)
                Hean.ML.Inference.AtomicFile.WriteAllText(reportPath, JsonSerializer.Serialize(outcome.Report, FileModelRegistry.Json));
            var f = outcome.Report.Final;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"final model trained on {f.TrainFrom:yyyy-MM-dd HH:mm} → {f.TrainTo:yyyy-MM-dd HH:mm} ({f.TrainRows} rows, {f.Trees} trees, {f.Nodes} splits) in {f.TrainSeconds:0.00}s; " +
                $"total training time {outcome.Report.TotalSeconds:0.0}s"));
            Console.WriteLine($"registered {manifest.Version} in {registry.Root} (not promoted: hean model promote {manifest.Version})");
            return Program.Ok;
        }));
        return cmd;
    }

    private static int Bars(double days, TimeSpan interval, string option)
    {
        if (!(days > 0 && days <= 36500)) throw new ArgumentException($"{option} must be a positive number of days, got {days}");
        var bars = (int)Math.Round(TimeSpan.FromDays(days) / interval);
        if (bars < 1) throw new ArgumentException($"{option} {days} is shorter than one bar ({interval})");
        return bars;
    }
}
