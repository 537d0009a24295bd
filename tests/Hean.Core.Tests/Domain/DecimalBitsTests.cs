using Hean.Core.Domain;
using Xunit;

namespace Hean.Core.Tests.Domain;

public sealed class DecimalBitsTests
{
    [Fact]
    public void Decimals_are_read_in_place_on_this_runtime_and_equal_to_GetBits()
    {
        Assert.True(DecimalBits.InPlace, "the runtime's decimal layout changed: the hot paths fall back to GetBits");
        var random = new Random(3);
        for (var i = 0; i < 50_000; i++)
        {
            var d = new decimal(random.Next(), random.Next(), random.Next(), random.Next(2) == 0, (byte)random.Next(0, 29));
            var bits = decimal.GetBits(d);
            Assert.Equal(((uint)bits[3], (uint)bits[2], (uint)bits[0] | ((ulong)(uint)bits[1] << 32)), DecimalBits.Of(d));
        }
        Assert.Equal((0x00010000u, 0u, 5UL), DecimalBits.Of(0.5m));
    }
}
