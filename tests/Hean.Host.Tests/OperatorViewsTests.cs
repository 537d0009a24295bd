using System.Text.Json;
using Hean.Host.Commands.Display;
using Spectre.Console;
using Spectre.Console.Rendering;
using Xunit;

namespace Hean.Host.Tests;

/// <summary>The operator tables from a node's JSON: readable numbers, times labelled wall or market time, node text never taken as markup.</summary>
public sealed class OperatorViewsTests
{
    private static readonly DateTime Wall = new(2026, 12, 6, 19, 30, 0, DateTimeKind.Utc);

    private const string State = """
        {
          "portfolio": { "initial_cash": 100000, "cash": 99992.86339374000000000000000, "equity": 100012.5, "pnl": 12.5, "realized_pnl": -3.25,
                         "unrealized_pnl": 15.75, "fees": 1.10559871, "gross_exposure": 5646.49005, "fills": 2, "funding": 0 },
          "positions": [ { "symbol": "BTCUSDT", "qty": 0.03100000, "avg_price": 59815.30000000000000, "mark": 59716.35, "unrealized_pnl": -3.06745,
                           "realized_pnl": 0, "fees": 1.01985087 } ],
          "open_orders": [ { "client_order_id": "BTCUSDT-1", "symbol": "BTCUSDT", "side": "buy", "type": "limit", "qty": 0.5, "price": 59000.10,
                             "filled_qty": 0, "status": "Accepted", "created_at": "2026-12-06T19:32:00Z" } ],
          "orders": { "created": 3, "filled": 2, "cancelled": 0, "rejected": 0, "fills": 2, "duplicate_reports": 0, "overfills": 0, "open": 1 },
          "risk": { "kill_switch_engaged": false, "kill_switch_reason": null, "approved": 3, "rejected": 0, "day_start_equity": 100000, "daily_drawdown": 0.0123 },
          "feed": { "events": 4208, "signals": 2, "batches": 4127, "first_market_time": "2026-12-06T19:00:00Z", "last_market_time": "2026-12-06T19:32:00Z",
                    "events_per_second": 227.405, "paused": false, "completed": false, "errors": 0, "last_error": null, "last_error_at": null,
                    "stream_failed": false, "first_error": null }
        }
        """;

    [Fact]
    public void State_shows_money_with_two_decimals_prices_trimmed_and_market_time_against_wall_time()
    {
        var text = Render(StateView.Render(Parse(State), Wall));
        Assert.Contains("state at wall time 2026-12-06 19:30:00 UTC", text);
        Assert.Contains("99,992.86", text);          // 28 digits in the JSON, cents on the screen
        Assert.DoesNotContain("99992.8633", text);
        Assert.Contains("100,000.00", text);
        Assert.Contains("59815.3 ", text);           // a price, trailing zeros trimmed
        Assert.Contains("+0.031", text);             // a long position's quantity
        Assert.Contains("-3.07", text);
        Assert.Contains("1.23 %", text);             // the daily drawdown
        Assert.Contains("created (market time)", text);
        Assert.Contains("2026-12-06 19:32:00 UTC (2m 00s ahead of wall time)", text);
        Assert.Contains("227/s", text);
    }

    [Fact]
    public void Risk_limits_are_money_percentages_or_off_and_the_kill_switch_time_is_market_time()
    {
        var risk = Parse("""
            { "kill_switch": true, "kill_switch_reason": "[red]venue down[/]", "kill_switch_since": "2026-12-06T19:40:00Z", "kill_switch_by": "alice",
              "trading_state": "halted", "trading_state_set": "active", "day": "2026-12-06", "day_start_equity": 100000, "peak_equity": 101000.5,
              "approved": 4, "rejected": 1, "consecutive_errors": 0, "discarded_ticks": 0,
              "limits": { "max_position_size": 10000, "max_leverage": 3, "daily_drawdown_limit": 0.05, "max_order_notional": 20000, "max_concentration": null,
                          "max_open_orders": 20, "max_orders_per_second": 5, "price_band": 0.05, "peak_drawdown_limit": 0.15, "reduce_at": 0.8,
                          "max_consecutive_errors": 5, "bad_tick_jump": 0.10, "var_budget": null } }
            """);
        var text = Render(RiskView.Render(risk, Wall));
        Assert.Contains("ENGAGED", text);
        Assert.Contains("[red]venue down[/] (by alice)", text); // the node's text as it is, not markup
        Assert.Contains("kill switch since (market time)", text);
        Assert.Contains("2026-12-06 19:40:00 UTC", text);
        Assert.Contains("active (the rules made it halted)", text);
        Assert.Contains("10,000.00", text);
        Assert.Contains("3x", text);
        Assert.Contains("15.00 %", text);
        Assert.Matches(@"max concentration\s+│\s+off", text);
    }

    [Fact]
    public void Health_lists_every_component_with_its_reason()
    {
        var health = Parse("""
            { "status": "degraded", "uptime": 3725.4, "components": { "gateway": { "status": "degraded", "reason": "breaker open" },
                                                                       "risk": { "status": "healthy", "reason": null } } }
            """);
        var text = Render(HealthView.Render(health, Wall));
        Assert.Contains("node degraded, up 1h 02m, at wall time 2026-12-06 19:30:00 UTC", text);
        Assert.Matches(@"gateway\s+│\s+degraded\s+│\s+breaker open", text);
        Assert.Matches(@"risk\s+│\s+healthy", text);
    }

    [Fact]
    public void An_answer_is_names_and_values_with_lists_as_tables()
    {
        var algo = Parse("""
            { "id": "p1", "algo": "twap", "qty": 0.50000000, "avg_price": null, "open_children": [ { "id": "c1", "qty": 0.1, "price": 59000.00 } ] }
            """);
        var text = Render(AnswerView.Render(algo, Wall));
        Assert.Matches(@"qty\s+│\s+0\.5 ", text);
        Assert.Matches(@"avg price\s+│\s+-", text);
        Assert.Matches(@"c1\s+│\s+0\.1\s+│\s+59000 ", text);
    }

    [Theory]
    [InlineData(0.0, "0s")]
    [InlineData(45.0, "45s")]
    [InlineData(200.0, "3m 20s")]
    [InlineData(7500.0, "2h 05m")]
    [InlineData(273600.0, "3d 04h")]
    public void Spans_read_as_an_operator_says_them(double seconds, string expected) =>
        Assert.Equal(expected, Formats.Span(TimeSpan.FromSeconds(seconds)));

    private static JsonElement Parse(string json) => JsonDocument.Parse(json).RootElement;

    private static string Render(IRenderable view)
    {
        var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors, Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 200;
        console.Write(view);
        return writer.ToString();
    }
}
