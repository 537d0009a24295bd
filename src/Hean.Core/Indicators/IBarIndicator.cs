namespace Hean.Core.Indicators;

/// <summary>
/// An indicator fed one bar at a time, in O(1) without allocating. It has one or more outputs
/// (their names are in <see cref="IndicatorSpec.Fields"/>); an output is NaN while it is undefined
/// (warm-up), never zero-filled. Input that is not a finite number (or a negative volume) is refused
/// with <see cref="ArgumentOutOfRangeException"/> and leaves the indicator as it was.
/// </summary>
public interface IBarIndicator
{
    int OutputCount { get; }

    /// <summary>True once every output is defined.</summary>
    bool IsReady { get; }

    void Update(in OhlcvBar bar);

    /// <summary>Output <paramref name="index"/> (0 ≤ index &lt; <see cref="OutputCount"/>), NaN while undefined.</summary>
    double Output(int index);
}
