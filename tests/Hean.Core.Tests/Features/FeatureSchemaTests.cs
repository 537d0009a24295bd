using System.Security.Cryptography;
using System.Text;
using Hean.Core.Features;
using Xunit;

namespace Hean.Core.Tests.Features;

public sealed class FeatureSchemaTests
{
    /// <summary>Version 1 as published: training and inference depend on this exact order.</summary>
    private static readonly string[] V1Names =
    [
        "sma_20", "ema_20", "wma_20", "rsi_14",
        "macd_12_26_9.macd", "macd_12_26_9.signal", "macd_12_26_9.histogram",
        "bb_20_2.upper", "bb_20_2.middle", "bb_20_2.lower", "bb_20_2.percent_b", "bb_20_2.width",
        "atr_14", "adx_14.adx", "adx_14.plus_di", "adx_14.minus_di", "stoch_14_3_3.k", "stoch_14_3_3.d",
        "willr_14", "cci_20", "roc_14", "mfi_14", "obv", "vwap_1d", "rv_20",
        "spread_bps", "mid", "microprice", "imbalance_5", "depth_pressure_10bps", "liquidity_score_10bps", "ofi",
        "taker_buy_ratio", "trade_intensity", "signed_volume", "vwap_deviation",
        "funding_rate", "open_interest_change", "liquidation_long_notional", "liquidation_short_notional",
    ];

    [Fact]
    public void V1_has_its_published_names_in_order()
    {
        Assert.Equal(V1Names, FeatureSchema.V1.Names);
        Assert.Equal(1, FeatureSchema.V1.Version);
        Assert.Equal(V1Names.Length, FeatureSchema.V1.Count);
        Assert.Equal(25, FeatureSchema.V1.BookOffset);
        Assert.Equal(32, FeatureSchema.V1.TradeFlowOffset);
        Assert.Equal(36, FeatureSchema.V1.SentimentOffset);
        Assert.Equal(V1Names.Length, V1Names.Distinct().Count());
    }

    [Fact]
    public void The_id_is_the_version_and_a_hash_of_the_names()
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", V1Names))));
        Assert.Equal("v1-" + hash[..12], FeatureSchema.V1.Id);
        var again = new FeatureSchema(1, FeatureSchema.V1Indicators, 5, 10);
        Assert.Equal(FeatureSchema.V1, again);
        FeatureSchema.V1.EnsureSame(again);
    }

    [Fact]
    public void A_different_schema_is_refused_naming_the_first_difference()
    {
        var other = new FeatureSchema(1, "sma:20,ema:50", 5, 10);
        var e = Assert.Throws<InvalidOperationException>(() => FeatureSchema.V1.EnsureSame(other));
        Assert.Contains("feature 1 is 'ema_20' here and 'ema_50' there", e.Message);

        var bumped = new FeatureSchema(2, FeatureSchema.V1Indicators, 5, 10);
        Assert.NotEqual(FeatureSchema.V1, bumped);
        Assert.Throws<InvalidOperationException>(() => FeatureSchema.V1.EnsureSame(bumped));

        var wider = new FeatureSchema(1, "rsi:14", 10, 2.5);
        Assert.Contains("imbalance_10", wider.Names);
        Assert.Contains("depth_pressure_2.5bps", wider.Names);
    }

    [Fact]
    public void Names_are_found_by_position_and_vectors_by_name()
    {
        Assert.Equal(4, FeatureSchema.V1.IndexOf("macd_12_26_9.macd"));
        Assert.Equal(-1, FeatureSchema.V1.IndexOf("nope"));
        var values = Enumerable.Range(0, FeatureSchema.V1.Count).Select(i => (double)i).ToArray();
        var vector = FeatureVector.Create(FeatureSchema.V1, values);
        values[0] = 99; // the vector holds a copy
        Assert.Equal(0, vector["sma_20"]);
        Assert.Equal(31, vector["ofi"]);
        Assert.Throws<KeyNotFoundException>(() => vector["nope"]);
        Assert.Throws<ArgumentException>(() => FeatureVector.Create(FeatureSchema.V1, new double[3]));
    }
}
