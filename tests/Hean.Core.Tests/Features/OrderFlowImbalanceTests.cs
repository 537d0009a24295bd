using Hean.Core.Features;
using Xunit;

namespace Hean.Core.Tests.Features;

/// <summary>The cases of Cont, Kukanov and Stoikov's e_n, one move at a time from bid 100×5 / ask 101×4.</summary>
public sealed class OrderFlowImbalanceTests
{
    private static double Step(double bid, double bidQty, double ask, double askQty)
    {
        var ofi = new OrderFlowImbalance();
        Assert.Equal(0, ofi.Update(100, 5, 101, 4)); // the first state only primes
        return ofi.Update(bid, bidQty, ask, askQty);
    }

    [Theory]
    [InlineData(100, 8, 101, 4, 3)]    // bid size added: +3
    [InlineData(100, 2, 101, 4, -3)]   // bid size cancelled or hit: −3
    [InlineData(100.5, 1, 101, 4, 1)]  // bid raised: + the new bid size
    [InlineData(99.5, 7, 101, 4, -5)]  // bid dropped: − the old bid size
    [InlineData(100, 5, 101, 6, -2)]   // ask size added: −2
    [InlineData(100, 5, 101, 1, 3)]    // ask size taken: +3
    [InlineData(100, 5, 100.5, 2, -2)] // ask lowered: − the new ask size
    [InlineData(100, 5, 101.5, 9, 4)]  // ask lifted away: + the old ask size
    [InlineData(100, 5, 101, 4, 0)]    // nothing changed
    public void Each_move_of_the_touch(double bid, double bidQty, double ask, double askQty, double expected) =>
        Assert.Equal(expected, Step(bid, bidQty, ask, askQty));

    [Fact]
    public void Sums_over_the_window_and_makes_nothing_of_a_gap()
    {
        var ofi = new OrderFlowImbalance();
        ofi.Update(100, 5, 101, 4);
        ofi.Update(100, 8, 101, 4);   // +3
        ofi.Update(100, 8, 101, 1);   // +3
        Assert.Equal(6, ofi.Sum);
        Assert.Equal(2, ofi.Contributions);

        ofi.Invalidate();             // the book lost sync
        Assert.Equal(0, ofi.Update(90, 1, 91, 1));
        Assert.Equal(6, ofi.Sum);

        ofi.ResetSum();
        Assert.Equal(0, ofi.Sum);
        ofi.Update(90, 3, 91, 1);     // +2, still compared with the state before the reset
        Assert.Equal(2, ofi.Sum);
        Assert.Throws<ArgumentOutOfRangeException>(() => ofi.Update(double.NaN, 1, 91, 1));
    }
}
