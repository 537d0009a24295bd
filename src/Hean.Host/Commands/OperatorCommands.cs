using System.CommandLine;
using Hean.Host.Commands.Display;

namespace Hean.Host.Commands;

/// <summary>
/// Operator commands against a running node's management API (what Petabridge.Cmd's `pbm` does for
/// Akka.NET): kill switch, trading state, risk and state views. The node and its token are found as
/// <see cref="NodeClient"/> says.
/// </summary>
public static class OperatorCommands
{
    public static IEnumerable<Command> Create()
    {
        var node = NodeClient.Options();

        // The author recorded for each change is the name of the token sent, never something the caller writes.
        var reason = new Option<string>("--reason") { Description = "why (kept in the journal and the log)", Required = true };
        var flatten = new Option<bool>("--flatten") { Description = "also close every position with reduce-only market orders" };
        var engage = new Command("engage", "engage the kill switch: cancel all open orders, block new exposure") { reason, flatten };
        engage.SetAction(async (r, ct) => await node.Call(r, HttpMethod.Post,
            $"/api/killswitch/engage?reason={Uri.EscapeDataString(r.GetValue(reason)!)}&flatten={r.GetValue(flatten).ToString().ToLowerInvariant()}", RiskView.Render, ct));
        var release = new Command("release", "release the kill switch; drawdown limits then measure from the current equity");
        release.SetAction(async (r, ct) => await node.Call(r, HttpMethod.Post, "/api/killswitch/release", RiskView.Render, ct));
        var killSwitch = new Command("killswitch", "the emergency stop") { engage, release };

        var state = new Argument<string>("state") { Description = "active, reducing or halted" };
        var stateReason = new Option<string>("--reason") { Description = "why", Required = true };
        var tradingState = new Command("trading-state", "set ACTIVE / REDUCING (only orders that reduce exposure) / HALTED (no new orders)") { state, stateReason };
        tradingState.SetAction(async (r, ct) => await node.Call(r, HttpMethod.Post,
            $"/api/trading-state?state={Uri.EscapeDataString(r.GetValue(state)!)}&reason={Uri.EscapeDataString(r.GetValue(stateReason)!)}", RiskView.Render, ct));

        var status = new Command("status", "risk state, limits and counters of the running node");
        status.SetAction(async (r, ct) => await node.Call(r, HttpMethod.Get, "/api/risk", RiskView.Render, ct));
        var report = RiskReportCommand.Create(node);
        var risk = new Command("risk", "risk views") { status, report };

        var show = new Command("state", "portfolio, positions, open orders and feed of the running node");
        show.SetAction(async (r, ct) => await node.Call(r, HttpMethod.Get, "/api/state", StateView.Render, ct));

        var strict = new Option<bool>("--strict") { Description = "exit 1 when the node is unhealthy (for container health checks); default: show it, exit 0" };
        var health = new Command("health", "health of every component of the running node") { strict };
        health.SetAction(async (r, ct) => await node.Call(r, HttpMethod.Get, "/health", HealthView.Render, ct, okOn503: !r.GetValue(strict)));

        var pause = new Command("pause", "stop taking market data (a final checkpoint is persisted); orders already working stay at the venue");
        pause.SetAction(async (r, ct) => await node.Call(r, HttpMethod.Post, "/api/feed/pause", FeedView.Render, ct));
        var resume = new Command("resume", "take market data again");
        resume.SetAction(async (r, ct) => await node.Call(r, HttpMethod.Post, "/api/feed/resume", FeedView.Render, ct));
        var feed = new Command("feed", "the running node's market data") { pause, resume };

        foreach (var command in new[] { engage, release, tradingState, status, show, health, pause, resume }) node.AddTo(command);
        return [killSwitch, tradingState, risk, show, health, feed];
    }
}
