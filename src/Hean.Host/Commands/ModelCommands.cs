using System.CommandLine;
using System.Globalization;
using Hean.Core.Features;
using Hean.Core.Models;
using Hean.Host.Hosting;
using Hean.ML.Registry;

namespace Hean.Host.Commands;

/// <summary>
/// `hean model list | show V | promote V | rollback | bench V --data FILE [--model-dir DIR]`: the model registry. Promote and
/// rollback refuse a model whose feature schema is not the live one (V1). Exit code 0 done, 2 bad
/// input (unknown version, schema mismatch, nothing to roll back), 1 anything else.
/// </summary>
public static class ModelCommands
{
    public static Command Create()
    {
        var dir = ModelDirOption.Create("model registry folder; default HEAN_MODEL_DIR, else ./.hean/models (HEAN_DATA_DIR/models)", formerName: "--dir", recursive: true);
        var cmd = new Command("model", "list, show, promote and roll back model versions");
        dir.AddTo(cmd);

        var list = new Command("list", "every version, oldest first; * marks the promoted one");
        list.SetAction(async (r, _) => await Guard(() =>
        {
            var registry = Registry(dir.Value(r));
            var promoted = registry.PromotedVersion();
            var all = registry.List();
            if (all.Count == 0)
            {
                Console.WriteLine($"no models in {registry.Root}");
                return Program.Ok;
            }
            Console.WriteLine($"  {"version",-8} {"kind",-16} {"schema",-16} {"trained from",-16} {"trained to",-16} {"created",-16} {"expires",-16} key metric");
            foreach (var m in all)
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{(m.Version == promoted ? "*" : " ")} {m.Version,-8} {m.Kind,-16} {m.SchemaId,-16} {m.TrainedFrom,-16:yyyy-MM-dd HH:mm} {m.TrainedTo,-16:yyyy-MM-dd HH:mm} {m.CreatedAt,-16:yyyy-MM-dd HH:mm} {(m.ExpiresAt is { } e ? e.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) : "never"),-16} {KeyMetric(m)}"));
            return Program.Ok;
        }));

