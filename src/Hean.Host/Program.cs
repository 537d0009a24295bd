using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using Hean.Core.Domain;
using Symbol = Hean.Core.Domain.Symbol;
using Hean.Core.MarketData.Replay;
using Hean.Host.Commands;
using Hean.Host.Configuration;
using Hean.Host.Reports;

namespace Hean.Host;

public static class Program
{
    /// <summary>Exit codes: 0 done, 1 failed while running, 2 bad input (settings, arguments, data).</summary>
    public const int Ok = 0, Failed = 1, BadInput = 2;

    public static async Task<int> Main(string[] args)
    {
        StartupPhases.Mark("runtime start");
        var root = new RootCommand("HEAN — crypto trading on Akka.NET: paper trading, backtests, operations");
        root.Subcommands.Add(Run());
        root.Subcommands.Add(ResetCommand.Create());
        root.Subcommands.Add(Backtest());
        root.Subcommands.Add(FeaturesCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(ModelCommands.Create());
        root.Subcommands.Add(DataCommands.Create());
        root.Subcommands.Add(RecordCommand.Create());
        foreach (var command in OperatorCommands.Create()) root.Subcommands.Add(command);
        root.Subcommands.Add(OrderCommand.Create());
        root.Subcommands.Add(TokenCommand.Create());
        root.Subcommands.Add(KeysCommand.Create());
        root.Subcommands.Add(EventsCommand.Create());
        root.Subcommands.Add(HistoryCommand.Create());
        // Bare `hean`: what it can do, not an error.
        if (args.Length == 0) return await root.Parse(["--help"]).InvokeAsync();
        var parsed = root.Parse(args);
        StartupPhases.Mark("commands parsed");
        if (parsed.Errors.Count > 0)
        {
            // A misspelled command or option is bad input like any other: say what, exit 2.
            // "Required command was not provided" beside an unknown command says nothing more.
            var errors = parsed.Errors.Count > 1 ? parsed.Errors.Where(e => !e.Message.StartsWith("Required command", StringComparison.Ordinal)) : parsed.Errors;
            foreach (var error in errors) await Console.Error.WriteLineAsync("error: " + error.Message);
            if (!args[0].StartsWith('-') && root.Subcommands.All(c => c.Name != args[0]) && Closest(args[0], root.Subcommands.Select(c => c.Name)) is { Count: > 0 } near)
                await Console.Error.WriteLineAsync($"did you mean: {string.Join(", ", near.Select(n => "hean " + n))}?");
            // The help of the command that was typed: it lists its options, marks the required ones and their values.
            await Console.Error.WriteLineAsync($"see: {CommandPath(parsed.CommandResult)} --help");
            return BadInput;
        }
        var code = await parsed.InvokeAsync();
        StartupPhases.Report();
        return code;
    }

    private static string CommandPath(CommandResult command) =>
        command.Parent is CommandResult parent ? $"{CommandPath(parent)} {command.Command.Name}" : "hean";

    /// <summary>Command names a mistyped one probably meant: those it starts, starts with, or is at most two edits from.</summary>
    internal static IReadOnlyList<string> Closest(string typed, IEnumerable<string> names) =>
        names.Where(n => n.StartsWith(typed, StringComparison.OrdinalIgnoreCase) || typed.StartsWith(n, StringComparison.OrdinalIgnoreCase)
                         || Edits(typed.ToLowerInvariant(), n) <= 2)
            .OrderBy(n => Edits(typed.ToLowerInvariant(), n)).ThenBy(n => n, StringComparer.Ordinal).Take(3).ToList();

    /// <summary>Levenshtein distance.</summary>
    private static int Edits(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }

    private static Command Run()
    {
        var duration = new Option<string?>("--duration") { Description = "stop after this long (e.g. 60s, 5m); default: until Ctrl-C" };
        var paused = new Option<bool>("--paused") { Description = "start with the market feed paused (resume with POST /api/feed/resume)" };
        var speed = new Option<double>("--speed") { Description = "market speed: 1 = real time", DefaultValueFactory = _ => 1.0 };
        var seed = new Option<ulong?>("--seed") { Description = "seed of the synthetic market (default: from the clock)" };
        var port = new Option<int?>("--http-port") { Description = "HTTP port for health, metrics and the API (0 = any free port); default HEAN_HTTP_PORT or 8080" };
        var dataDir = new Option<string?>("--data-dir") { Description = "where the journal lives; default HEAN_DATA_DIR or ./.hean" };
        var warmup = new Option<string>("--warmup") { Description = "market history the indicators warm up on before trading", DefaultValueFactory = _ => "3h" };
        var modelDir = ModelDirOption();
        var exchange = new Option<string?>("--exchange") { Description = "simulated (paper trading on the synthetic market) or bybit (keys from BYBIT_API_KEY/BYBIT_API_SECRET or BYBIT_SECRETS_FILE); default EXCHANGE or simulated" };
        var testnet = new Option<bool>("--testnet") { Description = "with --exchange bybit: Bybit's testnet (same as BYBIT_TESTNET=true)" };
        var symbols = new Option<string?>("--symbols") { Description = "the symbols to trade, comma-separated (e.g. BTCUSDT,ETHUSDT); default HEAN_SYMBOLS" };
        var capital = new Option<string?>("--capital") { Description = "the paper account's starting cash in USDT; default INITIAL_CAPITAL (a new account only: an existing journal keeps its cash)" };
        var cmd = new Command("run", "trading: paper on the synthetic market, or live on Bybit with --exchange bybit")
        {
            duration, paused, speed, seed, port, dataDir, warmup, modelDir, exchange, testnet, symbols, capital,
        };
        cmd.SetAction(async (r, ct) => await Guard(async () =>
        {
            var overrides = new Dictionary<string, string?>();
            if (r.GetValue(exchange) is { } venue) overrides["EXCHANGE"] = venue;
            // The same checks as the settings they stand for (a bad value names the option's setting, exit 2).
            if (r.GetValue(symbols) is { } list) overrides["HEAN_SYMBOLS"] = list;
            if (r.GetValue(capital) is { } cash) overrides["INITIAL_CAPITAL"] = cash;
            if (r.GetValue(testnet))
            {
                if (!string.Equals(r.GetValue(exchange) ?? Environment.GetEnvironmentVariable("EXCHANGE"), "bybit", StringComparison.OrdinalIgnoreCase))
                    throw new ArgumentException("--testnet needs --exchange bybit");
                overrides["BYBIT_TESTNET"] = "true";
            }
            var settings = WithModelDir(Settings(r.GetValue(port), r.GetValue(dataDir), overrides), r.GetValue(modelDir));
            var d = r.GetValue(duration) is { } text ? Durations.Parse(text) : (TimeSpan?)null;
            var s = r.GetValue(speed);
            if (s <= 0 || double.IsNaN(s)) throw new ArgumentException($"--speed must be positive, got {s}");
            var w = Durations.Parse(r.GetValue(warmup)!);
            if (w > TimeSpan.FromDays(7)) throw new ArgumentException("--warmup must be at most 7d");
            return await RunCommand.RunAsync(settings, new RunOptions(d, r.GetValue(paused), s, r.GetValue(seed), w), ct);
        }));
        return cmd;
    }

    private static Command Backtest()
    {
        var data = new Option<string?>("--data") { Description = "OHLCV or trades CSV, Binance L2 capture or Bybit recording (plain or gzip, told by content); default: the synthetic market" };
        var symbol = new Option<string?>("--symbol") { Description = "symbol to trade (needed for files without a symbol column)" };
        var seed = new Option<ulong?>("--seed") { Description = "seed of the synthetic market; default HEAN_SEED or 42" };
        var duration = new Option<string>("--duration") { Description = "market time to simulate without --data", DefaultValueFactory = _ => "6h" };
        var start = new Option<string>("--start") { Description = "synthetic market start (UTC)", DefaultValueFactory = _ => "2025-01-01T00:00:00Z" };
        var checkpoint = new Option<string>("--checkpoint") { Description = "market time between risk checkpoints and equity samples", DefaultValueFactory = _ => "1m" };
        var output = new Option<string?>("--out") { Description = "write the JSON report here" };
        var html = new Option<string?>("--html") { Description = "write a self-contained HTML report here (charts, tables, settings; opens offline)" };
        var risk = new Option<string>("--risk") { Description = "on (default) or off: off lifts every limit and Kelly/volatility sizing, for comparison", DefaultValueFactory = _ => "on" };
        var modelDir = ModelDirOption();
        var engine = new Option<string>("--engine")
        {
            Description = "kernel: one single-threaded loop over the same Core rules (fast); actors: the graph and actors of paper trading; " +
                          "auto (default): the kernel when it can run the settings (no model, no smart execution), else the actors",
            DefaultValueFactory = _ => "auto",
        };
        var cmd = new Command("backtest", "replay data through the same trading rules as paper trading, as fast as it goes")
        {
            data, symbol, seed, duration, start, checkpoint, output, html, risk, modelDir, engine,
        };
        cmd.SetAction(async (r, ct) => await Guard(async () =>
        {
            Symbol? sym = r.GetValue(symbol) is { } text ? new Symbol(text) : null;
            if (sym is { } known) InstrumentCatalog.Default.Get(known);
            var every = Durations.Parse(r.GetValue(checkpoint)!);
            if (every < TimeSpan.FromSeconds(1)) throw new ArgumentException("--checkpoint must be at least 1s");
            // The file starts streaming on the second core while the settings load (the actors read it themselves).
            using var feed = r.GetValue(data) is { } file && r.GetValue(engine) != "actors" ? KernelFeed.File(file, sym, every) : null;
            var settings = WithModelDir(Settings(null, null), r.GetValue(modelDir));
            StartupPhases.Mark("settings");
            var startTime = DateTime.Parse(r.GetValue(start)!, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
            var options = new BacktestOptions(r.GetValue(data), sym, r.GetValue(seed) ?? settings.Seed, Durations.Parse(r.GetValue(duration)!),
                startTime, every, r.GetValue(output))
            {
                Feed = feed,
                Risk = r.GetValue(risk) switch
                {
                    "on" => true,
                    "off" => false,
                    var other => throw new ArgumentException($"--risk must be on or off, got '{other}'"),
                },
                Progress = true,
                Engine = r.GetValue(engine) switch
                {
                    "auto" => BacktestEngine.Auto,
                    "kernel" => BacktestEngine.Kernel,
                    "actors" => BacktestEngine.Actors,
                    var other => throw new ArgumentException($"--engine must be auto, kernel or actors, got '{other}'"),
                },
            };
            if (options.Duration <= TimeSpan.Zero) throw new ArgumentException("--duration must be positive");
            // Ctrl+C and SIGTERM stop the run through the token: the kernel runs on this thread, and the command line
            // library sets up its own handler only once an action returns its task. Only the run: once it is done, a
            // signal ends the process as usual.
            BacktestReport report;
            using (var stop = new StopSignals(ct)) report = await BacktestCommand.RunAsync(settings, options, stop.Token);
            StartupPhases.Mark("report");
            if (options.OutFile is { } path) BacktestCommand.Write(report, path);
            var nothingTraded = report.NothingTraded(settings.CandleInterval, settings.Ema.Slow + 1);
            var htmlFile = r.GetValue(html);
            if (htmlFile is not null) BacktestHtml.Write(report, htmlFile, nothingTraded);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"backtest {report.Source} {string.Join(",", report.Symbols)}: {report.MarketEvents} events in {report.WallSeconds:0.00}s ({report.EventsPerSecond:0}/s, {report.Engine}), " +
                $"{report.Signals} signals, {report.Orders} orders, {report.FillCount} fills"));
            BacktestTable.Write(report, Console.Out, Console.IsOutputRedirected);
            if (report.Ml is { } m)
                Console.WriteLine($"ml model {m.Model}: {m.Predictions} predictions, {m.Fallbacks} fallbacks, {m.Failures} failures, {m.Expired} expired, breaker {m.Breaker}");
            Console.WriteLine($"fingerprint {report.Fingerprint}{(report.FillCount == 0 ? " (of no fills)" : "")}");
            if (nothingTraded is { } why)
                await Console.Error.WriteLineAsync("warning: nothing traded: " + why);
            if (options.OutFile is { } p) Console.WriteLine($"report written to {p}");
            if (htmlFile is not null) Console.WriteLine($"HTML report written to {htmlFile}");
            StartupPhases.Mark("output");
            if (report.Errors > 0)
            {
                // The numbers above came from a run in which steps failed: say so, and fail.
                await Console.Error.WriteLineAsync($"error: {report.Errors} step(s) of the backtest failed, the first: {report.FirstError}; its results are not to be trusted");
                return Failed;
            }
            return Ok;
        }));
        return cmd;
    }

