using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit;

namespace Hean.Host.Tests;

/// <summary>
/// No Docker engine runs here, so the shipped deployment files are checked by reading them: every
/// dashboard query names metrics HEAN exports, and the compose file wires what the dashboards need.
/// </summary>
public sealed class DeploymentFilesTests
{
    private static string Root => RepoPaths.Root;

    [Fact]
    public async Task Every_dashboard_panel_uses_the_provisioned_datasource_and_metrics_hean_exports_and_every_metric_is_shown()
    {
        // Touch the metrics class so every metric is registered, then read the registry's names.
        _ = Actors.Monitoring.HeanMetrics.OrdersTotal;
        System.Runtime.CompilerServices.RuntimeHelpers.RunClassConstructor(typeof(Security.ApiGuard).TypeHandle);
        using var stream = new MemoryStream();
        await Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(stream);
        var exported = Regex.Matches(System.Text.Encoding.UTF8.GetString(stream.ToArray()), @"^# TYPE (\S+)", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToHashSet();

        // The datasource every panel and query names is the one Grafana is provisioned with.
        var provisioned = File.ReadAllText(Path.Combine(Root, "deploy", "grafana", "provisioning", "datasources", "prometheus.yml"));
        var uid = Regex.Match(provisioned, @"(?m)^\s*uid:\s*(\S+)").Groups[1].Value;
        var type = Regex.Match(provisioned, @"(?m)^\s*type:\s*(\S+)").Groups[1].Value;
        Assert.Equal(("prometheus", "prometheus"), (uid, type));

        var dashboards = Directory.GetFiles(Path.Combine(Root, "deploy", "grafana", "dashboards"), "*.json");
        var titles = new List<string>();
        var metrics = new HashSet<string>();
        foreach (var file in dashboards)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var panel in doc.RootElement.GetProperty("panels").EnumerateArray())
            {
                titles.Add(panel.GetProperty("title").GetString()!);
                var where = $"{Path.GetFileName(file)} panel '{panel.GetProperty("title")}'";
                Assert.True(panel.GetProperty("datasource").GetProperty("uid").GetString() == uid, $"{where}: datasource is not the provisioned '{uid}'");
                Assert.Equal(type, panel.GetProperty("datasource").GetProperty("type").GetString());
                foreach (var target in panel.GetProperty("targets").EnumerateArray())
                {
                    if (target.TryGetProperty("datasource", out var ds)) Assert.True(ds.GetProperty("uid").GetString() == uid, $"{where}: a query's datasource is not '{uid}'");
                    var expr = target.GetProperty("expr").GetString()!;
                    foreach (Match m in Regex.Matches(expr, @"\b(hean_[a-z_]+|process_[a-z_]+|dotnet_[a-z_]+)"))
                    {
                        var name = Regex.Replace(m.Groups[1].Value, "_(bucket|sum|count)$", "");
                        metrics.Add(name);
                        Assert.True(exported.Contains(name), $"{where} uses {name}, which HEAN does not export");
                    }
                }
            }
        }
        // What the original architecture and the observability issue ask the dashboards to show.
        foreach (var panel in new[] { "Sharpe", "Drawdown", "P&L", "Mailbox", "GC", "Event bus queue", "Slippage", "Fill rate", "Latency", "shortfall",
                     "Time to fill", "Predictions", "Reconciliation" })
            Assert.True(titles.Any(t => t.Contains(panel, StringComparison.OrdinalIgnoreCase)), $"no dashboard panel shows {panel}");
        // Every metric family HEAN exports is on a dashboard.
        var unshown = exported.Where(n => n.StartsWith("hean_", StringComparison.Ordinal) && !metrics.Contains(n)).ToList();
        Assert.True(unshown.Count == 0, "on no dashboard: " + string.Join(", ", unshown));
    }

    [Fact]
    public void Compose_file_has_the_stack_and_mounts_the_dashboards()
    {
        var compose = File.ReadAllText(Path.Combine(Root, "docker-compose.yml"));
        foreach (var service in new[] { "hean:", "redis:", "postgres:", "prometheus:", "grafana:" }) Assert.Contains("  " + service, compose);
        Assert.Contains("./deploy/grafana/dashboards:/var/lib/grafana/dashboards", compose);
        Assert.Contains("./deploy/prometheus/prometheus.yml", compose);
        Assert.Contains("./deploy/prometheus/rules.yml", compose);
        Assert.Contains("  alertmanager:", compose);
        Assert.Contains("hean:8080", File.ReadAllText(Path.Combine(Root, "deploy", "prometheus", "prometheus.yml")));
    }

    [Fact]
    public void The_image_runs_unprivileged_with_a_health_check_and_ships_no_local_state()
    {
        var dockerfile = File.ReadAllText(Path.Combine(Root, "deploy", "Dockerfile"));
        var user = Regex.Matches(dockerfile, @"^USER (\S+)", RegexOptions.Multiline).Select(m => m.Groups[1].Value).LastOrDefault();
        Assert.True(user is not null && user is not "root" and not "0", "the final stage names a non-root USER");
        Assert.Matches(@"(?m)^HEALTHCHECK .*\n?.*health.*--strict", dockerfile);

        var ignored = File.ReadAllLines(Path.Combine(Root, ".dockerignore")).Select(l => l.Trim()).ToHashSet();
        foreach (var entry in new[] { ".git", "**/bin/", "**/obj/", ".hean/", "**/.hean/", ".env" }) Assert.Contains(entry, ignored);
    }

    [Fact]
    public void Compose_takes_every_password_and_the_api_token_from_the_environment()
    {
        var compose = File.ReadAllText(Path.Combine(Root, "docker-compose.yml"));
        // Required variables (${X:?...}): compose refuses to start without them instead of falling back to a default.
        foreach (var variable in new[] { "HEAN_TOKEN", "REDIS_PASSWORD", "POSTGRES_PASSWORD", "GRAFANA_ADMIN_PASSWORD" })
            Assert.Contains("${" + variable + ":?", compose);
        Assert.Contains("--requirepass", compose);
        Assert.Contains("GF_SECURITY_ADMIN_PASSWORD: ${GRAFANA_ADMIN_PASSWORD:?", compose);
        Assert.DoesNotMatch(@"(?i)password:\s*[""']?(hean|admin)[""']?\s*$", compose);
        Assert.Contains("HEAN_HTTP_ALLOWED_HOSTS: hean", compose); // Prometheus scrapes it by that name
        var example = File.ReadAllText(Path.Combine(Root, ".env.example"));
        foreach (var variable in new[] { "HEAN_TOKEN=", "REDIS_PASSWORD=", "POSTGRES_PASSWORD=", "GRAFANA_ADMIN_PASSWORD=" }) Assert.Contains(variable, example);
        Assert.Contains(".env", File.ReadAllLines(Path.Combine(Root, ".gitignore")));
    }
}
