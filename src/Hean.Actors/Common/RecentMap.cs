namespace Hean.Actors.Common;

/// <summary>
/// The last <c>capacity</c> keys added, each with its value; adding one more forgets the oldest. A parent remembers with it
/// which entity holds what was routed through it (an order id's symbol), so that a message naming only the id goes to that
/// entity instead of to all of them, within a bounded memory.
/// </summary>
public sealed class RecentMap<TKey, TValue>(int capacity) where TKey : notnull
{
    private readonly Dictionary<TKey, TValue> _values = new();
    private readonly Queue<TKey> _order = new();

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), "the capacity must be positive");

    public int Count => _values.Count;

    /// <summary>Remembers <paramref name="key"/> with <paramref name="value"/>; a key known already keeps its place in line.</summary>
    public void Set(TKey key, TValue value)
    {
        if (_values.TryAdd(key, value))
        {
            _order.Enqueue(key);
            if (_order.Count > Capacity) _values.Remove(_order.Dequeue());
            return;
        }
        _values[key] = value;
    }

    public bool TryGet(TKey key, out TValue value) => _values.TryGetValue(key, out value!);
}
