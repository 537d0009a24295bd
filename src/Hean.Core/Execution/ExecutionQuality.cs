using Hean.Core.Domain;

namespace Hean.Core.Execution;

/// <summary>
/// How well a parent order was executed, against the mid when it was decided (the arrival mid).
/// Implementation shortfall in basis points of the parent's paper notional (quantity × arrival mid):
/// <list type="bullet">
/// <item><see cref="PriceBps"/> = side × (average fill − arrival mid) / arrival mid, on the filled share;</item>
/// <item><see cref="FeeBps"/> = fees paid (negative for a rebate) / paper notional;</item>
/// <item><see cref="OpportunityBps"/> = side × (end mid − arrival mid) / arrival mid on the share never filled;</item>
/// <item><see cref="ShortfallBps"/> = their sum. Positive is a cost.</item>
/// </list>
/// For a fully filled order this is side × (avg fill − arrival mid) / arrival mid + fees, in bps.
/// </summary>
public sealed record ExecutionQuality(
    decimal ParentQty,
    decimal FilledQty,
    decimal AvgPrice,
    decimal Fees,
    decimal ArrivalMid,
    decimal? EndMid,
    double PriceBps,
    double FeeBps,
    double OpportunityBps,
    double ShortfallBps,
    double FillRate,
    double TimeToFillSeconds,
    int Children)
{
    public static ExecutionQuality Measure(Side side, decimal parentQty, decimal arrivalMid, decimal filledQty, decimal avgPrice, decimal fees,
        decimal? endMid, DateTime start, DateTime end, int children)
    {
        if (parentQty <= 0) throw new ArgumentOutOfRangeException(nameof(parentQty), "the parent quantity must be positive");
        if (arrivalMid <= 0) throw new ArgumentOutOfRangeException(nameof(arrivalMid), "the arrival mid must be positive");
        if (filledQty < 0 || filledQty > parentQty) throw new ArgumentOutOfRangeException(nameof(filledQty));
        var sign = side.Sign();
        var filledShare = filledQty / parentQty;
        var price = filledQty > 0 ? sign * (avgPrice - arrivalMid) / arrivalMid * filledShare : 0m;
        var fee = fees / (parentQty * arrivalMid);
        var unfilled = parentQty - filledQty;
        var opportunity = unfilled > 0 && endMid is { } m ? sign * (m - arrivalMid) / arrivalMid * (unfilled / parentQty) : 0m;
        return new ExecutionQuality(parentQty, filledQty, avgPrice, fees, arrivalMid, endMid,
            Bps(price), Bps(fee), Bps(opportunity), Bps(price + fee + opportunity),
            (double)filledShare, Math.Max(0, (end - start).TotalSeconds), children);
    }

    private static double Bps(decimal fraction) => Math.Round((double)(fraction * 10_000m), 6);
}
