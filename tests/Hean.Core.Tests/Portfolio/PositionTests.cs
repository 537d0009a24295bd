using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Xunit;

namespace Hean.Core.Tests.Portfolio;

public sealed class PositionTests
{
    private static readonly Symbol Btc = new("BTCUSDT");
    private static readonly Symbol Eth = new("ETHUSDT");
    private static readonly DateTime T0 = new(2024, 1, 2, 10, 0, 0, DateTimeKind.Utc);
    private static int _trade;

    private static Fill F(Side side, decimal qty, decimal price, decimal fee = 0m, Symbol? symbol = null) =>
        new(new ClientOrderId("o-1"), symbol ?? Btc, side, $"t{Interlocked.Increment(ref _trade)}", price, qty, fee, Liquidity.Taker, T0);

    private static Position Apply(params Fill[] fills) => fills.Aggregate(Position.Flat(Btc), (p, f) => p.Apply(f));

    private static void AssertPosition(Position p, decimal qty, decimal avg, decimal realized, decimal fees)
    {
        Assert.Equal(qty, p.Qty);
        Assert.Equal(avg, p.AvgPrice);
        Assert.Equal(realized, p.RealizedPnl);
        Assert.Equal(fees, p.Fees);
    }

    [Fact]
    public void Flat_is_all_zero()
    {
        var p = Position.Flat(Btc);
        AssertPosition(p, 0m, 0m, 0m, 0m);
        Assert.True(p.IsFlat);
        Assert.Equal(Btc, p.Symbol);
        Assert.Equal(0m, p.UnrealizedPnl(123m));
        Assert.Equal(0m, p.Notional(123m));
    }

    [Fact]
    public void Open_long()
    {
        var p = Apply(F(Side.Buy, 2m, 100m, 0.11m));
        AssertPosition(p, 2m, 100m, 0m, 0.11m);
        Assert.False(p.IsFlat);
    }

    [Fact]
    public void Add_to_a_long_takes_the_weighted_average()
    {
        // (2 x 100 + 1 x 130) / 3 = 330 / 3 = 110
        var p = Apply(F(Side.Buy, 2m, 100m), F(Side.Buy, 1m, 130m));
        AssertPosition(p, 3m, 110m, 0m, 0m);
    }

    [Fact]
    public void Partial_reduce_of_a_long_realizes_on_the_closed_part_and_keeps_the_average()
    {
        // long 3 @ 110, sell 1 @ 125: realized 1 x (125 - 110) = 15
        var p = Apply(F(Side.Buy, 2m, 100m), F(Side.Buy, 1m, 130m), F(Side.Sell, 1m, 125m));
        AssertPosition(p, 2m, 110m, 15m, 0m);
    }

    [Fact]
    public void Close_a_long_to_flat_zeroes_the_average()
    {
        // then sell 2 @ 104: realized 15 + 2 x (104 - 110) = 15 - 12 = 3
        var p = Apply(F(Side.Buy, 2m, 100m), F(Side.Buy, 1m, 130m), F(Side.Sell, 1m, 125m), F(Side.Sell, 2m, 104m));
        AssertPosition(p, 0m, 0m, 3m, 0m);
        Assert.True(p.IsFlat);
    }

    [Fact]
    public void Reopen_after_flat_starts_a_fresh_average_and_keeps_the_realized()
    {
        var p = Apply(F(Side.Buy, 1m, 100m), F(Side.Sell, 1m, 90m), F(Side.Buy, 0.5m, 50m));
        AssertPosition(p, 0.5m, 50m, -10m, 0m);
    }

    [Fact]
    public void Flip_long_to_short_in_one_fill()
    {
        // long 2 @ 110, sell 5 @ 120: closes 2 for 2 x (120 - 110) = 20, opens 3 short at 120
        var p = Apply(F(Side.Buy, 2m, 110m), F(Side.Sell, 5m, 120m));
        AssertPosition(p, -3m, 120m, 20m, 0m);
    }

    [Fact]
    public void Open_short_and_add_takes_the_weighted_average()
    {
        // (2 x 100 + 2 x 90) / 4 = 95
        var p = Apply(F(Side.Sell, 2m, 100m), F(Side.Sell, 2m, 90m));
        AssertPosition(p, -4m, 95m, 0m, 0m);
    }

    [Fact]
    public void Partial_cover_of_a_short_realizes_the_price_fall()
    {
        // short 4 @ 95, buy 1 @ 80: realized 1 x (80 - 95) x -1 = 15
        var p = Apply(F(Side.Sell, 2m, 100m), F(Side.Sell, 2m, 90m), F(Side.Buy, 1m, 80m));
        AssertPosition(p, -3m, 95m, 15m, 0m);
    }

    [Fact]
    public void Cover_a_short_to_flat()
    {
        // then buy 3 @ 99: realized 15 + 3 x (99 - 95) x -1 = 15 - 12 = 3
        var p = Apply(F(Side.Sell, 2m, 100m), F(Side.Sell, 2m, 90m), F(Side.Buy, 1m, 80m), F(Side.Buy, 3m, 99m));
        AssertPosition(p, 0m, 0m, 3m, 0m);
    }

