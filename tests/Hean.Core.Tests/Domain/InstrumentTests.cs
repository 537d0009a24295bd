using Hean.Core.Domain;
using Xunit;

namespace Hean.Core.Tests.Domain;

public sealed class InstrumentTests
{
    private static readonly Instrument Btc = InstrumentCatalog.Default.Get("BTCUSDT"); // tick 0.1, lot 0.001, min 0.001, max 100, min notional 5
    private static readonly Instrument Xrp = InstrumentCatalog.Default.Get("XRPUSDT"); // tick 0.0001, lot 1, min 1, max 1e6
    /// <summary>Minimum above the lot, so the minimum check is reachable on its own.</summary>
    private static readonly Instrument Coarse = new(new Symbol("TESTUSDT"), 0.5m, 0.001m, 0.005m, 10m, 20m);

    [Fact]
    public void Default_catalog_has_the_four_bybit_perpetuals()
    {
        Assert.Equal(["BTCUSDT", "ETHUSDT", "SOLUSDT", "XRPUSDT"], InstrumentCatalog.Default.All.Select(i => i.Symbol.Value).Order());
        Assert.Equal(new Instrument(new Symbol("BTCUSDT"), 0.1m, 0.001m, 0.001m, 100m, 5m), Btc);
        Assert.Equal(new Instrument(new Symbol("ETHUSDT"), 0.01m, 0.01m, 0.01m, 1500m, 5m), InstrumentCatalog.Default.Get("ETHUSDT"));
        Assert.Equal(new Instrument(new Symbol("SOLUSDT"), 0.01m, 0.1m, 0.1m, 50000m, 5m), InstrumentCatalog.Default.Get("SOLUSDT"));
        Assert.Equal(new Instrument(new Symbol("XRPUSDT"), 0.0001m, 1m, 1m, 1000000m, 5m), Xrp);
    }

    // ---- Validate: quantity ------------------------------------------------------------------

    [Theory]
    [InlineData("0", "quantity 0 must be positive")]
    [InlineData("-0.001", "quantity -0.001 must be positive")]
    [InlineData("0.0005", "quantity 0.0005 is not a multiple of the lot size 0.001")]
    [InlineData("0.0015", "quantity 0.0015 is not a multiple of the lot size 0.001")]
    [InlineData("1.0001", "quantity 1.0001 is not a multiple of the lot size 0.001")]
    [InlineData("100.001", "quantity 100.001 is above the maximum 100")]
    [InlineData("1000", "quantity 1000 is above the maximum 100")]
    public void Btc_quantity_problems(string qty, string message) =>
        Assert.Equal(message, Btc.Validate(decimal.Parse(qty), null));

    [Theory]
    [InlineData("0.001")] // lot = min
    [InlineData("0.002")]
    [InlineData("99.999")]
    [InlineData("100")]   // exactly the maximum
    [InlineData("100.000")]
    public void Btc_quantities_on_the_boundaries_are_valid_for_market_orders(string qty) =>
        Assert.Null(Btc.Validate(decimal.Parse(qty), null));

    [Theory]
    [InlineData("0.004", "quantity 0.004 is below the minimum 0.005")]
    [InlineData("0.005", null)]
    [InlineData("10", null)]
    [InlineData("10.001", "quantity 10.001 is above the maximum 10")]
    public void Minimum_and_maximum_quantity(string qty, string? message) =>
        Assert.Equal(message, Coarse.Validate(decimal.Parse(qty), null));

    [Fact]
    public void The_lot_is_checked_before_the_minimum()
    {
        Assert.Equal("quantity 0.0045 is not a multiple of the lot size 0.001", Coarse.Validate(0.0045m, null));
    }

    [Theory]
    [InlineData("1.5", "quantity 1.5 is not a multiple of the lot size 1")]
    [InlineData("1", null)]
    [InlineData("1000000", null)]
    [InlineData("1000001", "quantity 1000001 is above the maximum 1000000")]
    public void Xrp_whole_coin_lots(string qty, string? message) =>
        Assert.Equal(message, Xrp.Validate(decimal.Parse(qty), null));

