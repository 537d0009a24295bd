namespace Hean.Core.Indicators;

/// <summary>
/// The maximum (or minimum) of the last <c>period</c> values, O(1) amortized: a monotonic deque
/// in preallocated rings (a value that can never be the extremum again is dropped on arrival).
/// </summary>
internal sealed class RollingExtremum
{
    private readonly double[] _values;
    private readonly long[] _positions;
    private readonly bool _max;
    private int _head;
    private int _count;
    private long _next;

    public RollingExtremum(int period, bool max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(period, 1);
        _values = new double[period];
        _positions = new long[period];
        _max = max;
    }

    /// <summary>True once <c>period</c> values have been pushed.</summary>
    public bool IsFull => _next >= _values.Length;

    public double Value => _values[_head];

    public void Push(double x)
    {
        var n = _values.Length;
        if (_count > 0 && _positions[_head] <= _next - n)
        {
            if (++_head == n) _head = 0;
            _count--;
        }
        while (_count > 0)
        {
            var tail = _head + _count - 1;
            if (tail >= n) tail -= n;
            var v = _values[tail];
            if (_max ? v > x : v < x) break;
            _count--;
        }
        var at = _head + _count;
        if (at >= n) at -= n;
        _values[at] = x;
        _positions[at] = _next++;
        _count++;
    }
}
