using Hean.Core.Domain;
using Hean.Core.MarketData.Synthetic;

namespace Hean.Core.Execution;

/// <summary>One scheduled part of a parent order: from <see cref="Due"/> on, <see cref="Qty"/> more should be worked.</summary>
public sealed record PlannedSlice(int Index, DateTime Due, decimal Qty);

/// <summary>
/// Slice plans of the scheduled algorithms. Quantities are on the lot grid, each at least the
/// minimum quantity, and sum exactly to the parent; times are randomised within each interval by a
/// seed taken from the parent's id, so a plan is the same on every run and after every restart.
/// </summary>
public static class SliceSchedule
{
    /// <summary>How far a slice may move from its regular place, as a share of the interval (±half of this).</summary>
    public const double Jitter = 0.5;

    public static IReadOnlyList<PlannedSlice> Twap(decimal qty, DateTime start, TimeSpan horizon, int slices, Instrument instrument, ulong seed) =>
        Plan(qty, start, horizon, Enumerable.Repeat(1.0, Math.Max(slices, 1)).ToArray(), instrument, seed);

    public static IReadOnlyList<PlannedSlice> Vwap(decimal qty, DateTime start, TimeSpan horizon, int slices, VolumeProfile profile,
        Instrument instrument, ulong seed) =>
        Plan(qty, start, horizon, profile.SliceWeights(start, horizon, slices), instrument, seed);

    /// <summary>Quantities by weight (see <see cref="Split"/>) at randomised times; empty slices are dropped.</summary>
    public static IReadOnlyList<PlannedSlice> Plan(decimal qty, DateTime start, TimeSpan horizon, IReadOnlyList<double> weights,
        Instrument instrument, ulong seed)
    {
        var parts = Split(qty, weights, instrument);
        var times = Times(start, horizon, parts.Count, seed);
        var plan = new List<PlannedSlice>(parts.Count);
        for (var k = 0; k < parts.Count; k++)
            if (parts[k] > 0)
                plan.Add(new PlannedSlice(plan.Count, times[k], parts[k]));
        return plan;
    }

    /// <summary>
    /// Splits <paramref name="total"/> in proportion to <paramref name="weights"/>: the cumulative target
    /// of each part is floored to the lot, so the parts are lot multiples and the last one closes the
    /// sum exactly. A part below the minimum quantity is carried into the next (the last into the one
    /// before it), so none is too small to send; carried parts become 0.
    /// </summary>
    public static IReadOnlyList<decimal> Split(decimal total, IReadOnlyList<double> weights, Instrument instrument)
    {
        ArgumentNullException.ThrowIfNull(weights);
        if (weights.Count == 0) throw new ArgumentException("at least one weight", nameof(weights));
        if (weights.Any(w => !double.IsFinite(w) || w < 0)) throw new ArgumentException("weights must be finite and not negative", nameof(weights));
        if (total <= 0 || !instrument.IsOnLot(total))
            throw new ArgumentException($"quantity {total} must be a positive multiple of the lot {instrument.LotSize}", nameof(total));
        var sum = weights.Sum();
        var n = weights.Count;
        var parts = new decimal[n];
        decimal previous = 0, running = 0;
        for (var k = 0; k < n; k++)
        {
            running += (decimal)(sum > 0 ? weights[k] : 1.0);
            var share = sum > 0 ? running / (decimal)sum : (decimal)(k + 1) / n;
            var cumulative = k == n - 1 ? total : Math.Min(total, instrument.FloorQty(total * Math.Min(share, 1m)));
            parts[k] = cumulative - previous;
            previous = cumulative;
        }
        decimal carry = 0;
        for (var k = 0; k < n; k++)
        {
            var part = parts[k] + carry;
            carry = 0;
            if (part < instrument.MinQty && k < n - 1)
            {
                carry = part;
                part = 0;
            }
            parts[k] = part;
        }
        if (parts[n - 1] is > 0 and var last && last < instrument.MinQty)
        {
            // The tail is too small alone: give it to the last slice that has something.
            var j = n - 2;
            while (j >= 0 && parts[j] == 0) j--;
            if (j >= 0)
            {
                parts[j] += last;
                parts[n - 1] = 0;
            }
        }
        return parts;
    }

    /// <summary>
    /// Slice k is due at start + (k + u) × horizon / n with u uniform in ±<see cref="Jitter"/>/2, except
    /// the first, which is due at the start. Strictly increasing, all before the end of the horizon.
    /// </summary>
    public static IReadOnlyList<DateTime> Times(DateTime start, TimeSpan horizon, int slices, ulong seed)
    {
        if (horizon <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(horizon), "the horizon must be positive");
        if (slices < 1) throw new ArgumentOutOfRangeException(nameof(slices), "at least one slice");
        var random = new DeterministicRandom(seed);
        var interval = horizon.Ticks / (double)slices;
        var times = new DateTime[slices];
        times[0] = start;
        for (var k = 1; k < slices; k++)
        {
            var offset = (k + (random.NextDouble() - 0.5) * Jitter) * interval;
            // Whole milliseconds: the plan is persisted and read back exactly.
            var ms = (long)Math.Round(offset / TimeSpan.TicksPerMillisecond);
            times[k] = start.AddMilliseconds(ms);
            if (times[k] <= times[k - 1]) times[k] = times[k - 1].AddMilliseconds(1);
        }
        return times;
    }

    /// <summary>A stable seed from a parent id (FNV-1a): string.GetHashCode differs between processes.</summary>
    public static ulong SeedOf(string parentId)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in parentId)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        return hash;
    }
}
