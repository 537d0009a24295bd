using Hean.Core.Orders;
using Xunit;

namespace Hean.Core.Tests.Orders;

public sealed class ClientOrderIdTests
{
    [Theory]
    [InlineData("a")]
    [InlineData("Z")]
    [InlineData("0")]
    [InlineData("-")]
    [InlineData("_")]
    [InlineData("hean-BTCUSDT-0001_retry")]
    [InlineData("0123456789abcdefghijABCDEFGHIJ-_xyz")]  // 35
    [InlineData("0123456789abcdefghijABCDEFGHIJ-_wxyz")] // 36, the limit
    public void Valid_ids_keep_their_value_and_case(string value)
    {
        var id = new ClientOrderId(value);
        Assert.Equal(value, id.Value);
        Assert.Equal(value, id.ToString());
    }

    [Fact]
    public void Thirty_six_characters_pass_thirty_seven_fail()
    {
        Assert.Equal(36, new ClientOrderId(new string('x', 36)).Value.Length);
        var ex = Assert.Throws<ArgumentException>(() => new ClientOrderId(new string('x', 37)));
        Assert.Equal("value", ex.ParamName);
        Assert.StartsWith($"'{new string('x', 37)}' is not a valid client order id (1-36 of A-Z a-z 0-9 - _)", ex.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" ")]
    [InlineData("a b")]
    [InlineData("a.b")]
    [InlineData("a/b")]
    [InlineData("a:b")]
    [InlineData("a+b")]
    [InlineData("order#1")]
    [InlineData("ordre-é")]    // not ASCII
    [InlineData("٣")]          // an Arabic-Indic digit is a digit, but not ASCII
    [InlineData("tab\there")]
    [InlineData("trailing\n")]
    public void Bad_characters_or_empty_fail(string value)
    {
        var ex = Assert.Throws<ArgumentException>(() => new ClientOrderId(value));
        Assert.Contains("is not a valid client order id", ex.Message);
    }

    [Fact]
    public void Null_fails()
    {
        Assert.Throws<ArgumentException>(() => new ClientOrderId(null!));
    }

    [Fact]
    public void Ids_are_values_and_case_sensitive()
    {
        Assert.Equal(new ClientOrderId("abc"), new ClientOrderId("abc"));
        Assert.NotEqual(new ClientOrderId("abc"), new ClientOrderId("ABC"));
    }
}
