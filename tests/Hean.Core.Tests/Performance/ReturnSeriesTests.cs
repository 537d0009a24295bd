using Hean.Core.Performance;
using Hean.Core.Portfolio;
using Xunit;

namespace Hean.Core.Tests.Performance;

public sealed class ReturnSeriesTests
{
    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    // 15 hours of +2 % and 15 of −1 %: mean 0.5 %, sample sd √(30 × 0.015² / 29) = 1.5256 %, downside deviation √(15 × 0.01² / 30) = 0.7071 %.
    private static readonly double[] Thirty = [.. Enumerable.Repeat(0.02, 15), .. Enumerable.Repeat(-0.01, 15)];

    [Fact]
    public void Sharpe_and_sortino_are_annualised_by_the_square_root_of_hours_in_a_year()
    {
        var series = new ReturnSeries(Thirty, ReturnSeries.Hourly);
        Assert.Equal(8766, series.PeriodsPerYear, 9); // 365.25 × 24
        Assert.Equal(30.684415, series.Sharpe!.Value, 5);  // 0.005 / 0.015256 × √8766
        Assert.Equal(66.204229, series.Sortino!.Value, 5); // 0.005 / 0.0070711 × √8766
    }

    [Fact]
    public void Under_thirty_returns_nothing_is_annualised()
    {
        var short29 = new ReturnSeries(Thirty[1..], ReturnSeries.Hourly);
        Assert.False(short29.IsLongEnough);
        Assert.Equal((null, null, null, null), (short29.Sharpe, short29.Sortino, short29.AnnualisedReturn, short29.Calmar(0.1m)));
        Assert.True(new ReturnSeries(Thirty, ReturnSeries.Hourly).IsLongEnough);
    }

    [Fact]
    public void Without_variation_or_without_a_loss_a_ratio_has_no_value()
    {
        var flat = new ReturnSeries(Enumerable.Repeat(0.001, 40).ToList(), ReturnSeries.Hourly);
        Assert.Null(flat.Sharpe);
        Assert.Null(flat.Sortino);
        Assert.Null(new ReturnSeries(Thirty, ReturnSeries.Hourly).Calmar(0m));
    }

    [Fact]
    public void Calmar_is_the_compound_yearly_return_over_the_max_drawdown()
    {
        // 30 steps of a 30th of a year: the series is one year, so the yearly return is the growth itself: +10 %.
        var returns = Enumerable.Repeat(0.0, 29).Append(0.10).ToList();
        var series = new ReturnSeries(returns, TimeSpan.FromDays(365.25 / 30));
        Assert.Equal(0.10, series.AnnualisedReturn!.Value, 9);
        Assert.Equal(2.0, series.Calmar(0.05m)!.Value, 9);
        // Two years (60 steps) that doubled: √2 − 1 a year.
        var twoYears = new ReturnSeries(Enumerable.Repeat(0.0, 59).Append(1.0).ToList(), TimeSpan.FromDays(365.25 / 30));
        Assert.Equal(Math.Sqrt(2) - 1, twoYears.AnnualisedReturn!.Value, 9);
    }

    [Fact]
    public void Returns_are_taken_on_the_grid_with_the_last_equity_carried_forward()
    {
        var samples = new List<EquitySampled>
        {
            new(T0.AddMinutes(30), new Dictionary<string, decimal>(), 110m), // inside the first hour
            new(T0.AddHours(3), new Dictionary<string, decimal>(), 99m),     // exactly on the third
        };
        var series = ReturnSeries.Of(samples, 100m, T0, T0.AddHours(4.5), ReturnSeries.Hourly);
        Assert.Equal([0.1, 0.0, -0.1, 0.0], series.Returns.Select(r => Math.Round(r, 12)).ToList());
        Assert.Empty(ReturnSeries.Of(samples, 100m, null, T0, ReturnSeries.Hourly).Returns);
        Assert.Empty(ReturnSeries.Of(samples, 100m, T0, T0, ReturnSeries.Hourly).Returns);
    }
}
