using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Hean.Core.Risk;
using Xunit;

namespace Hean.Core.Tests.Risk;

public sealed class RiskCheckTests
{
    private static readonly Symbol Btc = new("BTCUSDT");
    private static readonly Symbol Eth = new("ETHUSDT");
    private static readonly DateTime T0 = new(2024, 1, 2, 10, 0, 0, DateTimeKind.Utc);
    private static readonly RiskLimits Limits = RiskLimits.Default; // 10000 USDT, 3x, 5 %
    private static readonly RiskLimits WideLimits = new(1_000_000m, 3m, 0.05m);

    private static OrderRequest Order(Side side, decimal qty, Symbol? symbol = null) =>
        new(new ClientOrderId("r-1"), symbol ?? Btc, side, OrderType.Market, qty, null);

    private static Fill F(Symbol symbol, Side side, decimal qty, decimal price) =>
        new(new ClientOrderId("f-1"), symbol, side, $"t-{symbol}-{side}-{qty}-{price}", price, qty, 0m, Liquidity.Taker, T0);

    private static PortfolioState Cash(decimal cash = 10_000m) => PortfolioState.Start(cash);

    /// <summary>10000 USDT with a BTC position at 50000 (no fees, so equity stays 10000).</summary>
    private static PortfolioState WithBtc(decimal signedQty) =>
        Cash().Apply(F(Btc, signedQty > 0 ? Side.Buy : Side.Sell, Math.Abs(signedQty), 50_000m));

    private static RiskState Engaged { get; } = RiskState.Initial.Apply(
        new KillSwitchEngaged(T0, "daily drawdown 5.00 %", "risk-governor", 9_500m));

    // ---- max_position ------------------------------------------------------------------------

    [Theory]
    [InlineData(Side.Buy, "0.199", null)]               // 9950 USDT
    [InlineData(Side.Buy, "0.200", null)]               // exactly 10000 = MAX_POSITION_SIZE
    [InlineData(Side.Buy, "0.201", "max_position")]     // one lot more: 10050
    [InlineData(Side.Sell, "0.200", null)]              // shorts count by absolute notional
    [InlineData(Side.Sell, "0.201", "max_position")]
    public void Max_position_boundary_from_flat(Side side, string qty, string? reason)
    {
        var rejection = RiskState.Initial.Check(Order(side, decimal.Parse(qty)), 50_000m, Cash(), Limits);
        Assert.Equal(reason, rejection?.ReasonCode);
    }

    [Fact]
    public void Max_position_detail_names_the_notional_and_the_limit()
    {
        var rejection = RiskState.Initial.Check(Order(Side.Buy, 0.201m), 50_000m, Cash(), Limits);
        Assert.Equal(new RiskRejection("max_position",
            "position notional after the order 10050.00 USDT > MAX_POSITION_SIZE 10000"), rejection);
    }

    [Theory]
    [InlineData("0.100", null)]           // 0.1 + 0.1 = 0.2 -> 10000
    [InlineData("0.101", "max_position")] // 0.201 -> 10050
    public void Max_position_counts_the_existing_position(string qty, string? reason)
    {
        var rejection = RiskState.Initial.Check(Order(Side.Buy, decimal.Parse(qty)), 50_000m, WithBtc(0.1m), Limits);
        Assert.Equal(reason, rejection?.ReasonCode);
    }

    [Fact]
    public void Max_position_uses_the_order_price_not_the_mark()
    {
        // Marked at 50000, but the order would fill at 50001: 0.2 x 50001 = 10000.2 > 10000
        Assert.Equal("max_position", RiskState.Initial.Check(Order(Side.Buy, 0.2m), 50_001m, Cash(), Limits)?.ReasonCode);
        Assert.Null(RiskState.Initial.Check(Order(Side.Buy, 0.2m), 49_999.9m, Cash(), Limits));
    }

    [Theory]
    [InlineData("0.3", null)]            // long 0.1 -> short 0.2: 10000
    [InlineData("0.301", "max_position")] // long 0.1 -> short 0.201
    public void A_flip_is_checked_on_the_position_after_it(string qty, string? reason)
    {
        var rejection = RiskState.Initial.Check(Order(Side.Sell, decimal.Parse(qty)), 50_000m, WithBtc(0.1m), Limits);
        Assert.Equal(reason, rejection?.ReasonCode);
    }

