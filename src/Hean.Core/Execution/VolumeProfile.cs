using System.Text.Json.Serialization;
using Hean.Core.MarketData;

namespace Hean.Core.Execution;

/// <summary>
/// The share of traded volume expected in each bucket of a repeating period (e.g. each minute of the
/// hour, each hour of the day), learned from history. Buckets are aligned to the period on the UTC clock.
/// </summary>
public sealed record VolumeProfile
{
    public VolumeProfile(TimeSpan period, IReadOnlyList<double> shares)
    {
        ArgumentNullException.ThrowIfNull(shares);
        if (period <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(period), "the period must be positive");
        if (shares.Count == 0 || period.Ticks % shares.Count != 0)
            throw new ArgumentException($"{shares.Count} buckets do not divide the period {period}", nameof(shares));
        if (shares.Any(s => !double.IsFinite(s) || s < 0) || shares.Sum() <= 0)
            throw new ArgumentException("shares must be finite, not negative, and not all zero", nameof(shares));
        Period = period;
        var sum = shares.Sum();
        Shares = shares.Select(s => s / sum).ToArray();
    }

    public TimeSpan Period { get; }

    /// <summary>Normalized: the shares sum to 1.</summary>
    public IReadOnlyList<double> Shares { get; }

    [JsonIgnore]
    public TimeSpan Bucket => TimeSpan.FromTicks(Period.Ticks / Shares.Count);

    public static VolumeProfile Flat(TimeSpan period, int buckets) => new(period, Enumerable.Repeat(1.0, buckets).ToArray());

    /// <summary>The profile of a trade history: see <see cref="VolumeProfileBuilder"/>.</summary>
    public static VolumeProfile FromTrades(IEnumerable<Trade> trades, TimeSpan period, int buckets)
    {
        var builder = new VolumeProfileBuilder(period, buckets);
        foreach (var t in trades) builder.Add(t.Time, t.Qty);
        return builder.Build() ?? Flat(period, buckets);
    }

    /// <summary>
    /// How the volume of [start, start + horizon) divides over <paramref name="slices"/> equal parts:
    /// the profile integrated over each part, normalized. Uniform when the profile expects nothing.
    /// </summary>
    public double[] SliceWeights(DateTime start, TimeSpan horizon, int slices)
    {
        if (horizon <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(horizon));
        if (slices < 1) throw new ArgumentOutOfRangeException(nameof(slices));
        var weights = new double[slices];
        var bucket = Bucket.Ticks;
        for (var k = 0; k < slices; k++)
        {
            var from = start.Ticks + horizon.Ticks * k / slices;
            var to = start.Ticks + horizon.Ticks * (k + 1) / slices;
            var t = from;
            while (t < to)
            {
                var index = (int)(t % Period.Ticks / bucket);
                var bucketEnd = t - t % bucket + bucket;
                var end = Math.Min(bucketEnd, to);
                weights[k] += Shares[index] * (end - t) / bucket;
                t = end;
            }
        }
        var sum = weights.Sum();
        return sum > 0 ? weights.Select(w => w / sum).ToArray() : Enumerable.Repeat(1.0 / slices, slices).ToArray();
    }
}

/// <summary>
/// Learns a <see cref="VolumeProfile"/> from volume as it trades. A bucket's level is its average
/// volume over the periods in which it traded at all, so gaps in a recording (no data, not no volume)
/// do not read as quiet times; buckets never seen take the average of the others.
/// </summary>
public sealed class VolumeProfileBuilder
{
    private readonly TimeSpan _period;
    private readonly double[] _volume;
    private readonly HashSet<long>[] _periodsSeen;
    private readonly HashSet<long> _periods = [];

    public VolumeProfileBuilder(TimeSpan period, int buckets)
    {
        if (period <= TimeSpan.Zero || buckets < 1 || period.Ticks % buckets != 0)
            throw new ArgumentException($"{buckets} buckets must divide the positive period {period}");
        _period = period;
        _volume = new double[buckets];
        _periodsSeen = Enumerable.Range(0, buckets).Select(_ => new HashSet<long>()).ToArray();
    }

    /// <summary>Distinct periods in which some bucket traded (how much history the profile rests on).</summary>
    public int PeriodsObserved { get; private set; }

    public void Add(DateTime time, decimal qty)
    {
        if (qty <= 0) return;
        var periodIndex = time.Ticks / _period.Ticks;
        var bucket = (int)(time.Ticks % _period.Ticks / (_period.Ticks / _volume.Length));
        _volume[bucket] += (double)qty;
        _periodsSeen[bucket].Add(periodIndex);
        if (_periods.Add(periodIndex)) PeriodsObserved = _periods.Count;
    }

    /// <summary>The profile so far, or null before any volume.</summary>
    public VolumeProfile? Build()
    {
        var levels = new double[_volume.Length];
        var seen = new List<double>();
        for (var b = 0; b < levels.Length; b++)
        {
            if (_periodsSeen[b].Count == 0) continue;
            levels[b] = _volume[b] / _periodsSeen[b].Count;
            seen.Add(levels[b]);
        }
        if (seen.Count == 0 || seen.Sum() <= 0) return null;
        var fill = seen.Average();
        for (var b = 0; b < levels.Length; b++)
            if (_periodsSeen[b].Count == 0) levels[b] = fill;
        return new VolumeProfile(_period, levels);
    }
}
