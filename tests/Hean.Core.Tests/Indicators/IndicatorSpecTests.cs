using Hean.Core.Indicators;
using Xunit;

namespace Hean.Core.Tests.Indicators;

public sealed class IndicatorSpecTests
{
    [Fact]
    public void The_issue_spec_gives_the_documented_column_names()
    {
        var specs = IndicatorSpec.ParseList("sma:20,ema:20,rsi:14,macd:12:26:9,bb:20:2,atr:14,adx:14,stoch:14:3:3,willr:14,cci:20,roc:14,mfi:14,obv,vwap");
        Assert.Equal(
        [
            "sma_20", "ema_20", "rsi_14",
            "macd_12_26_9.macd", "macd_12_26_9.signal", "macd_12_26_9.histogram",
            "bb_20_2.upper", "bb_20_2.middle", "bb_20_2.lower", "bb_20_2.percent_b", "bb_20_2.width",
            "atr_14", "adx_14.adx", "adx_14.plus_di", "adx_14.minus_di", "stoch_14_3_3.k", "stoch_14_3_3.d",
            "willr_14", "cci_20", "roc_14", "mfi_14", "obv", "vwap",
        ], specs.SelectMany(s => s.Columns));
        Assert.All(specs, s => Assert.Equal(s.Columns.Count, s.Create().OutputCount));
    }

    [Theory]
    [InlineData("macd", "macd_12_26_9")]
    [InlineData("MACD:8", "macd_8_26_9")]
    [InlineData(" bb : 20 : 2.50 ", "bb_20_2.5")]
    [InlineData("vwap:24h", "vwap_1d")]
    [InlineData("vwap:90m", "vwap_90m")]
    [InlineData("rv", "rv_20")]
    public void Defaults_fill_omitted_parameters_and_names_are_canonical(string text, string name)
    {
        var spec = IndicatorSpec.Parse(text);
        Assert.Equal(name, spec.Name);
        Assert.Equal(spec.Name, IndicatorSpec.Parse(spec.ToString()).Name); // round trip
    }

    [Theory]
    [InlineData("foo:3", "unknown indicator 'foo'")]
    [InlineData("sma:0", "sma period must be a whole number")]
    [InlineData("sma:abc", "sma period must be a whole number")]
    [InlineData("sma:20:5", "sma takes at most 1 parameter")]
    [InlineData("obv:3", "obv takes no parameters")]
    [InlineData("bb:20:-1", "bb k must be a positive number")]
    [InlineData("macd:26:12:9", "slow must be longer than fast")]
    [InlineData("vwap:tomorrow", "vwap session must be a duration")]
    [InlineData("sma:20,sma:20", "sma_20 appears twice")]
    [InlineData(" , ", "no indicators given")]
    public void Bad_specs_are_refused_with_the_list_of_what_is_supported(string text, string problem)
    {
        var e = Assert.Throws<FormatException>(() => IndicatorSpec.ParseList(text));
        Assert.Contains(problem, e.Message);
        foreach (var kind in new[] { "sma", "ema", "wma", "rsi", "macd", "bb", "atr", "adx", "stoch", "willr", "cci", "roc", "mfi", "obv", "vwap", "rv" })
            Assert.Contains("  " + kind, e.Message);
    }

    [Fact]
    public void Session_vwap_from_a_spec_restarts_each_session()
    {
        var vwap = IndicatorSpec.Parse("vwap:1h").Create();
        var t = new DateTime(2024, 1, 1, 0, 30, 0, DateTimeKind.Utc);
        vwap.Update(new OhlcvBar(t, 10, 10, 10, 10, 1));
        vwap.Update(new OhlcvBar(t.AddMinutes(45), 20, 20, 20, 20, 1));
        Assert.Equal(20, vwap.Output(0));
    }
}
