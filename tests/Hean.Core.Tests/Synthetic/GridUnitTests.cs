using Hean.Core.MarketData.Synthetic;
using Xunit;

namespace Hean.Core.Tests.Synthetic;

public sealed class GridUnitTests
{
    public static TheoryData<decimal> Units => new()
    {
        0.1m, 0.01m, 0.5m, 0.10m, 1m, 5m, 0.00001m, 0.000001m, 0.0001000m, 25m, 4294967295m, 4294967296m, 0.0000000000000000000000000001m,
        79228162514264337593543950335m,
    };

    [Theory]
    [MemberData(nameof(Units))]
    public void Whole_multiples_are_the_decimal_product_bit_for_bit(decimal unit)
    {
        var grid = new GridUnit(unit);
        long[] ns = [0, 1, 2, 7, 10, 99, 100, 12345, 4_294_967_295, 4_294_967_296, 1L << 40, 123_456_789_012, long.MaxValue / 3, -1, -12345];
        foreach (var n in ns)
        {
            decimal expected;
            try
            {
                expected = n * unit;
            }
            catch (OverflowException)
            {
                Assert.Throws<OverflowException>(() => grid.Times(n));
                continue;
            }
            var got = grid.Times(n);
            Assert.True(decimal.GetBits(expected).SequenceEqual(decimal.GetBits(got)),
                $"{n} × {unit}: {got} ({string.Join(",", decimal.GetBits(got))}) is not {expected} ({string.Join(",", decimal.GetBits(expected))})");
        }
    }

    [Fact]
    public void Random_multiples_of_random_ticks_agree_with_the_product()
    {
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var unit = new decimal(random.Next(1, int.MaxValue), 0, 0, false, (byte)random.Next(0, 12));
            var n = random.NextInt64(0, 1L << random.Next(1, 63));
            var grid = new GridUnit(unit);
            Assert.True(decimal.GetBits(n * unit).SequenceEqual(decimal.GetBits(grid.Times(n))), $"{n} × {unit}");
        }
    }
}
