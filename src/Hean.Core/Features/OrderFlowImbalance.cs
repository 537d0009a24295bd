namespace Hean.Core.Features;

/// <summary>
/// Order flow imbalance of Cont, Kukanov and Stoikov (2014) from successive best quotes:
/// e = 1{bid ≥ bid'}·bidQty − 1{bid ≤ bid'}·bidQty' − 1{ask ≤ ask'}·askQty + 1{ask ≥ ask'}·askQty',
/// primes marking the previous state. Positive e is buying pressure (bids added or raised, asks
/// taken or lifted). <see cref="Sum"/> adds them up since the last <see cref="ResetSum"/>.
/// After <see cref="Invalidate"/> (a book gap) the next state only primes: no contribution is
/// made across a gap.
/// </summary>
public sealed class OrderFlowImbalance
{
    private bool _primed;
    private double _bid, _bidQty, _ask, _askQty;

    /// <summary>Σ e since the last reset.</summary>
    public double Sum { get; private set; }

    /// <summary>Book states that contributed since the last reset.</summary>
    public int Contributions { get; private set; }

    /// <summary>Takes the next best quotes; returns this state's e (0 for the first state after a gap).</summary>
    public double Update(double bid, double bidQty, double ask, double askQty)
    {
        if (!double.IsFinite(bid) || !double.IsFinite(bidQty) || !double.IsFinite(ask) || !double.IsFinite(askQty))
            throw new ArgumentOutOfRangeException(nameof(bid), $"best quotes must be finite: {bid}×{bidQty} / {ask}×{askQty}");
        var e = 0.0;
        if (_primed)
        {
            if (bid >= _bid) e += bidQty;
            if (bid <= _bid) e -= _bidQty;
            if (ask <= _ask) e -= askQty;
            if (ask >= _ask) e += _askQty;
            Sum += e;
            Contributions++;
        }
        (_bid, _bidQty, _ask, _askQty) = (bid, bidQty, ask, askQty);
        _primed = true;
        return e;
    }

    /// <summary>Forgets the previous state (the book lost sync).</summary>
    public void Invalidate() => _primed = false;

    public void ResetSum()
    {
        Sum = 0;
        Contributions = 0;
    }
}