    // ---- Validate: price and notional --------------------------------------------------------

    [Theory]
    [InlineData("0", "price 0 must be positive")]
    [InlineData("-50000", "price -50000 must be positive")]
    [InlineData("50000.05", "price 50000.05 is not a multiple of the tick size 0.1")]
    [InlineData("50000.01", "price 50000.01 is not a multiple of the tick size 0.1")]
    [InlineData("50000.1", null)]
    [InlineData("50000", null)]
    public void Btc_price_problems(string price, string? message) =>
        Assert.Equal(message, Btc.Validate(0.01m, decimal.Parse(price)));

    [Theory]
    [InlineData("4999.9", "notional 4.9999 is below the minimum 5")] // 0.001 x 4999.9
    [InlineData("5000.0", null)]                                     // exactly 5
    [InlineData("5000.1", null)]
    public void Btc_min_notional_boundary(string price, string? message) =>
        Assert.Equal(message, Btc.Validate(0.001m, decimal.Parse(price)));

    [Theory]
    [InlineData("1", "19.5", "notional 19.5 is below the minimum 20")]
    [InlineData("1", "20", null)]                                        // exactly the minimum
    [InlineData("0.5", "40", null)]                                      // 20.0
    [InlineData("0.5", "39.5", "notional 19.75 is below the minimum 20")]
    public void Min_notional_is_inclusive(string qty, string price, string? message) =>
        Assert.Equal(message, Coarse.Validate(decimal.Parse(qty), decimal.Parse(price)));

    [Fact]
    public void Quantity_is_checked_before_price()
    {
        Assert.Equal("quantity 0 must be positive", Btc.Validate(0m, -1m));
        Assert.Equal("quantity 200 is above the maximum 100", Btc.Validate(200m, 0.05m));
    }

    [Fact]
    public void Market_orders_skip_the_notional_check()
    {
        Assert.Null(Btc.Validate(0.001m, null));
    }

    // ---- rounding ----------------------------------------------------------------------------

    [Theory]
    [InlineData("50000.04", "50000.0")]
    [InlineData("50000.05", "50000.1")] // midpoint away from zero
    [InlineData("50000.06", "50000.1")]
    [InlineData("50000.1499", "50000.1")]
    [InlineData("50000.15", "50000.2")]
    [InlineData("50000", "50000")]
    [InlineData("0.04", "0")]
    public void RoundPrice_to_the_btc_tick(string price, string expected)
    {
        var rounded = Btc.RoundPrice(decimal.Parse(price));
        Assert.Equal(decimal.Parse(expected), rounded);
        Assert.True(Btc.IsOnTick(rounded));
    }

    [Theory]
    [InlineData("0.51234", "0.5123")]
    [InlineData("0.51235", "0.5124")]
    [InlineData("0.51236", "0.5124")]
    public void RoundPrice_to_the_xrp_tick(string price, string expected) =>
        Assert.Equal(decimal.Parse(expected), Xrp.RoundPrice(decimal.Parse(price)));

    [Fact]
    public void RoundPrice_on_a_half_tick_grid()
    {
        // tick 0.5: 100.24 -> 100.0, 100.25 -> 100.5 (midpoint away from zero), 100.74 -> 100.5, 100.75 -> 101.0
        Assert.Equal([100.0m, 100.5m, 100.5m, 101.0m], new[] { 100.24m, 100.25m, 100.74m, 100.75m }.Select(Coarse.RoundPrice));
    }

    [Theory]
    [InlineData("0.0019999", "0.001")]
    [InlineData("0.002", "0.002")]
    [InlineData("0.0009", "0")]
    [InlineData("1.23456789", "1.234")]
    [InlineData("0", "0")]
    public void FloorQty_never_rounds_up(string qty, string expected)
    {
        var floored = Btc.FloorQty(decimal.Parse(qty));
        Assert.Equal(decimal.Parse(expected), floored);
        Assert.True(Btc.IsOnLot(floored));
    }

