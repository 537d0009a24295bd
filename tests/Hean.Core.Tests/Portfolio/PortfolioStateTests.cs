using System.Collections.Immutable;
using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Xunit;

namespace Hean.Core.Tests.Portfolio;

public sealed class PortfolioStateTests
{
    private static readonly Symbol Btc = new("BTCUSDT");
    private static readonly Symbol Eth = new("ETHUSDT");
    private static readonly DateTime T0 = new(2024, 1, 2, 10, 0, 0, DateTimeKind.Utc);

    private static Fill F(Symbol symbol, Side side, decimal qty, decimal price, decimal fee = 0m, int second = 0) =>
        new(new ClientOrderId("o-1"), symbol, side, $"t-{symbol}-{second}-{qty}", price, qty, fee, Liquidity.Taker, T0.AddSeconds(second));

    [Fact]
    public void Start_is_all_cash()
    {
        var s = PortfolioState.Start(10_000m);
        Assert.Equal(10_000m, s.InitialCash);
        Assert.Equal(10_000m, s.Cash);
        Assert.Equal(10_000m, s.Equity);
        Assert.Equal(0m, s.Pnl);
        Assert.Equal(0m, s.RealizedPnl);
        Assert.Equal(0m, s.Fees);
        Assert.Equal(0m, s.UnrealizedPnl);
        Assert.Equal(0m, s.GrossExposure);
        Assert.Equal(0m, s.Leverage);
        Assert.Equal(0, s.FillCount);
        Assert.Empty(s.Positions);
        Assert.Empty(s.Marks);
        Assert.Null(s.MarkOf(Btc));
        Assert.True(s.PositionOf(Btc).IsFlat);
        Assert.Equal(Btc, s.PositionOf(Btc).Symbol);
    }

    [Fact]
    public void Opening_a_position_costs_only_the_fee_and_marks_at_the_fill_price()
    {
        var s = PortfolioState.Start(10_000m).Apply(F(Btc, Side.Buy, 0.5m, 40_000m, 11m, second: 3));
        Assert.Equal(9_989m, s.Cash);        // 10000 + 0 - 11
        Assert.Equal(40_000m, s.MarkOf(Btc));
        Assert.Equal(0m, s.UnrealizedPnl);
        Assert.Equal(9_989m, s.Equity);
        Assert.Equal(-11m, s.Pnl);
        Assert.Equal(20_000m, s.GrossExposure); // 0.5 x 40000
        Assert.Equal(20_000m / 9_989m, s.Leverage);
        Assert.Equal(1, s.FillCount);
        Assert.Equal(T0.AddSeconds(3), s.UpdatedAt);
        Assert.Equal(0.5m, s.PositionOf(Btc).Qty);
    }

    [Fact]
    public void Marks_move_equity_and_exposure_but_not_cash()
    {
        var s = PortfolioState.Start(10_000m)
            .Apply(F(Btc, Side.Buy, 0.5m, 40_000m, 11m))
            .Mark(Btc, 41_000m, T0.AddMinutes(1));
        Assert.Equal(9_989m, s.Cash);
        Assert.Equal(500m, s.UnrealizedPnl);      // 0.5 x (41000 - 40000)
        Assert.Equal(10_489m, s.Equity);          // 9989 + 500
        Assert.Equal(489m, s.Pnl);
        Assert.Equal(20_500m, s.GrossExposure);   // 0.5 x 41000
        Assert.Equal(T0.AddMinutes(1), s.UpdatedAt);
        Assert.Equal(1, s.FillCount);
    }

    [Fact]
    public void Cash_is_initial_plus_realized_minus_fees_over_two_symbols()
    {
        var s = PortfolioState.Start(10_000m)
            .Apply(F(Btc, Side.Buy, 0.5m, 40_000m, 11m, 1))
            .Apply(F(Btc, Side.Sell, 0.2m, 41_000m, 4.51m, 2))  // realized 0.2 x 1000 = 200
            .Apply(F(Eth, Side.Sell, 2m, 2_500m, 2.75m, 3))
            .Apply(F(Eth, Side.Buy, 0.5m, 2_400m, 0.66m, 4));   // realized 0.5 x (2400 - 2500) x -1 = 50

        Assert.Equal(250m, s.RealizedPnl);                  // 200 + 50
        Assert.Equal(18.92m, s.Fees);                       // 11 + 4.51 + 2.75 + 0.66
        Assert.Equal(10_231.08m, s.Cash);                   // 10000 + 250 - 18.92
        Assert.Equal(4, s.FillCount);

        // Marks are the last fill prices: BTC 41000, ETH 2400.
        // BTC 0.3 @ 40000 -> +300; ETH -1.5 @ 2500 -> -1.5 x (2400 - 2500) = +150
        Assert.Equal(450m, s.UnrealizedPnl);
        Assert.Equal(10_681.08m, s.Equity);
        Assert.Equal(681.08m, s.Pnl);
        Assert.Equal(15_900m, s.GrossExposure);             // 0.3 x 41000 + 1.5 x 2400 = 12300 + 3600
        Assert.Equal(15_900m / 10_681.08m, s.Leverage);

        s = s.Mark(Eth, 2_600m, T0.AddMinutes(5));
        // ETH -1.5 x (2600 - 2500) = -150 -> unrealized 300 - 150 = 150
        Assert.Equal(150m, s.UnrealizedPnl);
        Assert.Equal(10_381.08m, s.Equity);
        Assert.Equal(16_200m, s.GrossExposure);             // 12300 + 1.5 x 2600
        Assert.Equal(10_231.08m, s.Cash);
    }

