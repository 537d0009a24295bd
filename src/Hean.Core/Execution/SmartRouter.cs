using System.Globalization;
using Hean.Core.Domain;
using Hean.Core.Orders;

namespace Hean.Core.Execution;

/// <summary>The algorithm the smart router chose, why in words, and the numbers it weighed.</summary>
public sealed record RoutingDecision(AlgoSpec Spec, string Reason, IReadOnlyDictionary<string, double> Numbers);

/// <summary>
/// Chooses an execution algorithm from the order's size against the depth it would take from (or a
/// minute of traded volume without a book), the spread, volatility and urgency:
/// <list type="bullet">
/// <item>urgent: market when the book within the depth band holds the order, else a short aggressive TWAP;</item>
/// <item>small (up to a quarter of the depth): post-only limit when what a passive fill saves (fee difference
/// plus half the spread) exceeds the drift risked while it waits for a re-price (σ√T), or urgency is low;
/// market otherwise;</item>
/// <item>medium with a limit price: iceberg showing a quarter;</item>
/// <item>otherwise slice: horizon for a 10 % participation in traded volume, doubled for low urgency, capped
/// so that one σ of drift over it stays within 25 bps; VWAP when a volume profile has been learned, else TWAP.</item>
/// </list>
/// </summary>
public static class SmartRouter
{
    public const decimal SmallShareOfDepth = 0.25m;
    public const double ParticipationRate = 0.10;
    public const double MaxDriftRiskBps = 25;
    /// <summary>Volatility assumed without history: about 55 % a year for a crypto major.</summary>
    public const double DefaultVolatilityBpsPerSqrtSecond = 1.0;
    public static readonly TimeSpan RepriceAfter = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan MinHorizon = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan MaxHorizon = TimeSpan.FromHours(1);
    public static readonly TimeSpan SliceEvery = TimeSpan.FromSeconds(15);