    [Theory]
    [InlineData("12.39", "12.3")]
    [InlineData("0.09", "0")]
    public void FloorQty_sol(string qty, string expected) =>
        Assert.Equal(decimal.Parse(expected), InstrumentCatalog.Default.Get("SOLUSDT").FloorQty(decimal.Parse(qty)));

    [Fact]
    public void RoundPrice_and_FloorQty_hold_for_random_inputs()
    {
        var rng = new Random(1);
        foreach (var instrument in InstrumentCatalog.Default.All)
        {
            for (var i = 0; i < 2_000; i++)
            {
                var x = rng.Next(1, int.MaxValue) * 0.0000001m;
                var price = instrument.RoundPrice(x);
                Assert.True(instrument.IsOnTick(price));
                Assert.True(Math.Abs(price - x) <= instrument.TickSize / 2);
                var qty = instrument.FloorQty(x);
                Assert.True(instrument.IsOnLot(qty));
                Assert.True(qty <= x && x - qty < instrument.LotSize);
            }
        }
    }

    [Theory]
    [InlineData("50000.0", true)]
    [InlineData("50000.1", true)]
    [InlineData("50000.10", true)]
    [InlineData("50000.11", false)]
    public void IsOnTick(string price, bool expected) => Assert.Equal(expected, Btc.IsOnTick(decimal.Parse(price)));

    // ---- catalog -----------------------------------------------------------------------------

    [Theory]
    [InlineData("BTCUSDT")]
    [InlineData("btcusdt")]
    [InlineData("BtcUsdt")]
    public void Get_normalizes_the_symbol(string symbol) =>
        Assert.Same(InstrumentCatalog.Default.Get(new Symbol("BTCUSDT")), InstrumentCatalog.Default.Get(symbol));

    [Fact]
    public void Get_of_an_unknown_symbol_lists_the_known_ones_sorted()
    {
        var ex = Assert.Throws<UnknownSymbolException>(() => InstrumentCatalog.Default.Get("dogeusdt"));
        Assert.Equal("unknown symbol 'DOGEUSDT'; known symbols: BTCUSDT, ETHUSDT, SOLUSDT, XRPUSDT", ex.Message);
        Assert.Equal(new Symbol("DOGEUSDT"), ex.Symbol);
    }

    [Fact]
    public void Unknown_symbol_message_sorts_whatever_order_the_catalog_was_built_in()
    {
        var catalog = new InstrumentCatalog([Xrp, Btc]);
        var ex = Assert.Throws<UnknownSymbolException>(() => catalog.Get("ETHUSDT"));
        Assert.Equal("unknown symbol 'ETHUSDT'; known symbols: BTCUSDT, XRPUSDT", ex.Message);
    }

    [Fact]
    public void Empty_catalog_knows_nothing()
    {
        var ex = Assert.Throws<UnknownSymbolException>(() => new InstrumentCatalog([]).Get("BTCUSDT"));
        Assert.Equal("unknown symbol 'BTCUSDT'; known symbols: ", ex.Message);
    }

    [Fact]
    public void Get_of_an_invalid_symbol_string_fails_on_the_symbol()
    {
        Assert.Throws<ArgumentException>(() => InstrumentCatalog.Default.Get("BTC-USDT"));
    }

    [Fact]
    public void TryGet()
    {
        Assert.True(InstrumentCatalog.Default.TryGet(new Symbol("ethusdt"), out var eth));
        Assert.Equal(0.01m, eth.LotSize);
        Assert.False(InstrumentCatalog.Default.TryGet(new Symbol("DOGEUSDT"), out _));
    }

    [Fact]
    public void A_symbol_twice_in_a_catalog_is_refused()
    {
        Assert.Throws<ArgumentException>(() => new InstrumentCatalog([Btc, Btc with { TickSize = 0.5m }]));
    }
}
