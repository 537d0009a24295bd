using Hean.Core.Orders;
using Hean.Core.Risk;
using Xunit;

namespace Hean.Core.Tests.Risk;

public sealed class RiskEquityTests
{
    private static readonly DateTime Day1 = new(2024, 1, 2, 9, 30, 0, DateTimeKind.Utc);
    // 5 % daily drawdown; the REDUCING rule set to the limit itself so these tests see the kill switch alone
    // (the rule at 80 % is tested in PreTradeChecksTests).
    private static readonly RiskLimits Limits = RiskLimits.Default with { ReduceAtShareOfDailyLimit = 1.0m };

    private static RiskState Fold(RiskState s, IEnumerable<IRiskEvent> events) => events.Aggregate(s, (x, e) => x.Apply(e));

    /// <summary>Day 2024-01-02 started at 10000 (peak 10000).</summary>
    private static RiskState Started(decimal equity = 10_000m) =>
        Fold(RiskState.Initial, RiskState.Initial.OnEquity(Day1, equity, Limits));

    [Fact]
    public void Initial_state_is_empty()
    {
        var s = RiskState.Initial;
        Assert.False(s.KillSwitchEngaged);
        Assert.Null(s.KillSwitchReason);
        Assert.Null(s.KillSwitchSince);
        Assert.Null(s.Day);
        Assert.Equal((0m, 0m, 0L, 0L), (s.DayStartEquity, s.PeakEquity, s.Approved, s.Rejected));
    }

    [Fact]
    public void The_first_observation_starts_the_day_and_nothing_else()
    {
        var events = RiskState.Initial.OnEquity(Day1, 10_000m, Limits);
        Assert.Equal([new TradingDayStarted(new DateOnly(2024, 1, 2), Day1, 10_000m)], events);
        var s = Fold(RiskState.Initial, events);
        Assert.Equal(new DateOnly(2024, 1, 2), s.Day);
        Assert.Equal(10_000m, s.DayStartEquity);
        Assert.Equal(10_000m, s.PeakEquity);
    }

    [Theory]
    [InlineData("10000", false)]     // unchanged
    [InlineData("10009.99", false)]  // +0.0999 %
    [InlineData("10010", true)]      // +0.1 % exactly
    [InlineData("10010.01", true)]
    public void Peaks_are_recorded_only_in_steps_of_a_tenth_of_a_percent(string equity, bool peak)
    {
        var e = decimal.Parse(equity);
        var events = Started().OnEquity(Day1.AddHours(1), e, Limits);
        if (peak) Assert.Equal([new EquityPeaked(Day1.AddHours(1), e)], events);
        else Assert.Empty(events);
    }

    [Fact]
    public void The_next_peak_step_is_measured_from_the_last_recorded_peak()
    {
        var s = Fold(Started(), Started().OnEquity(Day1.AddHours(1), 10_010m, Limits));
        Assert.Equal(10_010m, s.PeakEquity);
        // 10010 x 1.001 = 10020.01
        Assert.Empty(s.OnEquity(Day1.AddHours(2), 10_020m, Limits));
        Assert.Equal([new EquityPeaked(Day1.AddHours(2), 10_020.01m)], s.OnEquity(Day1.AddHours(2), 10_020.01m, Limits));
    }

    [Theory]
    [InlineData("9500.01", false)] // 4.9999 %
    [InlineData("9500", true)]     // 5 % exactly: engages
    [InlineData("9499.99", true)]
    [InlineData("1", true)]
    public void Drawdown_at_the_limit_engages_the_kill_switch(string equity, bool engage)
    {
        var e = decimal.Parse(equity);
        var events = Started().OnEquity(Day1.AddHours(1), e, Limits);
        if (!engage)
        {
            Assert.Empty(events);
            return;
        }
        var k = Assert.IsType<KillSwitchEngaged>(Assert.Single(events));
        Assert.Equal(Day1.AddHours(1), k.Time);
        Assert.Equal("risk-governor", k.By);
        Assert.Equal(e, k.Equity);
    }

    [Fact]
    public void Kill_switch_reason_names_the_limit_and_the_numbers()
    {
        var k = (KillSwitchEngaged)Started().OnEquity(Day1.AddHours(1), 9_500m, Limits).Single();
        Assert.Equal("daily drawdown 5.00 % reached DAILY_DRAWDOWN_LIMIT 5.00 % (day start equity 10000.00, equity 9500.00)", k.Reason);
    }

