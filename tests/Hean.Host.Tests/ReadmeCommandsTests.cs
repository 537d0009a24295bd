using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Host.Tests;

/// <summary>
/// Every runnable command of the README, run from the root of a fresh clone as a newcomer would paste it (#17):
/// the blocks are marked in the README (see <see cref="ReadmeBlock"/>), each command must exit 0 and write the files
/// its <c>--out</c>, <c>--html</c>, <c>--output</c> or <c>--report</c> name. All failures are reported together.
/// </summary>
public sealed class ReadmeCommandsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private static readonly TimeSpan UpBeforeStop = TimeSpan.FromSeconds(3);

    // As a newcomer's shell: no token (the commands read ./.hean/api-token), and any free port for a node, since
    // 8080 may be taken on a shared machine (the README's own examples say --http-port 0 where it matters).
    private static readonly Dictionary<string, string> UserEnvironment = new() { ["HEAN_TOKEN"] = "", ["HEAN_HTTP_PORT"] = "0" };

    private readonly List<string> _failures = [];

    [Fact]
    public void Every_bash_block_of_the_README_is_marked()
    {
        var blocks = ReadmeBlock.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")));
        Assert.NotEmpty(blocks);
        Assert.Contains(blocks, b => b.Kind == ReadmeBlockKind.Standalone);
        Assert.Contains(blocks, b => b.Kind == ReadmeBlockKind.WithNode);
    }

    [Fact]
    public async Task ReadmeCommands_work_from_the_root_of_a_fresh_checkout()
    {
        var watch = Stopwatch.StartNew();
        using var checkout = await ReadmeCheckout.CloneAsync();
        var blocks = ReadmeBlock.Parse(await File.ReadAllTextAsync(Path.Combine(checkout.Root, "README.md")));
        checkout.ProvideSharedData(blocks.Where(b => b.Kind != ReadmeBlockKind.Skip).SelectMany(b => b.Commands).Select(c => c.Text));
        output.WriteLine($"fresh clone in {checkout.Root}; {checkout.SharedDataSource}");
        var run = 0;
        foreach (var block in blocks)
        {
            output.WriteLine($"\nREADME line {block.Line}: {block.Kind}{(block.SkipReason is { } why ? $" ({why})" : "")}");
            if (block.Kind != ReadmeBlockKind.Skip) run += await RunBlockAsync(block, checkout.Root);
        }
        output.WriteLine($"\n{run} commands of {blocks.Count} blocks in {watch.Elapsed.TotalSeconds:0} s");
        Assert.True(_failures.Count == 0, $"{_failures.Count} README command(s) failed:\n\n" + string.Join("\n\n", _failures));
    }

    private async Task<int> RunBlockAsync(ReadmeBlock block, string root)
    {
        await using var context = await BlockContext.StartAsync(block.Kind, root);
        var env = new Dictionary<string, string>(UserEnvironment);
        foreach (var (k, v) in context.Environment) env[k] = v;
        var run = 0;
        foreach (var command in block.Commands)
        {
            if (block.WhySkipped(command) is { } why)
            {
                output.WriteLine($"  line {command.Line}: skipped ({why}): {command.Text}");
                continue;
            }
            await RunCommandAsync(command, block.RunsUntilStopped(command), root, env);
            run++;
        }
        return run;
    }

    private async Task RunCommandAsync(ReadmeCommand command, bool untilStopped, string root, IReadOnlyDictionary<string, string> env)
    {
        var line = ReadmeCommandLine.From(command, untilStopped);
        var watch = Stopwatch.StartNew();
        await using var process = HeanProcess.StartBash(root, env, line.Script);
        var problem = untilStopped ? await StopWhenUpAsync(process) : await WaitForEndAsync(process, CommandTimeout);
        problem ??= process.ExitCode == 0 ? null : $"exit code {process.ExitCode}";
        problem ??= MissingFiles(line.WrittenFiles.Concat(command.Announced), root);
        var outcome = process.HasExited ? $"exit {process.ExitCode}" : "still running";
        output.WriteLine($"  line {command.Line}: {outcome}, {watch.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture)} s: {command.Text}" +
            (line.Shortened ? $" (run with --duration {ReadmeCommandLine.LongestDuration.TotalSeconds} s)" : "") +
            (untilStopped ? " (stopped with SIGTERM once up)" : ""));
        if (problem is not null)
            _failures.Add($"README line {command.Line}: {command.Text}\n  {problem}\n  ran: {line.Script}\n  stdout (end): {Tail(process.StdOut)}\n  stderr (end): {Tail(process.StdErr)}");
    }

    private static async Task<string?> WaitForEndAsync(HeanProcess process, TimeSpan timeout)
    {
        try
        {
            await process.WaitForExitAsync(timeout);
            return null;
        }
        catch (OperationCanceledException)
        {
            return $"did not end in {timeout}";
        }
    }

    /// <summary>A command that runs until stopped: once it has printed something and is still running a moment later, SIGTERM (Ctrl-C takes the same path).</summary>
    private static async Task<string?> StopWhenUpAsync(HeanProcess process)
    {
        var watch = Stopwatch.StartNew();
        while (process.StdOut.Length == 0 && !process.HasExited && watch.Elapsed < StartTimeout) await Task.Delay(100);
        await Task.Delay(UpBeforeStop);
        if (process.HasExited) return "ended by itself; the README says it runs until stopped";
        process.Terminate();
        return await WaitForEndAsync(process, StartTimeout) is { } problem ? problem + " after SIGTERM" : null;
    }

    /// <summary>The files a command says it writes, relative to where it ran: each there and not empty, JSON that parses.</summary>
    private static string? MissingFiles(IEnumerable<string> files, string root)
    {
        foreach (var written in files)
        {
            var path = Path.GetFullPath(Path.Combine(root, written));
            if (Directory.Exists(path))
            {
                if (!Directory.EnumerateFileSystemEntries(path).Any()) return $"{written} is an empty folder";
                continue;
            }
            if (!File.Exists(path) || new FileInfo(path).Length == 0) return $"{written} was not written";
            if (path.EndsWith(".json", StringComparison.Ordinal))
            {
                try { JsonDocument.Parse(File.ReadAllText(path)).Dispose(); }
                catch (JsonException e) { return $"{written} is not JSON: {e.Message}"; }
            }
        }
        return null;
    }

    private static string Tail(string text, int lines = 15) =>
        string.Join("\n    ", text.Split('\n', StringSplitOptions.RemoveEmptyEntries).TakeLast(lines));

    /// <summary>What a block runs against: nothing, a node started in the checkout, or a fake Bybit.</summary>
    private sealed class BlockContext : IAsyncDisposable
    {
        private readonly HeanProcess? _node;
        private readonly ReadmeFakeVenue? _venue;

        private BlockContext(IReadOnlyDictionary<string, string> environment, HeanProcess? node = null, ReadmeFakeVenue? venue = null)
        {
            Environment = environment;
            _node = node;
            _venue = venue;
        }

        public IReadOnlyDictionary<string, string> Environment { get; }

        public static async Task<BlockContext> StartAsync(ReadmeBlockKind kind, string root) => kind switch
        {
            ReadmeBlockKind.WithNode => await StartNodeAsync(root),
            ReadmeBlockKind.WithFakeBybit => await StartVenueAsync(),
            _ => new BlockContext(new Dictionary<string, string>()),
        };

        /// <summary>`hean run --http-port 0` in the checkout, as the README says to start a node; the commands find it through HEAN_URL and its token in ./.hean.</summary>
        private static async Task<BlockContext> StartNodeAsync(string root)
        {
            var node = HeanProcess.Start(root, UserEnvironment, "run", "--http-port", "0");
            var url = await node.AddressAsync(StartTimeout);
            await WaitUntilTradingAsync(url);
            return new BlockContext(new Dictionary<string, string> { ["HEAN_URL"] = url }, node: node);
        }

        /// <summary>Until the node is healthy and its market data flows, as a newcomer sees it before typing the commands (no price is known before).</summary>
        private static async Task WaitUntilTradingAsync(string url)
        {
            var watch = Stopwatch.StartNew();
            var last = "";
            while (watch.Elapsed < StartTimeout)
            {
                try
                {
                    last = await Api.Http.GetStringAsync(url + "/health/market_data");
                    var health = JsonDocument.Parse(last).RootElement;
                    if (health.GetProperty("status").GetString() == "healthy" &&
                        health.GetProperty("details").TryGetProperty("events", out var events) && events.GetInt64() > 0) return;
                }
                catch (HttpRequestException e)
                {
                    last = e.Message;
                }
                await Task.Delay(250);
            }
            throw new TimeoutException($"the node at {url} had no market data in {StartTimeout}: {last}");
        }

        private static async Task<BlockContext> StartVenueAsync()
        {
            var venue = await ReadmeFakeVenue.StartAsync();
            return new BlockContext(venue.Environment, venue: venue);
        }

        public async ValueTask DisposeAsync()
        {
            if (_node is not null)
            {
                _node.Terminate();
                await _node.WaitForExitAsync(StartTimeout);
                await _node.DisposeAsync();
            }
            if (_venue is not null) await _venue.DisposeAsync();
        }
    }
}
