using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Hean.Core.Indicators;

namespace Hean.Core.Features;

/// <summary>
/// The names and order of the features in a <see cref="FeatureVector"/>, shared by training and
/// inference. Blocks, in order: the bar indicators (one name per output, as <c>hean features</c>
/// names its columns), the order book, the trade flow, then market sentiment.
/// A schema is identified by its version and a hash of its names (<see cref="Id"/>); changing a
/// name or the order of a published version changes the hash, and needs a new version.
/// </summary>
public sealed class FeatureSchema : IEquatable<FeatureSchema>
{
    /// <summary>The indicators of <see cref="V1"/>.</summary>
    public const string V1Indicators =
        "sma:20,ema:20,wma:20,rsi:14,macd:12:26:9,bb:20:2,atr:14,adx:14,stoch:14:3:3,willr:14,cci:20,roc:14,mfi:14,obv,vwap:1d,rv:20";

    public static readonly IReadOnlyList<string> TradeFlowNames = ["taker_buy_ratio", "trade_intensity", "signed_volume", "vwap_deviation"];

    public static readonly IReadOnlyList<string> SentimentNames =
        ["funding_rate", "open_interest_change", "liquidation_long_notional", "liquidation_short_notional"];

    // after the name lists: static initializers run in textual order
    /// <summary>Feature schema version 1: every indicator, top-5 imbalance, depth within 10 bps.</summary>
    public static FeatureSchema V1 { get; } = new(1, V1Indicators, imbalanceLevels: 5, depthBandBps: 10);

    private readonly Dictionary<string, int> _index;
    private readonly string[] _names;

    public FeatureSchema(int version, string indicators, int imbalanceLevels, double depthBandBps)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(version, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(imbalanceLevels, 1);
        if (!(depthBandBps > 0) || !double.IsFinite(depthBandBps))
            throw new ArgumentOutOfRangeException(nameof(depthBandBps), depthBandBps, "the depth band must be a positive number of basis points");
        Version = version;
        Indicators = IndicatorSpec.ParseList(indicators);
        ImbalanceLevels = imbalanceLevels;
        DepthBandBps = depthBandBps;

        var band = depthBandBps.ToString("R", CultureInfo.InvariantCulture);
        var names = new List<string>();
        foreach (var spec in Indicators) names.AddRange(spec.Columns);
        BookOffset = names.Count;
        names.AddRange(["spread_bps", "mid", "microprice", $"imbalance_{imbalanceLevels}", $"depth_pressure_{band}bps", $"liquidity_score_{band}bps", "ofi"]);
        TradeFlowOffset = names.Count;
        names.AddRange(TradeFlowNames);
        SentimentOffset = names.Count;
        names.AddRange(SentimentNames);
        _names = names.ToArray();
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < _names.Length; i++) _index.Add(_names[i], i);

        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join("\n", _names)));
        Id = $"v{version}-{Convert.ToHexStringLower(hash)[..12]}";
    }

    public int Version { get; }
    public IReadOnlyList<IndicatorSpec> Indicators { get; }
    public int ImbalanceLevels { get; }
    public double DepthBandBps { get; }

    /// <summary>"v{version}-{first 12 hex digits of SHA-256 over the names}".</summary>
    public string Id { get; }

    public IReadOnlyList<string> Names => _names;
    public int Count => _names.Length;

    /// <summary>Where each block starts.</summary>
    public int BookOffset { get; }
    public int TradeFlowOffset { get; }
    public int SentimentOffset { get; }

    /// <summary>Position of a feature, or −1.</summary>
    public int IndexOf(string name) => _index.GetValueOrDefault(name, -1);

    /// <summary>Throws when <paramref name="other"/> (say, the schema a model was trained on) is not this one, naming the first difference.</summary>
    public void EnsureSame(FeatureSchema other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (Equals(other)) return;
        var i = 0;
        while (i < Math.Min(Count, other.Count) && _names[i] == other._names[i]) i++;
        var difference = i < Math.Min(Count, other.Count)
            ? $"feature {i} is '{_names[i]}' here and '{other._names[i]}' there"
            : $"{Count} features here, {other.Count} there";
        throw new InvalidOperationException($"feature schema {Id} does not match {other.Id}: {difference}");
    }

    public bool Equals(FeatureSchema? other) => other is not null && Id == other.Id && _names.AsSpan().SequenceEqual(other._names);
    public override bool Equals(object? obj) => Equals(obj as FeatureSchema);
    public override int GetHashCode() => Id.GetHashCode(StringComparison.Ordinal);
    public override string ToString() => $"{Id} ({Count} features)";
}