    [Fact]
    public void A_fill_overrides_an_earlier_mark_with_its_price()
    {
        var s = PortfolioState.Start(10_000m)
            .Apply(F(Btc, Side.Buy, 0.1m, 40_000m))
            .Mark(Btc, 41_000m, T0.AddSeconds(10))
            .Apply(F(Btc, Side.Buy, 0.1m, 40_500m, second: 20));
        Assert.Equal(40_500m, s.MarkOf(Btc));
        // 0.2 @ (4000 + 4050) / 0.2 = 40250; unrealized at 40500 = 0.2 x 250 = 50
        Assert.Equal(40_250m, s.PositionOf(Btc).AvgPrice);
        Assert.Equal(50m, s.UnrealizedPnl);
        Assert.Equal(T0.AddSeconds(20), s.UpdatedAt);
    }

    [Fact]
    public void A_mark_for_a_symbol_without_a_position_changes_nothing_but_the_mark()
    {
        var s = PortfolioState.Start(1_000m).Mark(Eth, 2_500m, T0);
        Assert.Equal(2_500m, s.MarkOf(Eth));
        Assert.Equal(1_000m, s.Equity);
        Assert.Equal(0m, s.GrossExposure);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-0.0001")]
    [InlineData("-40000")]
    public void Mark_rejects_non_positive_prices(string price)
    {
        var s = PortfolioState.Start(1_000m);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => s.Mark(Btc, decimal.Parse(price), T0));
        Assert.Equal("price", ex.ParamName);
        Assert.Equal(decimal.Parse(price), ex.ActualValue);
    }

    [Fact]
    public void Mark_accepts_the_smallest_positive_price()
    {
        Assert.Equal(0.0001m, PortfolioState.Start(1_000m).Mark(Btc, 0.0001m, T0).MarkOf(Btc));
    }

    [Fact]
    public void Gross_exposure_of_a_position_without_a_mark_uses_its_average_price()
    {
        var s = PortfolioState.Start(10_000m);
        s = s with
        {
            Positions = s.Positions.SetItem(Eth.Value, new Position(Eth, -2m, 2_500m, 0m, 0m)),
        };
        Assert.Equal(5_000m, s.GrossExposure);   // |-2| x 2500
        Assert.Equal(0m, s.UnrealizedPnl);       // nothing to value it at
        Assert.Equal(0.5m, s.Leverage);          // 5000 / 10000
    }

    [Fact]
    public void Leverage_is_max_value_when_equity_is_zero_or_negative()
    {
        // 100 cash, long 1 @ 1000: mark 900 -> equity 100 - 100 = 0, mark 899 -> -1
        var s = PortfolioState.Start(100m).Apply(F(Btc, Side.Buy, 1m, 1_000m));
        Assert.Equal(10m, s.Leverage); // 1000 / 100
        Assert.Equal(decimal.MaxValue, s.Mark(Btc, 900m, T0).Leverage);
        Assert.Equal(decimal.MaxValue, s.Mark(Btc, 899m, T0).Leverage);
        Assert.Equal(-1m, s.Mark(Btc, 899m, T0).Equity);
        Assert.Equal(901m / 1m, s.Mark(Btc, 901m, T0).Leverage); // equity 1, gross 901
    }

    [Fact]
    public void A_closed_position_stays_in_the_map_flat_with_its_realized_pnl()
    {
        var s = PortfolioState.Start(1_000m)
            .Apply(F(Btc, Side.Buy, 0.01m, 40_000m, 0.22m, 1))
            .Apply(F(Btc, Side.Sell, 0.01m, 40_100m, 0.22m, 2)); // realized 0.01 x 100 = 1
        Assert.True(s.PositionOf(Btc).IsFlat);
        Assert.Equal(1m, s.RealizedPnl);
        Assert.Equal(1_000.56m, s.Cash); // 1000 + 1 - 0.44
        Assert.Equal(s.Cash, s.Equity);
        Assert.Equal(0m, s.GrossExposure);
    }

