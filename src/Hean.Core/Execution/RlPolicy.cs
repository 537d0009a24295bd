using System.Text.Json.Serialization;

namespace Hean.Core.Execution;

/// <summary>What the execution agent may do at a decision: send nothing now, post a slice at the touch, or cross the spread with it.</summary>
public enum RlAction : byte { Wait = 0, Post = 1, Cross = 2 }

/// <summary>
/// What the execution agent sees at a decision. <see cref="TimeLeft"/> and <see cref="QtyLeft"/> are shares of
/// the horizon and of the parent (1 at the start); <see cref="Imbalance"/> is the touch imbalance signed so that
/// positive means pressure in our direction (more bids than asks for a buyer: the price tends to move away);
/// <see cref="VolatilityBps"/> is the recent volatility in bps per √second. Nulls are what the venue cannot tell.
/// </summary>
public readonly record struct RlObservation(double TimeLeft, double QtyLeft, double? SpreadBps, double? Imbalance, double? VolatilityBps);

/// <summary>
/// How observations become the states of a tabular agent: equal buckets of time left and quantity left, and
/// buckets of spread, imbalance and volatility between the given edges (a value at an edge goes to the bucket
/// above it). Unknown values go to bucket 0 (spread, volatility) or to the middle bucket (imbalance).
/// </summary>
public sealed record RlStateSpace(int TimeBuckets, int QtyBuckets, double[] SpreadEdgesBps, double[] ImbalanceEdges, double[] VolatilityEdgesBps)
{
    [JsonIgnore]
    public int Count => TimeBuckets * QtyBuckets * (SpreadEdgesBps.Length + 1) * (ImbalanceEdges.Length + 1) * (VolatilityEdgesBps.Length + 1);

    /// <summary>Why this space is unusable, or null.</summary>
    public string? Validate()
    {
        if (TimeBuckets is < 1 or > 100 || QtyBuckets is < 1 or > 100) return "time and quantity buckets must be 1 to 100";
        foreach (var (name, edges) in new[] { ("spread", SpreadEdgesBps), ("imbalance", ImbalanceEdges), ("volatility", VolatilityEdgesBps) })
        {
            if (edges is null || edges.Length > 20) return $"{name} edges: at most 20";
            for (var i = 0; i < edges.Length; i++)
                if (!double.IsFinite(edges[i]) || (i > 0 && edges[i] < edges[i - 1])) return $"{name} edges must be finite and ascending";
        }
        return null;
    }

    public int StateOf(RlObservation o)
    {
        var t = Bucket(1 - Math.Clamp(o.TimeLeft, 0, 1), TimeBuckets);
        var q = Bucket(1 - Math.Clamp(o.QtyLeft, 0, 1), QtyBuckets);
        var s = o.SpreadBps is { } spread ? Above(SpreadEdgesBps, spread) : 0;
        var i = Above(ImbalanceEdges, o.Imbalance ?? 0);
        var v = o.VolatilityBps is { } vol ? Above(VolatilityEdgesBps, vol) : 0;
        return (((t * QtyBuckets + q) * (SpreadEdgesBps.Length + 1) + s) * (ImbalanceEdges.Length + 1) + i) * (VolatilityEdgesBps.Length + 1) + v;
    }

    /// <summary>
    /// Elapsed share in [0, 1] into n equal buckets (1 itself in the last). A share at a bucket's edge belongs to the
    /// bucket above it even after rounding (1 − 0.8 is a hair under 0.2 in binary).
    /// </summary>
    private static int Bucket(double elapsed, int n) => Math.Min(n - 1, (int)(elapsed * n + 1e-9));

    private static int Above(double[] edges, double x)
    {
        var k = 0;
        while (k < edges.Length && x >= edges[k]) k++;
        return k;
    }
}

/// <summary>
/// A trained execution policy: a Q-table over <see cref="States"/> × the three actions (row-major, action
/// index = <see cref="RlAction"/>), with how often each action was tried in each state in training. The best
/// action tried wins, ties going to post, then cross, then wait; a state where nothing was tried acts as a
/// passive TWAP would (post).
/// Immutable by contract: the arrays are never written after training. Saved as JSON (<see cref="Format"/>).
/// </summary>
public sealed record RlPolicy(int Format, RlStateSpace States, double[] Q, int[] Visits)
{
    public const int CurrentFormat = 1;
    public const int Actions = 3;

    /// <summary>Why this policy is unusable (wrong format, table sizes that do not match the states), or null.</summary>
    public string? Validate()
    {
        if (Format != CurrentFormat) return $"policy format {Format} is not supported (this build reads format {CurrentFormat})";
        if (States is null) return "the policy has no state space";
        if (States.Validate() is { } invalid) return invalid;
        if (Q is null || Q.Length != States.Count * Actions) return $"the Q-table has {Q?.Length ?? 0} values, the state space needs {States.Count * Actions}";
        if (Visits is null || Visits.Length != Q.Length) return $"the visit counts have {Visits?.Length ?? 0} entries, the Q-table {Q.Length}";
        if (Visits.Any(v => v < 0)) return "visit counts must not be negative";
        if (Q.Any(q => !double.IsFinite(q))) return "the Q-table has values that are not finite";
        return null;
    }

    public RlAction Act(RlObservation o) => Greedy(States.StateOf(o));

    public RlAction Greedy(int state)
    {
        RlAction? best = null;
        foreach (var a in (ReadOnlySpan<RlAction>)[RlAction.Post, RlAction.Cross, RlAction.Wait])
            if (Tried(state, a) > 0 && (best is not { } b || Value(state, a) > Value(state, b))) best = a;
        return best ?? RlAction.Post;
    }

    public int Tried(int state, RlAction a) => Visits[state * Actions + (int)a];

    public double Value(int state, RlAction a) => Q[state * Actions + (int)a];
}