    [Fact]
    public void Drawdown_is_from_the_day_start_not_from_the_peak()
    {
        // peak 10500 then 9975: 5 % below the peak but only 0.25 % below the day start
        var s = Fold(Started(), Started().OnEquity(Day1.AddHours(1), 10_500m, Limits));
        Assert.Equal(10_500m, s.PeakEquity);
        Assert.Empty(s.OnEquity(Day1.AddHours(2), 9_975m, Limits));
    }

    [Fact]
    public void An_engaged_switch_does_not_engage_again()
    {
        var s = Started();
        s = Fold(s, s.OnEquity(Day1.AddHours(1), 9_400m, Limits));
        Assert.True(s.KillSwitchEngaged);
        Assert.Equal(Day1.AddHours(1), s.KillSwitchSince);
        Assert.Empty(s.OnEquity(Day1.AddHours(2), 9_000m, Limits));
        Assert.Empty(s.OnEquity(Day1.AddHours(3), 9_400m, Limits));
    }

    [Fact]
    public void A_new_utc_day_starts_at_the_new_equity_and_resets_the_drawdown()
    {
        var s = Started();
        s = Fold(s, s.OnEquity(Day1.AddHours(2), 9_600m, Limits)); // -4 %, nothing
        Assert.False(s.KillSwitchEngaged);

        var midnight = new DateTime(2024, 1, 3, 0, 0, 0, DateTimeKind.Utc);
        var events = s.OnEquity(midnight, 9_200m, Limits);
        // -8 % against yesterday's start, but the new day is measured from 9200
        Assert.Equal([new TradingDayStarted(new DateOnly(2024, 1, 3), midnight, 9_200m)], events);
        s = Fold(s, events);
        Assert.Equal((new DateOnly(2024, 1, 3), 9_200m, 10_000m), (s.Day, s.DayStartEquity, s.PeakEquity));

        // 9200 x 0.95 = 8740
        Assert.Empty(s.OnEquity(midnight.AddHours(1), 8_740.01m, Limits));
        Assert.IsType<KillSwitchEngaged>(Assert.Single(s.OnEquity(midnight.AddHours(1), 8_740m, Limits)));
    }

    [Fact]
    public void The_last_tick_of_the_day_is_still_the_same_day()
    {
        var lastTick = new DateTime(2024, 1, 2, 23, 59, 59, 999, DateTimeKind.Utc);
        Assert.Empty(Started().OnEquity(lastTick, 10_000m, Limits));
    }

    [Fact]
    public void A_new_day_above_the_old_peak_raises_the_peak_without_a_peak_event()
    {
        var day2 = new DateTime(2024, 1, 3, 8, 0, 0, DateTimeKind.Utc);
        var events = Started().OnEquity(day2, 11_000m, Limits);
        Assert.IsType<TradingDayStarted>(Assert.Single(events));
        Assert.Equal(11_000m, Fold(Started(), events).PeakEquity);
    }

    [Fact]
    public void Events_are_returned_in_persist_order_day_start_before_the_engage()
    {
        // With a valid limit a fresh day or a fresh peak means zero drawdown, so the engage comes
        // alone. A zero limit (refused by RiskLimits.Problems) shows the order of the three.
        var zero = new RiskLimits(10_000m, 3m, 0m);
        var events = RiskState.Initial.OnEquity(Day1, 10_000m, zero);
        Assert.Equal([typeof(TradingDayStarted), typeof(KillSwitchEngaged)], events.Select(e => e.GetType()));

        var peakEvents = Started().OnEquity(Day1.AddHours(1), 10_010m, zero);
        Assert.Equal([typeof(EquityPeaked), typeof(KillSwitchEngaged)], peakEvents.Select(e => e.GetType()));
    }

    [Fact]
    public void OnEquity_does_not_change_the_state_it_is_called_on()
    {
        var s = Started();
        var copy = s with { };
        _ = s.OnEquity(Day1.AddDays(1), 20_000m, Limits);
        _ = s.OnEquity(Day1.AddHours(1), 1m, Limits);
        Assert.Equal(copy, s);
    }

    [Theory]
    [InlineData("10000", "9000", "0.1")]
    [InlineData("10000", "9500", "0.05")]
    [InlineData("10000", "10500", "0")]  // up: no drawdown
    [InlineData("0", "5", "0")]          // no day start yet
    [InlineData("-100", "-200", "0")]
    public void Daily_drawdown(string dayStart, string equity, string expected)
    {
        var s = RiskState.Initial with { DayStartEquity = decimal.Parse(dayStart) };
        Assert.Equal(decimal.Parse(expected), s.DailyDrawdown(decimal.Parse(equity)));
    }