    // ---- max_leverage ------------------------------------------------------------------------

    [Theory]
    [InlineData("0.599", null)]            // 29950 / 10000 = 2.995
    [InlineData("0.600", null)]            // 30000 / 10000 = 3 = MAX_LEVERAGE
    [InlineData("0.601", "max_leverage")]  // 30050 / 10000 = 3.005
    public void Max_leverage_boundary_from_flat(string qty, string? reason)
    {
        var rejection = RiskState.Initial.Check(Order(Side.Buy, decimal.Parse(qty)), 50_000m, Cash(), WideLimits);
        Assert.Equal(reason, rejection?.ReasonCode);
    }

    [Fact]
    public void Max_leverage_detail_names_leverage_gross_and_equity()
    {
        var rejection = RiskState.Initial.Check(Order(Side.Buy, 0.602m), 50_000m, Cash(), WideLimits);
        Assert.Equal(new RiskRejection("max_leverage",
            "leverage after the order 3.01 > MAX_LEVERAGE 3 (gross 30100.00, equity 10000.00)"), rejection);
    }

    [Theory]
    [InlineData("0.400", null)]           // 10000 ETH + 20000 BTC = 30000 -> 3.0
    [InlineData("0.401", "max_leverage")] // 10000 + 20050 -> 3.005
    public void Max_leverage_counts_other_symbols(string qty, string? reason)
    {
        var portfolio = Cash().Apply(F(Eth, Side.Buy, 4m, 2_500m)); // 10000 notional, equity 10000
        var rejection = RiskState.Initial.Check(Order(Side.Buy, decimal.Parse(qty)), 50_000m, portfolio, WideLimits);
        Assert.Equal(reason, rejection?.ReasonCode);
    }

    [Fact]
    public void Max_leverage_replaces_the_symbols_current_exposure_instead_of_adding_to_it()
    {
        // long 0.2 BTC (10000), buy 0.4 more: gross after = 10000 - 0.2 x 50000 + 0.6 x 50000 = 30000 -> 3.0
        Assert.Null(RiskState.Initial.Check(Order(Side.Buy, 0.4m), 50_000m, WithBtc(0.2m), WideLimits));
        Assert.Equal("max_leverage", RiskState.Initial.Check(Order(Side.Buy, 0.401m), 50_000m, WithBtc(0.2m), WideLimits)?.ReasonCode);
    }

    [Fact]
    public void Max_leverage_values_the_current_position_at_the_mark_and_the_new_one_at_the_order_price()
    {
        // long 0.2 marked at 48000 (equity 10000 - 400 = 9600, gross 9600).
        var portfolio = WithBtc(0.2m).Mark(Btc, 48_000m, T0);
        Assert.Equal(9_600m, portfolio.Equity);
        // buy 0.376 @ 50000: gross after = 9600 - 0.2 x 48000 + 0.576 x 50000 = 28800 = 3 x 9600
        Assert.Null(RiskState.Initial.Check(Order(Side.Buy, 0.376m), 50_000m, portfolio, WideLimits));
        // 0.377: 28850 / 9600 = 3.0052...
        Assert.Equal("max_leverage", RiskState.Initial.Check(Order(Side.Buy, 0.377m), 50_000m, portfolio, WideLimits)?.ReasonCode);
    }

    // ---- kill switch -------------------------------------------------------------------------

    [Fact]
    public void Kill_switch_blocks_an_opening_order_and_says_since_when_and_why()
    {
        var rejection = Engaged.Check(Order(Side.Buy, 0.001m), 50_000m, Cash(), Limits);
        Assert.Equal(new RiskRejection("kill_switch", "kill switch engaged since 2024-01-02 10:00:00Z: daily drawdown 5.00 %"), rejection);
    }