    [Fact]
    public void Equity_equals_cash_flows_for_random_fills_and_marks_on_two_symbols()
    {
        var rng = new Random(11);
        Symbol[] symbols = [Btc, Eth];
        for (var run = 0; run < 100; run++)
        {
            var s = PortfolioState.Start(50_000m);
            var cash = 50_000m;
            var held = new Dictionary<Symbol, decimal> { [Btc] = 0m, [Eth] = 0m };
            var marks = new Dictionary<Symbol, decimal>();
            for (var i = 0; i < 30; i++)
            {
                var sym = symbols[rng.Next(2)];
                var basePrice = sym == Btc ? 40_000m : 2_500m;
                var price = basePrice + rng.Next(-500, 500) * (sym == Btc ? 1m : 0.1m);
                if (rng.Next(3) == 0)
                {
                    s = s.Mark(sym, price, T0.AddSeconds(i));
                }
                else
                {
                    var side = rng.Next(2) == 0 ? Side.Buy : Side.Sell;
                    var qty = rng.Next(1, 100) * (sym == Btc ? 0.001m : 0.01m);
                    var fee = Math.Round(qty * price * 0.00055m, 8);
                    s = s.Apply(F(sym, side, qty, price, fee, i));
                    cash += -qty * side.Sign() * price - fee;
                    held[sym] += qty * side.Sign();
                }
                marks[sym] = price;
                var expected = cash + held.Sum(h => h.Value * (marks.TryGetValue(h.Key, out var m) ? m : 0m));
                Assert.True(Math.Abs(expected - s.Equity) < 1e-16m, $"run {run} step {i}: {s.Equity} vs {expected}");
                var gross = held.Sum(h => Math.Abs(h.Value) * (marks.TryGetValue(h.Key, out var m) ? m : 0m));
                Assert.Equal(gross, s.GrossExposure);
            }
        }
    }

    [Fact]
    public void Funding_paid_and_received_moves_cash_once_per_settlement()
    {
        var s = PortfolioState.Start(10_000m);
        var paid = new FundingPayment("f-1", new Symbol("BTCUSDT"), new DateTime(2024, 1, 1, 8, 0, 0, DateTimeKind.Utc), 1.5m, 0.0001m);
        s = s.Apply(paid);
        Assert.Equal((1.5m, 9_998.5m, 9_998.5m), (s.Funding, s.Cash, s.Equity));
        Assert.Same(s, s.Apply(paid)); // the same settlement read again
        s = s.Apply(paid with { Id = "f-2", Amount = -0.5m }); // a short received funding
        Assert.Equal((1.0m, 9_999.0m), (s.Funding, s.Cash));
        for (var i = 0; i < PortfolioState.KeepFundingIds + 10; i++) s = s.Apply(paid with { Id = $"x-{i}", Amount = 0m });
        Assert.Equal(PortfolioState.KeepFundingIds, s.FundingIds.Count);
    }

    [Fact]
    public void Sums_made_once_follow_the_positions_and_marks_of_each_state()
    {
        var start = PortfolioState.Start(10_000m);
        var open = start.Apply(F(Btc, Side.Buy, 1m, 100m, fee: 1m));
        Assert.Equal(9_999m, open.Equity); // the sums of this state are made here
        var up = open.Mark(Btc, 110m, T0.AddSeconds(1)); // a copy of the state, its sums with it: same positions, other marks
        Assert.Equal(10_009m, up.Equity);
        Assert.Equal(110m, up.GrossExposure);
        Assert.Equal(9_999m, open.Equity);
        var more = up.Apply(F(Eth, Side.Sell, 2m, 50m, fee: 0.5m, second: 2)); // new positions: new sums
        Assert.Equal(1.5m, more.Fees);
        Assert.Equal(10_008.5m, more.Equity);
        Assert.Equal(210m, more.GrossExposure);
        Assert.Equal(1m, up.Fees);
    }

    [Fact]
    public void Equal_states_are_equal_whether_or_not_their_sums_were_made()
    {
        var a = PortfolioState.Start(10_000m).Apply(F(Btc, Side.Buy, 1m, 100m));
        var b = a with { UpdatedAt = a.UpdatedAt };
        _ = a.Equity; // a has its sums, b not yet
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, a.Mark(Btc, 101m, T0.AddSeconds(1)));
        Assert.NotEqual(a, a with { Funding = 1m });
    }
}