    [Fact]
    public void Flip_short_to_long_in_one_fill()
    {
        // short 3 @ 95, buy 4 @ 90: closes 3 for 3 x (90 - 95) x -1 = 15, opens 1 long at 90
        var p = Apply(F(Side.Sell, 3m, 95m), F(Side.Buy, 4m, 90m));
        AssertPosition(p, 1m, 90m, 15m, 0m);
    }

    [Fact]
    public void Fractional_btc_quantities_realize_exactly()
    {
        // buy 0.003 @ 42000.5 and 0.002 @ 42100.0: (126.0015 + 84.2) / 0.005 = 42040.3
        // sell 0.004 @ 42200.1: 0.004 x (42200.1 - 42040.3) = 0.004 x 159.8 = 0.6392
        var p = Apply(F(Side.Buy, 0.003m, 42_000.5m), F(Side.Buy, 0.002m, 42_100.0m), F(Side.Sell, 0.004m, 42_200.1m));
        AssertPosition(p, 0.001m, 42_040.3m, 0.6392m, 0m);
    }

    [Fact]
    public void Fees_accumulate_separately_from_realized_pnl()
    {
        // a losing round trip: realized 1 x (99 - 100) = -1, fees 0.055 + 0.05445 = 0.10945, rebate -0.01
        var p = Apply(F(Side.Buy, 1m, 100m, 0.055m), F(Side.Sell, 1m, 99m, 0.05445m), F(Side.Buy, 1m, 99m, -0.01m));
        AssertPosition(p, 1m, 99m, -1m, 0.09945m);
    }

    [Fact]
    public void Unrealized_pnl_and_notional_of_a_long()
    {
        var p = Apply(F(Side.Buy, 2m, 110m));
        Assert.Equal(20m, p.UnrealizedPnl(120m));  // 2 x (120 - 110)
        Assert.Equal(-20m, p.UnrealizedPnl(100m)); // 2 x (100 - 110)
        Assert.Equal(0m, p.UnrealizedPnl(110m));
        Assert.Equal(240m, p.Notional(120m));
    }

    [Fact]
    public void Unrealized_pnl_and_notional_of_a_short()
    {
        var p = Apply(F(Side.Sell, 3m, 95m));
        Assert.Equal(-15m, p.UnrealizedPnl(100m)); // -3 x (100 - 95)
        Assert.Equal(30m, p.UnrealizedPnl(85m));   // -3 x (85 - 95)
        Assert.Equal(300m, p.Notional(100m));      // |-3| x 100
    }

    [Fact]
    public void A_fill_for_another_symbol_throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => Position.Flat(Btc).Apply(F(Side.Buy, 1m, 100m, symbol: Eth)));
        Assert.Equal("fill for ETHUSDT applied to position in BTCUSDT", ex.Message);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("-0.001")]
    public void A_non_positive_fill_quantity_throws(string qty)
    {
        var ex = Assert.Throws<ArgumentException>(() => Position.Flat(Btc).Apply(F(Side.Buy, decimal.Parse(qty), 100m)));
        Assert.Equal($"fill quantity {qty} must be positive", ex.Message);
    }

    [Fact]
    public void The_smallest_fill_is_accepted()
    {
        AssertPosition(Apply(F(Side.Buy, 0.001m, 100m)), 0.001m, 100m, 0m, 0m);
    }

    /// <summary>
    /// PnL two ways: the position's books (realized + unrealized at the mark - fees) and the cash
    /// flows (every buy pays qty x price, every sell receives it, every fee is paid; what is still
    /// held is worth qty x mark). They must agree for any fill sequence, including flips.
    /// </summary>
    [Fact]
    public void Books_agree_with_cash_flows_for_random_fill_sequences()
    {
        var rng = new Random(7);
        var flips = 0;
        for (var run = 0; run < 300; run++)
        {
            var p = Position.Flat(Btc);
            var cash = 0m;
            var signedQty = 0m;
            for (var i = 0; i < 40; i++)
            {
                var side = rng.Next(2) == 0 ? Side.Buy : Side.Sell;
                var qty = rng.Next(1, 5_000) * 0.001m;
                var price = rng.Next(9_000, 11_000) * 0.01m; // 90.00 .. 109.99
                var fee = rng.Next(-10, 100) * 0.0001m;
                var before = p.Qty;
                p = p.Apply(F(side, qty, price, fee));
                var signed = qty * side.Sign();
                cash += -signed * price - fee;
                signedQty += signed;
                if (before != 0 && Math.Sign(before) == -Math.Sign(p.Qty)) flips++;

                var mark = rng.Next(9_000, 11_000) * 0.01m;
                var books = p.RealizedPnl + p.UnrealizedPnl(mark) - p.Fees;
                var flows = cash + signedQty * mark;
                Assert.Equal(signedQty, p.Qty);
                Assert.True(Math.Abs(books - flows) < 1e-18m, $"run {run} fill {i}: books {books} vs cash flows {flows}");
                Assert.True(p.IsFlat ? p.AvgPrice == 0m : p.AvgPrice is >= 90m and < 110m);
            }
        }
        Assert.True(flips > 100, $"only {flips} flips exercised");
    }
}
