using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace Hean.Host.Tests;

/// <summary>
/// The alert rules and the path of an alert, with Debian's Prometheus, promtool and Alertmanager (installed by
/// ./test.sh through scripts/services.sh): the rules check and pass their unit tests; a live `hean run` is scraped, every
/// dashboard query is evaluated, and an engaged kill switch reaches a webhook on loopback through Alertmanager.
/// </summary>
public sealed class AlertingTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("hean-alerting-").FullName;
    private readonly List<Process> _servers = [];

    public void Dispose()
    {
        foreach (var p in _servers)
        {
            try { if (!p.HasExited) p.Kill(entireProcessTree: true); p.WaitForExit(5000); }
            catch (InvalidOperationException) { /* gone */ }
            p.Dispose();
        }
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { /* temp */ }
    }

    private static string Root => RepoPaths.Root;

    private static string? Which(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Select(d => Path.Combine(d, program)).FirstOrDefault(File.Exists);

    private static string Missing(string program) => $"{program} is not installed (./test.sh installs Debian's prometheus and prometheus-alertmanager): the alerting test did not run";

    private async Task<(int Code, string Out)> Run(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { WorkingDirectory = Path.Combine(Root, "deploy", "prometheus"), RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) start.ArgumentList.Add(a);
        using var p = Process.Start(start)!;
        var text = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        output.WriteLine($"{file} {string.Join(' ', args)} → {p.ExitCode}\n{text}");
        return (p.ExitCode, text);
    }

    [SkippableFact]
    public async Task The_rules_check_and_pass_their_unit_tests()
    {
        Skip.If(Which("promtool") is null, Missing("promtool"));
        var check = await Run("promtool", "check", "rules", "rules.yml");
        Assert.Equal(0, check.Code);
        Assert.Contains("SUCCESS: 9 rules found", check.Out);
        var tests = await Run("promtool", "test", "rules", "rules.test.yml");
        Assert.Equal(0, tests.Code);
        Assert.Contains("SUCCESS", tests.Out);
        // Every rule is exercised by a unit test, and every rule has a runbook line.
        var rules = File.ReadAllText(Path.Combine(Root, "deploy", "prometheus", "rules.yml"));
        var names = Regex.Matches(rules, @"- alert: (\w+)").Select(m => m.Groups[1].Value).ToList();
        var tested = File.ReadAllText(Path.Combine(Root, "deploy", "prometheus", "rules.test.yml"));
        Assert.All(names, n => Assert.Contains("alertname: " + n, tested));
        Assert.Equal(names.Count, Regex.Matches(rules, "runbook: ").Count);
    }

    private Process Server(string file, params string[] args)
    {
        var start = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = _dir };
        foreach (var a in args) start.ArgumentList.Add(a);
        var p = Process.Start(start)!;
        var log = new System.Text.StringBuilder();
        p.OutputDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { lock (log) log.AppendLine(e.Data); };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        _servers.Add(p);
        return p;
    }

    [SkippableFact]
    public async Task A_kill_switch_fires_its_alert_through_alertmanager_to_a_webhook_and_every_dashboard_query_evaluates()
    {
        Skip.If(Which("prometheus") is null, Missing("prometheus"));
        Skip.If(Which("prometheus-alertmanager") is null, Missing("prometheus-alertmanager"));

        // The webhook receiver: a loopback listener that keeps every body Alertmanager posts.
        await using var hook = new LoopbackReceiver();
        var hookPort = hook.Port;

        // HEAN, paper trading on the embedded default.
        // Its own notifications go to the same receiver (beside Alertmanager's), so their counters are there too.
        await using var node = HeanProcess.Start(_dir, new Dictionary<string, string>
        {
            ["HEAN_DATA_DIR"] = Path.Combine(_dir, ".hean"), ["NOTIFY_WEBHOOK_URL"] = $"http://127.0.0.1:{hookPort}/hean-alerts/hean",
        }, "run", "--http-port", "0", "--speed", "20");
        var url = await node.AddressAsync(TimeSpan.FromSeconds(60));
        var target = new Uri(url).Authority;

        // Alertmanager → the webhook; Prometheus scrapes HEAN every second, evaluates the shipped rules, alerts Alertmanager.
        var amPort = Loopback.FreePort();
        var am = File.ReadAllText(Path.Combine(Root, "deploy", "alertmanager", "alertmanager.yml"))
            .Replace("http://alert-receiver:5001/hean-alerts", $"http://127.0.0.1:{hookPort}/hean-alerts/")
            .Replace("group_wait: 10s", "group_wait: 1s");
        File.WriteAllText(Path.Combine(_dir, "alertmanager.yml"), am);
        Server("prometheus-alertmanager", $"--config.file={Path.Combine(_dir, "alertmanager.yml")}", $"--storage.path={Path.Combine(_dir, "am")}",
            $"--web.listen-address=127.0.0.1:{amPort}", "--cluster.listen-address=");
        var promPort = Loopback.FreePort();
        var prom = File.ReadAllText(Path.Combine(Root, "deploy", "prometheus", "prometheus.yml"))
            .Replace("scrape_interval: 5s", "scrape_interval: 1s").Replace("evaluation_interval: 5s", "evaluation_interval: 1s")
            .Replace("/etc/prometheus/rules.yml", Path.Combine(Root, "deploy", "prometheus", "rules.yml"))
            .Replace("alertmanager:9093", $"127.0.0.1:{amPort}")
            .Replace("hean:8080", target);
        File.WriteAllText(Path.Combine(_dir, "prometheus.yml"), prom);
        Server("prometheus", $"--config.file={Path.Combine(_dir, "prometheus.yml")}", $"--storage.tsdb.path={Path.Combine(_dir, "tsdb")}",
            $"--web.listen-address=127.0.0.1:{promPort}");
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{promPort}"), Timeout = TimeSpan.FromSeconds(10) };

        async Task<JsonElement> Query(string expr)
        {
            using var response = await http.GetAsync("/api/v1/query?query=" + Uri.EscapeDataString(expr));
            var json = await response.Content.ReadAsStringAsync();
            if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"Prometheus refused {expr}: {json}");
            return JsonDocument.Parse(json).RootElement.GetProperty("data").Clone();
        }

        // Scraped: HEAN is up.
        await Eventually(async () => (await Query("up{job=\"hean\"}")).GetProperty("result").EnumerateArray()
            .Any(r => r.GetProperty("value")[1].GetString() == "1"), TimeSpan.FromSeconds(60), "Prometheus never scraped HEAN");

        // The kill switch → HeanKillSwitchEngaged firing → Alertmanager → the webhook.
        await Api.PostAsync(url + "/api/killswitch/engage?reason=alerting-test");
        await Eventually(() => Task.FromResult(Bodies().Any(b => b.Contains("\"HeanKillSwitchEngaged\"") && b.Contains("\"firing\""))),
            TimeSpan.FromSeconds(90), "the kill switch alert never reached the webhook");
        var delivered = Bodies().First(b => b.Contains("\"HeanKillSwitchEngaged\""));
        Assert.Contains("hean killswitch release", delivered); // the runbook line travels with it
        Assert.Contains("\"severity\":\"critical\"", delivered);

        // Every dashboard query, evaluated by Prometheus against the live node: none fails, none is NaN.
        var empty = new List<string>();
        var unguarded = new List<string>();
        var nan = new List<string>();
        var evaluated = 0;
        foreach (var file in Directory.GetFiles(Path.Combine(Root, "deploy", "grafana", "dashboards"), "*.json"))
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var panel in doc.RootElement.GetProperty("panels").EnumerateArray())
            foreach (var t in panel.GetProperty("targets").EnumerateArray())
            {
                var expr = t.GetProperty("expr").GetString()!.Replace("$__rate_interval", "1m").Replace("$__interval", "15s").Replace("$__range", "5m");
                var data = await Query(expr);
                evaluated++;
                var results = data.GetProperty("result").EnumerateArray().ToList();
                // Only a guarded query (a quantile of nothing yet, a ratio over nothing, a return before there is history) or a metric of
                // something this run does not have may be empty: every other counter and gauge is there from the start, at 0.
                if (results.Count == 0 && !expr.Contains(" > 0", StringComparison.Ordinal) && !OnlyWhenItRuns.Any(m => expr.Contains(m, StringComparison.Ordinal)))
                    unguarded.Add($"{Path.GetFileName(file)} '{panel.GetProperty("title").GetString()}': {expr}");
                if (results.Count == 0) empty.Add($"{Path.GetFileName(file)} '{panel.GetProperty("title").GetString()}': {expr}");
                if (results.Any(r => r.GetProperty("value")[1].GetString() is "NaN" or "+Inf" or "-Inf"))
                    nan.Add($"{Path.GetFileName(file)} '{panel.GetProperty("title").GetString()}': {expr}");
            }
        }
        output.WriteLine($"{evaluated} dashboard queries evaluated, {empty.Count} without data yet:\n{string.Join("\n", empty)}");
        Assert.True(evaluated >= 45, $"only {evaluated} queries");
        Assert.True(unguarded.Count == 0, $"{unguarded.Count} queries have no data although nothing guards them:\n{string.Join("\n", unguarded)}");
        Assert.True(nan.Count == 0, $"{nan.Count} queries are NaN or infinite:\n{string.Join("\n", nan)}");

        List<string> Bodies() => hook.Requests().Select(r => r.Body).ToList();
    }

    /// <summary>Metrics of what this run has not got: a model, Bybit, an algorithm started (labelled by the algorithms chosen).</summary>
    private static readonly string[] OnlyWhenItRuns = ["hean_ml_predictions_total", "component=\"ml\"", "hean_venue_messages_rejected_total", "hean_algo_choices_total"];

    private static async Task Eventually(Func<Task<bool>> condition, TimeSpan timeout, string failure)
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            try
            {
                if (await condition()) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(500);
        }
        throw new TimeoutException(failure);
    }
}
