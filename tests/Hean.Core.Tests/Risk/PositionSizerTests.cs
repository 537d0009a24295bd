using Hean.Core.Domain;
using Hean.Core.Risk;
using Hean.Core.Signals;
using Xunit;

namespace Hean.Core.Tests.Risk;

public sealed class PositionSizerTests
{
    private static readonly DateTime T0 = new(2024, 1, 2, 10, 0, 0, DateTimeKind.Utc);
    private static readonly Instrument Btc = InstrumentCatalog.Default.Get("BTCUSDT"); // lot 0.001, min 0.001
    private static readonly Instrument Eth = InstrumentCatalog.Default.Get("ETHUSDT"); // lot 0.01
    private static readonly Instrument Sol = InstrumentCatalog.Default.Get("SOLUSDT"); // lot 0.1
    private static readonly RiskLimits Limits = RiskLimits.Default;                    // 10000 USDT

    private static Signal S(SignalDirection direction, double confidence, decimal price, Instrument? instrument = null) =>
        new((instrument ?? Btc).Symbol, T0, direction, confidence, price, "test", "because");

    private static decimal Target(SignalDirection d, double confidence, decimal price, Instrument? instrument = null) =>
        PositionSizer.Default.TargetQty(S(d, confidence, price, instrument), instrument ?? Btc, Limits);

    [Fact]
    public void Default_fraction_is_one_half() => Assert.Equal(0.5m, PositionSizer.Default.FractionOfMaxPosition);

    [Theory]
    [InlineData(1.0)]
    [InlineData(0.5)]
    [InlineData(0.0)]
    public void Flat_is_zero(double confidence) => Assert.Equal(0m, Target(SignalDirection.Flat, confidence, 50_000m));

    [Fact]
    public void Full_confidence_long_is_half_the_max_position()
    {
        // 10000 x 0.5 x 1 = 5000 USDT / 50000 = 0.1
        Assert.Equal(0.1m, Target(SignalDirection.Long, 1.0, 50_000m));
    }

    [Fact]
    public void Short_is_the_same_size_with_a_minus_sign()
    {
        Assert.Equal(-0.1m, Target(SignalDirection.Short, 1.0, 50_000m));
    }

    [Theory]
    [InlineData(0.5, "0.05")]   // 2500 / 50000
    [InlineData(0.37, "0.037")] // 1850 / 50000
    [InlineData(0.25, "0.025")]
    [InlineData(0.011, "0.001")] // 55 / 50000 = 0.0011 -> 0.001
    public void Confidence_scales_the_size(double confidence, string expected)
    {
        Assert.Equal(decimal.Parse(expected), Target(SignalDirection.Long, confidence, 50_000m));
        Assert.Equal(-decimal.Parse(expected), Target(SignalDirection.Short, confidence, 50_000m));
    }

    [Theory]
    [InlineData(1.5)]
    [InlineData(100.0)]
    [InlineData(double.PositiveInfinity)]
    public void Confidence_above_one_counts_as_one(double confidence) =>
        Assert.Equal(0.1m, Target(SignalDirection.Long, confidence, 50_000m));

    [Theory]
    [InlineData(-0.5)]
    [InlineData(double.NegativeInfinity)]
    public void Negative_confidence_counts_as_zero(double confidence) =>
        Assert.Equal(0m, Target(SignalDirection.Long, confidence, 50_000m));

    [Theory]
    [InlineData("30000", "0.166")]     // 5000 / 30000 = 0.1666... down to the lot
    [InlineData("49999.9", "0.1")]     // 0.100000200... -> 0.100
    [InlineData("50000.1", "0.099")]   // 0.0999998... -> 0.099, never up
    public void Quantity_is_rounded_down_to_the_lot(string price, string expected) =>
        Assert.Equal(decimal.Parse(expected), Target(SignalDirection.Long, 1.0, decimal.Parse(price)));

    [Fact]
    public void Rounding_follows_the_instruments_lot()
    {
        // ETH: 5000 / 3333.33 = 1.5000015 -> 1.50; SOL: 5000 / 97.3 = 51.387... -> 51.3
        Assert.Equal(1.50m, Target(SignalDirection.Long, 1.0, 3_333.33m, Eth));
        Assert.Equal(-51.3m, Target(SignalDirection.Short, 1.0, 97.3m, Sol));
    }

    [Theory]
    [InlineData(0.01, "0.001")]  // 50 / 50000 = 0.001: exactly the minimum
    [InlineData(0.0099, "0")]    // 0.00099: below the minimum
    public void Below_the_minimum_quantity_is_zero(double confidence, string expected) =>
        Assert.Equal(decimal.Parse(expected), Target(SignalDirection.Long, confidence, 50_000m));

    [Fact]
    public void Minimum_quantity_above_the_lot_is_respected()
    {
        var coarse = new Instrument(new Symbol("TESTUSDT"), 0.01m, 0.1m, 1m, 1_000m, 5m);
        // 5000 x 0.19 = 950 / 1000 = 0.95 -> 0.9 on the lot, below min 1 -> 0
        Assert.Equal(0m, PositionSizer.Default.TargetQty(S(SignalDirection.Long, 0.19, 1_000m, coarse), coarse, Limits));
        // 5000 x 0.2 = 1000 / 1000 = 1.0 -> exactly min
        Assert.Equal(1m, PositionSizer.Default.TargetQty(S(SignalDirection.Long, 0.2, 1_000m, coarse), coarse, Limits));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-50000")]
    public void Without_a_reference_price_there_is_no_target(string price) =>
        Assert.Equal(0m, Target(SignalDirection.Long, 1.0, decimal.Parse(price)));

    [Fact]
    public void A_custom_fraction_and_limit_scale_linearly()
    {
        // 40000 x 0.25 x 0.8 = 8000 / 50000 = 0.16
        var sizer = new PositionSizer(0.25m);
        Assert.Equal(0.16m, sizer.TargetQty(S(SignalDirection.Long, 0.8, 50_000m), Btc, new RiskLimits(40_000m, 3m, 0.05m)));
    }

    [Fact]
    public void Random_targets_are_on_the_lot_within_the_budget_and_signed_by_direction()
    {
        var rng = new Random(5);
        Instrument[] instruments = [Btc, Eth, Sol];
        for (var i = 0; i < 5_000; i++)
        {
            var instrument = instruments[rng.Next(instruments.Length)];
            var direction = (SignalDirection)rng.Next(-1, 2);
            var confidence = Math.Round(rng.NextDouble() * 1.2 - 0.1, 4);
            var price = rng.Next(1, 10_000_000) * 0.01m;
            var qty = PositionSizer.Default.TargetQty(S(direction, confidence, price, instrument), instrument, Limits);

            var budget = 10_000m * 0.5m * (decimal)Math.Clamp(confidence, 0, 1);
            Assert.True(Math.Abs(qty) * price <= budget, $"case {i}");
            Assert.True(instrument.IsOnLot(qty), $"case {i}");
            Assert.True(qty == 0m || Math.Abs(qty) >= instrument.MinQty, $"case {i}");
            Assert.Equal(Math.Sign((int)direction) * Math.Sign(qty), Math.Abs(Math.Sign(qty)));
            // One more lot would be over the budget, unless the result was cut to zero by the minimum.
            if (qty != 0m) Assert.True((Math.Abs(qty) + instrument.LotSize) * price > budget, $"case {i}");
        }
    }
}
