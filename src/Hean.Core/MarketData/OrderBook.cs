using Hean.Core.Domain;

namespace Hean.Core.MarketData;

/// <summary>What <see cref="OrderBook.Apply"/> did with a message.</summary>
public enum BookApplyResult
{
    /// <summary>A delta was applied.</summary>
    Applied,
    /// <summary>A snapshot replaced the book.</summary>
    Snapshot,
    /// <summary>A message was lost: the book is no longer initialized and needs a fresh snapshot.</summary>
    Gap,
    /// <summary>A delta at or before the current sequence; ignored.</summary>
    Stale,
    /// <summary>A delta before any snapshot (or after a gap); ignored.</summary>
    NotInitialized,
}

/// <summary>
/// The L2 book of one symbol, built from snapshots and deltas. Not thread-safe.
/// Each side keeps its levels in one sorted array with the best level at the end, so the
/// frequent changes near the top of the book move few elements and nothing is allocated per level.
/// </summary>
public sealed class OrderBook(Symbol symbol)
{
    private readonly BookSide _bids = new(isBid: true);
    private readonly BookSide _asks = new(isBid: false);

    public Symbol Symbol { get; } = symbol;

    /// <summary>The sequence of the last snapshot or delta applied.</summary>
    public long Sequence { get; private set; }

    /// <summary>True after a snapshot, false before one and after a gap (the levels are then stale).</summary>
    public bool IsInitialized { get; private set; }

    /// <summary>Time of the last message applied.</summary>
    public DateTime Time { get; private set; }

    public BookLevel? BestBid => _bids.Count > 0 ? _bids.FromTop(0) : null;
    public BookLevel? BestAsk => _asks.Count > 0 ? _asks.FromTop(0) : null;

    public decimal? Mid => _bids.Count > 0 && _asks.Count > 0
        ? (_bids.FromTop(0).Price + _asks.FromTop(0).Price) / 2m
        : null;

    public decimal? Spread => _bids.Count > 0 && _asks.Count > 0
        ? _asks.FromTop(0).Price - _bids.FromTop(0).Price
        : null;

    public int BidLevels => _bids.Count;
    public int AskLevels => _asks.Count;

    public int LevelCount(Side side) => SideOf(side).Count;