    private static Option<string?> ModelDirOption() => new(Hosting.ModelFolder.OptionName)
    {
        Description = "model registry folder: its promoted model joins the strategy; default HEAN_MODEL_DIR, else ./.hean/models (HEAN_DATA_DIR/models) " +
                      "when a model is promoted there; \"\" for none (the technical strategy alone)",
    };

    private static HeanSettings WithModelDir(HeanSettings settings, string? modelDir) =>
        modelDir is null ? settings : settings with { Ml = settings.Ml with { ModelDir = modelDir.Trim().Length == 0 ? null : Path.GetFullPath(modelDir.Trim()) } };

    private static HeanSettings Settings(int? port, string? dataDir, IReadOnlyDictionary<string, string?>? overrides = null)
    {
        var configuration = HeanSettings.LoadConfiguration();
        // --data-dir as a setting, so that everything bound from the data folder (the key store) sees it.
        var all = new Dictionary<string, string?>(overrides ?? new Dictionary<string, string?>());
        if (dataDir is not null) all["HEAN_DATA_DIR"] = Path.GetFullPath(dataDir);
        if (all.Count > 0)
            configuration = new Microsoft.Extensions.Configuration.ConfigurationBuilder().AddConfiguration(configuration).AddInMemoryCollection(all).Build();
        var settings = HeanSettings.From(configuration);
        if (port is { } p)
        {
            if (p is < 0 or > 65535) throw new ArgumentException($"--http-port must be a TCP port, got {p}");
            settings = settings with { HttpPort = p };
        }
        return settings;
    }

    /// <summary>Bad input ends with a clear message and exit code 2, before anything is persisted.</summary>
    public static async Task<int> Guard(Func<Task<int>> action)
    {
        try
        {
            return await action();
        }
        catch (Exception e) when (e is SettingsException or Hean.Core.Models.ModelSchemaMismatchException or MarketDataFormatException or UnknownSymbolException
                                      or FormatException or ArgumentException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync("error: " + e.Message);
            return BadInput;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("cancelled");
            return Failed;
        }
        catch (Exception e)
        {
            await Console.Error.WriteLineAsync("failed: " + e);
            return Failed;
        }
    }
}