    public static RoutingDecision Choose(OrderRequest order, Instrument instrument, MarketQuote quote, MarketConditions conditions,
        Urgency urgency, decimal takerFeeRate, decimal makerFeeRate)
    {
        var mid = quote.Mid ?? throw new ArgumentException("the smart router needs a price", nameof(quote));
        var numbers = new SortedDictionary<string, double>(StringComparer.Ordinal);
        var qty = order.Qty;
        numbers["qty"] = (double)qty;
        numbers["mid"] = (double)mid;

        var spread = quote.SpreadBps ?? (double)(2 * instrument.TickSize / mid * 10_000m);
        numbers["spread_bps"] = Round(spread);
        var sigma = conditions.VolatilityBpsPerSqrtSecond ?? DefaultVolatilityBpsPerSqrtSecond;
        numbers["volatility_bps_per_sqrt_s"] = Round(sigma);
        var edge = (double)((takerFeeRate - makerFeeRate) * 10_000m) + spread / 2;
        numbers["passive_edge_bps"] = Round(edge);
        var waitRisk = sigma * Math.Sqrt(RepriceAfter.TotalSeconds);
        numbers["wait_risk_bps"] = Round(waitRisk);
        var volumePerSecond = conditions.VolumePerSecond;
        if (volumePerSecond is { } vps) numbers["volume_per_s"] = Round(vps);

        string sizeText;
        double? ratio = null;
        if (conditions.DepthFor(order.Side) is { } depth && depth > 0)
        {
            ratio = (double)(qty / depth);
            numbers["depth"] = (double)depth;
            sizeText = $"{F(qty)} is {F(ratio.Value)}x the depth within {MarketActivity.DepthBandBps} bps ({F(depth)})";
        }
        else if (volumePerSecond is { } v && v > 0)
        {
            ratio = (double)qty / (v * 60);
            sizeText = $"{F(qty)} is {F(ratio.Value)}x a minute of volume ({F(v * 60)}), no book depth";
        }
        else
        {
            sizeText = $"{F(qty)} against unknown depth and volume";
        }
        if (ratio is { } r) numbers["size_to_depth"] = Round(r);
        var context = $"{sizeText}; spread {F(spread)} bps, volatility {F(sigma)} bps/√s, urgency {urgency.ToString().ToLowerInvariant()}";

        RoutingDecision Decide(AlgoSpec spec, string why) => new(spec, $"{why} — {context}", numbers);

        if (urgency == Urgency.High)
        {
            if (ratio is null or <= 1) return Decide(new MarketAlgo(), "market: urgent and the book takes it");
            var horizon = Clamp(TimeSpan.FromSeconds(30 * ratio.Value), MinHorizon, TimeSpan.FromMinutes(5));
            var slices = Slices(horizon, qty, instrument, Math.Clamp((int)Math.Ceiling(ratio.Value * 2), 2, 20));
            numbers["horizon_s"] = horizon.TotalSeconds;
            numbers["slices"] = slices;
            return Decide(new TwapAlgo(horizon, slices, SliceStyle.Aggressive),
                $"aggressive TWAP over {horizon.TotalSeconds:F0} s in {slices} slices: urgent but larger than the book");
        }

        if (ratio is { } small && small <= (double)SmallShareOfDepth)
        {
            if (urgency == Urgency.Low || waitRisk < edge)
                return Decide(new LimitAlgo(RepriceAfter),
                    $"post-only limit, re-priced after {RepriceAfter.TotalSeconds:F0} s: a passive fill saves {F(edge)} bps, waiting risks {F(waitRisk)} bps");
            return Decide(new MarketAlgo(), $"market: small, and waiting risks {F(waitRisk)} bps for {F(edge)} bps saved");
        }

        if (ratio is { } medium && medium <= 1 && order.Price is not null)
        {
            var visible = Math.Max(instrument.MinQty, instrument.FloorQty(qty * SmallShareOfDepth));
            numbers["visible"] = (double)visible;
            return Decide(new IcebergAlgo(visible, RepriceAfter), $"iceberg at the limit price showing {F(visible)}");
        }

        var participationSeconds = volumePerSecond is { } rate && rate > 0
            ? (double)qty / (ParticipationRate * rate)
            : 120 * Math.Max(1, ratio ?? 1);
        if (urgency == Urgency.Low) participationSeconds *= 2;
        // Both are bounded well beyond the longest horizon, so that a quiet market cannot overflow a TimeSpan.
        var participation = TimeSpan.FromSeconds(Math.Min(participationSeconds, 10 * MaxHorizon.TotalSeconds));
        var riskCap = TimeSpan.FromSeconds(Math.Min(Math.Pow(MaxDriftRiskBps / Math.Max(sigma, 1e-6), 2), 10 * MaxHorizon.TotalSeconds));
        var chosen = Clamp(participation < riskCap ? participation : riskCap, MinHorizon, MaxHorizon);
        var n = Slices(chosen, qty, instrument, (int)Math.Ceiling(chosen / SliceEvery));
        numbers["horizon_s"] = Math.Round(chosen.TotalSeconds, 3);
        numbers["participation_horizon_s"] = Math.Round(participation.TotalSeconds, 3);
        numbers["risk_cap_horizon_s"] = Math.Round(riskCap.TotalSeconds, 3);
        numbers["slices"] = n;
        var bound = participation < riskCap ? $"{ParticipationRate:P0} of volume" : $"drift risk capped at {MaxDriftRiskBps} bps";
        if (conditions.Profile is { } profile)
            return Decide(new VwapAlgo(chosen, n, profile), $"VWAP over {chosen.TotalSeconds:F0} s in {n} slices ({bound}) on the learned volume profile");
        return Decide(new TwapAlgo(chosen, n), $"TWAP over {chosen.TotalSeconds:F0} s in {n} slices ({bound}); no volume profile learned yet");
    }

    private static int Slices(TimeSpan horizon, decimal qty, Instrument instrument, int wanted)
    {
        var most = (int)Math.Min(1000m, Math.Max(1m, Math.Floor(qty / instrument.MinQty)));
        return Math.Clamp(wanted, 1, Math.Max(1, Math.Min(most, (int)Math.Max(1, horizon.TotalSeconds))));
    }

    private static TimeSpan Clamp(TimeSpan t, TimeSpan min, TimeSpan max) => t < min ? min : t > max ? max : t;

    private static double Round(double x) => Math.Round(x, 6);

    private static string F(double x) => x.ToString("0.###", CultureInfo.InvariantCulture);

    private static string F(decimal x) => x.ToString("0.########", CultureInfo.InvariantCulture);
}
