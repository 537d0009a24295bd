using System.Text.Json;
using Hean.ML.Registry;
using Hean.ML.Training;
using Xunit.Abstractions;

namespace Hean.ML.Tests;

/// <summary>`hean train` and `hean model` through the real executable.</summary>
public sealed class TrainCommandTests : IDisposable
{
    private readonly ITestOutputHelper _output;
    private readonly string _dir = Directory.CreateTempSubdirectory("hean-train-").FullName;
    private readonly string _data;

    public TrainCommandTests(ITestOutputHelper output)
    {
        _output = output;
        _data = TestCandles.WriteCsv(TestCandles.Walk(1000, seed: 31), Path.Combine(_dir, "bars.csv"));
    }

    private string Models => Path.Combine(_dir, "models");

    private async Task<(int Code, string Out, string Err)> Hean(params string[] args)
    {
        var result = await HeanCli.RunAsync(_dir, args);
        _output.WriteLine($"$ hean {string.Join(' ', args)} → {result.Code}\n{result.Out}{result.Err}");
        return result;
    }

    private Task<(int Code, string Out, string Err)> Train(string model, params string[] extra) => TrainSeeded(model, "9", extra);

    private Task<(int Code, string Out, string Err)> TrainSeeded(string model, string seed, params string[] extra) =>
        Hean(["train", "--data", _data, "--model", model, "--train-days", "20", "--step-days", "5", "--horizon", "2",
            "--trees", "20", "--leaves", "8", "--seed", seed, "--model-dir", Models, .. extra]);

