using Hean.Core.Domain;
using Hean.Core.Orders;
using Xunit;

namespace Hean.Core.Tests.Domain;

public sealed class SymbolTests
{
    [Theory]
    [InlineData("BTCUSDT", "BTCUSDT")]
    [InlineData("btcusdt", "BTCUSDT")]
    [InlineData("EthUsdt", "ETHUSDT")]
    [InlineData("1000pepeusdt", "1000PEPEUSDT")]
    [InlineData("x", "X")]
    public void Normalizes_to_upper_case(string input, string expected)
    {
        var s = new Symbol(input);
        Assert.Equal(expected, s.Value);
        Assert.Equal(expected, s.ToString());
        string implicitString = s;
        Assert.Equal(expected, implicitString);
    }

    [Fact]
    public void Symbols_differing_only_in_case_are_equal()
    {
        Assert.Equal(new Symbol("btcusdt"), new Symbol("BTCUSDT"));
        Assert.True(new Symbol("btcusdt") == new Symbol("BTCUSDT"));
        Assert.Equal(new Symbol("btcusdt").GetHashCode(), new Symbol("BTCUSDT").GetHashCode());
        Assert.NotEqual(new Symbol("BTCUSDT"), new Symbol("ETHUSDT"));
    }

    [Fact]
    public void Thirty_two_characters_pass_thirty_three_fail()
    {
        Assert.Equal(new string('A', 32), new Symbol(new string('a', 32)).Value);
        var ex = Assert.Throws<ArgumentException>(() => new Symbol(new string('A', 33)));
        Assert.Equal("value", ex.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("\t")]
    [InlineData(" BTCUSDT")]
    [InlineData("BTCUSDT ")]
    [InlineData("BTC-USDT")]
    [InlineData("BTC/USDT")]
    [InlineData("BTC_USDT")]
    [InlineData("BTC.USDT")]
    [InlineData("BTC USDT")]
    [InlineData("ÄBCUSDT")]
    [InlineData("BTC٣")]
    public void Rejects_anything_but_ascii_letters_and_digits(string input)
    {
        var ex = Assert.Throws<ArgumentException>(() => new Symbol(input));
        Assert.StartsWith($"'{input}' is not a valid symbol (letters and digits, 1-32 characters)", ex.Message);
    }

    [Fact]
    public void Rejects_null()
    {
        Assert.Throws<ArgumentException>(() => new Symbol(null!));
    }

    [Fact]
    public void Opposite_side()
    {
        Assert.Equal(Side.Sell, Side.Buy.Opposite());
        Assert.Equal(Side.Buy, Side.Sell.Opposite());
        Assert.Equal(Side.Buy, Side.Buy.Opposite().Opposite());
    }

    [Fact]
    public void Sign_of_a_side()
    {
        Assert.Equal(1, Side.Buy.Sign());
        Assert.Equal(-1, Side.Sell.Sign());
        Assert.Equal(-Side.Buy.Sign(), Side.Buy.Opposite().Sign());
    }

    [Theory]
    [InlineData("buy", Side.Buy)]
    [InlineData("Buy", Side.Buy)]
    [InlineData("BUY", Side.Buy)]
    [InlineData(" buy\n", Side.Buy)]
    [InlineData("b", Side.Buy)]
    [InlineData("B", Side.Buy)]
    [InlineData("sell", Side.Sell)]
    [InlineData("Sell", Side.Sell)]
    [InlineData("SELL", Side.Sell)]
    [InlineData("s", Side.Sell)]
    [InlineData("\tS ", Side.Sell)]
    public void Parse_accepts_words_and_letters_in_any_case(string input, Side expected) =>
        Assert.Equal(expected, SideExtensions.Parse(input));

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData("long")]
    [InlineData("short")]
    [InlineData("bu")]
    [InlineData("buyy")]
    [InlineData("1")]
    public void Parse_rejects_anything_else(string input)
    {
        var ex = Assert.Throws<FormatException>(() => SideExtensions.Parse(input));
        Assert.Equal($"'{input}' is not a side (buy or sell)", ex.Message);
    }

    [Fact]
    public void Names_of_sides_and_liquidity_are_those_ToString_gives_for_every_value()
    {
        foreach (var side in Enum.GetValues<Side>().Append((Side)0).Append((Side)9))
            Assert.Equal(side.ToString(), side.Name());
        foreach (var liquidity in Enum.GetValues<Liquidity>().Append((Liquidity)0))
            Assert.Equal(liquidity.ToString(), liquidity.Name());
    }
}