        var versionArg = new Argument<string>("version") { Description = "v0003, v3 or 3" };
        var show = new Command("show", "a version's manifest") { versionArg };
        show.SetAction(async (r, _) => await Guard(() =>
        {
            var registry = Registry(dir.Value(r));
            var m = registry.Get(r.GetValue(versionArg)!);
            var promotion = registry.Promotion();
            Console.WriteLine($"version       {m.Version}{(promotion.Version == m.Version ? " (promoted)" : promotion.Previous == m.Version ? " (fallback)" : "")}");
            Console.WriteLine($"kind          {m.Kind}");
            Console.WriteLine($"schema        {m.SchemaId} ({m.FeatureNames.Count} features){(m.SchemaId == FeatureSchema.V1.Id ? "" : $" — NOT the live schema {FeatureSchema.V1.Id}")}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"trained on    {m.TrainedFrom:yyyy-MM-dd HH:mm} → {m.TrainedTo:yyyy-MM-dd HH:mm} UTC, horizon {m.Horizon} bars, score scale {m.ScoreScale:G6}"));
            Console.WriteLine($"data          {m.DataFile}");
            Console.WriteLine($"data sha256   {m.DataSha256}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"created       {m.CreatedAt:yyyy-MM-dd HH:mm:ss} UTC"));
            Console.WriteLine(m.ExpiresAt is { } e ? string.Create(CultureInfo.InvariantCulture, $"expires       {e:yyyy-MM-dd HH:mm:ss} UTC{(e <= DateTime.UtcNow ? " (EXPIRED)" : "")}") : "expires       never");
            Console.WriteLine("walk-forward  " + string.Join(", ", m.Metrics.Select(kv => $"{kv.Key} {Number(kv.Value)}")));
            Console.WriteLine($"folder        {registry.VersionDir(m.Version)}");
            return Program.Ok;
        }));

        var promoteArg = new Argument<string>("version") { Description = "v0003, v3 or 3" };
        var promote = new Command("promote", "make a version the live model (the current one becomes its fallback)") { promoteArg };
        promote.SetAction(async (r, _) => await Guard(() =>
        {
            var registry = Registry(dir.Value(r));
            var before = registry.PromotedVersion();
            var m = registry.Promote(r.GetValue(promoteArg)!, FeatureSchema.V1);
            Console.WriteLine($"promoted {m.Version} ({m.Kind}){(before is null ? "" : $", fallback {before}")}");
            if (m.ExpiresAt is { } e && e <= DateTime.UtcNow) Console.Error.WriteLine($"warning: {m.Version} expired at {e:u}; its predictions will be flagged");
            return Program.Ok;
        }));

        var rollback = new Command("rollback", "go back to the version promoted before the current one");
        rollback.SetAction(async (r, _) => await Guard(() =>
        {
            var registry = Registry(dir.Value(r));
            var from = registry.PromotedVersion();
            var m = registry.Rollback(FeatureSchema.V1);
            Console.WriteLine($"rolled back from {from} to {m.Version} ({m.Kind})");
            return Program.Ok;
        }));

        var benchArg = new Argument<string>("version") { Description = "v0003, v3 or 3" };
        var benchData = new Option<string>("--data") { Description = "OHLCV CSV whose V1 feature rows are predicted", Required = true };
        var rounds = new Option<int>("--rounds") { Description = "passes over the rows", DefaultValueFactory = _ => 20 };
        var bench = new Command("bench", "per-call prediction latency (p50/p99) of a version's flat trees on the feature rows of a CSV") { benchArg, benchData, rounds };
        bench.SetAction(async (r, _) => await Guard(() =>
        {
            var registry = Registry(dir.Value(r));
            var predictor = registry.Load(r.GetValue(benchArg)!, FeatureSchema.V1);
            var file = r.GetValue(benchData)!;
            var n = r.GetValue(rounds);
            if (n is < 1 or > 10_000) throw new ArgumentException($"--rounds must be in 1..10000, got {n}");
            var rows = Hean.ML.Datasets.DatasetBuilder.Build(Hean.Core.MarketData.Replay.OhlcvCsvReader.ReadAll(file, new Hean.Core.Domain.Symbol("BENCH")), FeatureSchema.V1).Rows;
            var stats = Hean.ML.Inference.PredictorLatency.Measure(predictor, rows, n);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{predictor.Info.Version} ({predictor.Info.Kind}, {predictor.Trees.TreeCount} trees, {predictor.Trees.NodeCount} splits): {stats.Calls} predictions of {FeatureSchema.V1.Count} features, " +
                $"mean {stats.MeanMicros:0.00} µs, p50 {stats.P50Micros:0.00} µs, p90 {stats.P90Micros:0.00} µs, p99 {stats.P99Micros:0.00} µs, p99.9 {stats.P999Micros:0.00} µs, max {stats.MaxMicros:0.0} µs"));
            return Program.Ok;
        }));

        cmd.Subcommands.Add(list);
        cmd.Subcommands.Add(show);
        cmd.Subcommands.Add(promote);
        cmd.Subcommands.Add(rollback);
        cmd.Subcommands.Add(bench);
        return cmd;
    }

    private static FileModelRegistry Registry(string? dir) => new(dir ?? ModelFolder.Default(Configuration.HeanSettings.LoadConfiguration()));

    /// <summary>A model on the wrong schema is bad input too: exit code 2 with the mismatch.</summary>
    private static Task<int> Guard(Func<int> action) => Program.Guard(() =>
    {
        try
        {
            return Task.FromResult(action());
        }
        catch (ModelSchemaMismatchException e)
        {
            throw new ArgumentException(e.Message, e);
        }
    });

    private static string KeyMetric(ModelManifest m) =>
        m.Kind == Hean.ML.ModelKinds.FastTreeTrend
            ? $"auc {Number(m.Metrics.GetValueOrDefault("auc", double.NaN))}"
            : $"ic {Number(m.Metrics.GetValueOrDefault("ic", double.NaN))}";

    private static string Number(double value) => double.IsFinite(value) ? value.ToString("0.####", CultureInfo.InvariantCulture) : "n/a";
}
