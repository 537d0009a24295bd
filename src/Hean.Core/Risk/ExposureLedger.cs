using Hean.Core.Domain;
using Hean.Core.Orders;

namespace Hean.Core.Risk;

/// <summary>
/// Risk's own account of exposure, so that approvals stay right when several instruments ask at once: the positions
/// built from the fills the order manager booked, and every order that may still fill with what it may still add.
/// Approving an order reserves its quantity; a fill moves quantity from the reservation into the position in one step
/// (the order's leaves and the fill come together); a close releases the rest. The same in the risk governor and the
/// backtest kernel. Single-threaded.
/// </summary>
public sealed class ExposureLedger
{
    private readonly Dictionary<Symbol, decimal> _positions = new();
    private readonly Dictionary<Symbol, decimal> _lastPrices = new();
    private readonly Dictionary<ClientOrderId, Reservation> _working = new();

    /// <summary>
    /// What one order may still add: its leaves in its direction, at its limit price or the price it was approved at.
    /// Confirmed once the order manager has reported the order; until then it is risk's own approval.
    /// </summary>
    public readonly record struct Reservation(Symbol Symbol, Side Side, decimal Leaves, decimal? LimitPrice, decimal Price, bool Confirmed, DateTime ReservedAt);

    /// <summary>An approval the order manager never reports (its sender died before registering it) is released after this long.</summary>
    public static readonly TimeSpan UnconfirmedFor = TimeSpan.FromMinutes(1);

    // Per symbol, the order entity's sequence number of the last fill counted here (0: none; fills without one always count).
    private readonly Dictionary<Symbol, long> _fillSeqs = new();

    /// <summary>The sequence number of the last fill of <paramref name="symbol"/> counted here.</summary>
    public long FillSeqOf(Symbol symbol) => _fillSeqs.GetValueOrDefault(symbol);

    public IReadOnlyDictionary<ClientOrderId, Reservation> Working => _working;

    /// <summary>True once <see cref="Reset"/> gave it a starting point; until then the caller's view is all there is.</summary>
    public bool Attached { get; private set; }

    public decimal PositionOf(Symbol symbol) => _positions.GetValueOrDefault(symbol);

    public IEnumerable<KeyValuePair<Symbol, decimal>> Positions => _positions.Where(p => p.Value != 0m);

    /// <summary>
    /// Starts over from the portfolio's positions as booked through each symbol's fill <paramref name="fillSeqs"/>, with
    /// nothing working but the approvals the order manager has not reported yet (they may still reach it).
    /// </summary>
    public void Reset(IEnumerable<(Symbol Symbol, decimal Qty, decimal? Mark)> positions, IReadOnlyDictionary<string, long>? fillSeqs = null)
    {
        _positions.Clear();
        foreach (var (id, reservation) in _working)
            if (reservation.Confirmed) _working.Remove(id); // a Dictionary may lose entries while it is enumerated
        _lastPrices.Clear();
        foreach (var (symbol, qty, mark) in positions)
        {
            _positions[symbol] = qty;
            if (mark is { } m) _lastPrices[symbol] = m;
        }
        _fillSeqs.Clear();
        if (fillSeqs is not null)
            foreach (var (symbol, seq) in fillSeqs) _fillSeqs[new Symbol(symbol)] = seq;
        Attached = true;
    }

    /// <summary>An approved order: reserved at once, before the order manager has heard of it.</summary>
    public void Reserve(OrderRequest order, decimal price, DateTime time)
    {
        if (_working.ContainsKey(order.ClientOrderId)) return;
        _working[order.ClientOrderId] = new Reservation(order.Symbol, order.Side, order.Qty, order.Price, price, false, time);
    }

    /// <summary>
    /// An approved order that never reached the order manager (execution refused it): its reservation goes. One the order
    /// manager has reported stays: its reports decide.
    /// </summary>
    public void Release(ClientOrderId id)
    {
        if (_working.TryGetValue(id, out var r) && !r.Confirmed) _working.Remove(id);
    }

    /// <summary>A fill the order manager booked (its symbol's sequence <paramref name="fillSeq"/>), without its order's state: the position only.</summary>
    public void ApplyFill(Fill fill, long fillSeq)
    {
        if (fillSeq != 0 && fillSeq <= FillSeqOf(fill.Symbol)) return;
        _positions[fill.Symbol] = PositionOf(fill.Symbol) + fill.Qty * fill.Side.Sign();
        _lastPrices[fill.Symbol] = fill.Price;
        if (fillSeq > 0) _fillSeqs[fill.Symbol] = fillSeq;
    }

    /// <summary>
    /// The order manager's view of one order after an event, with the fill of that event if it was one. The fill counts
    /// once (its sequence number is remembered); the order's leaves replace the reservation, and a closed order's goes,
    /// unless the venue executed more than was booked (its fills are still to come and count as reserved until then).
    /// </summary>
    public void Apply(OrderState order, Fill? fill = null, long fillSeq = 0)
    {
        if (fill is not null) ApplyFill(fill, fillSeq);
        var leaves = order.Status.IsOpen() ? order.LeavesQty
            : order.AwaitingFills ? order.VenueFilledQty!.Value - order.FilledQty
            : 0m;
        if (leaves <= 0m)
        {
            _working.Remove(order.Id);
            return;
        }
        var (price, since) = _working.TryGetValue(order.Id, out var known) ? (known.Price, known.ReservedAt)
            : (order.Request.Price ?? _lastPrices.GetValueOrDefault(order.Symbol), order.CreatedAt);
        _working[order.Id] = new Reservation(order.Symbol, order.Request.Side, leaves, order.Request.Price, price, true, since);
    }

    /// <summary>
    /// The context the checks see: the caller's order, price and valuation (equity, marks), with the positions and
    /// working orders of this ledger instead of whatever the caller believed (unchanged while not attached).
    /// </summary>
    public PreTradeContext Complete(PreTradeContext c)
    {
        if (!Attached) return c;
        foreach (var (id, r) in _working)
            if (!r.Confirmed && c.Time - r.ReservedAt > UnconfirmedFor) _working.Remove(id);
        var openNotional = 0m;
        var sameSide = 0m;
        var count = 0;
        foreach (var (id, r) in _working)
        {
            if (id == c.Order.ClientOrderId) continue;
            count++;
            openNotional += r.Leaves * (r.LimitPrice ?? c.Portfolio.MarkOf(r.Symbol) ?? r.Price);
            if (r.Symbol == c.Order.Symbol && r.Side == c.Order.Side) sameSide += r.Leaves;
        }
        return c with { Exposure = this, OpenOrders = count, OpenOrdersNotional = openNotional, WorkingSameSide = sameSide };
    }

    /// <summary>Gross notional of the positions, each at the caller's mark, else the last fill's price.</summary>
    public decimal GrossExposure(Func<Symbol, decimal?> markOf)
    {
        var sum = 0m;
        foreach (var (symbol, qty) in _positions)
            if (qty != 0m) sum += Math.Abs(qty) * (markOf(symbol) ?? _lastPrices.GetValueOrDefault(symbol));
        return sum;
    }
}
