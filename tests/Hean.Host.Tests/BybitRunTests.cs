using Hean.Core.Domain;
using Hean.FakeBybit;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Host.Tests;

/// <summary>`hean run` with EXCHANGE=bybit against the project's fake Bybit on loopback.</summary>
public sealed class BybitRunTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hean-bybit-").FullName;
    private FakeBybitServer _fake = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeBybitServer.StartAsync();
        // Three hours of closed one-minute bars in a steady rise: the strategy's view at the start is long.
        var now = DateTime.UtcNow;
        var start = new DateTime(now.Year, now.Month, now.Day, now.Hour, now.Minute, 0, DateTimeKind.Utc).AddMinutes(-180);
        for (var i = 0; i < 180; i++)
        {
            var open = 59_000m + i * 5m + (i % 3) * 1.5m;
            var close = open + 4m;
            _fake.Venue.PublishKline("BTCUSDT", "1", start.AddMinutes(i), open, close + 2m, open - 2m, close, 10m, confirm: true);
        }
        _fake.Venue.PublishBook("BTCUSDT", [(59_999.9m, 2m), (59_999.8m, 3m)], [(60_000.0m, 2m), (60_000.1m, 3m)]);
    }

    public async Task DisposeAsync()
    {
        await _fake.DisposeAsync();
        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    /// <summary>A live market at the fake: the book and a print every 300 ms until cancelled.</summary>
    private Task LiveMarket(CancellationToken stop) => Task.Run(async () =>
    {
        while (!stop.IsCancellationRequested)
        {
            _fake.Venue.PublishBook("BTCUSDT", [(59_999.9m, 2m), (59_999.8m, 3m)], [(60_000.0m, 2m), (60_000.1m, 3m)]);
            _fake.Venue.PublishTrade("BTCUSDT", 60_000.0m, 0.001m, Side.Buy);
            await Task.Delay(300);
        }
    });

    private Dictionary<string, string> Env => new()
    {
        ["HEAN_DATA_DIR"] = Path.Combine(_dir, ".hean"),
        ["EXCHANGE"] = "bybit",
        ["HEAN_SYMBOLS"] = "BTCUSDT",
        ["BYBIT_REST_URL"] = _fake.RestUrl.ToString(),
        ["BYBIT_WS_PUBLIC_URL"] = _fake.PublicWsUrl.ToString(),
        ["BYBIT_WS_PRIVATE_URL"] = _fake.PrivateWsUrl.ToString(),
        ["BYBIT_API_KEY"] = _fake.Options.ApiKey,
        ["BYBIT_API_SECRET"] = _fake.Options.ApiSecret,
    };

    [Fact]
    public async Task Run_against_the_fake_places_fills_and_books_an_order_once_and_the_kill_switch_cancels_at_the_venue()
    {
        var env = Env;
        env.Remove("EXCHANGE"); // the command-line switch instead of the setting
        await using var node = HeanProcess.Start(_dir, env, "run", "--http-port", "0", "--exchange", "bybit");
        var url = await node.AddressAsync(TimeSpan.FromSeconds(60));
        // A live market: the book and a print every 300 ms until the test ends.
        using var market = new CancellationTokenSource();
        var ticker = LiveMarket(market.Token);
        System.Text.Json.JsonElement state;
        try
        {
            state = await Api.WaitForStateAsync(url, s => s.GetProperty("portfolio").GetProperty("fills").GetInt64() > 0, TimeSpan.FromSeconds(60));
        }
        finally
        {
            output.WriteLine(node.StdOut + "\n" + node.StdErr);
            foreach (var log in Directory.GetFiles(Path.Combine(_dir, ".hean", "logs"))) output.WriteLine(File.ReadAllText(log));
        }
        output.WriteLine(state.ToString());

        var ours = _fake.Venue.Orders.Where(o => o.OrderLinkId.StartsWith("BTCUSDT-", StringComparison.Ordinal)).ToList();
        Assert.Single(ours);                                                   // placed once
        var position = Assert.Single(state.GetProperty("positions").EnumerateArray());
        Assert.Equal(_fake.Venue.PositionOf("BTCUSDT"), position.GetProperty("qty").GetDecimal()); // our books = the venue's
        Assert.True(position.GetProperty("qty").GetDecimal() > 0, "the strategy's view at the start is long");
        Assert.Equal("healthy", (await Api.GetAsync(url + "/health/gateway")).GetProperty("status").GetString());

        // Impossible public messages (negative open interest, a book level at a negative price, twice each): dropped,
        // counted by kind, logged once per kind; the market data goes on.
        var ms = (long)(DateTime.UtcNow - DateTime.UnixEpoch).TotalMilliseconds;
        for (var i = 0; i < 2; i++)
        {
            _fake.Venue.PublishRaw("tickers.BTCUSDT", "{\"topic\":\"tickers.BTCUSDT\",\"type\":\"delta\",\"ts\":" + ms + ",\"data\":{\"symbol\":\"BTCUSDT\",\"openInterest\":\"-5\"}}");
            _fake.Venue.PublishRaw("orderbook.50.BTCUSDT", "{\"topic\":\"orderbook.50.BTCUSDT\",\"type\":\"delta\",\"ts\":" + ms + ",\"data\":{\"s\":\"BTCUSDT\",\"b\":[[\"-60000\",\"1\"]],\"a\":[],\"u\":" + (_fake.Venue.UpdateIdOf("BTCUSDT") + 1) + "}}");
        }
        using (var anonymous = new HttpClient())
        {
            var rejected = "";
            for (var wait = DateTime.UtcNow.AddSeconds(20); DateTime.UtcNow < wait; await Task.Delay(200))
            {
                rejected = string.Join("\n", (await anonymous.GetStringAsync(url + "/metrics")).Split('\n').Where(l => l.StartsWith("hean_venue_messages_rejected_total{", StringComparison.Ordinal)));
                if (rejected.Contains("kind=\"tickers\"} 2") && rejected.Contains("kind=\"orderbook\"} 2")) break;
            }
            Assert.Contains("hean_venue_messages_rejected_total{venue=\"bybit\",kind=\"tickers\"} 2", rejected);
            Assert.Contains("hean_venue_messages_rejected_total{venue=\"bybit\",kind=\"orderbook\"} 2", rejected);
            Assert.Contains("hean_venue_messages_rejected_total{venue=\"bybit\",kind=\"execution\"} 0", rejected); // exported at 0 from the start

            // The three latency stages, each measured at least once by now (a signal became an order the venue acknowledged).
            var latency = (await anonymous.GetStringAsync(url + "/metrics")).Split('\n').Where(l => l.StartsWith("hean_latency_seconds_count{", StringComparison.Ordinal)).ToList();
            foreach (var stage in new[] { "tick_to_signal", "signal_to_order", "order_to_ack" })
            {
                var line = latency.SingleOrDefault(l => l.Contains($"stage=\"{stage}\"")) ?? throw new Xunit.Sdk.XunitException($"no {stage} series in: {string.Join("; ", latency)}");
                Assert.True(double.Parse(line[(line.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture) >= 1, line);
            }
        }
        var logged = string.Concat(Directory.GetFiles(Path.Combine(_dir, ".hean", "logs")).Select(f =>
        {
            using var r = new StreamReader(new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            return r.ReadToEnd();
        }));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(logged, "a \"?tickers\"? message refused"));
        // Orders and fills at INFO, each line with its component.
        Assert.Matches(@"\[INF\] Hean\.Actors\.Orders\.OrderEntity: ORDER_CREATED BTCUSDT-", logged);
        Assert.Matches(@"\[INF\] Hean\.Actors\.Orders\.OrderEntity: ORDER_FILLED BTCUSDT-\S+ BTCUSDT Buy [\d.]+ @ [\d.]+", logged);
        Assert.DoesNotMatch(@"\[(INF|WRN|ERR)\] : ", logged);
        Assert.Contains("must not be negative", logged);
        using (var anonymous = new HttpClient())
        {
            static double Events(string metrics) => metrics.Split('\n').Where(l => l.StartsWith("hean_market_events_total", StringComparison.Ordinal))
                .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
            var before = Events(await anonymous.GetStringAsync(url + "/metrics"));
            var goesOn = false;
            for (var wait = DateTime.UtcNow.AddSeconds(20); !goesOn && DateTime.UtcNow < wait; await Task.Delay(300))
                goesOn = Events(await anonymous.GetStringAsync(url + "/metrics")) > before;
            Assert.True(goesOn, "market events stopped after the refused messages");
        }

        // An operator limit parent far under the market rests; its child is amended at the venue, then the parent cancelled.
        var started = await Api.PostAsync(url + "/api/orders?symbol=BTCUSDT&side=buy&qty=0.01&price=59000&algo=limit&reprice=10m&id=op-rest-1");
        Assert.Equal("started", started.GetProperty("status").GetString());
        string child = "";
        var until = DateTime.UtcNow.AddSeconds(30);
        while (child.Length == 0)
        {
            var view = await Api.GetAsync(url + "/api/algos/op-rest-1");
            if (view.GetProperty("open_children").EnumerateArray().FirstOrDefault() is { ValueKind: System.Text.Json.JsonValueKind.Object } c
                && _fake.Venue.Orders.Any(o => o.OrderLinkId == c.GetProperty("id").GetString()))
                child = c.GetProperty("id").GetString()!;
            else if (DateTime.UtcNow > until) throw new TimeoutException("the limit child never reached the venue: " + view);
            else await Task.Delay(200);
        }
        Assert.Equal(59_000m, _fake.Venue.Orders.Single(o => o.OrderLinkId == child).Price);

        var amended = await Api.PostAsync($"{url}/api/orders/{child}/amend?price=59100");
        Assert.Equal("amended", amended.GetProperty("status").GetString());
        Assert.Equal(59_100m, _fake.Venue.Orders.Single(o => o.OrderLinkId == child).Price);
        Assert.True(_fake.RestCalls("/v5/order/amend") >= 1);

        var cancelled = await Api.PostAsync(url + "/api/orders/op-rest-1/cancel?reason=test");
        Assert.Equal("cancel requested", cancelled.GetProperty("status").GetString());
        until = DateTime.UtcNow.AddSeconds(30);
        while (_fake.Venue.Orders.Single(o => o.OrderLinkId == child).Status != Hean.Bybit.Rest.Models.BybitOrderStatus.Cancelled)
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("the child was not cancelled at the venue");
            await Task.Delay(200);
        }
        Assert.Single(_fake.Venue.Orders, o => o.OrderLinkId == child); // amended in place, never placed twice

        // The kill switch: an order resting at Bybit is cancelled there, through the batch cancel.
        Assert.Equal("started", (await Api.PostAsync(url + "/api/orders?symbol=BTCUSDT&side=buy&qty=0.01&price=59000&algo=limit&reprice=10m&id=op-rest-2"))
            .GetProperty("status").GetString());
        var resting = "";
        until = DateTime.UtcNow.AddSeconds(30);
        while (resting.Length == 0)
        {
            var view = await Api.GetAsync(url + "/api/algos/op-rest-2");
            if (view.GetProperty("open_children").EnumerateArray().FirstOrDefault() is { ValueKind: System.Text.Json.JsonValueKind.Object } c
                && _fake.Venue.Orders.Any(o => o.OrderLinkId == c.GetProperty("id").GetString()))
                resting = c.GetProperty("id").GetString()!;
            else if (DateTime.UtcNow > until) throw new TimeoutException("the second limit child never reached the venue: " + view);
            else await Task.Delay(200);
        }
        var engaged = await Api.PostAsync(url + "/api/killswitch/engage?reason=bybit-test");
        Assert.True(engaged.GetProperty("kill_switch").GetBoolean());
        // Cancelled at the venue by the time the engaging call answers: by its algorithm's own cancel or the gateway's batch.
        Assert.Equal(Hean.Bybit.Rest.Models.BybitOrderStatus.Cancelled, _fake.Venue.Orders.Single(o => o.OrderLinkId == resting).Status);
        Assert.True(_fake.RestCalls("/v5/order/cancel-batch") + _fake.RestCalls("/v5/order/cancel") >= 2,
            $"cancel-batch {_fake.RestCalls("/v5/order/cancel-batch")}, cancel {_fake.RestCalls("/v5/order/cancel")}");
        node.KillHard();
        await market.CancelAsync();
        await ticker;
    }

    [Fact]
    public async Task Missing_credentials_are_refused_at_start()
    {
        var env = Env;
        env.Remove("BYBIT_API_SECRET");
        var (code, _, err) = await HeanProcess.RunAsync(_dir, env, TimeSpan.FromSeconds(60), "run", "--http-port", "0", "--duration", "5s");
        Assert.Equal(2, code);
        Assert.Contains("BYBIT_API_KEY and BYBIT_API_SECRET", err);
        Assert.DoesNotContain(_fake.Options.ApiKey[..6] + "…", err);
    }

    [Fact]
    public async Task A_wrong_api_secret_is_an_error_with_exit_2_not_a_stack_trace()
    {
        var env = Env;
        env["BYBIT_API_SECRET"] = "not-the-secret-of-this-key-000000";
        var (code, _, err) = await HeanProcess.RunAsync(_dir, env, TimeSpan.FromSeconds(90), "run", "--http-port", "0", "--duration", "5s");
        Assert.Equal(2, code);
        Assert.StartsWith("error:", err.TrimStart());
        Assert.Contains("refused the API key and secret", err);
        Assert.DoesNotContain("   at ", err);
        Assert.DoesNotContain(env["BYBIT_API_SECRET"], err);
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_secrets_file_others_can_read_or_that_is_malformed_is_refused_without_echoing_it()
    {
        var env = Env;
        env.Remove("BYBIT_API_KEY");
        env.Remove("BYBIT_API_SECRET");
        var file = Path.Combine(_dir, "bybit.json");
        env["BYBIT_SECRETS_FILE"] = file;

        await File.WriteAllTextAsync(file, $"{{\"api_key\": \"{_fake.Options.ApiKey}\", \"api_secret\": \"{_fake.Options.ApiSecret}\"}}");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        var (code, _, err) = await HeanProcess.RunAsync(_dir, env, TimeSpan.FromSeconds(60), "run", "--http-port", "0", "--duration", "5s");
        Assert.Equal(2, code);
        Assert.Contains("readable by group or others (mode 0640): chmod 600", err);

        // A secret pasted without quotes: the JSON error must not quote it back.
        await File.WriteAllTextAsync(file, $"{{\"api_key\": \"{_fake.Options.ApiKey}\", \"api_secret\": {_fake.Options.ApiSecret}}}");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        (code, _, err) = await HeanProcess.RunAsync(_dir, env, TimeSpan.FromSeconds(60), "run", "--http-port", "0", "--duration", "5s");
        Assert.Equal(2, code);
        Assert.Contains("not valid JSON (line 1)", err);
        Assert.DoesNotContain(_fake.Options.ApiSecret, err);
        Assert.DoesNotContain($"'{_fake.Options.ApiSecret[0]}'", err); // a parser's 'x' is an invalid start…
        Assert.DoesNotContain(_fake.Options.ApiKey, err);
    }

    [Fact]
    public async Task No_token_key_or_secret_reaches_output_logs_metrics_state_or_journal_at_debug_level()
    {
        var env = Env;
        env["LOG_LEVEL"] = "DEBUG";
        env["HEAN_TOKEN"] = ""; // the node's own token file, read by the commands
        await using var node = HeanProcess.Start(_dir, env, "run", "--http-port", "0");
        var url = await node.AddressAsync(TimeSpan.FromSeconds(60));
        var token = File.ReadAllText(Path.Combine(_dir, ".hean", "api-token")).Trim();
        using var market = new CancellationTokenSource();
        var ticker = LiveMarket(market.Token);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        string state = "";
        for (var until = DateTime.UtcNow.AddSeconds(60); DateTime.UtcNow < until; await Task.Delay(300))
        {
            using var response = await http.GetAsync(url + "/api/state");
            state = await response.Content.ReadAsStringAsync();
            if (response.IsSuccessStatusCode && System.Text.Json.JsonDocument.Parse(state).RootElement.GetProperty("portfolio").GetProperty("fills").GetInt64() > 0) break;
        }
        Assert.Contains("\"fills\": 1", state);
        var (code, engaged, err) = await HeanProcess.RunAsync(_dir, env, TimeSpan.FromSeconds(60), "killswitch", "engage", "--reason", "secrets check", "--url", url);
        Assert.True(code == 0, err);
        var metrics = await http.GetStringAsync(url + "/metrics");
        var health = await http.GetStringAsync(url + "/health");
        node.Terminate();
        await node.WaitForExitAsync(TimeSpan.FromSeconds(60));
        await market.CancelAsync();
        await ticker;

        var logs = string.Concat(Directory.GetFiles(Path.Combine(_dir, ".hean", "logs")).Select(File.ReadAllText));
        Assert.Contains("[DBG]", logs); // DEBUG logs for real
        var journal = string.Concat(Directory.GetFiles(Path.Combine(_dir, ".hean"), "*.db*").Select(f => System.Text.Encoding.Latin1.GetString(File.ReadAllBytes(f))));
        Assert.Contains("secrets check", journal); // the journal was read, not an empty file
        var places = new Dictionary<string, string>
        {
            ["stdout"] = node.StdOut, ["stderr"] = node.StdErr, ["logs"] = logs, ["metrics"] = metrics, ["health"] = health, ["state"] = state,
            ["killswitch output"] = engaged + err, ["journal"] = journal,
        };
        foreach (var (secret, what) in new[] { (token, "API token"), (_fake.Options.ApiKey, "Bybit API key"), (_fake.Options.ApiSecret, "Bybit API secret") })
            foreach (var (place, text) in places)
                Assert.False(text.Contains(secret, StringComparison.Ordinal), $"the {what} is in the {place}");
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Keys_from_the_encrypted_store_unlock_with_the_passphrase_and_a_wrong_one_is_refused()
    {
        var env = Env;
        env.Remove("BYBIT_API_KEY");
        env.Remove("BYBIT_API_SECRET");
        env["HEAN_KEYS_PASSPHRASE"] = "correct horse battery staple";
        var (code, output, err) = await HeanProcess.RunWithInputAsync(_dir, env, TimeSpan.FromSeconds(60),
            $"{_fake.Options.ApiKey}\n{_fake.Options.ApiSecret}\n", "keys", "set", "bybit");
        Assert.True(code == 0, err);
        Assert.DoesNotContain(_fake.Options.ApiSecret, output + err);
        var store = Path.Combine(_dir, ".hean", "keys.json");
        var stored = await File.ReadAllTextAsync(store);
        Assert.DoesNotContain(_fake.Options.ApiSecret, stored);
        Assert.DoesNotContain(_fake.Options.ApiKey, stored);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(store));
        (code, output, _) = await HeanProcess.RunAsync(_dir, env, TimeSpan.FromSeconds(60), "keys", "list");
        Assert.Equal(0, code);
        Assert.Contains("bybit", output);

        // The node unlocks the store and the venue accepts the keys: it reaches its address line.
        await using (var node = HeanProcess.Start(_dir, env, "run", "--http-port", "0"))
        {
            var url = await node.AddressAsync(TimeSpan.FromSeconds(60));
            Assert.StartsWith("http://", url);
        }

        // A wrong passphrase: exit 2 before anything starts, and the store is unchanged by a failed `set`.
        env["HEAN_KEYS_PASSPHRASE"] = "wrong passphrase entirely";
        (code, _, err) = await HeanProcess.RunAsync(_dir, env, TimeSpan.FromSeconds(60), "run", "--http-port", "0", "--duration", "5s");
        Assert.Equal(2, code);
        Assert.Contains("does not open", err);
        (code, _, err) = await HeanProcess.RunWithInputAsync(_dir, env, TimeSpan.FromSeconds(60), "k\ns\n", "keys", "set", "bybit");
        Assert.Equal(2, code);
        Assert.Equal(stored, await File.ReadAllTextAsync(store));

        // An altered store is detected, not decrypted into garbage.
        env["HEAN_KEYS_PASSPHRASE"] = "correct horse battery staple";
        // One bit of the ciphertext flipped (through the JSON: a text edit can hit an escape such as \u002B).
        var json = System.Text.Json.Nodes.JsonNode.Parse(stored)!;
        var entry = json["entries"]!["bybit"]!;
        var cipher = Convert.FromBase64String((string)entry["ciphertext"]!);
        cipher[0] ^= 1;
        entry["ciphertext"] = Convert.ToBase64String(cipher);
        await File.WriteAllTextAsync(store, json.ToJsonString());
        (code, _, err) = await HeanProcess.RunAsync(_dir, env, TimeSpan.FromSeconds(60), "run", "--http-port", "0", "--duration", "5s");
        Assert.Equal(2, code);
        Assert.Contains("altered", err);

        (code, _, _) = await HeanProcess.RunAsync(_dir, env, TimeSpan.FromSeconds(60), "keys", "remove", "bybit");
        Assert.Equal(0, code);
        (code, _, err) = await HeanProcess.RunAsync(_dir, env, TimeSpan.FromSeconds(60), "run", "--http-port", "0", "--duration", "5s");
        Assert.Equal(2, code);
        Assert.Contains("hean keys set bybit", err);
    }

    [Fact]
    public async Task Symbols_and_their_rules_come_from_the_venues_instruments_a_contract_outside_the_builtin_catalog_trades_at_its_tick()
    {
        // The venue lists BTCUSDT with tick 0.5 (as Bybit's own instruments-info does, unlike the built-in 0.1) and
        // DOGEUSDT, which the built-in catalog does not know.
        var catalog = new InstrumentCatalog(
        [
            new Instrument(new Symbol("BTCUSDT"), 0.5m, 0.001m, 0.001m, 100m, 5m),
            new Instrument(new Symbol("DOGEUSDT"), 0.00001m, 1m, 1m, 10_000_000m, 5m),
        ]);
        await using var venue = await FakeBybitServer.StartAsync(new FakeBybitOptions { Instruments = catalog });
        venue.Venue.PublishBook("DOGEUSDT", [(0.12340m, 50_000m)], [(0.12350m, 50_000m)]);
        venue.Venue.PublishBook("BTCUSDT", [(59_999.5m, 2m)], [(60_000.0m, 2m)]);
        var env = Env;
        env["HEAN_SYMBOLS"] = "DOGEUSDT,BTCUSDT";
        env["BYBIT_REST_URL"] = venue.RestUrl.ToString();
        env["BYBIT_WS_PUBLIC_URL"] = venue.PublicWsUrl.ToString();
        env["BYBIT_WS_PRIVATE_URL"] = venue.PrivateWsUrl.ToString();
        env["MAX_POSITION_SIZE"] = "100000";

        await using (var node = HeanProcess.Start(_dir, env, "run", "--http-port", "0", "--warmup", "1m"))
        {
            var url = await node.AddressAsync(TimeSpan.FromSeconds(60));
            await Api.WaitForStateAsync(url, _ => true, TimeSpan.FromSeconds(60));
            // An operator limit on DOGEUSDT at the venue's tick (0.00001): placed, resting at the venue.
            var until = DateTime.UtcNow.AddSeconds(30);
            string answer;
            while (true)
            {
                // Until the first book of the live stream has reached the graph and the gateway, there is no quote to work against.
                venue.Venue.PublishBook("DOGEUSDT", [(0.12340m, 50_000m)], [(0.12350m, 50_000m)]);
                using var response = await Api.Http.PostAsync(url + "/api/orders?symbol=DOGEUSDT&side=buy&qty=1000&price=0.12001&algo=limit&reprice=10m&id=doge-1", null);
                answer = await response.Content.ReadAsStringAsync();
                if (response.IsSuccessStatusCode || !answer.Contains("market price", StringComparison.Ordinal) || DateTime.UtcNow > until) break;
                await Task.Delay(300);
            }
            Assert.Contains("started", answer);
            until = DateTime.UtcNow.AddSeconds(30);
            while (!venue.Venue.Orders.Any(o => o.Symbol.Value == "DOGEUSDT" && o.Price == 0.12001m))
            {
                if (DateTime.UtcNow > until) throw new TimeoutException("the DOGEUSDT child never reached the venue:\n" + node.StdOut + node.StdErr);
                await Task.Delay(200);
            }
            // BTCUSDT at 0.1 steps is off the venue's 0.5 tick: refused before it is sent.
            using var offTick = await Api.Http.PostAsync(url + "/api/orders?symbol=BTCUSDT&side=buy&qty=0.01&price=59000.3&algo=limit&id=btc-off", null);
            Assert.Equal(422, (int)offTick.StatusCode);
            Assert.Contains("tick", await offTick.Content.ReadAsStringAsync());
            Assert.DoesNotContain(venue.Venue.Orders, o => o.OrderLinkId.StartsWith("btc-off", StringComparison.Ordinal));
        }

        // A symbol the venue does not list: refused at start, naming it.
        env["HEAN_SYMBOLS"] = "SHIBUSDT";
        var (code, _, err) = await HeanProcess.RunAsync(_dir, env, TimeSpan.FromSeconds(60), "run", "--http-port", "0", "--duration", "5s");
        Assert.Equal(2, code);
        Assert.Contains("SHIBUSDT not among the 2 linear contracts Bybit lists", err);
    }
}
