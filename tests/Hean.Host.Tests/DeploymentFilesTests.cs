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
    private static string Root
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Hean.Akka.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("repository root not found");
        }
    }

    [Fact]
    public async Task Every_dashboard_query_uses_a_metric_that_hean_exports()
    {
        // Touch the metrics class so every metric is registered, then read the registry's names.
        _ = Actors.Monitoring.HeanMetrics.OrdersTotal;
        using var stream = new MemoryStream();
        await Prometheus.Metrics.DefaultRegistry.CollectAndExportAsTextAsync(stream);
        var exported = Regex.Matches(System.Text.Encoding.UTF8.GetString(stream.ToArray()), @"^# TYPE (\S+)", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value).ToHashSet();

        var dashboards = Directory.GetFiles(Path.Combine(Root, "deploy", "grafana", "dashboards"), "*.json");
        Assert.True(dashboards.Length >= 3, "trading, system and execution dashboards");
        foreach (var file in dashboards)
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var panel in doc.RootElement.GetProperty("panels").EnumerateArray())
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                var expr = target.GetProperty("expr").GetString()!;
                foreach (Match m in Regex.Matches(expr, @"\b(hean_[a-z_]+|process_[a-z_]+)"))
                {
                    var name = Regex.Replace(m.Groups[1].Value, "_(bucket|sum|count)$", "");
                    Assert.True(exported.Contains(name), $"{Path.GetFileName(file)} panel '{panel.GetProperty("title")}' uses {name}, which HEAN does not export");
                }
            }
        }
    }

    [Fact]
    public void Compose_file_has_the_stack_and_mounts_the_dashboards()
    {
        var compose = File.ReadAllText(Path.Combine(Root, "docker-compose.yml"));
        foreach (var service in new[] { "hean:", "redis:", "postgres:", "prometheus:", "grafana:" }) Assert.Contains("  " + service, compose);
        Assert.Contains("./deploy/grafana/dashboards:/var/lib/grafana/dashboards", compose);
        Assert.Contains("./deploy/prometheus.yml", compose);
        Assert.Contains("hean:8080", File.ReadAllText(Path.Combine(Root, "deploy", "prometheus.yml")));
    }
}
