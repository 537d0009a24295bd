using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Core.Orders;
using static Hean.Core.Exchange.SimulatedExchangeReasons;

namespace Hean.Core.Exchange;

/// <summary>
/// The venue of paper trading and backtests. Deterministic: all time comes from the market events and
/// the <c>now</c> arguments, and everything is iterated in placement or price-time order. Not thread-safe.
/// <para>
/// Orders and cancels reach the venue <see cref="SimulatedExchangeOptions.Latency"/> after they are sent: with
/// a latency they are queued and carried out, in the order they were sent, by the first market event (of any
/// symbol) whose time is at or after their arrival, before that event is applied.
/// </para>
/// <para>
/// Matching. Market orders, and limit orders that cross on arrival, take liquidity level by level from the
/// order book (or a synthetic one-level book around the last trade/candle price when no book is initialized);
/// our fills never change the replayed book. A resting limit order waits behind the book quantity at its price
/// when it was placed. It fills as maker at its own price when: a trade at its price by an opposite-side
/// aggressor is larger than the queue ahead; any trade prints strictly through its price; the opposite side of
/// the book moves to or through its price (up to the quantity there, less what our orders already took from it);
/// or a candle's range reaches its price (up to the candle's volume). Several of our orders share one trade or
/// candle in price-time order.
/// </para>
/// </summary>
public sealed class SimulatedExchange
{
    /// <summary>Fills' trade ids are this and the exchange's running trade number: the order it made them in.</summary>
    public const string TradeIdPrefix = "sim-";

    /// <summary>The symbol of the report that answers a cancel of an order id this venue never saw.</summary>
    public static readonly Symbol UnknownOrderSymbol = new("UNKNOWN");

    private readonly InstrumentCatalog _catalog;
    private readonly SimulatedExchangeOptions _options;
    private readonly Dictionary<Symbol, OrderBook> _books = [];
    private readonly Dictionary<Symbol, decimal> _lastPrice = [];
    private readonly Dictionary<Symbol, decimal> _position = [];
    private readonly Dictionary<ClientOrderId, Symbol> _seen = [];
    private readonly Dictionary<ClientOrderId, RestingOrder> _open = [];
    private readonly Dictionary<Symbol, List<RestingOrder>> _restingBySymbol = [];
    private readonly List<PendingAction> _pending = [];
    private readonly List<ExecutionReport> _reports = [];
    private long _orderSeq;
    private long _tradeSeq;

