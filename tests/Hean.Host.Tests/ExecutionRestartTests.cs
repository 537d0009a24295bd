using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Hean.Core.Domain;
using Hean.FakeBybit;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Host.Tests;

/// <summary>
/// The restart suite of issue #7: `hean run` against the fake Bybit (in this test process, so it outlives the host) is
/// killed with SIGKILL at random points while TWAP and iceberg parents are being worked; the market keeps trading while
/// the host is down, so resting children fill without it. After every restart and reconciliation (the market paused,
/// so that both sides can settle) our positions and open orders must equal the venue's; at the end every parent has
/// completed exactly its quantity and no order was ever sent twice (the fake logs every create refused as a duplicate
/// orderLinkId). HEAN_RESTART_KILLS (default 50) and HEAN_RESTART_SEED choose the run (a random seed unless given);
/// the seed is in every failure.
/// </summary>
public sealed class ExecutionRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string Symbol = "BTCUSDT";
    private readonly string _dir = Directory.CreateTempSubdirectory("hean-restart-").FullName;
    private FakeBybitServer _fake = null!;
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _marketPaused;
    private Task _market = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        // The venue as strict as documented: per-endpoint limits below VIP0's, an order history that lags and keeps
        // no recent closed orders outside it (as after a venue restart), and a stray 10006 every two seconds.
        _fake = await FakeBybitServer.StartAsync(new FakeBybitOptions { OrderWritesPerSecond = 5, QueriesPerSecond = 25 });
        _fake.Faults.HistoryLag = TimeSpan.FromSeconds(2);
        _fake.Faults.ClosedOrdersOnlyInHistory = true;
        _fake.Venue.PublishBook(Symbol, [(59_999.0m, 2m), (59_998.0m, 3m)], [(60_001.0m, 2m), (60_002.0m, 3m)]);
        // A live market: the book, and prints through both touches that fill resting children (host up or down).
        _market = Task.Run(async () =>
        {
            var buy = false;
            for (var tick = 1; !_stop.IsCancellationRequested; tick++)
            {
                if (tick % 50 == 0) _fake.Faults.RateLimitNext(1);
                if (!_marketPaused)
                {
                    _fake.Venue.PublishBook(Symbol, [(59_999.0m, 2m), (59_998.0m, 3m)], [(60_001.0m, 2m), (60_002.0m, 3m)]);
                    _fake.Venue.PublishTrade(Symbol, buy ? 60_001.5m : 59_998.5m, 0.04m, buy ? Side.Buy : Side.Sell);
                    buy = !buy;
                }
                try
                {
                    await Task.Delay(40, _stop.Token);
                }
                catch (OperationCanceledException)
                {
                }
            }
        });
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _market;
        await _fake.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private Dictionary<string, string> Env => new()
    {
        ["HEAN_DATA_DIR"] = Path.Combine(_dir, ".hean"),
        ["EXCHANGE"] = "bybit",
        ["HEAN_SYMBOLS"] = Symbol,
        ["CANDLE_INTERVAL"] = "1h", // the strategy stays out of the way: no bar closes during the test
        ["BYBIT_REST_URL"] = _fake.RestUrl.ToString(),
        ["BYBIT_WS_PUBLIC_URL"] = _fake.PublicWsUrl.ToString(),
        ["BYBIT_WS_PRIVATE_URL"] = _fake.PrivateWsUrl.ToString(),
        ["BYBIT_API_KEY"] = _fake.Options.ApiKey,
        ["BYBIT_API_SECRET"] = _fake.Options.ApiSecret,
        ["LOG_LEVEL"] = "INFO",
        ["BYBIT_NOT_FOUND_PERIOD"] = "5s", // longer than the fake's history lag
        ["MAX_POSITION_SIZE"] = "100000", // operator parents pass the pre-trade review: 0.4 BTC at 60,000 is over the 10,000 default
    };

    private sealed record Parent(string Id, string Algo, decimal Qty, string Query);

    [Fact]
    public async Task Killing_the_host_at_random_points_during_TWAP_and_iceberg_loses_nothing_and_doubles_nothing()
    {
        var kills = int.TryParse(Environment.GetEnvironmentVariable("HEAN_RESTART_KILLS"), out var k) && k > 0 ? k : 50;
        // A new seed every run (so every CI run tries other kill points); HEAN_RESTART_SEED=N replays one. Seed 18985774
        // once found an overfill (a cancel overtaking a fill's push, fixed; BybitGatewayTests and AlgoStateTests pin the cause).
        var seed = int.TryParse(Environment.GetEnvironmentVariable("HEAN_RESTART_SEED"), out var s) ? s : Environment.TickCount & 0x7fffffff;
        var random = new Random(seed);
        var context = $"(seed {seed}; rerun with HEAN_RESTART_SEED={seed})";
        output.WriteLine($"restart suite: {kills} kills {context}");

        var parents = new List<Parent>();
        Parent? current = null;
        var log = new List<string>();
        var watch = Stopwatch.StartNew();
        for (var kill = 1; kill <= kills; kill++)
        {
            await using var node = HeanProcess.Start(_dir, Env, "run", "--http-port", "0", "--warmup", "1m");
            try
            {
                var url = await AddressAsync(node);
                // Half the kills come right after the start (reconciliation may still be running), half once it is done.
                if (random.Next(2) == 0)
                {
                    await Task.Delay(random.Next(0, 400));
                    node.KillHard();
                    log.Add($"kill {kill}: {random.Next()} early");
                    continue;
                }
                await WaitHealthyGatewayAsync(url, context);
                await AssertAgreesWithVenueAsync(url, $"after restart {kill} {context}");

                if (current is null || await IsCompletedAsync(url, current.Id))
                {
                    var n = parents.Count + 1;
                    current = n % 2 == 1
                        ? new Parent($"rs{seed % 100_000}t{n}", "twap", 0.4m, "algo=twap&horizon=6s&slices=4")
                        : new Parent($"rs{seed % 100_000}i{n}", "iceberg", 0.3m, "algo=iceberg&visible=0.1&reprice=3s");
                    parents.Add(current);
                    var side = n % 4 < 2 ? "buy" : "sell";
                    var answer = await Api.PostAsync($"{url}/api/orders?symbol={Symbol}&side={side}&qty={current.Qty.ToString(CultureInfo.InvariantCulture)}&id={current.Id}&{current.Query}");
                    Assert.Equal("started", answer.GetProperty("status").GetString());
                }
                var wait = random.Next(100, 1_800);
                await Task.Delay(wait);
                node.KillHard();
                log.Add($"kill {kill}: {wait} ms into {current.Id}");
            }
            catch (Exception e)
            {
                output.WriteLine(string.Join("\n", log));
                output.WriteLine(node.StdOut + "\n" + node.StdErr);
                throw new Xunit.Sdk.XunitException($"kill {kill} {context}: {e.Message}\n{e}");
            }
        }
        output.WriteLine($"{kills} kills in {watch.Elapsed.TotalSeconds:F0} s; {parents.Count} parents: {string.Join(", ", parents.Select(p => p.Id))}");

        // The last start: every parent completes, and the books agree with the venue's.
        await using var final = HeanProcess.Start(_dir, Env, "run", "--http-port", "0", "--warmup", "1m");
        try
        {
            var url = await AddressAsync(final);
            await WaitHealthyGatewayAsync(url, context);
            foreach (var p in parents)
            {
                var deadline = Stopwatch.StartNew();
                while (!await IsCompletedAsync(url, p.Id))
                {
                    if (deadline.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"parent {p.Id} did not complete {context}");
                    await Task.Delay(250);
                }
                var filledAtVenue = _fake.Venue.Executions.Where(e => e.OrderLinkId.StartsWith(p.Id + "-", StringComparison.Ordinal)).Sum(e => e.Qty);
                if (filledAtVenue != p.Qty) WriteParentHistory(p.Id);
                Assert.True(filledAtVenue == p.Qty, $"parent {p.Id}: the venue filled {filledAtVenue} of {p.Qty} {context}");
            }
            await AssertAgreesWithVenueAsync(url, "at the end " + context);
            Assert.True(_fake.Venue.DuplicateCreates.Count == 0, $"orders sent twice: {string.Join(", ", _fake.Venue.DuplicateCreates)} {context}");
            var ours = _fake.Venue.Orders.Where(o => parents.Any(p => o.OrderLinkId.StartsWith(p.Id + "-", StringComparison.Ordinal))).ToList();
            Assert.Equal(ours.Count, ours.Select(o => o.OrderLinkId).Distinct().Count());
            output.WriteLine($"{ours.Count} child orders at the venue, {_fake.Venue.Executions.Count} executions, position {_fake.Venue.PositionOf(Symbol)}");
        }
        catch (Exception)
        {
            output.WriteLine(string.Join("\n", log));
            output.WriteLine(final.StdOut + "\n" + final.StdErr);
            WriteLogs();
            throw;
        }
        final.KillHard();
    }

    /// <summary>Everything the venue and the host's logs know about one parent: what an overfill is diagnosed from.</summary>
    private void WriteParentHistory(string parentId)
    {
        var prefix = parentId + "-";
        foreach (var o in _fake.Venue.Orders.Where(o => o.OrderLinkId.StartsWith(prefix, StringComparison.Ordinal)))
            output.WriteLine($"venue order {o.OrderLinkId}: {o.Type} {o.TimeInForce} qty {o.Qty} price {o.Price} status {o.Status} " +
                $"filled {o.CumExecQty} created {o.CreatedTime:HH:mm:ss.fff} updated {o.UpdatedTime:HH:mm:ss.fff}");
        foreach (var e in _fake.Venue.Executions.Where(e => e.OrderLinkId.StartsWith(prefix, StringComparison.Ordinal)))
            output.WriteLine($"venue execution {e.ExecId} {e.OrderLinkId}: {e.Qty} at {e.Price} leaves {e.LeavesQty} {e.Time:HH:mm:ss.fff}");
        var dir = Path.Combine(_dir, ".hean", "logs");
        if (!Directory.Exists(dir)) return;
        foreach (var file in Directory.GetFiles(dir).Order())
            foreach (var line in File.ReadLines(file).Where(l => l.Contains(parentId, StringComparison.Ordinal)))
                output.WriteLine(line);
    }

    private void WriteLogs()
    {
        var dir = Path.Combine(_dir, ".hean", "logs");
        if (!Directory.Exists(dir)) return;
        foreach (var file in Directory.GetFiles(dir))
        {
            var lines = File.ReadAllLines(file).Where(l => !l.Contains("[DBG]", StringComparison.Ordinal)).TakeLast(300);
            output.WriteLine($"--- {file}\n{string.Join("\n", lines)}");
        }
    }

    /// <summary>The node's address, or at once the reason it stopped.</summary>
    private static async Task<string> AddressAsync(HeanProcess node)
    {
        var address = node.AddressAsync(TimeSpan.FromSeconds(60));
        while (!address.IsCompleted)
        {
            if (node.HasExited) throw new InvalidOperationException($"hean exited with {node.ExitCode}: {node.StdErr}");
            await Task.WhenAny(address, Task.Delay(100));
        }
        return await address;
    }

    private static async Task WaitHealthyGatewayAsync(string url, string context)
    {
        // The gateway answers only once its start-up reconciliation is done.
        var watch = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var response = await Api.Http.GetAsync(url + "/health/gateway");
                if (response.IsSuccessStatusCode) return;
            }
            catch (HttpRequestException)
            {
            }
            if (watch.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"the gateway did not become healthy {context}");
            await Task.Delay(100);
        }
    }

    private static async Task<bool> IsCompletedAsync(string url, string id)
    {
        using var response = await Api.Http.GetAsync($"{url}/api/algos/{id}");
        if (!response.IsSuccessStatusCode) return false;
        var view = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        return view.GetProperty("status").GetString() == "completed";
    }

    /// <summary>With the market paused: our position equals the venue's, and our open orders are the venue's open orders.</summary>
    private async Task AssertAgreesWithVenueAsync(string url, string context)
    {
        _marketPaused = true;
        try
        {
            var watch = Stopwatch.StartNew();
            string last = "";
            while (watch.Elapsed < TimeSpan.FromSeconds(15))
            {
                var state = await Api.GetAsync(url + "/api/state");
                var ourPosition = state.GetProperty("positions").EnumerateArray()
                    .Where(p => p.GetProperty("symbol").GetString() == Symbol).Sum(p => p.GetProperty("qty").GetDecimal());
                var ourOpen = state.GetProperty("open_orders").EnumerateArray().Select(o => o.GetProperty("client_order_id").GetString()!).Order().ToList();
                var venueOpen = _fake.Venue.Orders.Where(o => !IsTerminal(o.Status)).Select(o => o.OrderLinkId).Order().ToList();
                var venuePosition = _fake.Venue.PositionOf(Symbol);
                if (ourPosition == venuePosition && ourOpen.SequenceEqual(venueOpen)) return;
                last = $"position ours {ourPosition} venue {venuePosition}; open ours [{string.Join(",", ourOpen)}] venue [{string.Join(",", venueOpen)}]";
                await Task.Delay(200);
            }
            throw new Xunit.Sdk.XunitException($"our books disagree with the venue {context}: {last}");
        }
        finally
        {
            _marketPaused = false;
        }
    }

    private static bool IsTerminal(Hean.Bybit.Rest.Models.BybitOrderStatus s) => Hean.Bybit.Rest.Models.BybitOrderStatusExtensions.IsTerminal(s);
}