    [Theory]
    [InlineData(0.1, Side.Buy, "0.001", "kill_switch")]   // adds to a long
    [InlineData(0.1, Side.Sell, "0.05", null)]            // reduces a long
    [InlineData(0.1, Side.Sell, "0.1", null)]             // closes a long
    [InlineData(0.1, Side.Sell, "0.101", "kill_switch")]  // flips a long: the new short is new risk
    [InlineData(0.1, Side.Sell, "0.2", "kill_switch")]    // flips to the same size
    [InlineData(-0.1, Side.Sell, "0.001", "kill_switch")] // adds to a short
    [InlineData(-0.1, Side.Buy, "0.099", null)]           // reduces a short
    [InlineData(-0.1, Side.Buy, "0.1", null)]             // closes a short
    [InlineData(-0.1, Side.Buy, "0.15", "kill_switch")]   // flips a short
    public void Kill_switch_lets_only_reducing_orders_through(double position, Side side, string qty, string? reason)
    {
        var rejection = Engaged.Check(Order(side, decimal.Parse(qty)), 50_000m, WithBtc((decimal)position), Limits);
        Assert.Equal(reason, rejection?.ReasonCode);
    }

    [Fact]
    public void Reducing_orders_pass_even_when_the_position_is_already_over_the_limits()
    {
        // long 0.2 BTC = 10000 notional, limits tightened to 1000 USDT and 0.5x
        var tight = new RiskLimits(1_000m, 0.5m, 0.05m);
        Assert.Null(RiskState.Initial.Check(Order(Side.Sell, 0.001m), 50_000m, WithBtc(0.2m), tight));
        Assert.Equal("max_position", RiskState.Initial.Check(Order(Side.Buy, 0.001m), 50_000m, WithBtc(0.2m), tight)?.ReasonCode);
    }

    [Fact]
    public void Kill_switch_is_checked_before_the_price()
    {
        Assert.Equal("kill_switch", Engaged.Check(Order(Side.Buy, 0.001m), 0m, Cash(), Limits)?.ReasonCode);
    }

    // ---- no_price / no_equity ----------------------------------------------------------------

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    public void No_price(string price)
    {
        var rejection = RiskState.Initial.Check(Order(Side.Buy, 0.001m), decimal.Parse(price), Cash(), Limits);
        Assert.Equal(new RiskRejection("no_price", $"no valid price for BTCUSDT ({price})"), rejection);
    }

    [Fact]
    public void No_price_blocks_a_reducing_order_too()
    {
        Assert.Equal("no_price", RiskState.Initial.Check(Order(Side.Sell, 0.1m), 0m, WithBtc(0.2m), Limits)?.ReasonCode);
    }

    [Fact]
    public void The_smallest_positive_price_is_a_price()
    {
        Assert.Null(RiskState.Initial.Check(Order(Side.Buy, 1m), 0.0001m, Cash(), Limits));
    }

    [Fact]
    public void No_equity_when_the_account_is_empty()
    {
        var rejection = RiskState.Initial.Check(Order(Side.Buy, 0.001m), 50_000m, Cash(0m), Limits);
        Assert.Equal(new RiskRejection("no_equity", "equity 0.00 is not positive"), rejection);
    }

    [Fact]
    public void No_equity_blocks_opening_but_not_reducing_when_equity_is_negative()
    {
        // 100 cash, long 1 @ 1000 marked at 800: equity 100 - 200 = -100
        var portfolio = Cash(100m).Apply(F(Btc, Side.Buy, 1m, 1_000m)).Mark(Btc, 800m, T0);
        Assert.Equal(-100m, portfolio.Equity);
        Assert.Equal(new RiskRejection("no_equity", "equity -100.00 is not positive"),
            RiskState.Initial.Check(Order(Side.Buy, 0.001m), 800m, portfolio, Limits));
        Assert.Null(RiskState.Initial.Check(Order(Side.Sell, 0.5m), 800m, portfolio, Limits));
        Assert.Null(RiskState.Initial.Check(Order(Side.Sell, 1m), 800m, portfolio, Limits));
        Assert.Equal("no_equity", RiskState.Initial.Check(Order(Side.Sell, 1.5m), 800m, portfolio, Limits)?.ReasonCode);
    }

    [Fact]
    public void Orders_on_other_symbols_do_not_count_as_reducing()
    {
        // long BTC does not make a sell of ETH a reduction
        Assert.Equal("kill_switch", Engaged.Check(Order(Side.Sell, 0.01m, Eth), 2_500m, WithBtc(0.1m), Limits)?.ReasonCode);
    }

    // ---- LeverageAfter -----------------------------------------------------------------------

