using Hean.Core.Performance;
using Xunit;

namespace Hean.Core.Tests.Performance;

public sealed class EquityCurveTests
{
    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static EquityPoint[] Hourly(params decimal[] equity) => equity.Select((e, i) => new EquityPoint(T0.AddHours(i), e)).ToArray();

    [Fact]
    public void The_deepest_drawdown_runs_from_its_peak_to_the_end_when_the_equity_never_gets_back()
    {
        // Peak 120 at 1h, trough 90 at 2h: 30 / 120 = 25 %; 110 and 95 stay below 120, so it lasts until the end (10h).
        var d = EquityCurve.Deepest(Hourly(100m, 120m, 90m, 110m, 95m), T0.AddHours(10));
        Assert.Equal(0.25m, d.Depth);
        Assert.Equal((T0.AddHours(1), T0.AddHours(2), (DateTime?)null), (d.Peak, d.Trough, d.Recovered));
        Assert.Equal(TimeSpan.FromHours(9), d.Duration);
    }

    [Fact]
    public void The_deepest_drawdown_ends_when_the_equity_is_back_at_its_peak()
    {
        // 100 → 96 (4 %) recovers at 2h; 120 → 90 (25 %) from 3h recovers at 6h (120 reached again): 3 hours.
        var d = EquityCurve.Deepest(Hourly(100m, 96m, 100m, 120m, 90m, 110m, 120m, 112m), T0.AddHours(10));
        Assert.Equal(0.25m, d.Depth);
        Assert.Equal((T0.AddHours(3), T0.AddHours(4), (DateTime?)T0.AddHours(6)), (d.Peak, d.Trough, d.Recovered));
        Assert.Equal(TimeSpan.FromHours(3), d.Duration);
    }

    [Fact]
    public void Of_two_equal_drawdowns_the_first_is_the_deepest_and_a_rising_curve_has_none()
    {
        var d = EquityCurve.Deepest(Hourly(100m, 90m, 100m, 90m), T0.AddHours(5));
        Assert.Equal((0.1m, T0, T0.AddHours(1)), (d.Depth, d.Peak, d.Trough));
        Assert.Equal(TimeSpan.FromHours(2), d.Duration);

        var none = EquityCurve.Deepest(Hourly(100m, 101m, 101m, 102m), T0.AddHours(5));
        Assert.Equal((0m, TimeSpan.Zero), (none.Depth, none.Duration));
        Assert.Equal(0m, EquityCurve.Deepest([], T0).Depth);
    }

    [Fact]
    public void Underwater_is_the_fall_below_the_running_peak()
    {
        Assert.Equal([0m, 0m, 0.25m, 0.125m, 0m, 0.5m], EquityCurve.Underwater([100m, 120m, 90m, 105m, 130m, 65m]).ToList());
    }
}
