using System.Globalization;
using Hean.Core.MarketData.Replay;
using Xunit;

namespace Hean.Core.Tests.Replay;

/// <summary>The CSV readers' decimal parsing gives what decimal.TryParse gives, to the bit (scale included).</summary>
public sealed class DecimalTextTests
{
    [Theory]
    [InlineData("46319.0")]
    [InlineData("0")]
    [InlineData("0.0")]
    [InlineData("000.00100")]
    [InlineData("2300413.7295")]
    [InlineData("1640991660000")]
    [InlineData("9999999999999999999")]
    [InlineData("18446744073709551615")]
    [InlineData("99999999999999999999")]
    [InlineData("123456789.123456789")]
    [InlineData("0.000000000000000001")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("-0")]
    [InlineData("-12.5")]
    [InlineData("+3.25")]
    [InlineData("1e3")]
    [InlineData("1.5E-2")]
    [InlineData(" 7 ")]
    [InlineData("")]
    [InlineData(".")]
    [InlineData("1.2.3")]
    [InlineData("abc")]
    [InlineData("12a")]
    [InlineData("NaN")]
    public void Gives_what_decimal_TryParse_gives(string text) => Same(text);

    [Fact]
    public void Random_digit_strings_give_what_decimal_TryParse_gives()
    {
        var random = new Random(7);
        for (var n = 0; n < 100_000; n++)
        {
            var length = random.Next(1, 22);
            var chars = new char[length];
            for (var i = 0; i < length; i++) chars[i] = (char)('0' + random.Next(10));
            if (random.Next(4) > 0) chars[random.Next(length)] = '.';
            Same(new string(chars));
        }
    }

    private static void Same(string text)
    {
        var expectedOk = decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var expected);
        var ok = DecimalText.TryParse(text, out var actual);
        Assert.Equal(expectedOk, ok);
        Assert.Equal(decimal.GetBits(expected), decimal.GetBits(actual));
    }
}
