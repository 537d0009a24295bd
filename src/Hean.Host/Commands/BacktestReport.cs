using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Core.Performance;
using Hean.Core.Portfolio;
using Hean.Host.Configuration;

namespace Hean.Host.Commands;

/// <summary>The JSON report of a backtest. The fingerprint is SHA-256 over the ordered fills.</summary>
public sealed record BacktestReport(
    string Source,
    IReadOnlyList<string> Symbols,
    ulong? Seed,
    DateTime? From,
    DateTime? To,
    long MarketEvents,
    long Signals,
    double WallSeconds,
    double EventsPerSecond,
    long Orders,
    long OrdersFilled,
    long OrdersCancelled,
    long OrdersRejected,
    IReadOnlyDictionary<string, int> VenueRejections,
    long RiskRejections,
    IReadOnlyDictionary<string, int> RiskRejectionsByReason,
    long FillCount,
    decimal Fees,
    decimal RealizedPnl,
    decimal UnrealizedPnl,
    decimal Pnl,
    decimal FinalEquity,
    double? Sharpe,
    decimal MaxDrawdown,
    bool KillSwitchEngaged,
    string? KillSwitchReason,
    string Fingerprint,
    IReadOnlyList<ReportFill> Fills)
{
    /// <summary>Steps of the run that failed (a timeout, an actor's error) and the first of them: a run with any is not trusted.</summary>
    public long Errors { get; init; }

    public string? FirstError { get; init; }

    /// <summary>What ran it: "kernel" (one loop over the Core rules) or "actors" (the graph and actors of paper trading).</summary>
    public string Engine { get; init; } = "actors";

    /// <summary>The model's part when one ran (HEAN_MODEL_DIR / --model-dir); null for the technical strategy alone.</summary>
    public BacktestMl? Ml { get; init; }
    /// <summary>Execution quality per algorithm (direct orders by type): see <see cref="ExecutionSummary"/>.</summary>
    public IReadOnlyList<ExecutionSummary> Execution { get; init; } = [];

    /// <summary>Trades, exposure, drawdown and its duration, the annualised ratios, per symbol with buy-and-hold: see <see cref="BacktestStatistics"/>.</summary>
    public required BacktestStatistics Statistics { get; init; }

    /// <summary>The settings the run used, by name, as the HTML report shows them.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>The equity curve and price paths behind the charts of the HTML report; not in the JSON (the fills are).</summary>
    [JsonIgnore]
    public BacktestSeries? Series { get; init; }

    /// <summary>Why a run made no fill, in words a user can act on; null when it traded.</summary>
    public string? NothingTraded(TimeSpan candleInterval, int warmUpCandles)
    {
        if (FillCount > 0) return null;
        var span = From is { } from && To is { } to ? to - from : TimeSpan.Zero;
        var candles = candleInterval > TimeSpan.Zero ? (long)(span.Ticks / candleInterval.Ticks) : 0;
        if (Signals == 0)
            return candles < warmUpCandles
                ? $"no signal: the strategy needs at least {warmUpCandles} closed {Durations.Format(candleInterval)} candles before its first one, and this data spans about {candles} ({Durations.Format(span)}); give it more data"
                : $"no signal in about {candles} {Durations.Format(candleInterval)} candles: the strategy never changed its view";
        if (Orders == 0)
            return RiskRejections > 0
                ? $"{Signals} signal(s), no order: risk refused {RiskRejections} ({string.Join(", ", RiskRejectionsByReason.Select(r => $"{r.Key} {r.Value}"))})"
                : $"{Signals} signal(s), no order: every target was already held or below the instrument's minimum quantity";
        return $"{Orders} order(s), none filled: {(VenueRejections.Count > 0 ? "the venue refused " + string.Join(", ", VenueRejections.Select(r => $"{r.Value} ({r.Key})")) : "none reached a price")}";
    }

    /// <summary>
    /// SHA-256 of the fills, one line each: <c>time (round-trip format)|client order id|symbol|side|trade id|price|qty|fee|liquidity</c>,
    /// in lower-case hex. Appended piece by piece (not interpolated: each interpolated value type was a generic method the
    /// JIT compiled at every process's first fingerprint); the text is the same.
    /// </summary>
    public static string FingerprintOf(IEnumerable<Fill> fills)
    {
        var sb = new StringBuilder();
        var invariant = CultureInfo.InvariantCulture;
        foreach (var f in fills)
            sb.Append(f.Time.ToString("O", invariant)).Append('|').Append(f.ClientOrderId.Value).Append('|').Append(f.Symbol.Value).Append('|')
                .Append(f.Side.Name()).Append('|').Append(f.TradeId).Append('|').Append(f.Price.ToString(invariant)).Append('|')
                .Append(f.Qty.ToString(invariant)).Append('|').Append(f.Fee.ToString(invariant)).Append('|').Append(f.Liquidity.Name()).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sb.ToString())));
    }
}

