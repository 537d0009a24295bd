namespace Hean.Core.Risk;

/// <summary>
/// One bad price must not engage the kill switch. An equity observation that jumps by more than
/// the threshold from the last trusted one is held back until the next observation confirms it
/// (stays beyond half the jump); a lone spike that reverts is discarded.
/// </summary>
public sealed class BadTickGuard(decimal jumpThreshold)
{
    private decimal? _trusted;
    private decimal? _suspect;

    public decimal? LastTrusted => _trusted;
    public long Discarded { get; private set; }

    /// <summary>The equity to act on now, or null while a jump waits for confirmation.</summary>
    public decimal? Observe(decimal equity)
    {
        if (_trusted is not { } trusted || trusted <= 0)
        {
            _trusted = equity;
            return equity;
        }
        if (_suspect is { } suspect)
        {
            _suspect = null;
            var jump = suspect - trusted;
            // Confirmed when the new observation is still on the far side of half the jump.
            if (Math.Sign(equity - (trusted + jump / 2)) == Math.Sign(jump))
            {
                _trusted = equity;
                return equity;
            }
            Discarded++;
        }
        // Most checkpoints see the equity unchanged (no position): no jump, and no division to find that out.
        if ((equity != trusted || jumpThreshold < 0) && Math.Abs(equity - trusted) / trusted > jumpThreshold)
        {
            _suspect = equity;
            return null;
        }
        _trusted = equity;
        return equity;
    }
}
