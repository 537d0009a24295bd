using Hean.Core.Domain;

namespace Hean.Core.Orders;

/// <summary>
/// The orders of one order book owner, folded from their events (<see cref="OrderState.Apply"/> per order): open
/// orders, the most recent closed ones, every id ever created (so an id is never used twice), counters, and the recent
/// fills numbered 1, 2, 3… in the order they were booked (the sequence the portfolio and risk's ledger follow). The
/// order entity (<c>orders-{SYMBOL}</c>) persists and routes around it; the fold itself decides nothing.
/// Single-threaded.
/// </summary>
public sealed class SymbolOrders
{
    public const int KeepClosedOrders = 500;
    public const int KeepFills = 10_000; // for the portfolio to catch up on fills it missed

    private readonly Dictionary<ClientOrderId, OrderState> _orders = new();
    private readonly LinkedList<ClientOrderId> _closed = new();
    private readonly HashSet<ClientOrderId> _everCreated = new();
    private readonly LinkedList<Fill> _recentFills = new();

    public long Created { get; private set; }
    public long Filled { get; private set; }
    public long Cancelled { get; private set; }
    public long Rejected { get; private set; }

    /// <summary>Fills booked in total: the sequence number of the last one.</summary>
    public long Fills { get; private set; }

    public IEnumerable<OrderState> Orders => _orders.Values;

    public OrderState? Get(ClientOrderId id) => _orders.GetValueOrDefault(id);

    public bool WasCreated(ClientOrderId id) => _everCreated.Contains(id);

    public int OpenCount => _orders.Values.Count(o => o.Status.IsOpen());

    /// <summary>Open orders (of one symbol, or all), oldest first.</summary>
    public IReadOnlyList<OrderState> Open(Symbol? symbol = null) =>
        _orders.Values.Where(o => o.Status.IsOpen() && (symbol is null || o.Symbol == symbol))
            .OrderBy(o => o.CreatedAt).ThenBy(o => o.Id.Value, StringComparer.Ordinal).ToList();

    /// <summary>Closed by the venue with more executed than booked: their fills are still to come.</summary>
    public IReadOnlyList<OrderState> AwaitingFills() => _orders.Values.Where(o => o.AwaitingFills).OrderBy(o => o.CreatedAt).ToList();

    /// <summary>What may still fill: open orders and those awaiting fills.</summary>
    public IReadOnlyList<OrderState> Working() => _orders.Values.Where(o => o.Status.IsOpen() || o.AwaitingFills).OrderBy(o => o.CreatedAt).ToList();

    public Fill? LastFill => _recentFills.MaxBy(f => f.Time);

    /// <summary>The fills after sequence number <paramref name="afterSeq"/>, each with its number; Complete is false when some are no longer kept.</summary>
    public (IReadOnlyList<(Fill Fill, long Seq)> Fills, bool Complete) FillsAfter(long afterSeq)
    {
        var first = Fills - _recentFills.Count + 1; // seq of the oldest fill still kept
        var fills = _recentFills.Select((f, i) => (f, first + i)).Where(f => f.Item2 > afterSeq).ToList();
        return (fills, afterSeq >= first - 1);
    }

    /// <summary>Applies one event; answers the order before and after it (null: the event's order is not known here).</summary>
    public (OrderState? Before, OrderState? After) Apply(IOrderEvent e)
    {
        if (e is OrderCreated c)
        {
            var created = OrderState.Create(c);
            _orders[c.ClientOrderId] = created;
            _everCreated.Add(c.ClientOrderId);
            Created++;
            return (null, created);
        }
        if (!_orders.TryGetValue(e.ClientOrderId, out var before)) return (null, null);
        var after = before.Apply(e);
        _orders[e.ClientOrderId] = after;
        if (e is OrderRevived) Rejected--; // counted as rejected when it was closed; it was not
        if (e is OrderFilled f)
        {
            Fills++;
            _recentFills.AddLast(f.Fill);
            while (_recentFills.Count > KeepFills) _recentFills.RemoveFirst();
        }
        if (!before.Status.IsTerminal() && after.Status.IsTerminal())
        {
            switch (after.Status)
            {
                case OrderStatus.Filled: Filled++; break;
                case OrderStatus.Cancelled: Cancelled++; break;
                case OrderStatus.Rejected: Rejected++; break;
            }
            _closed.AddLast(after.Id);
            // Oldest closed orders leave memory, but not one still awaiting fills or working again (revived): its fills must find it.
            for (var turns = _closed.Count; _closed.Count > KeepClosedOrders && turns > 0; turns--)
            {
                var oldest = _closed.First!.Value;
                _closed.RemoveFirst();
                if (_orders.TryGetValue(oldest, out var o) && (o.AwaitingFills || !o.Status.IsTerminal())) _closed.AddLast(oldest);
                else _orders.Remove(oldest);
            }
        }
        return (before, after);
    }

    public SymbolOrdersState Snapshot() => new(
        _orders.Values.OrderBy(o => o.CreatedAt).ThenBy(o => o.Id.Value, StringComparer.Ordinal).ToList(),
        Created, Filled, Cancelled, Rejected, Fills, _recentFills.ToList());

    public void Load(SymbolOrdersState s)
    {
        _orders.Clear();
        _closed.Clear();
        foreach (var o in s.Orders)
        {
            _orders[o.Id] = o;
            _everCreated.Add(o.Id);
            if (o.Status.IsTerminal()) _closed.AddLast(o.Id);
        }
        (Created, Filled, Cancelled, Rejected, Fills) = (s.Created, s.Filled, s.Cancelled, s.Rejected, s.Fills);
        _recentFills.Clear();
        foreach (var f in s.RecentFills ?? []) _recentFills.AddLast(f);
    }

    /// <summary>
    /// The part of this fold that concerns one symbol, as a starting state for that symbol's own fold: its orders, the
    /// counts of those orders by status, its kept fills numbered again 1…n (how the journal layout migration splits the
    /// global order manager of older versions).
    /// </summary>
    public SymbolOrdersState Part(Symbol symbol)
    {
        var orders = _orders.Values.Where(o => o.Symbol == symbol).OrderBy(o => o.CreatedAt).ThenBy(o => o.Id.Value, StringComparer.Ordinal).ToList();
        var fills = _recentFills.Where(f => f.Symbol == symbol).ToList();
        return new SymbolOrdersState(orders, orders.Count,
            orders.Count(o => o.Status == OrderStatus.Filled), orders.Count(o => o.Status == OrderStatus.Cancelled),
            orders.Count(o => o.Status == OrderStatus.Rejected), fills.Count, fills);
    }

    /// <summary>Symbols with an order or a kept fill here.</summary>
    public IReadOnlyList<Symbol> Symbols =>
        _orders.Values.Select(o => o.Symbol).Concat(_recentFills.Select(f => f.Symbol)).Distinct().OrderBy(s => s.Value, StringComparer.Ordinal).ToList();

    /// <summary>The global sequence number of each kept fill (oldest first), for splitting an older global fold.</summary>
    public IReadOnlyList<(Fill Fill, long Seq)> KeptFills => FillsAfter(0).Fills;
}

/// <summary>The state of a <see cref="SymbolOrders"/> fold: what its snapshot holds.</summary>
public sealed record SymbolOrdersState(IReadOnlyList<OrderState> Orders, long Created, long Filled, long Cancelled, long Rejected, long Fills,
    IReadOnlyList<Fill>? RecentFills = null);