    /// <summary>The level <paramref name="index"/> places from the top of a side (0 = best).</summary>
    public BookLevel LevelAt(Side side, int index)
    {
        var s = SideOf(side);
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, s.Count);
        return s.FromTop(index);
    }

    /// <summary>The best <paramref name="depth"/> bids, best first (a copy).</summary>
    public IReadOnlyList<BookLevel> Bids(int depth) => _bids.Top(depth);

    /// <summary>The best <paramref name="depth"/> asks, best first (a copy).</summary>
    public IReadOnlyList<BookLevel> Asks(int depth) => _asks.Top(depth);

    /// <summary>The quantity resting at exactly this price on this side, 0 when there is no such level.</summary>
    public decimal QtyAt(Side side, decimal price) => SideOf(side).QtyAt(price);

    /// <summary>
    /// The total quantity on a side at prices as good as <paramref name="priceLimit"/> or better:
    /// bids at or above it, asks at or below it.
    /// </summary>
    public decimal DepthWithin(Side side, decimal priceLimit) => SideOf(side).DepthThrough(priceLimit);

    public BookApplyResult Apply(BookUpdate u)
    {
        ArgumentNullException.ThrowIfNull(u);
        if (u.Symbol != Symbol)
            throw new ArgumentException($"update for {u.Symbol} applied to the book of {Symbol}", nameof(u));

        if (u.IsSnapshot)
        {
            _bids.Load(u.Bids);
            _asks.Load(u.Asks);
            Sequence = u.Sequence;
            IsInitialized = true;
            Time = u.Time;
            Uncross(u);
            return BookApplyResult.Snapshot;
        }

        if (!IsInitialized) return BookApplyResult.NotInitialized;
        if (u.Sequence <= Sequence) return BookApplyResult.Stale;
        var expected = u.PrevSequence != 0 ? u.PrevSequence == Sequence : u.Sequence == Sequence + 1;
        if (!expected)
        {
            IsInitialized = false;
            return BookApplyResult.Gap;
        }

        for (var i = 0; i < u.Bids.Count; i++) _bids.Set(u.Bids[i]);
        for (var i = 0; i < u.Asks.Count; i++) _asks.Set(u.Asks[i]);
        Sequence = u.Sequence;
        Time = u.Time;
        Uncross(u);
        return BookApplyResult.Applied;
    }

    /// <summary>
    /// Keeps best bid below best ask. A level this message set is trusted over an older level of the
    /// other side, so the older crossed levels are removed one by one. When both crossed levels come
    /// from this message (a self-crossed message, or any crossed snapshot) or neither does, we cannot
    /// tell which is stale, and both are dropped.
    /// </summary>
    private void Uncross(BookUpdate u)
    {
        while (_bids.Count > 0 && _asks.Count > 0)
        {
            var bid = _bids.FromTop(0).Price;
            var ask = _asks.FromTop(0).Price;
            if (bid < ask) return;
            var bidIsNew = u.IsSnapshot || Sets(u.Bids, bid);
            var askIsNew = u.IsSnapshot || Sets(u.Asks, ask);
            if (bidIsNew && !askIsNew) _asks.RemoveBest();
            else if (askIsNew && !bidIsNew) _bids.RemoveBest();
            else
            {
                _bids.RemoveBest();
                _asks.RemoveBest();
            }
        }
    }

    private static bool Sets(IReadOnlyList<BookLevel> levels, decimal price)
    {
        for (var i = 0; i < levels.Count; i++)
            if (levels[i].Price == price && levels[i].Qty > 0) return true;
        return false;
    }

    private BookSide SideOf(Side side) => side == Side.Buy ? _bids : _asks;

    /// <summary>
    /// One side, sorted worst to best (bids ascending, asks descending). Beside each level its price as a whole number of
    /// 10⁻¹⁰ in a long, negated on the ask side so that better is always larger: the search compares longs instead of
    /// decimals (a synthetic 12 h book spent most of its time in decimal comparisons). A price that has no such key (more
    /// than 10 decimals, or beyond ±9.2 × 10⁸) turns the keys off for the side until it is cleared or loaded again, and the
    /// search compares decimals as before; both searches order and match prices by value, as decimal comparison does.
    /// </summary>
    private sealed class BookSide(bool isBid)
    {
        private const int KeyScale = 10;
        private static readonly ulong[] Pow10 = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000, 1_000_000_000, 10_000_000_000];

        private BookLevel[] _levels = new BookLevel[64];
        private long[] _keys = new long[64];
        private bool _keyed = true; // every level's key is in _keys

        public int Count { get; private set; }

        public BookLevel FromTop(int index) => _levels[Count - 1 - index];

        public void RemoveBest() => Count--;

        public void Clear()
        {
            Count = 0;
            _keyed = true;
        }

        /// <summary>Replaces the side. Levels that come best first, as exchanges send them, are copied in one pass.</summary>
        public void Load(IReadOnlyList<BookLevel> levels)
        {
            Clear();
            var n = levels.Count;
            var bestFirst = true;
            for (var i = 0; i < n && bestFirst; i++)
                bestFirst = levels[i].Qty > 0 && (i == 0 || IsBetter(levels[i - 1].Price, levels[i].Price));
            if (!bestFirst)
            {
                for (var i = 0; i < n; i++) Set(levels[i]);
                return;
            }
            if (_levels.Length < n)
            {
                _levels = new BookLevel[Math.Max(n, _levels.Length * 2)];
                _keys = new long[_levels.Length];
            }
            for (var i = 0; i < n; i++)
            {
                var level = levels[i];
                _levels[n - 1 - i] = level;
                if (_keyed && TryKey(level.Price, out var key)) _keys[n - 1 - i] = key;
                else _keyed = false;
            }
            Count = n;
        }

        private bool IsBetter(decimal price, decimal than) => isBid ? price > than : price < than;

        /// <summary>The price's key on this side: larger is better. False when the price has none.</summary>
        private bool TryKey(decimal price, out long key)
        {
            var (flags, high32, digits) = DecimalBits.Of(price);
            var scale = (flags >> 16) & 0xFF;
            key = 0;
            if (high32 != 0 || scale > KeyScale) return false;
            var high = Math.BigMul(digits, Pow10[KeyScale - scale], out var low);
            if (high != 0 || low > long.MaxValue) return false;
            key = (int)flags < 0 ? -(long)low : (long)low;
            if (!isBid) key = -key;
            return true;
        }

        public void Set(BookLevel level)
        {
            var (qtyFlags, qtyHigh, qtyLow) = DecimalBits.Of(level.Qty);
            var zero = qtyHigh == 0 && qtyLow == 0;
            if ((int)qtyFlags < 0 && !zero)
                throw new ArgumentException($"negative quantity {level.Qty} at price {level.Price}", nameof(level));
            long key = 0;
            var keyed = _keyed && TryKey(level.Price, out key);
            var i = keyed ? FindKey(key) : FindPrice(level.Price);
            if (i >= 0)
            {
                if (zero)
                {
                    var after = Count - i - 1;
                    _levels.AsSpan(i + 1, after).CopyTo(_levels.AsSpan(i));
                    if (_keyed) _keys.AsSpan(i + 1, after).CopyTo(_keys.AsSpan(i));
                    Count--;
                }
                else
                {
                    _levels[i] = level;
                }
                return;
            }
            if (zero) return;
            i = ~i;
            if (Count == _levels.Length)
            {
                Array.Resize(ref _levels, _levels.Length * 2);
                Array.Resize(ref _keys, _levels.Length);
            }
            _levels.AsSpan(i, Count - i).CopyTo(_levels.AsSpan(i + 1));
            _levels[i] = level;
            if (keyed)
            {
                _keys.AsSpan(i, Count - i).CopyTo(_keys.AsSpan(i + 1));
                _keys[i] = key;
            }
            else _keyed = false;
            Count++;
        }

        public decimal QtyAt(decimal price)
        {
            var i = _keyed && TryKey(price, out var key) ? FindKey(key) : FindPrice(price);
            return i >= 0 ? _levels[i].Qty : 0m;
        }

        public decimal DepthThrough(decimal limit)
        {
            var sum = 0m;
            for (var i = Count - 1; i >= 0; i--)
            {
                if (IsBetter(limit, _levels[i].Price)) break;
                sum += _levels[i].Qty;
            }
            return sum;
        }

        public BookLevel[] Top(int depth)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(depth);
            var n = Math.Min(depth, Count);
            var result = new BookLevel[n];
            for (var i = 0; i < n; i++) result[i] = FromTop(i);
            return result;
        }

        /// <summary>Index of the key, or the bitwise complement of where it would be inserted (the keys are ascending).</summary>
        private int FindKey(long key)
        {
            var keys = _keys;
            int lo = 0, hi = Count - 1;
            while (lo <= hi)
            {
                var mid = (lo + hi) >>> 1;
                var k = keys[mid];
                if (k == key) return mid;
                if (k < key) lo = mid + 1;
                else hi = mid - 1;
            }
            return ~lo;
        }

        /// <summary>Index of the price, or the bitwise complement of where it would be inserted.</summary>
        private int FindPrice(decimal price)
        {
            int lo = 0, hi = Count - 1;
            while (lo <= hi)
            {
                var mid = (lo + hi) >>> 1;
                var p = _levels[mid].Price;
                if (p == price) return mid;
                if (IsBetter(price, p)) lo = mid + 1;
                else hi = mid - 1;
            }
            return ~lo;
        }
    }
}