    public SimulatedExchange(InstrumentCatalog catalog, SimulatedExchangeOptions options)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Latency < TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), "latency must not be negative");
        if (options.SyntheticHalfSpreadTicks <= 0 || options.SyntheticDepthQty <= 0)
            throw new ArgumentOutOfRangeException(nameof(options), "synthetic half spread and depth must be positive");
        _catalog = catalog;
        _options = options;
    }

    /// <summary>Our resting orders at the venue in placement order (Qty after any reduce-only clamp).</summary>
    public IReadOnlyList<OrderRequest> OpenOrders =>
        _open.Values.OrderBy(o => o.Seq).Select(o => o.Request with { Qty = o.Qty }).ToList();

    /// <summary>True while the order rests at the venue; false for orders still travelling (latency) and closed ones.</summary>
    public bool IsOpen(ClientOrderId id) => _open.ContainsKey(id);

    /// <summary>The venue's net position from our fills: positive long, negative short.</summary>
    public decimal PositionOf(Symbol symbol) => _position.GetValueOrDefault(symbol);

    /// <summary>The replayed book of a symbol; read it, do not apply updates to it.</summary>
    public OrderBook? BookOf(Symbol symbol) => _books.GetValueOrDefault(symbol);

    /// <summary>
    /// The book the venue keeps of a symbol, made (empty, not initialized) when it has none yet: for a caller that reads
    /// the venue's book instead of building a second one from the same updates (the backtest kernel's market processor).
    /// An empty book is what no book is to the venue: it matches against a synthetic level until a snapshot arrives.
    /// </summary>
    public OrderBook BookFor(Symbol symbol)
    {
        if (!_books.TryGetValue(symbol, out var book)) _books[symbol] = book = new OrderBook(symbol);
        return book;
    }

    /// <summary>The last public trade price, or the close of the last candle.</summary>
    public decimal? LastPrice(Symbol symbol) => _lastPrice.TryGetValue(symbol, out var p) ? p : null;

    public IReadOnlyList<ExecutionReport> OnMarketEvent(IMarketEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        _reports.Clear();
        if (e is Candle bar)
        {
            // A bar is known only when it closed, and orders decided at the previous close reach the
            // venue Latency after this bar's open: they trade at the open, then the bar's path runs.
            _lastPrice[bar.Symbol] = bar.Open;
            RunDueActions(bar.Time + _options.Latency);
        }
        else
        {
            RunDueActions(e.Time);
        }
        switch (e)
        {
            case BookUpdate u:
                if (!_books.TryGetValue(u.Symbol, out var book))
                    _books[u.Symbol] = book = new OrderBook(u.Symbol);
                var result = book.Apply(u);
                if (result is BookApplyResult.Applied or BookApplyResult.Snapshot)
                    MatchRestingAgainstBook(book, u.Time);
                break;
            case Trade t:
                MatchRestingAgainstTrade(t);
                _lastPrice[t.Symbol] = t.Price;
                break;
            case Candle c:
                MatchRestingAgainstCandle(c);
                _lastPrice[c.Symbol] = c.Close;
                break;
        }
        return TakeReports();
    }

    public IReadOnlyList<ExecutionReport> Submit(OrderRequest r, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(r);
        return Send(new PendingSubmit(now + _options.Latency, r), now);
    }

    /// <summary>
    /// Cancels a resting order. A cancel of an order that is not open is answered with an
    /// <see cref="CancelRejectedReport"/> whose reason is <see cref="SimulatedExchangeReasons.CancelUnknownOrder"/>
    /// (symbol <see cref="UnknownOrderSymbol"/> when the id was never seen).
    /// </summary>
    public IReadOnlyList<ExecutionReport> Cancel(ClientOrderId id, DateTime now) =>
        Send(new PendingCancel(now + _options.Latency, id), now);

    /// <summary>Cancels every resting order, of one symbol or of all, in placement order.</summary>
    public IReadOnlyList<ExecutionReport> CancelAll(Symbol? symbol, DateTime now) =>
        Send(new PendingCancelAll(now + _options.Latency, symbol), now);

    /// <summary>
    /// Puts back a resting limit order after a restart, without reports and without latency. It queues behind
    /// all the book quantity at its price. <paramref name="now"/> is the time of the restart; nothing depends on it.
    /// </summary>
    public void Restore(OrderRequest r, decimal filledQty, DateTime now)
    {
        ArgumentNullException.ThrowIfNull(r);
        if (!_catalog.TryGet(r.Symbol, out var instrument))
            throw new ArgumentException($"unknown symbol '{r.Symbol}'", nameof(r));
        if (r.Type != OrderType.Limit || r.Price is null)
            throw new ArgumentException("only limit orders with a price can rest", nameof(r));
        if (filledQty < 0 || filledQty >= r.Qty)
            throw new ArgumentOutOfRangeException(nameof(filledQty), $"filled {filledQty} of {r.Qty} leaves nothing to rest");
        if (_open.ContainsKey(r.ClientOrderId))
            throw new InvalidOperationException($"order {r.ClientOrderId} is already open");
        _seen[r.ClientOrderId] = r.Symbol;
        var order = new RestingOrder(r, instrument, r.Qty, ++_orderSeq) { Filled = filledQty };
        Rest(order);
    }

    /// <summary>Sets the venue's position of a symbol, e.g. after a restart (reduce-only orders depend on it).</summary>
    public void RestorePosition(Symbol symbol, decimal signedQty) => _position[symbol] = signedQty;

    private IReadOnlyList<ExecutionReport> Send(PendingAction action, DateTime now)
    {
        if (_options.Latency > TimeSpan.Zero)
        {
            _pending.Add(action);
            return [];
        }
        _reports.Clear();
        Execute(action, now);
        return TakeReports();
    }

    private IReadOnlyList<ExecutionReport> TakeReports()
    {
        if (_reports.Count == 0) return [];
        var result = _reports.ToArray();
        _reports.Clear();
        return result;
    }

    private void RunDueActions(DateTime time)
    {
        var i = 0;
        while (i < _pending.Count)
        {
            var action = _pending[i];
            if (action.Due > time)
            {
                i++;
                continue;
            }
            _pending.RemoveAt(i);
            Execute(action, time);
        }
    }

    private void Execute(PendingAction action, DateTime time)
    {
        switch (action)
        {
            case PendingSubmit s: Activate(s.Request, time); break;
            case PendingCancel c: CancelNow(c.Id, time); break;
            case PendingCancelAll a:
                foreach (var o in _open.Values.Where(o => a.Symbol is null || o.Symbol == a.Symbol).OrderBy(o => o.Seq).ToList())
                    CancelResting(o, time, CancelledByRequest);
                break;
        }
    }

    private void CancelNow(ClientOrderId id, DateTime time)
    {
        if (_open.TryGetValue(id, out var order))
            CancelResting(order, time, CancelledByRequest);
        else
            _reports.Add(new CancelRejectedReport(id, _seen.GetValueOrDefault(id, UnknownOrderSymbol), time, CancelUnknownOrder));
    }

    private void Activate(OrderRequest r, DateTime time)
    {
        if (_seen.ContainsKey(r.ClientOrderId))
        {
            Reject(r, time, DuplicateClientOrderId);
            return;
        }
        _seen[r.ClientOrderId] = r.Symbol;
        if (!_catalog.TryGet(r.Symbol, out var instrument))
        {
            Reject(r, time, UnknownSymbol);
            return;
        }
        if (r.Type == OrderType.Limit && r.Price is null)
        {
            Reject(r, time, LimitWithoutPrice);
            return;
        }
        if (r.Type == OrderType.Market && r.TimeInForce == TimeInForce.PostOnly)
        {
            Reject(r, time, PostOnlyNeedsLimit);
            return;
        }
        if (instrument.Validate(r.Qty, r.Type == OrderType.Limit ? r.Price : null) is { } invalid)
        {
            Reject(r, time, invalid);
            return;
        }

        var qty = r.Qty;
        if (r.ReduceOnly)
        {
            qty = Math.Min(qty, instrument.FloorQty(Reducible(r.Symbol, r.Side)));
            if (qty <= 0)
            {
                Reject(r, time, ReduceOnlyWouldIncrease);
                return;
            }
        }

        var opposite = OppositeLevels(r.Symbol, r.Side, instrument);
        if (r.Type == OrderType.Market && !opposite.HasData)
        {
            Reject(r, time, NoMarketData);
            return;
        }
        var limit = r.Type == OrderType.Limit ? r.Price : null;
        var crosses = opposite.Count > 0 && (limit is not { } p || IsAtOrThrough(r.Side, opposite[0].Price, p));
        if (crosses && r.TimeInForce == TimeInForce.PostOnly)
        {
            Reject(r, time, PostOnlyWouldCross);
            return;
        }

        var order = new RestingOrder(r, instrument, qty, ++_orderSeq);
        _reports.Add(new OrderAcceptedReport(r.ClientOrderId, r.Symbol, time, order.VenueOrderId));
        if (crosses) Take(order, opposite, limit, time);
        if (order.Leaves == 0) return;

        if (r.Type == OrderType.Market)
            _reports.Add(new OrderCancelledReport(r.ClientOrderId, r.Symbol, time, NoLiquidity));
        else if (r.TimeInForce == TimeInForce.ImmediateOrCancel)
            _reports.Add(new OrderCancelledReport(r.ClientOrderId, r.Symbol, time, ImmediateOrCancelRemainder));
        else
        {
            // What it took on arrival is still shown by the replayed book; it must not fill the order twice.
            if (opposite.IsBook) order.CrossConsumed = order.Filled;
            Rest(order);
        }
    }

    /// <summary>Fills an order as taker, level by level, up to its limit price if it has one.</summary>
    private void Take(RestingOrder order, OppositeSide levels, decimal? limit, DateTime time)
    {
        for (var i = 0; i < levels.Count && order.Leaves > 0; i++)
        {
            var level = levels[i];
            if (limit is { } p && !IsAtOrThrough(order.Side, level.Price, p)) break;
            var qty = order.Instrument.FloorQty(Math.Min(order.Leaves, level.Qty));
            if (qty <= 0) continue;
            ExecuteFill(order, level.Price, qty, Liquidity.Taker, time);
            if (levels.IsBook) NoteTakenFromBook(order.Symbol, order.Side, level.Price, qty);
        }
    }

    private void MatchRestingAgainstBook(OrderBook book, DateTime time)
    {
        if (!_restingBySymbol.TryGetValue(book.Symbol, out var resting) || resting.Count == 0) return;
        foreach (var o in resting)
        {
            o.QueueAhead = Math.Min(o.QueueAhead, book.QtyAt(o.Side, o.Price));
            o.CrossConsumed = Math.Min(o.CrossConsumed, book.DepthWithin(o.Side.Opposite(), o.Price));
        }
        foreach (var side in (ReadOnlySpan<Side>)[Side.Buy, Side.Sell])
        {
            var best = side == Side.Buy ? book.BestAsk : book.BestBid;
            if (best is not { } bestOpposite) continue;
            foreach (var o in InPriority(resting, side, o => IsAtOrThrough(side, bestOpposite.Price, o.Price)))
            {
                if (!o.IsOpen) continue;
                o.QueueAhead = 0;
                var depth = book.DepthWithin(side.Opposite(), o.Price);
                var available = depth - Math.Min(o.CrossConsumed, depth);
                if (available <= 0) continue;
                var filled = FillResting(o, available, time);
                if (filled > 0) NoteTakenFromBook(book.Symbol, side, bestOpposite.Price, filled);
            }
        }
    }

    private void MatchRestingAgainstTrade(Trade t)
    {
        if (!_restingBySymbol.TryGetValue(t.Symbol, out var resting) || resting.Count == 0) return;
        foreach (var side in (ReadOnlySpan<Side>)[Side.Buy, Side.Sell])
        {
            var remaining = t.Qty;
            foreach (var o in InPriority(resting, side, o => IsAtOrThrough(side, t.Price, o.Price)))
            {
                if (remaining <= 0) break;
                if (!o.IsOpen) continue;
                var available = remaining;
                if (t.Price == o.Price)
                {
                    // Only sellers hitting the bid (buyers lifting the offer) trade with the queue we are in.
                    if (t.TakerSide == side) continue;
                    var aheadFilled = Math.Min(o.QueueAhead, available);
                    o.QueueAhead -= aheadFilled;
                    available -= aheadFilled;
                }
                else
                {
                    o.QueueAhead = 0;
                }
                if (available > 0) remaining -= FillResting(o, available, t.Time);
            }
        }
    }

    private void MatchRestingAgainstCandle(Candle c)
    {
        if (!_restingBySymbol.TryGetValue(c.Symbol, out var resting) || resting.Count == 0) return;
        var (first, second) = ExtremesInOrder(c);
        Span<decimal> path = [c.Open, first, second, c.Close];
        var reached = new List<(decimal At, RestingOrder Order)>();
        foreach (var o in resting)
            if (FirstReach(path, o.Side, o.Price) is { } at)
                reached.Add((at, o));
        reached.Sort((x, y) =>
        {
            var byTime = x.At.CompareTo(y.At);
            if (byTime != 0) return byTime;
            if (x.Order.Side != y.Order.Side) return x.Order.Side.CompareTo(y.Order.Side);
            var byPrice = ComparePriority(x.Order, y.Order);
            return byPrice != 0 ? byPrice : x.Order.Seq.CompareTo(y.Order.Seq);
        });
        var volume = c.Volume;
        foreach (var (_, o) in reached)
        {
            if (volume <= 0) break;
            if (!o.IsOpen) continue;
            o.QueueAhead = 0;
            volume -= FillResting(o, volume, c.Time);
        }
    }

    /// <summary>
    /// The path a bar is assumed to take: open, the extreme nearer to the open, the other extreme, close.
    /// When both are as near, the bar goes first away from where it closes.
    /// </summary>
    private static (decimal First, decimal Second) ExtremesInOrder(Candle c)
    {
        var up = c.High - c.Open;
        var down = c.Open - c.Low;
        var highFirst = up < down || (up == down && c.Close < c.Open);
        return highFirst ? (c.High, c.Low) : (c.Low, c.High);
    }

    /// <summary>Where along the path (0 = open, 3 = close) the price first reaches a limit, or null.</summary>
    private static decimal? FirstReach(ReadOnlySpan<decimal> path, Side side, decimal limit)
    {
        if (IsAtOrThrough(side, path[0], limit)) return 0m;
        for (var k = 1; k < path.Length; k++)
        {
            if (!IsAtOrThrough(side, path[k], limit)) continue;
            var from = path[k - 1];
            return k - 1 + (from - limit) / (from - path[k]);
        }
        return null;
    }

    /// <summary>Fills a resting order as maker at its price, at most <paramref name="available"/>; returns the quantity filled.</summary>
    private decimal FillResting(RestingOrder o, decimal available, DateTime time)
    {
        var qty = o.Instrument.FloorQty(Math.Min(available, o.Leaves));
        if (qty <= 0) return 0m;
        if (o.Request.ReduceOnly)
        {
            qty = Math.Min(qty, Reducible(o.Symbol, o.Side));
            if (qty <= 0)
            {
                CancelResting(o, time, ReduceOnlyWouldIncrease);
                return 0m;
            }
        }
        ExecuteFill(o, o.Price, qty, Liquidity.Maker, time);
        if (o.Leaves == 0) Close(o);
        return qty;
    }

    private void ExecuteFill(RestingOrder o, decimal price, decimal qty, Liquidity liquidity, DateTime time)
    {
        o.Filled += qty;
        _position[o.Symbol] = PositionOf(o.Symbol) + o.Side.Sign() * qty;
        var rate = liquidity == Liquidity.Maker ? _options.MakerFeeRate : _options.TakerFeeRate;
        var fee = Math.Round(price * qty * rate, 8, MidpointRounding.AwayFromZero);
        var fill = new Fill(o.Request.ClientOrderId, o.Symbol, o.Side, TradeIdPrefix + (++_tradeSeq).ToString(System.Globalization.CultureInfo.InvariantCulture), price, qty, fee, liquidity, time);
        _reports.Add(new OrderFilledReport(o.Request.ClientOrderId, o.Symbol, time, fill, o.Leaves));
    }

    /// <summary>
    /// Our fills do not change the replayed book, so remember, for every resting order of the taking side
    /// whose price reaches that level, how much of the opposite depth through its price is already gone.
    /// </summary>
    private void NoteTakenFromBook(Symbol symbol, Side takerSide, decimal levelPrice, decimal qty)
    {
        if (!_restingBySymbol.TryGetValue(symbol, out var resting)) return;
        foreach (var o in resting)
            if (o.Side == takerSide && IsAtOrThrough(takerSide, levelPrice, o.Price))
                o.CrossConsumed += qty;
    }

    private void Rest(RestingOrder order)
    {
        if (_books.TryGetValue(order.Symbol, out var book) && book.IsInitialized)
            order.QueueAhead = book.QtyAt(order.Side, order.Price);
        _open[order.Request.ClientOrderId] = order;
        if (!_restingBySymbol.TryGetValue(order.Symbol, out var list))
            _restingBySymbol[order.Symbol] = list = [];
        list.Add(order);
        order.IsOpen = true;
    }

    private void CancelResting(RestingOrder o, DateTime time, string reason)
    {
        Close(o);
        _reports.Add(new OrderCancelledReport(o.Request.ClientOrderId, o.Symbol, time, reason));
    }

    private void Close(RestingOrder o)
    {
        o.IsOpen = false;
        _open.Remove(o.Request.ClientOrderId);
        _restingBySymbol[o.Symbol].Remove(o);
    }

    private void Reject(OrderRequest r, DateTime time, string reason) =>
        _reports.Add(new OrderRejectedReport(r.ClientOrderId, r.Symbol, time, reason));

    /// <summary>How much an order of this side can reduce the position without flipping it.</summary>
    private decimal Reducible(Symbol symbol, Side side)
    {
        var position = PositionOf(symbol);
        return side == Side.Buy ? Math.Max(0m, -position) : Math.Max(0m, position);
    }

    /// <summary>The liquidity a taker on <paramref name="takerSide"/> meets: the initialized book, else a synthetic one.</summary>
    private OppositeSide OppositeLevels(Symbol symbol, Side takerSide, Instrument instrument)
    {
        var side = takerSide.Opposite();
        if (_books.TryGetValue(symbol, out var book) && book.IsInitialized)
            return OppositeSide.Of(book, side);
        if (_lastPrice.TryGetValue(symbol, out var last))
        {
            var offset = instrument.TickSize * _options.SyntheticHalfSpreadTicks;
            var price = instrument.RoundPrice(side == Side.Sell ? last + offset : last - offset);
            return OppositeSide.Synthetic(new BookLevel(price, _options.SyntheticDepthQty));
        }
        return default;
    }

    /// <summary>Our resting orders of one side that satisfy a condition, best price first, then oldest first.</summary>
    private static List<RestingOrder> InPriority(List<RestingOrder> resting, Side side, Func<RestingOrder, bool> reaches)
    {
        var result = new List<RestingOrder>();
        foreach (var o in resting)
            if (o.Side == side && reaches(o))
                result.Add(o);
        result.Sort((x, y) =>
        {
            var byPrice = ComparePriority(x, y);
            return byPrice != 0 ? byPrice : x.Seq.CompareTo(y.Seq);
        });
        return result;
    }

    /// <summary>Negative when x has the better price of the two (same side).</summary>
    private static int ComparePriority(RestingOrder x, RestingOrder y) =>
        x.Side == Side.Buy ? y.Price.CompareTo(x.Price) : x.Price.CompareTo(y.Price);

    /// <summary>True when a price is at or better than a limit for the side: a buy at or below it, a sell at or above it.</summary>
    private static bool IsAtOrThrough(Side side, decimal price, decimal limit) =>
        side == Side.Buy ? price <= limit : price >= limit;

    /// <summary>One of our orders at the venue: the taking part of any order, and then its resting part.</summary>
    private sealed class RestingOrder(OrderRequest request, Instrument instrument, decimal qty, long seq)
    {
        public OrderRequest Request { get; } = request;
        public Instrument Instrument { get; } = instrument;
        public Symbol Symbol => Request.Symbol;
        public Side Side => Request.Side;
        public decimal Price => Request.Price ?? 0m;
        /// <summary>The order quantity after any reduce-only clamp.</summary>
        public decimal Qty { get; } = qty;
        public long Seq { get; } = seq;
        public string VenueOrderId => $"sim-order-{Seq}";
        public decimal Filled { get; set; }
        public decimal Leaves => Qty - Filled;
        public bool IsOpen { get; set; }
        /// <summary>Book quantity at our price that trades before us.</summary>
        public decimal QueueAhead { get; set; }
        /// <summary>Opposite depth through our price that our own fills already took (the replayed book still shows it).</summary>
        public decimal CrossConsumed { get; set; }
    }

    /// <summary>The opposite side a taker walks: the levels of a real book, or one synthetic level.</summary>
    private readonly struct OppositeSide
    {
        private readonly OrderBook? _book;
        private readonly Side _side;
        private readonly BookLevel _synthetic;

        private OppositeSide(OrderBook? book, Side side, BookLevel synthetic, int count)
        {
            _book = book;
            _side = side;
            _synthetic = synthetic;
            Count = count;
            HasData = true;
        }

        public static OppositeSide Of(OrderBook book, Side side) => new(book, side, default, book.LevelCount(side));

        public static OppositeSide Synthetic(BookLevel level) => new(null, default, level, level.Price > 0 ? 1 : 0);

        /// <summary>False when there is neither a book nor a price.</summary>
        public bool HasData { get; }
        public bool IsBook => _book is not null;
        public int Count { get; }
        public BookLevel this[int index] => _book is null ? _synthetic : _book.LevelAt(_side, index);
    }

    private abstract record PendingAction(DateTime Due);
    private sealed record PendingSubmit(DateTime Due, OrderRequest Request) : PendingAction(Due);
    private sealed record PendingCancel(DateTime Due, ClientOrderId Id) : PendingAction(Due);
    private sealed record PendingCancelAll(DateTime Due, Symbol? Symbol) : PendingAction(Due);
}
