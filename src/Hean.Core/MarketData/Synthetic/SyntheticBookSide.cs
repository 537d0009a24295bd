namespace Hean.Core.MarketData.Synthetic;

/// <summary>
/// One side of the simulated book in integer ticks and lots, best level first. Levels keep their
/// price and size from step to step while they stay behind the touch, so consecutive books differ
/// only where the price moved, where orders were resized, or where trades took liquidity.
/// </summary>
internal sealed class SyntheticBookSide(bool isBid)
{
    // A tick next to a level is occupied with this probability; otherwise the gap grows by a tick.
    private const double FillProbability = 0.7;
    private const int MaxGapTicks = 10;
    // Chance per step that a resting level is resized, and the size of that change.
    private const double ResizeProbability = 0.1;
    private const double ResizeSigma = 0.3;
    // Fresh levels: mean size grows by this fraction of the touch size per level of distance.
    private const double DepthSizeGrowth = 0.15;
    private const double FreshSizeSigma = 0.5;

    private List<Level> _levels = [];
    private List<Level> _spare = [];
    private readonly List<Level> _changes = [];

    public readonly record struct Level(long Ticks, long Lots);

    public bool IsBid { get; } = isBid;
    public int Count => _levels.Count;
    public Level this[int index] => _levels[index];

    /// <summary>Moves the touch to <paramref name="touch"/> and refills to <paramref name="depth"/>
    /// levels; returns the changed levels (lots 0 = removed), best first, in a list of its own reused by the next call.</summary>
    public List<Level> Rebuild(long touch, int depth, double touchLots, DeterministicRandom rng)
    {
        var old = _levels;
        var next = _spare;
        next.Clear();
        var was = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(old);

        var i = 0;
        while (i < was.Length && IsBetter(was[i].Ticks, touch)) i++;
        _sizes.Clear();
        if (i < was.Length && was[i].Ticks == touch) Keep(next, was[i++], rng);
        else AddFresh(next, touch, touchLots, rng);
        var last = next[0].Ticks;

        while (next.Count < depth)
        {
            var gap = 1;
            while (gap < MaxGapTicks && !rng.NextBool(FillProbability)) gap++;
            var candidate = IsBid ? last - gap : last + gap;
            if (i < was.Length && !IsBetter(candidate, was[i].Ticks))
            {
                last = was[i].Ticks;
                Keep(next, was[i++], rng);
                continue;
            }
            if (candidate < 1) break; // prices stay positive: the bid side thins out near zero
            AddFresh(next, candidate, touchLots, rng);
            last = candidate;
        }

        // The log-normal sizes drawn above, made now: the draws came in the generator's order, and their exponentials, each
        // a long chain of dependent operations, run one after the other here, where the processor can overlap them.
        var levels = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(next);
        foreach (var size in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_sizes))
        {
            var scaled = size.Scale * PortableMath.Exp(size.Exponent);
            if (size.Fresh) scaled = Math.Min(scaled, 1e15);
            levels[size.Index] = levels[size.Index] with { Lots = Math.Max(1L, (long)Math.Round(scaled)) };
        }

        var changes = Diff(old, next);
        _spare = old;
        _levels = next;
        return changes;
    }

    /// <summary>Takes up to <paramref name="lots"/> from the touch. The last level of a side is never
    /// emptied: hidden liquidity refills it, so the print happens and the level stays.</summary>
    /// <returns>The lots traded and the touch's new size (null when the book did not change).</returns>
    public (long Traded, Level? Changed) TakeFromTouch(long lots)
    {
        var touch = _levels[0];
        var traded = Math.Min(lots, touch.Lots);
        var left = touch.Lots - traded;
        if (left == 0 && _levels.Count == 1) return (traded, null);
        if (left == 0) _levels.RemoveAt(0);
        else _levels[0] = touch with { Lots = left };
        return (traded, touch with { Lots = left });
    }

    /// <summary>The side as book levels, best first.</summary>
    public BookLevel[] ToBookLevels(GridUnit tick, GridUnit lot) => ToBookLevels(_levels, tick, lot);

    public static BookLevel[] ToBookLevels(List<Level> levels, GridUnit tick, GridUnit lot)
    {
        var result = new BookLevel[levels.Count];
        for (var i = 0; i < result.Length; i++) result[i] = new BookLevel(tick.Times(levels[i].Ticks), lot.Times(levels[i].Lots));
        return result;
    }

    private bool IsBetter(long a, long b) => IsBid ? a > b : a < b;

    /// <summary>A level's size still to make: <see cref="Scale"/> × e^<see cref="Exponent"/>, capped at 10¹⁵ when fresh.</summary>
    private readonly record struct PendingSize(int Index, double Scale, double Exponent, bool Fresh);

    private readonly List<PendingSize> _sizes = [];

    // A resting level kept, resized with probability ResizeProbability to Max(1, Round(Lots × a unit log-normal)): drawn
    // now, made with the others at the end of Rebuild.
    private void Keep(List<Level> next, Level level, DeterministicRandom rng)
    {
        if (rng.NextBool(ResizeProbability))
            _sizes.Add(new PendingSize(next.Count, level.Lots, rng.NextUnitLogNormalExponent(ResizeSigma), Fresh: false));
        next.Add(level);
    }

    // A fresh level of Max(1, Round(Min(mean × a unit log-normal, 1e15))) lots, its mean growing with the distance from the
    // touch: drawn now, made at the end of Rebuild.
    private void AddFresh(List<Level> next, long ticks, double touchLots, DeterministicRandom rng)
    {
        var mean = touchLots * (1.0 + DepthSizeGrowth * next.Count);
        _sizes.Add(new PendingSize(next.Count, mean, rng.NextUnitLogNormalExponent(FreshSizeSigma), Fresh: true));
        next.Add(new Level(ticks, 0));
    }

    private List<Level> Diff(List<Level> oldLevels, List<Level> nextLevels)
    {
        var changes = _changes;
        changes.Clear();
        var old = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(oldLevels);
        var next = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(nextLevels);
        int i = 0, j = 0;
        while (i < old.Length || j < next.Length)
        {
            if (j == next.Length || (i < old.Length && IsBetter(old[i].Ticks, next[j].Ticks)))
                changes.Add(old[i++] with { Lots = 0 });
            else if (i == old.Length || IsBetter(next[j].Ticks, old[i].Ticks))
                changes.Add(next[j++]);
            else
            {
                if (old[i].Lots != next[j].Lots) changes.Add(next[j]);
                i++;
                j++;
            }
        }
        return changes;
    }
}
