using Hean.Core.Risk;
using Xunit;

namespace Hean.Core.Tests.Risk;

public sealed class RiskLimitsTests
{
    [Fact]
    public void Defaults_are_valid()
    {
        Assert.Equal(new RiskLimits(10_000m, 3m, 0.05m), RiskLimits.Default);
        Assert.Empty(RiskLimits.Default.Problems());
    }

    [Theory]
    [InlineData("0.01", "0.0001", "0.0001")]
    [InlineData("1000000", "100", "0.9999")]
    public void Values_just_inside_the_bounds_are_valid(string maxPosition, string maxLeverage, string drawdown) =>
        Assert.Empty(new RiskLimits(decimal.Parse(maxPosition), decimal.Parse(maxLeverage), decimal.Parse(drawdown)).Problems());

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public void Max_position_size_must_be_positive(string value)
    {
        var problem = Assert.Single(new RiskLimits(decimal.Parse(value), 3m, 0.05m).Problems());
        Assert.Equal($"MAX_POSITION_SIZE must be positive (USDT), got {value}", problem);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-2")]
    [InlineData("100.0001")]
    [InlineData("101")]
    public void Max_leverage_must_be_in_0_to_100(string value)
    {
        var problem = Assert.Single(new RiskLimits(10_000m, decimal.Parse(value), 0.05m).Problems());
        Assert.Equal($"MAX_LEVERAGE must be in (0, 100], got {value}", problem);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0.05")]
    [InlineData("1")]
    [InlineData("5")] // 5 meant as percent is a mistake
    public void Daily_drawdown_limit_must_be_a_fraction(string value)
    {
        var problem = Assert.Single(new RiskLimits(10_000m, 3m, decimal.Parse(value)).Problems());
        Assert.Equal($"DAILY_DRAWDOWN_LIMIT must be a fraction in (0, 1), got {value}", problem);
    }

    [Fact]
    public void All_problems_are_listed_in_order()
    {
        var problems = new RiskLimits(0m, 0m, 0m).Problems();
        Assert.Equal(3, problems.Count);
        Assert.StartsWith("MAX_POSITION_SIZE", problems[0]);
        Assert.StartsWith("MAX_LEVERAGE", problems[1]);
        Assert.StartsWith("DAILY_DRAWDOWN_LIMIT", problems[2]);
    }
}