    [Fact]
    public void Leverage_after_opening_from_flat()
    {
        // 0.1 x 50000 / 10000 = 0.5
        Assert.Equal(0.5m, RiskState.LeverageAfter(Order(Side.Buy, 0.1m), 50_000m, Cash()));
    }

    [Fact]
    public void Leverage_after_closing_is_zero_and_after_a_flip_counts_the_new_side()
    {
        var portfolio = WithBtc(0.2m);
        Assert.Equal(1m, portfolio.Leverage);
        Assert.Equal(0m, RiskState.LeverageAfter(Order(Side.Sell, 0.2m), 50_000m, portfolio));
        // flip to short 0.3: 10000 - 10000 + 0.3 x 50000 = 15000 -> 1.5
        Assert.Equal(1.5m, RiskState.LeverageAfter(Order(Side.Sell, 0.5m), 50_000m, portfolio));
        // add: 0.3 x 51000 = 15300 -> 1.53 (current valued at the mark 50000 and removed)
        Assert.Equal(1.53m, RiskState.LeverageAfter(Order(Side.Buy, 0.1m), 51_000m, portfolio));
    }

    [Fact]
    public void Leverage_after_includes_other_symbols()
    {
        var portfolio = Cash().Apply(F(Eth, Side.Sell, 2m, 2_500m)); // 5000
        // 5000 + 0.1 x 50000 = 10000 -> 1.0
        Assert.Equal(1m, RiskState.LeverageAfter(Order(Side.Buy, 0.1m), 50_000m, portfolio));
    }

    [Fact]
    public void Leverage_after_is_max_value_without_equity()
    {
        Assert.Equal(decimal.MaxValue, RiskState.LeverageAfter(Order(Side.Buy, 0.1m), 50_000m, Cash(0m)));
    }

    [Fact]
    public void An_approved_order_never_leaves_leverage_above_the_limit()
    {
        var rng = new Random(3);
        for (var i = 0; i < 2_000; i++)
        {
            var portfolio = Cash(rng.Next(1_000, 20_000))
                .Apply(F(Eth, rng.Next(2) == 0 ? Side.Buy : Side.Sell, rng.Next(1, 300) * 0.01m, 2_500m))
                .Apply(F(Btc, rng.Next(2) == 0 ? Side.Buy : Side.Sell, rng.Next(1, 300) * 0.001m, 50_000m));
            var order = Order(rng.Next(2) == 0 ? Side.Buy : Side.Sell, rng.Next(1, 500) * 0.001m);
            var price = rng.Next(45_000, 55_000);
            var rejection = RiskState.Initial.Check(order, price, portfolio, new RiskLimits(100_000m, 3m, 0.05m));
            var reduces = Math.Abs(portfolio.PositionOf(Btc).Qty + order.Qty * order.Side.Sign()) < Math.Abs(portfolio.PositionOf(Btc).Qty)
                && Math.Sign(portfolio.PositionOf(Btc).Qty + order.Qty * order.Side.Sign()) != -Math.Sign(portfolio.PositionOf(Btc).Qty);
            if (rejection is null && !reduces)
                Assert.True(RiskState.LeverageAfter(order, price, portfolio) <= 3m, $"case {i}");
            if (rejection is { ReasonCode: "max_leverage" })
                Assert.True(RiskState.LeverageAfter(order, price, portfolio) > 3m, $"case {i}");
        }
    }
}

/// <summary>The list of reason codes that the metrics export at 0 is the list the checks use: read from the checks' source.</summary>
public sealed class RiskReasonCodeListTests
{
    [Fact]
    public void Every_reason_code_the_checks_give_is_listed_and_every_listed_one_is_given()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Hean.Akka.sln"))) dir = dir.Parent;
        var source = File.ReadAllText(Path.Combine(dir!.FullName, "src", "Hean.Core", "Risk", "RiskState.cs"));
        var used = System.Text.RegularExpressions.Regex.Matches(source, @"new\(""([a-z_]+)""").Select(m => m.Groups[1].Value).ToHashSet();
        Assert.True(used.Count >= 10, $"only {used.Count} codes found in the checks");
        Assert.Equal(used.Order(), Hean.Core.Risk.RiskRejection.ReasonCodes.Order());
    }
}