    [Fact]
    public async Task Trains_prints_the_windows_registers_a_version_and_the_same_seed_gives_the_same_trees()
    {
        var report = Path.Combine(_dir, "report.json");
        var (code, stdout, err) = await Train("lightgbm-return", "--report", report, "--expires-days", "10");
        Assert.True(code == 0, err);
        Assert.Contains("rmse", stdout);
        Assert.Contains("registered v0001", stdout);
        Assert.Contains("total training time", stdout);
        using (var json = JsonDocument.Parse(await File.ReadAllTextAsync(report)))
        {
            var windows = json.RootElement.GetProperty("Windows");
            Assert.Equal(windows.GetArrayLength(), stdout.Split('\n').Count(l => l.TrimStart().Length > 0 && char.IsDigit(l.TrimStart()[0])));
            Assert.True(windows.GetArrayLength() >= 3);
        }
        Assert.Equal(await File.ReadAllTextAsync(report), await File.ReadAllTextAsync(Path.Combine(Models, "v0001", ModelManifest.ReportFileName)));

        (code, _, err) = await Train("lightgbm-return");
        Assert.True(code == 0, err);
        Assert.Equal(await File.ReadAllBytesAsync(Path.Combine(Models, "v0001", ModelManifest.TreesFileName)),
            await File.ReadAllBytesAsync(Path.Combine(Models, "v0002", ModelManifest.TreesFileName)));
        (code, _, err) = await TrainSeeded("lightgbm-return", "10");
        Assert.True(code == 0, err);

        (code, stdout, _) = await Hean("model", "list", "--dir", Models); // the former name, still taken
        Assert.Equal(0, code);
        Assert.Equal(3, stdout.Split('\n').Count(l => l.Contains("lightgbm-return", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_trained_and_promoted_model_drives_a_backtest_and_replays_the_same()
    {
        Assert.Equal(0, (await Train("lightgbm-return")).Code);
        Assert.Equal(0, (await Hean("model", "promote", "v1", "--model-dir", Models)).Code);

        string[] backtest = ["backtest", "--data", _data, "--symbol", "BTCUSDT", "--model-dir", Models];
        var (code, first, err) = await Hean(backtest);
        Assert.True(code == 0, err);
        var ml = first.Split('\n').Single(l => l.StartsWith("ml model v0001:", StringComparison.Ordinal));
        var predictions = long.Parse(ml.Split(' ')[3], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(predictions > 100, ml); // one per closed bar after the warm-up
        Assert.Contains("0 failures", ml);
        var (code2, second, _) = await Hean(backtest);
        Assert.Equal(0, code2);
        Assert.Equal(Fingerprint(first), Fingerprint(second));

        var (code3, plain, _) = await Hean("backtest", "--data", _data, "--symbol", "BTCUSDT");
        Assert.Equal(0, code3);
        Assert.DoesNotContain("ml model", plain);
    }

    [Fact]
    public async Task Without_paths_run_and_backtest_trade_with_the_model_train_wrote_once_it_is_promoted()
    {
        string[] train = ["train", "--data", _data, "--model", "lightgbm-return", "--train-days", "20", "--step-days", "5", "--horizon", "2", "--trees", "20", "--leaves", "8"];
        var (code, stdout, err) = await Hean(train);
        Assert.True(code == 0, err);
        var folder = Path.Combine(_dir, ".hean", "models");
        Assert.Contains($"registered v0001 in {folder}", stdout);
        string[] run = ["run", "--duration", "4s", "--speed", "20", "--http-port", "0"];
        (code, stdout, err) = await Hean(run);
        Assert.True(code == 0, err);
        Assert.DoesNotContain("joins the strategy", stdout); // not promoted yet: the technical strategy alone

        (code, _, err) = await Hean("model", "promote", "v1");
        Assert.True(code == 0, err);
        (code, stdout, err) = await Hean(run);
        Assert.True(code == 0, err);
        Assert.Contains($"model v0001 (lightgbm-return) from {folder} joins the strategy", stdout);
        (code, stdout, err) = await Hean("backtest", "--data", _data, "--symbol", "BTCUSDT");
        Assert.True(code == 0, err);
        Assert.Contains("ml model v0001:", stdout);
        (code, stdout, err) = await Hean("backtest", "--data", _data, "--symbol", "BTCUSDT", "--model-dir", "");
        Assert.True(code == 0, err);
        Assert.DoesNotContain("ml model", stdout);
    }

    [Fact]
    public async Task Rl_execution_trains_through_hean_train_and_saves_a_versioned_policy()
    {
        var (code, stdout, err) = await Hean("train", "--model", "rl-execution", "--data", "synthetic", "--model-dir", Models, "--seed", "3");
        Assert.True(code == 0, err);
        Assert.Contains("held-out test", stdout);
        Assert.Matches(@"(?m)^\s+rl\s+-?\d+\.\d+ ± \d+\.\d+ bps", stdout);
        Assert.Matches(@"(?m)^\s+twap\s+-?\d+\.\d+ ± \d+\.\d+ bps", stdout);
        Assert.True(File.Exists(Path.Combine(Models, "rl-execution", "v0001", "policy.json")));
        Assert.True(File.Exists(Path.Combine(Models, "rl-execution", "v0001", "info.json")));

        (code, _, err) = await Hean("train", "--model", "rl-execution", "--data", Path.Combine(_dir, "missing.gz"), "--out", Models); // the former name, still taken
        Assert.Equal(2, code);
        Assert.Contains("error:", err);
    }

    private static string Fingerprint(string stdout) =>
        stdout.Split('\n').Single(l => l.StartsWith("fingerprint ", StringComparison.Ordinal)).Trim();

    [Fact]
    public async Task Model_commands_promote_show_and_roll_back_and_refuse_a_foreign_schema()
    {
        Assert.Equal(0, (await Train("fasttree-trend")).Code);
        Assert.Equal(0, (await Train("lightgbm-return")).Code);
        var (code, stdout, err) = await Hean("model", "promote", "v1", "--model-dir", Models);
        Assert.True(code == 0, err);
        (code, stdout, _) = await Hean("model", "promote", "2", "--model-dir", Models);
        Assert.Contains("promoted v0002 (lightgbm-return), fallback v0001", stdout);
        (code, stdout, _) = await Hean("model", "show", "v0002", "--model-dir", Models);
        Assert.Equal(0, code);
        Assert.Contains("(promoted)", stdout);
        Assert.Contains(ModelPublisher.Sha256(_data), stdout);
        (code, stdout, _) = await Hean("model", "rollback", "--model-dir", Models);
        Assert.Contains("rolled back from v0002 to v0001", stdout);
        (code, _, err) = await Hean("model", "rollback", "--model-dir", Models);
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", err);

        // a version trained on another schema (its manifest says so) is refused
        var manifest = Path.Combine(Models, "v0002", ModelManifest.FileName);
        var text = await File.ReadAllTextAsync(manifest);
        await File.WriteAllTextAsync(manifest, text.Replace("\"sma_20\"", "\"sma_21\"", StringComparison.Ordinal));
        (code, _, err) = await Hean("model", "promote", "v2", "--model-dir", Models);
        Assert.Equal(2, code);
        Assert.Contains("feature 0 is 'sma_21' in the model and 'sma_20' live", err);
        (code, _, err) = await Hean("model", "show", "v9", "--model-dir", Models);
        Assert.Equal(2, code);
        Assert.Contains("no model version v0009", err);
    }

    [Theory]
    [InlineData("--model lightgbm-return", "Option '--data' is required")]
    [InlineData("--data DATA", "Option '--model' is required")]
    [InlineData("--data DATA --model xgboost", "--model must be one of")]
    [InlineData("--data DATA --model lightgbm-return --horizon 4 --purge-bars 2", "must be at least --horizon")]
    [InlineData("--data DATA --model lightgbm-return --train-days 100", "too few for one window")]
    [InlineData("--data DATA --model fasttree-trend --dead-zone -1", "--dead-zone")]
    [InlineData("--data DATA --model lightgbm-return --train-days 0", "--train-days must be a positive")]
    [InlineData("--data missing.csv --model lightgbm-return", "missing.csv")]
    public async Task Bad_input_is_refused_with_exit_code_2(string args, string message)
    {
        var (code, _, err) = await Hean(["train", .. args.Replace("DATA", _data, StringComparison.Ordinal).Split(' '), "--model-dir", Models]);
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", err);
        Assert.Contains(message, err);
        Assert.False(Directory.Exists(Path.Combine(Models, "v0001")));
    }

    [Fact]
    public async Task Rl_execution_goes_to_the_rl_trainer_not_to_tree_training()
    {
        var (code, stdout, err) = await Hean("train", "--data", _data, "--model", "rl-execution", "--model-dir", Models);
        Assert.DoesNotContain("--model must be one of", err);
        Assert.DoesNotContain("feature rows", stdout);
        Assert.False(Directory.Exists(Path.Combine(Models, "v0001")), $"exit {code}: tree training must not run");
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
