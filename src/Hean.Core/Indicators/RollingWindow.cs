namespace Hean.Core.Indicators;

/// <summary>
/// The last <c>capacity</c> values in a ring, with their sum and population variance in O(1).
/// Sums are kept relative to a shift near the mean (no cancellation when prices are large and
/// moves small) and recomputed exactly from the ring once per <c>capacity</c> pushes, so rounding
/// cannot drift over a long stream; the cost stays O(1) amortized. A window whose values are all
/// equal is recognised exactly (run length of equal values), so a flat market gives a variance of
/// exactly 0 and a mean equal to the price, not rounding residue.
/// </summary>
internal sealed class RollingWindow
{
    private readonly double[] _items;
    private int _oldest;
    private int _count;
    private int _run; // how many of the newest values are equal to the newest
    private int _sinceExact;
    private double _shift;
    private double _sum;   // Σ (x - shift)
    private double _sumSq; // Σ (x - shift)²

    public RollingWindow(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _items = new double[capacity];
    }

    public int Capacity => _items.Length;
    public int Count => _count;
    public bool IsFull => _count == _items.Length;

    /// <summary>True when every value in the window is the same.</summary>
    public bool IsConstant => _count > 0 && _run >= _count;

    /// <summary>The value that leaves on the next push of a full window.</summary>
    public double Oldest => _items[_oldest];

    public double Newest
    {
        get
        {
            var i = _oldest + _count - 1;
            return _items[i >= _items.Length ? i - _items.Length : i];
        }
    }

    public double Sum => IsConstant ? Newest * _count : _shift * _count + _sum;

    public double Mean => IsConstant ? Newest : _shift + _sum / _count;

    public double PopulationVariance
    {
        get
        {
            if (IsConstant) return 0.0;
            var m = _sum / _count;
            var v = _sumSq / _count - m * m;
            return v > 0 ? v : 0.0;
        }
    }

    public void Push(double x)
    {
        if (_count == 0) _shift = x;
        _run = _count > 0 && x == Newest ? _run + 1 : 1;

        if (_count == _items.Length)
        {
            var old = _items[_oldest] - _shift;
            _sum -= old;
            _sumSq -= old * old;
            _items[_oldest] = x;
            if (++_oldest == _items.Length) _oldest = 0;
        }
        else
        {
            var i = _oldest + _count;
            _items[i >= _items.Length ? i - _items.Length : i] = x;
            _count++;
        }

        var d = x - _shift;
        _sum += d;
        _sumSq += d * d;
        if (++_sinceExact == _items.Length) Recompute();
    }

    /// <summary>(1/n) Σ |x − center|. O(n): the mean deviation around a moving center needs every value.</summary>
    public double MeanAbsoluteDeviation(double center)
    {
        var total = 0.0;
        var first = Math.Min(_count, _items.Length - _oldest);
        for (var i = 0; i < first; i++) total += Math.Abs(_items[_oldest + i] - center);
        for (var i = 0; i < _count - first; i++) total += Math.Abs(_items[i] - center);
        return total / _count;
    }

    /// <summary>The value <paramref name="age"/> places from the oldest (0 = oldest).</summary>
    public double At(int age)
    {
        var i = _oldest + age;
        return _items[i >= _items.Length ? i - _items.Length : i];
    }

    private void Recompute()
    {
        _sinceExact = 0;
        _shift = _shift + _sum / _count;
        double sum = 0, sumSq = 0;
        for (var age = 0; age < _count; age++)
        {
            var d = At(age) - _shift;
            sum += d;
            sumSq += d * d;
        }
        _sum = sum;
        _sumSq = sumSq;
    }
}
