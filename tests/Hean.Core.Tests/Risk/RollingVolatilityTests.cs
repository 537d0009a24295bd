using Hean.Core.Risk;
using Xunit;

namespace Hean.Core.Tests.Risk;

/// <summary>The market processor's rolling volatility must give the bits <see cref="VolatilityTarget.Annualized"/> gives over the same closes.</summary>
public sealed class RollingVolatilityTests
{
    [Theory]
    [InlineData(1, 61)]
    [InlineData(2, 10)]
    [InlineData(3, 3)]
    public void Equals_the_volatility_of_its_last_closes_bit_for_bit(int seed, int capacity)
    {
        var rng = new Random(seed);
        var rolling = new RollingVolatility(capacity);
        var closes = new List<decimal>();
        var price = 30_000m;
        for (var i = 0; i < 500; i++)
        {
            price = Math.Round(price * (decimal)(1 + (rng.NextDouble() - 0.5) * 0.01), rng.Next(0, 4));
            rolling.Add(price);
            closes.Add(price);
            var window = closes.Skip(Math.Max(0, closes.Count - capacity)).ToList();
            Assert.Equal(window.Count, rolling.Count);
            // Asked now and then, as signals come: returns made earlier are reused.
            if (rng.Next(3) > 0) continue;
            var expected = VolatilityTarget.Annualized(window, TimeSpan.FromMinutes(1));
            var actual = rolling.Annualized(TimeSpan.FromMinutes(1));
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(actual));
        }
    }

    [Fact]
    public void A_close_that_is_not_positive_makes_it_unknown_until_it_leaves_the_window()
    {
        var rolling = new RollingVolatility(4);
        foreach (var c in new[] { 100m, 101m, 0m, 102m }) rolling.Add(c);
        Assert.True(double.IsNaN(rolling.Annualized(TimeSpan.FromDays(1))));
        rolling.Add(103m);
        Assert.True(double.IsNaN(rolling.Annualized(TimeSpan.FromDays(1)))); // 101, 0, 102, 103
        rolling.Add(104m);
        rolling.Add(103m);
        Assert.Equal(VolatilityTarget.Annualized([102m, 103m, 104m, 103m], TimeSpan.FromDays(1)), rolling.Annualized(TimeSpan.FromDays(1)));
    }

    [Fact]
    public void Under_three_closes_is_unknown()
    {
        var rolling = new RollingVolatility(10);
        rolling.Add(100m);
        rolling.Add(101m);
        Assert.True(double.IsNaN(rolling.Annualized(TimeSpan.FromDays(1))));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RollingVolatility(2));
    }

    [Fact]
    public void The_sums_are_the_bits_of_the_LINQ_average_and_sum_used_before()
    {
        // The loops replaced returns.Average() and returns.Sum(r => (r - mean)²): same order, so the same doubles and fills.
        var rng = new Random(7);
        for (var t = 0; t < 20_000; t++)
        {
            var returns = new double[rng.Next(2, 80)];
            for (var i = 0; i < returns.Length; i++) returns[i] = (rng.NextDouble() - 0.5) * Math.Pow(10, -rng.Next(1, 6));
            var mean = returns.Average();
            var before = Math.Sqrt(returns.Sum(r => (r - mean) * (r - mean)) / (returns.Length - 1) * (365.25 * 86400 / 60));
            Assert.Equal(BitConverter.DoubleToInt64Bits(before), BitConverter.DoubleToInt64Bits(VolatilityTarget.FromReturns(returns, TimeSpan.FromMinutes(1))));
        }
    }
}
