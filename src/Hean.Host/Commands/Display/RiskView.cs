using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Hean.Host.Commands.Display;

/// <summary>The risk governor's state and limits (`hean risk status`, and the answers of `killswitch` and `trading-state`).</summary>
public static class RiskView
{
    public static IRenderable Render(JsonElement risk, DateTime wall) =>
        new Rows(new Text($"risk at wall time {Formats.Time(wall)}"), State(risk), Limits(risk.Field("limits")));

    private static Table State(JsonElement r)
    {
        var engaged = r.Flag("kill_switch") == true;
        var set = r.Text("trading_state_set");
        var state = r.Text("trading_state");
        return new KeyValues("state")
            .Add("trading state", Cells.Status(state))
            .Add("trading state as set", set == state ? set : $"{set} (the rules made it {state})")
            .Add("trading state reason", By(r.Text("trading_state_reason"), r.Text("trading_state_by")))
            .Add("kill switch", Cells.Status(engaged ? "ENGAGED" : "off"))
            .Add("kill switch reason", By(r.Text("kill_switch_reason"), r.Text("kill_switch_by")))
            .Add("kill switch since (market time)", r.Time("kill_switch_since") is { } since ? Formats.Time(since) : null)
            .Add("day (market time)", r.Text("day"))
            .Add("day start equity", r.Decimal("day_start_equity").Or(Formats.Money))
            .Add("peak equity", r.Decimal("peak_equity").Or(Formats.Money))
            .Add("orders approved", r.Long("approved").Or(Formats.Count))
            .Add("orders rejected", r.Long("rejected").Or(Formats.Count))
            .Add("consecutive errors", r.Long("consecutive_errors").Or(Formats.Count))
            .Add("discarded ticks", r.Long("discarded_ticks").Or(Formats.Count))
            .Table;
    }

    private static Table Limits(JsonElement? limits)
    {
        var l = limits ?? default;
        return new KeyValues("limits")
            .Add("max position size (USDT)", Off(l.Decimal("max_position_size"), Formats.Money))
            .Add("max order notional (USDT)", Off(l.Decimal("max_order_notional"), Formats.Money))
            .Add("max leverage", Off(l.Decimal("max_leverage"), v => Formats.Quantity(v) + "x"))
            .Add("max concentration", Off(l.Decimal("max_concentration"), Formats.Percent))
            .Add("daily drawdown limit", Off(l.Decimal("daily_drawdown_limit"), Formats.Percent))
            .Add("reduce at (share of the daily limit)", Off(l.Decimal("reduce_at"), Formats.Percent))
            .Add("peak drawdown limit", Off(l.Decimal("peak_drawdown_limit"), Formats.Percent))
            .Add("price band", Off(l.Decimal("price_band"), Formats.Percent))
            .Add("bad tick jump", Off(l.Decimal("bad_tick_jump"), Formats.Percent))
            .Add("max open orders", Off(l.Decimal("max_open_orders"), Formats.Quantity))
            .Add("max orders per second", Off(l.Decimal("max_orders_per_second"), Formats.Quantity))
            .Add("max consecutive errors", Off(l.Decimal("max_consecutive_errors"), Formats.Quantity))
            .Add("1-day VaR99 budget (USDT)", Off(l.Decimal("var_budget"), Formats.Money))
            .Table;
    }

    private static string Off(decimal? limit, Func<decimal, string> format) => limit is { } v ? format(v) : "off";

    private static string? By(string? reason, string? by) => reason is null ? null : by is null ? reason : $"{reason} (by {by})";
}