/// <summary>The curves of a run: its equity samples in order, each symbol's price path, and each fill with what it did to its position.</summary>
public sealed record BacktestSeries(IReadOnlyList<EquitySampled> Equity, PriceTrack Prices, IReadOnlyList<(Fill Fill, FillRole Role)> Fills);

public sealed record ReportFill(DateTime Time, string ClientOrderId, string Symbol, string Side, decimal Price, decimal Qty, decimal Fee, string Liquidity, string TradeId)
{
    public static ReportFill From(Fill f) => new(f.Time, f.ClientOrderId.Value, f.Symbol.Value, f.Side.Name().ToLowerInvariant(),
        f.Price, f.Qty, f.Fee, f.Liquidity.Name().ToLowerInvariant(), f.TradeId);
}

/// <summary>ML inference in a backtest: the model version, its predictions and how many needed the fallback or failed.</summary>
public sealed record BacktestMl(string? Model, long Predictions, long Fallbacks, long Failures, long Timeouts, long Expired, string Breaker);
/// <summary>
/// Execution quality of one algorithm over a backtest (direct orders count as "market" / "limit"): parents (orders
/// for direct ones), fill rate (filled / asked quantity), mean time to fill of completed parents, and the
/// quantity-weighted implementation shortfall against each parent's arrival mid split into price (slippage), fees
/// and the unfilled part's opportunity, in bps. Algorithm parents use the quality the algorithm measured; direct
/// orders are measured the same way (their end mid is unknown: no opportunity term).
/// </summary>
public sealed record ExecutionSummary(string Algo, int Parents, double FillRate, double? MeanTimeToFillSeconds, double SlippageBps,
    double FeeBps, double OpportunityBps, double ShortfallBps)
{
    public static IReadOnlyList<ExecutionSummary> Of(IEnumerable<(string Algo, Hean.Core.Execution.ExecutionQuality Quality)> parents)
    {
        // Plain loops (a command runs this once, and LINQ over these tuples would be code compiled for it at run time); the
        // sums run in the parents' order, as they always did.
        var byAlgo = new SortedDictionary<string, List<Hean.Core.Execution.ExecutionQuality>>(StringComparer.Ordinal);
        foreach (var (algo, quality) in parents)
        {
            if (!byAlgo.TryGetValue(algo, out var list)) byAlgo[algo] = list = [];
            list.Add(quality);
        }
        var summaries = new List<ExecutionSummary>(byAlgo.Count);
        foreach (var (algo, list) in byAlgo)
        {
            double total = 0, price = 0, fee = 0, opportunity = 0, shortfall = 0, fillSeconds = 0;
            decimal asked = 0, filled = 0;
            var done = 0;
            foreach (var q in list)
            {
                var weight = (double)(q.ParentQty * q.ArrivalMid);
                total += weight;
                price += q.PriceBps * weight;
                fee += q.FeeBps * weight;
                opportunity += q.OpportunityBps * weight;
                shortfall += q.ShortfallBps * weight;
                asked += q.ParentQty;
                filled += q.FilledQty;
                if (q.FilledQty != q.ParentQty) continue;
                done++;
                fillSeconds += q.TimeToFillSeconds;
            }
            double Weighted(double sum) => total > 0 ? Math.Round(sum / total, 4) : 0;
            summaries.Add(new ExecutionSummary(algo, list.Count, asked > 0 ? Math.Round((double)(filled / asked), 6) : 0,
                done > 0 ? Math.Round(fillSeconds / done, 3) : null,
                Weighted(price), Weighted(fee), Weighted(opportunity), Weighted(shortfall)));
        }
        return summaries;
    }

    /// <summary>A direct order (not an algorithm's child) measured like a parent; null without an arrival price.</summary>
    public static (string Algo, Hean.Core.Execution.ExecutionQuality Quality)? Direct(Hean.Core.Orders.OrderCreated created, IReadOnlyList<Fill> fills)
    {
        if (created.ArrivalPrice is not { } arrival || arrival <= 0) return null;
        var r = created.Request;
        decimal qty = 0, notional = 0, fees = 0;
        var end = fills.Count > 0 ? DateTime.MinValue : created.Time;
        foreach (var f in fills)
        {
            qty += f.Qty;
            notional += f.Price * f.Qty;
            fees += f.Fee;
            if (f.Time > end) end = f.Time;
        }
        var avg = qty > 0 ? notional / qty : 0m;
        return (r.Type.ToString().ToLowerInvariant(), Hean.Core.Execution.ExecutionQuality.Measure(r.Side, r.Qty, arrival, Math.Min(qty, r.Qty), avg,
            fees, null, created.Time, end, 1));
    }
}