    /// <summary>
    /// Random equity walks over several days: the kill switch engages exactly once, on the first
    /// observation whose loss from that day's first equity reaches the limit; a day start is always
    /// first; an engage is always the last (and, with valid limits, the only) event.
    /// </summary>
    [Fact]
    public void Random_equity_walks_engage_once_at_the_first_breach()
    {
        var rng = new Random(99);
        var engagedRuns = 0;
        for (var run = 0; run < 300; run++)
        {
            var s = RiskState.Initial;
            var time = Day1;
            var equity = 10_000m;
            DateOnly? day = null;
            var dayStart = 0m;
            DateTime? firstBreach = null;
            var engages = new List<DateTime>();
            for (var i = 0; i < 200; i++)
            {
                time = time.AddMinutes(rng.Next(1, 60));
                equity = Math.Max(1m, equity + rng.Next(-150, 151));
                if (DateOnly.FromDateTime(time) != day)
                {
                    day = DateOnly.FromDateTime(time);
                    dayStart = equity;
                }
                if (firstBreach is null && (dayStart - equity) / dayStart >= 0.05m) firstBreach = time;

                var events = s.OnEquity(time, equity, Limits);
                for (var k = 0; k < events.Count; k++)
                {
                    if (events[k] is TradingDayStarted) Assert.Equal(0, k);
                    if (events[k] is KillSwitchEngaged ke)
                    {
                        Assert.Single(events);
                        engages.Add(ke.Time);
                    }
                }
                s = Fold(s, events);
                Assert.Equal(day, s.Day);
                Assert.Equal(dayStart, s.DayStartEquity);
                Assert.True(s.PeakEquity >= dayStart);
            }
            Assert.Equal(firstBreach is null ? [] : [firstBreach.Value], engages);
            if (firstBreach is not null) engagedRuns++;
        }
        Assert.InRange(engagedRuns, 20, 280); // both outcomes are exercised
    }

    // ---- Apply -------------------------------------------------------------------------------

    [Fact]
    public void Apply_counts_approvals_and_rejections()
    {
        var id = new ClientOrderId("r-1");
        var s = RiskState.Initial
            .Apply(new OrderRequestApproved(id, Day1, 5_000m, 0.5m))
            .Apply(new OrderRequestApproved(id, Day1, 5_000m, 1m))
            .Apply(new OrderRequestRejected(id, Day1, "max_position", "too big"));
        Assert.Equal((2L, 1L), (s.Approved, s.Rejected));
        Assert.Equal(RiskState.Initial with { Approved = 2, Rejected = 1 }, s);
    }

    [Fact]
    public void Apply_trading_day_started_keeps_the_higher_peak()
    {
        var s = RiskState.Initial with { PeakEquity = 12_000m };
        var lower = s.Apply(new TradingDayStarted(new DateOnly(2024, 1, 3), Day1, 11_000m));
        Assert.Equal((new DateOnly(2024, 1, 3), 11_000m, 12_000m), (lower.Day, lower.DayStartEquity, lower.PeakEquity));
        var higher = s.Apply(new TradingDayStarted(new DateOnly(2024, 1, 3), Day1, 13_000m));
        Assert.Equal(13_000m, higher.PeakEquity);
    }

    [Fact]
    public void Apply_equity_peaked_sets_the_peak()
    {
        Assert.Equal(10_010m, Started().Apply(new EquityPeaked(Day1, 10_010m)).PeakEquity);
    }

    [Fact]
    public void Apply_kill_switch_engaged_then_released()
    {
        var engaged = Started().Apply(new KillSwitchEngaged(Day1.AddHours(1), "manual", "operator", 9_000m));
        Assert.Equal((true, "manual", (DateTime?)Day1.AddHours(1)), (engaged.KillSwitchEngaged, engaged.KillSwitchReason, engaged.KillSwitchSince));
        var released = engaged.Apply(new KillSwitchReleased(Day1.AddHours(2), "operator"));
        Assert.Equal(Started(), released);
    }

    [Fact]
    public void Apply_rejects_an_unknown_event()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => RiskState.Initial.Apply(new StrangeEvent(Day1)));
        Assert.Equal("e", ex.ParamName);
    }

    private sealed record StrangeEvent(DateTime Time) : IRiskEvent;
}
