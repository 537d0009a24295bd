using System.Globalization;
using System.Text.Json;
using Hean.Bybit.Rest.Models;
using Hean.Bybit.WebSocket;
using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.MarketData;
using Hean.Core.Orders;

namespace Hean.FakeBybit;

/// <summary>
/// The fake venue: a market (books, trades, klines) that tests or a generator publish into, the Core
/// <see cref="SimulatedExchange"/> as matching engine, the account (orders, executions, positions, wallet), and the
/// WebSocket subscriptions. One lock orders everything, so every push leaves in the order the state changed.
/// </summary>
public sealed class FakeVenue
{
    private readonly Lock _gate = new();
    private readonly FakeBybitOptions _options;
    private readonly Faults _faults;
    private readonly SimulatedExchange _engine;
    private readonly List<FakeOrder> _orders = [];
    private readonly Dictionary<string, FakeOrder> _byOrderId = [];
    private readonly Dictionary<string, FakeOrder> _byLinkId = [];
    private readonly Dictionary<string, int> _cancelItems = [];
    private readonly Dictionary<string, FakeOrder> _byEngineId = [];
    private readonly HashSet<string> _replacedEngineIds = [];
    private readonly List<FakeExecution> _executions = [];
    private readonly Dictionary<(Symbol Symbol, int Index), FakePosition> _positions = [];
    private readonly Dictionary<Symbol, Market> _markets = [];
    private readonly List<FakeWsConnection> _connections = [];
    private readonly List<string> _duplicateCreates = [];
    private readonly List<(FakeWsConnection Connection, string Json)> _heldExecutions = [];
    private decimal _fees;
    private long _seq;

    internal FakeVenue(FakeBybitOptions options, Faults faults)
    {
        _options = options;
        _faults = faults;
        _engine = new SimulatedExchange(options.Instruments, options.Exchange with { Latency = TimeSpan.Zero });
    }

    /// <summary>The server's clock.</summary>
    public DateTime Now => DateTime.UtcNow + _options.ClockOffset;

    // ---- publishing market data ------------------------------------------------------------------------------

    /// <summary>Replaces the book of a symbol (a snapshot, pushed to every orderbook topic of the symbol).</summary>
    public void PublishBook(string symbol, IEnumerable<(decimal Price, decimal Qty)> bids, IEnumerable<(decimal Price, decimal Qty)> asks) =>
        ApplyBook(new Symbol(symbol), true, Levels(bids), Levels(asks), null);

    /// <summary>Changes levels of a book (quantity 0 deletes), pushed as a delta with the next update id.</summary>
    public void PublishBookDelta(string symbol, IEnumerable<(decimal Price, decimal Qty)> bids, IEnumerable<(decimal Price, decimal Qty)> asks) =>
        ApplyBook(new Symbol(symbol), false, Levels(bids), Levels(asks), null);

    /// <summary>
    /// The venue's order-book service restarts: its update ids start again at 1 and the first message (u=1) carries
    /// the whole new book, sent as a delta ("Occasionally, you'll receive u=1, which is a snapshot data due to the
    /// restart of the service. So please overwrite the locally saved orderbook",
    /// https://bybit-exchange.github.io/docs/v5/websocket/public/orderbook).
    /// </summary>
    public void RestartBookService(string symbol, IEnumerable<(decimal Price, decimal Qty)> bids, IEnumerable<(decimal Price, decimal Qty)> asks)
    {
        lock (_gate)
        {
            var s = new Symbol(symbol);
            var m = MarketOf(s);
            var now = Now;
            m.UpdateId = 1;
            m.Seq++;
            var update = new BookUpdate(s, now, 1, 0, true, Levels(bids), Levels(asks));
            m.Book.Apply(update);
            Match(_engine.OnMarketEvent(update), now);
            foreach (var depth in SubscribedDepths(s))
            {
                var topic = BybitTopics.OrderBook(depth, s.Value);
                Broadcast(topic, V5Json.BookMessage(topic, false, s, 1, m.Seq, now, m.Book.Bids(depth), m.Book.Asks(depth), now));
            }
            BroadcastTicker(s, m);
        }
    }

    /// <summary>A public trade; resting orders it reaches fill. Returns the trade id sent.</summary>
    public string PublishTrade(string symbol, decimal price, decimal qty, Side takerSide)
    {
        lock (_gate)
        {
            var s = new Symbol(symbol);
            var id = Guid.NewGuid().ToString();
            var trade = new Trade(s, Now, price, qty, takerSide, 0);
            ApplyTrade(trade, id);
            return id;
        }
    }

    /// <summary>A kline update of an interval ("1", "5", "60", …); a confirmed one also reaches the matching engine.</summary>
    public void PublishKline(string symbol, string interval, DateTime start, decimal open, decimal high, decimal low, decimal close,
        decimal volume, bool confirm)
    {
        lock (_gate)
        {
            var candle = new Candle(new Symbol(symbol), start, BybitInterval.Parse(interval), open, high, low, close, volume);
            ApplyKline(interval, candle, confirm);
        }
    }

    /// <summary>A tickers delta with the funding rate, the next funding time and the open interest (what perpetuals push).</summary>
    public void PublishFunding(string symbol, decimal fundingRate, DateTime nextFundingTime, decimal openInterest)
    {
        lock (_gate)
        {
            var s = new Symbol(symbol);
            Broadcast(BybitTopics.Tickers(s.Value), V5Json.TickerMessage(s, false, null, null, null, Now, fundingRate, nextFundingTime, openInterest));
        }
    }

    public void PublishLiquidation(string symbol, Side side, decimal price, decimal qty)
    {
        lock (_gate)
        {
            var s = new Symbol(symbol);
            Broadcast($"allLiquidation.{s.Value}", V5Json.LiquidationMessage(s, side, price, qty, Now));
        }
    }

    /// <summary>A public push of any text, as a broken or hostile venue might send it (tests of what the reader refuses).</summary>
    public void PublishRaw(string topic, string json)
    {
        lock (_gate) Broadcast(topic, json);
    }

    /// <summary>A Core market event (a generator's book update, trade or closed candle) as if it happened now.</summary>
    public void Publish(IMarketEvent e)
    {
        switch (e)
        {
            case BookUpdate u:
                ApplyBook(u.Symbol, u.IsSnapshot, u.Bids, u.Asks, null);
                break;
            case Trade t:
                lock (_gate) ApplyTrade(t with { Time = Now }, Guid.NewGuid().ToString());
                break;
            case Candle c:
                lock (_gate) ApplyKline(BybitInterval.ToWire(c.Interval), c, true);
                break;
        }
    }

    // ---- inspection --------------------------------------------------------------------------------------------

    public FakeOrder? OrderByLinkId(string orderLinkId)
    {
        lock (_gate) return _byLinkId.GetValueOrDefault(orderLinkId);
    }

    public IReadOnlyList<FakeOrder> Orders
    {
        get
        {
            lock (_gate) return _orders.ToList();
        }
    }

    public IReadOnlyList<FakeExecution> Executions
    {
        get
        {
            lock (_gate) return _executions.ToList();
        }
    }

    /// <summary>orderLinkIds of create requests refused because an order with that id existed: attempts to place an order twice.</summary>
    public IReadOnlyList<string> DuplicateCreates
    {
        get
        {
            lock (_gate) return _duplicateCreates.ToList();
        }
    }

    /// <summary>
    /// Moves the account's position with no trade execution of ours (as an auto-deleveraging, a liquidation by the
    /// venue or a transfer does): nothing in our executions explains it.
    /// </summary>
    public void AdjustPosition(string symbol, Side side, decimal qty, decimal price)
    {
        lock (_gate)
        {
            var s = new Symbol(symbol);
            var index = !IsHedge(s) ? 0 : side == Side.Buy ? 1 : 2;
            PositionFor(s, index).Apply(side, qty, price, Now, ++_seq);
        }
    }

    /// <summary>
    /// The venue closes part of our position itself: auto-deleveraging (execType AdlTrade, no fee) or a liquidation
    /// (BustTrade, with the liquidation fee), each an execution of an order of the venue's, with no orderLinkId
    /// (https://bybit-exchange.github.io/docs/v5/order/execution, execType). Returns the execution id.
    /// </summary>
    public string CloseByVenue(string symbol, decimal qty, decimal price, bool liquidation)
    {
        lock (_gate)
        {
            var s = new Symbol(symbol);
            var net = _positions.Where(p => p.Key.Symbol == s).Sum(p => p.Value.Size);
            if (net == 0 || qty <= 0 || qty > Math.Abs(net)) throw new InvalidOperationException($"cannot close {qty} of a position of {net}");
            var side = net > 0 ? Side.Sell : Side.Buy;
            var position = PositionFor(s, !IsHedge(s) ? 0 : net > 0 ? 1 : 2);
            var now = Now;
            var seq = ++_seq;
            var closed = position.Apply(side, qty, price, now, seq);
            var fee = liquidation ? Math.Round(qty * price * _options.Exchange.TakerFeeRate, 8) : 0m;
            _fees += fee;
            var execution = new FakeExecution(Guid.NewGuid().ToString(), Guid.NewGuid().ToString(), "", s, side, "Market", null, qty, price, qty, fee,
                liquidation ? _options.Exchange.TakerFeeRate : 0m, false, 0m, closed, now, seq) { ExecType = liquidation ? "BustTrade" : "AdlTrade" };
            _executions.Add(execution);
            PushPrivate(BybitTopics.Execution, w => V5Json.Execution(w, execution));
            PushPrivate(BybitTopics.Position, w => V5Json.Position(w, position, stream: true));
            var wallet = Wallet();
            PushPrivate(BybitTopics.Wallet, w => V5Json.Wallet(w, wallet));
            return execution.ExecId;
        }
    }

    /// <summary>
    /// A funding settlement of the symbol's position at the mark: a long pays size × mark × rate when the rate is
    /// positive (and receives when negative), booked as an execution of execType Funding whose execFee is the
    /// payment (https://bybit-exchange.github.io/docs/v5/order/execution). Returns the payment.
    /// </summary>
    public decimal SettleFunding(string symbol, decimal rate)
    {
        lock (_gate)
        {
            var s = new Symbol(symbol);
            var net = _positions.Where(p => p.Key.Symbol == s).Sum(p => p.Value.Size);
            var mark = MarkOf(s) ?? throw new InvalidOperationException($"no mark for {symbol}");
            var fee = Math.Round(net * mark * rate, 8);
            _fees += fee;
            var now = Now;
            var execution = new FakeExecution(Guid.NewGuid().ToString(), "", "", s, net >= 0 ? Side.Buy : Side.Sell, "UNKNOWN", null, 0m, mark,
                Math.Abs(net), fee, rate, false, 0m, 0m, now, ++_seq) { ExecType = "Funding" };
            _executions.Add(execution);
            PushPrivate(BybitTopics.Execution, w => V5Json.Execution(w, execution));
            var wallet = Wallet();
            PushPrivate(BybitTopics.Wallet, w => V5Json.Wallet(w, wallet));
            return fee;
        }
    }

    /// <summary>The net position of a symbol (both legs in hedge mode).</summary>
    public decimal PositionOf(string symbol)
    {
        lock (_gate) return _positions.Where(p => p.Key.Symbol.Value == symbol).Sum(p => p.Value.Size);
    }

    /// <summary>One leg of a hedge-mode symbol (1 long, 2 short), or the one-way position (0).</summary>
    public decimal LegOf(string symbol, int positionIdx)
    {
        lock (_gate) return _positions.TryGetValue((new Symbol(symbol), positionIdx), out var p) ? p.Size : 0m;
    }

    private bool IsHedge(Symbol symbol) => _options.HedgeModeSymbols.Contains(symbol.Value);

    public long UpdateIdOf(string symbol)
    {
        lock (_gate) return _markets.TryGetValue(new Symbol(symbol), out var m) ? m.UpdateId : 0;
    }

    // ---- market state ----------------------------------------------------------------------------------------

    private void ApplyBook(Symbol symbol, bool snapshot, IReadOnlyList<BookLevel> bids, IReadOnlyList<BookLevel> asks, DateTime? time)
    {
        lock (_gate)
        {
            var m = MarketOf(symbol);
            var now = time ?? Now;
            m.UpdateId = snapshot && m.UpdateId == 0 ? 1 : m.UpdateId + 1;
            m.Seq++;
            var update = new BookUpdate(symbol, now, m.UpdateId, 0, snapshot, bids, asks);
            m.Book.Apply(update);
            Match(_engine.OnMarketEvent(update), now);
            foreach (var depth in SubscribedDepths(symbol))
            {
                var topic = BybitTopics.OrderBook(depth, symbol.Value);
                var json = snapshot
                    ? V5Json.BookMessage(topic, true, symbol, m.UpdateId, m.Seq, now, m.Book.Bids(depth), m.Book.Asks(depth), now)
                    : V5Json.BookMessage(topic, false, symbol, m.UpdateId, m.Seq, now, bids, asks, now);
                Broadcast(topic, json);
            }
            BroadcastTicker(symbol, m);
        }
    }

    private void ApplyTrade(Trade trade, string id)
    {
        var m = MarketOf(trade.Symbol);
        m.LastPrice = trade.Price;
        m.Trades.Add((trade, id));
        if (m.Trades.Count > 1000) m.Trades.RemoveRange(0, m.Trades.Count - 1000);
        Match(_engine.OnMarketEvent(trade), trade.Time);
        Broadcast(BybitTopics.Trades(trade.Symbol.Value), V5Json.TradeMessage(trade.Symbol, [(trade, id)], Now));
        BroadcastTicker(trade.Symbol, m);
    }

    private void ApplyKline(string interval, Candle candle, bool confirm)
    {
        var m = MarketOf(candle.Symbol);
        if (!m.Klines.TryGetValue(interval, out var bars)) m.Klines[interval] = bars = new SortedList<DateTime, (Candle, bool)>();
        bars[candle.Time] = (candle, confirm);
        if (confirm)
        {
            m.LastPrice = candle.Close;
            Match(_engine.OnMarketEvent(candle), Now);
        }
        Broadcast(BybitTopics.Kline(interval, candle.Symbol.Value), V5Json.KlineMessage(interval, candle, confirm, Now));
    }

    private void BroadcastTicker(Symbol symbol, Market m)
    {
        var topic = BybitTopics.Tickers(symbol.Value);
        if (HasSubscriber(topic)) Broadcast(topic, V5Json.TickerMessage(symbol, false, m.LastPrice, m.Book.BestBid, m.Book.BestAsk, Now));
    }

    private Market MarketOf(Symbol symbol)
    {
        if (!_markets.TryGetValue(symbol, out var m)) _markets[symbol] = m = new Market(new OrderBook(symbol));
        return m;
    }

    private decimal? MarkOf(Symbol symbol) =>
        _markets.TryGetValue(symbol, out var m) ? m.Book.Mid ?? m.LastPrice : null;

    // ---- orders ----------------------------------------------------------------------------------------------

    internal FakeReply Create(FakeParams p)
    {
        lock (_gate)
        {
            var now = Now;
            if (p["category"] != "linear") return Error(10001, "params error: category only supports linear here");
            if (!TrySymbol(p["symbol"], out var symbol)) return Error(10001, "params error: symbol invalid");
            if (p["side"] is not ("Buy" or "Sell")) return Error(10001, "params error: side invalid");
            var side = p["side"] == "Buy" ? Side.Buy : Side.Sell;
            var type = p["orderType"] switch { "Market" => OrderType.Market, "Limit" => OrderType.Limit, _ => (OrderType)0 };
            if (type == 0) return Error(10001, "params error: orderType invalid");
            if (p.Decimal("qty") is not { } qty || qty <= 0) return Error(10001, "params error: qty invalid");
            var price = p.Decimal("price");
            var tif = p["timeInForce"] ?? "GTC";
            TimeInForce coreTif;
            switch (tif)
            {
                case "GTC": coreTif = TimeInForce.GoodTillCancel; break;
                case "IOC": coreTif = TimeInForce.ImmediateOrCancel; break;
                case "PostOnly": coreTif = TimeInForce.PostOnly; break;
                default: return Error(10001, "params error: timeInForce invalid");
            }
            var reduceOnly = p["reduceOnly"] == "true";
            // positionIdx must fit the symbol's mode; in hedge mode a sell on the long leg or a buy on the short leg
            // closes that leg and can close no more than it holds.
            var positionIdx = p.Int("positionIdx", 0);
            var hedge = IsHedge(symbol);
            if (hedge ? positionIdx is not (1 or 2) : positionIdx != 0) return Error(10001, "position idx not match position mode");
            var closesLeg = hedge && (positionIdx == 1) != (side == Side.Buy);
            if (closesLeg && qty > Math.Abs(PositionFor(symbol, positionIdx).Size))
                return Error(110017, "reduce-only rule not satisfied");
            if (hedge && reduceOnly && !closesLeg) return Error(110017, "reduce-only rule not satisfied");
            var link = p["orderLinkId"] ?? "";
            if (link.Length > 36) return Error(10001, "params error: orderLinkId is too long");
            if (link.Length > 0 && _byLinkId.ContainsKey(link))
            {
                _duplicateCreates.Add(link);
                return Error(110072, "OrderLinkedID is duplicate");
            }

            if (!reduceOnly && !closesLeg)
            {
                var reference = type == OrderType.Limit ? price : MarkOf(symbol);
                var margin = qty * (reference ?? 0m) / _options.Leverage;
                if (margin > Wallet().Available) return Error(110007, "ab not enough for new order");
            }

            var order = new FakeOrder(Guid.NewGuid().ToString(), link, symbol, side, type, qty, type == OrderType.Limit ? price : null,
                type == OrderType.Market ? "IOC" : tif, reduceOnly, now, positionIdx);
            var engineId = NextEngineId();
            order.EngineId = engineId;
            // The matching engine keeps one net position; in hedge mode the legs are checked here instead.
            var reports = _engine.Submit(new OrderRequest(new ClientOrderId(engineId), symbol, side, type, qty, order.Price, coreTif, reduceOnly && !hedge), now);
            if (reports.Count > 0 && reports[0] is OrderRejectedReport rejected)
            {
                if (rejected.Reason == SimulatedExchangeReasons.PostOnlyWouldCross)
                {
                    // Bybit takes a crossing post-only order and cancels it at once.
                    Register(order, engineId);
                    order.Status = BybitOrderStatus.Cancelled;
                    order.RejectReason = "EC_PostOnlyWillTakeLiquidity";
                    PushOrder(order);
                    return Ok(w => AckBody(w, order));
                }
                return rejected.Reason switch
                {
                    SimulatedExchangeReasons.ReduceOnlyWouldIncrease => Error(110017, "current position is zero, cannot fix reduce-only order qty"),
                    SimulatedExchangeReasons.NoMarketData => Error(10001, "params error: no market price for a market order"),
                    _ => Error(10001, $"params error: {rejected.Reason}"),
                };
            }
            Register(order, engineId);
            Match(reports, now);
            return Ok(w => AckBody(w, order));
        }
    }

    internal FakeReply Amend(FakeParams p)
    {
        lock (_gate)
        {
            var now = Now;
            if (Find(p) is not { } order || order.Status.IsTerminal()) return Error(110001, "order not exists or too late to amend");
            var qty = p.Decimal("qty") ?? order.Qty;
            var price = p.Decimal("price") ?? order.Price;
            if (order.Type != OrderType.Limit) return Error(10001, "params error: only limit orders can be amended here");
            if (qty <= order.CumExecQty) return Error(110001, "the new quantity is not above the filled quantity");
            // The engine has no amend: cancel this incarnation quietly and place the rest at the new terms.
            _replacedEngineIds.Add(order.EngineId);
            _engine.Cancel(new ClientOrderId(order.EngineId), now);
            order.Qty = qty;
            order.Price = price;
            order.UpdatedTime = now;
            var engineId = NextEngineId();
            order.EngineId = engineId;
            _byEngineId[engineId] = order;
            var coreTif = order.TimeInForce == "PostOnly" ? TimeInForce.PostOnly : TimeInForce.GoodTillCancel;
            var reports = _engine.Submit(new OrderRequest(new ClientOrderId(engineId), order.Symbol, order.Side, OrderType.Limit,
                qty - order.CumExecQty, price, coreTif, order.ReduceOnly && !IsHedge(order.Symbol)), now);
            if (reports.Count > 0 && reports[0] is OrderRejectedReport r)
            {
                order.Status = order.CumExecQty > 0 ? BybitOrderStatus.PartiallyFilledCanceled : BybitOrderStatus.Cancelled;
                order.RejectReason = r.Reason == SimulatedExchangeReasons.PostOnlyWouldCross ? "EC_PostOnlyWillTakeLiquidity" : "EC_NoError";
                PushOrder(order);
                return Ok(w => AckBody(w, order));
            }
            PushOrder(order);
            Match(reports, now);
            return Ok(w => AckBody(w, order));
        }
    }

    internal FakeReply Cancel(FakeParams p)
    {
        lock (_gate)
        {
            if (Find(p) is not { } order || order.Status.IsTerminal()) return Error(110001, "order not exists or too late to cancel");
            Match(_engine.Cancel(new ClientOrderId(order.EngineId), Now), Now);
            return Ok(w => AckBody(w, order));
        }
    }

    /// <summary>
    /// /v5/order/cancel-batch (https://bybit-exchange.github.io/docs/v5/order/batch-cancel): up to 20 linear orders, each by
    /// orderId or orderLinkId; the request succeeds and each order's own outcome is in retExtInfo.list, in the order sent.
    /// </summary>
    internal FakeReply CancelBatch(FakeParams p)
    {
        var items = new List<(string? Symbol, string? OrderId, string? OrderLinkId)>();
        try
        {
            using var doc = JsonDocument.Parse(p["request"] ?? "null");
            if (doc.RootElement.ValueKind != JsonValueKind.Array) return Error(10001, "params error: request must be an array");
            foreach (var e in doc.RootElement.EnumerateArray())
            {
                string? Field(string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } t ? t : null;
                items.Add((Field("symbol"), Field("orderId"), Field("orderLinkId")));
            }
        }
        catch (JsonException)
        {
            return Error(10001, "params error: request is not JSON");
        }
        if (items.Count is 0 or > 20) return Error(10001, "params error: a batch takes 1 to 20 orders");
        lock (_gate)
        {
            var answers = new List<(FakeOrder? Order, string? OrderId, string? OrderLinkId, string? Symbol, int Code, string Msg)>();
            foreach (var (symbol, orderId, orderLinkId) in items)
            {
                var key = orderLinkId ?? orderId ?? "";
                _cancelItems[key] = _cancelItems.GetValueOrDefault(key) + 1;
                var order = orderId is not null ? _byOrderId.GetValueOrDefault(orderId) : orderLinkId is not null ? _byLinkId.GetValueOrDefault(orderLinkId) : null;
                if (symbol is null || (orderId is null && orderLinkId is null))
                    answers.Add((order, orderId, orderLinkId, symbol, 10001, "params error: symbol and orderId or orderLinkId are required"));
                else if (_faults.TakeFailedCancelItem())
                    answers.Add((order, orderId, orderLinkId, symbol, 10016, "Service is busy, please retry"));
                else if (order is null || order.Status.IsTerminal() || order.Symbol.Value != symbol)
                    answers.Add((order, orderId, orderLinkId, symbol, 110001, "order not exists or too late to cancel"));
                else
                {
                    Match(_engine.Cancel(new ClientOrderId(order.EngineId), Now), Now);
                    answers.Add((order, order.OrderId, order.OrderLinkId, symbol, 0, "OK"));
                }
            }
            return new FakeReply(0, V5Json.Envelope(0, "OK", w =>
            {
                w.WriteStartArray("list");
                foreach (var a in answers)
                {
                    w.WriteStartObject();
                    w.WriteString("category", "linear");
                    w.WriteString("symbol", a.Symbol ?? "");
                    w.WriteString("orderId", a.Code == 0 ? a.Order!.OrderId : a.OrderId ?? "");
                    w.WriteString("orderLinkId", a.Code == 0 ? a.Order!.OrderLinkId : a.OrderLinkId ?? "");
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }, Now, w =>
            {
                w.WriteStartArray("list");
                foreach (var a in answers)
                {
                    w.WriteStartObject();
                    w.WriteNumber("code", a.Code);
                    w.WriteString("msg", a.Msg);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }));
        }
    }

    /// <summary>How many times an order (by orderLinkId, or orderId) was named in batch cancels.</summary>
    public int CancelBatchItemsFor(string orderLinkIdOrOrderId)
    {
        lock (_gate) return _cancelItems.GetValueOrDefault(orderLinkIdOrOrderId);
    }

    /// <summary>Orders named in batch cancels, in total.</summary>
    public int CancelBatchItems
    {
        get
        {
            lock (_gate) return _cancelItems.Values.Sum();
        }
    }

    internal FakeReply CancelAll(FakeParams p)
    {
        lock (_gate)
        {
            Symbol? symbol = null;
            if (p["symbol"] is { } s)
            {
                if (!TrySymbol(s, out var parsed)) return Error(10001, "params error: symbol invalid");
                symbol = parsed;
            }
            var open = _orders.Where(o => !o.Status.IsTerminal() && (symbol is null || o.Symbol == symbol)).ToList();
            foreach (var o in open) Match(_engine.Cancel(new ClientOrderId(o.EngineId), Now), Now);
            return Ok(w =>
            {
                w.WriteStartArray("list");
                foreach (var o in open) AckObject(w, o);
                w.WriteEndArray();
                w.WriteString("success", "1");
            });
        }
    }

    internal FakeReply Realtime(FakeParams p) => OrderList(p, realtime: true);

    internal FakeReply History(FakeParams p) => OrderList(p, realtime: false);

    private FakeReply OrderList(FakeParams p, bool realtime)
    {
        lock (_gate)
        {
            IEnumerable<FakeOrder> rows = _orders;
            if (p["orderId"] is { } id) rows = rows.Where(o => o.OrderId == id);
            else if (p["orderLinkId"] is { } link) rows = rows.Where(o => o.OrderLinkId == link);
            if (realtime)
            {
                // openOnly=0 (the default): open orders only; otherwise the recent closed ones, which a venue restart
                // clears (https://bybit-exchange.github.io/docs/v5/order/open-order).
                var closed = p["openOnly"] is { } only && only != "0";
                rows = closed
                    ? rows.Where(o => o.Status.IsTerminal() && !_faults.ClosedOrdersOnlyInHistory)
                    : rows.Where(o => !o.Status.IsTerminal());
            }
            else
            {
                // The history lists every order, open or closed, once it has caught up with it.
                var lag = _faults.HistoryLag;
                var now = Now;
                rows = rows.Where(o => now - o.CreatedTime >= lag);
                if (p["orderId"] is null && p["orderLinkId"] is null) rows = rows.Where(o => o.Status.IsTerminal());
            }
            if (p["symbol"] is { } s) rows = rows.Where(o => o.Symbol.Value == s);
            else if (p["settleCoin"] is { } settle && settle != "USDT") rows = []; // every instrument here settles in USDT
            if (Page(rows.Reverse().ToList(), p, 20, 50) is not { } paged) return Error(10001, "params error: cursor is invalid");
            var (list, next) = paged;
            return Ok(w =>
            {
                w.WriteString("category", "linear");
                w.WriteStartArray("list");
                foreach (var o in list) V5Json.Order(w, o);
                w.WriteEndArray();
                w.WriteString("nextPageCursor", next);
            });
        }
    }

    /// <summary>
    /// /v5/execution/list as documented (https://bybit-exchange.github.io/docs/v5/order/execution): at most 7 days per
    /// request (startTime alone: 7 days from it; endTime alone: 7 days before it; neither: the last 7 days; both: refused
    /// when wider), newest first, and an opaque cursor that arrives URL-encoded and must come back unchanged.
    /// </summary>
    internal FakeReply ExecutionList(FakeParams p)
    {
        lock (_gate)
        {
            var week = TimeSpan.FromDays(7);
            var now = Now;
            DateTime? Ms(string name) => p[name] is { } text && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
                ? DateTime.UnixEpoch.AddMilliseconds(ms) : null;
            var (start, end) = (Ms("startTime"), Ms("endTime")) switch
            {
                ({ } a, { } b) => (a, b),
                ({ } a, null) => (a, a + week),
                (null, { } b) => (b - week, b),
                _ => (now - week, now),
            };
            if (end - start > week) return Error(10001, "The time range between startTime and endTime cannot exceed 7 days.");
            IEnumerable<FakeExecution> rows = _executions.Where(e => e.Time >= start && e.Time <= end);
            if (p["symbol"] is { } s) rows = rows.Where(e => e.Symbol.Value == s);
            if (p["orderId"] is { } id) rows = rows.Where(e => e.OrderId == id);
            if (p["orderLinkId"] is { } link) rows = rows.Where(e => e.OrderLinkId == link);
            var all = rows.Reverse().OrderByDescending(e => e.Time).ToList(); // newest first, like Bybit
            if (Page(all, p, 50, 100) is not { } paged) return Error(10001, "params error: cursor is invalid");
            var (list, next) = paged;
            return Ok(w =>
            {
                w.WriteString("category", "linear");
                w.WriteStartArray("list");
                foreach (var e in list) V5Json.Execution(w, e);
                w.WriteEndArray();
                w.WriteString("nextPageCursor", next);
            });
        }
    }

    /// <summary>
    /// One page of a list: <c>limit</c> rows (default and maximum as the endpoint documents) from the cursor on, and the
    /// next cursor, opaque and URL-encoded as Bybit's are. Sent back as issued, the server's one URL decoding gives
    /// "page=N&amp;t=…"; a client that encoded it again sends "page%3DN…", which is refused (null).
    /// </summary>
    private static (List<T> Rows, string Next)? Page<T>(IReadOnlyList<T> all, FakeParams p, int defaultLimit, int maxLimit)
    {
        var offset = 0;
        if (p["cursor"] is { Length: > 0 } c)
        {
            var m = System.Text.RegularExpressions.Regex.Match(c, @"^page=(\d+)&t=([0-9a-f]{8})$");
            if (!m.Success) return null;
            offset = int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        }
        var rows = all.Skip(offset).Take(Math.Clamp(p.Int("limit", defaultLimit), 1, maxLimit)).ToList();
        var next = offset + rows.Count < all.Count
            ? $"page%3D{offset + rows.Count}%26t%3D{Convert.ToHexStringLower(BitConverter.GetBytes(offset * 7919 + 17))}"
            : "";
        return (rows, next);
    }

    /// <summary>
    /// Moves an order and its executions back in time (the fake's clock is the machine's): an order resting for days, a
    /// fill from last week.
    /// </summary>
    public void Backdate(string orderLinkId, TimeSpan age)
    {
        lock (_gate)
        {
            var order = _byLinkId[orderLinkId];
            order.CreatedTime -= age;
            order.UpdatedTime -= age;
            for (var i = 0; i < _executions.Count; i++)
                if (_executions[i].OrderLinkId == orderLinkId) _executions[i] = _executions[i] with { Time = _executions[i].Time - age };
        }
    }

    internal FakeReply Positions(FakeParams p)
    {
        lock (_gate)
        {
            // Every instrument here settles in USDT; a symbol is listed whether or not a position is open, as Bybit does.
            // By symbol: its position rows (both legs in hedge mode), open or flat; by settle coin: the ones ever traded.
            var rows = p["symbol"] is { } s ? RowsOf(new Symbol(s))
                : p["settleCoin"] is "USDT" ? _positions.OrderBy(k => k.Key.Symbol.Value, StringComparer.Ordinal).ThenBy(k => k.Key.Index).Select(k => k.Value).ToList()
                : [];
            if (Page(rows, p, 20, 200) is not { } paged) return Error(10001, "params error: cursor is invalid");
            var (page, next) = paged;
            return Ok(w =>
            {
                w.WriteString("category", "linear");
                w.WriteStartArray("list");
                foreach (var position in page) V5Json.Position(w, position, stream: false);
                w.WriteEndArray();
                w.WriteString("nextPageCursor", next);
            });
        }
    }

    internal FakeReply WalletBalance(FakeParams p)
    {
        lock (_gate)
        {
            if (p["accountType"] != "UNIFIED") return Error(10001, "params error: accountType only supports UNIFIED");
            var wallet = Wallet();
            return Ok(w =>
            {
                w.WriteStartArray("list");
                V5Json.Wallet(w, wallet);
                w.WriteEndArray();
            });
        }
    }

    // ---- public REST -----------------------------------------------------------------------------------------

    internal FakeReply ServerTime()
    {
        var now = Now;
        var nanos = (now - DateTime.UnixEpoch).Ticks * 100;
        return Ok(w =>
        {
            w.WriteString("timeSecond", (nanos / 1_000_000_000).ToString(CultureInfo.InvariantCulture));
            w.WriteString("timeNano", nanos.ToString(CultureInfo.InvariantCulture));
        });
    }

    internal FakeReply Instruments(FakeParams p)
    {
        var list = _options.Instruments.All.Where(i => p["symbol"] is not { } s || i.Symbol.Value == s).OrderBy(i => i.Symbol.Value).ToList();
        return Ok(w =>
        {
            w.WriteString("category", "linear");
            w.WriteStartArray("list");
            foreach (var i in list)
            {
                w.WriteStartObject();
                w.WriteString("symbol", i.Symbol.Value);
                w.WriteString("contractType", "LinearPerpetual");
                w.WriteString("status", "Trading");
                w.WriteString("baseCoin", i.Symbol.Value.Replace("USDT", "", StringComparison.Ordinal));
                w.WriteString("quoteCoin", "USDT");
                w.WriteStartObject("priceFilter");
                w.WriteString("tickSize", V5Json.D(i.TickSize));
                w.WriteEndObject();
                w.WriteStartObject("lotSizeFilter");
                w.WriteString("qtyStep", V5Json.D(i.LotSize));
                w.WriteString("minOrderQty", V5Json.D(i.MinQty));
                w.WriteString("maxOrderQty", V5Json.D(i.MaxQty));
                w.WriteString("minNotionalValue", V5Json.D(i.MinNotional));
                w.WriteEndObject();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteString("nextPageCursor", "");
        });
    }

    internal FakeReply Kline(FakeParams p)
    {
        lock (_gate)
        {
            if (!TrySymbol(p["symbol"], out var symbol) || p["interval"] is not { } interval || !BybitInterval.TryParse(interval, out _))
                return Error(10001, "params error: symbol or interval invalid");
            // As Bybit: the newest bars of [start, end] first, at most limit of them.
            var start = p.Decimal("start") is { } s ? DateTime.UnixEpoch.AddMilliseconds((double)s) : DateTime.MinValue;
            var end = p.Decimal("end") is { } e ? DateTime.UnixEpoch.AddMilliseconds((double)e) : DateTime.MaxValue;
            var bars = _markets.TryGetValue(symbol, out var m) && m.Klines.TryGetValue(interval, out var b)
                ? b.Values.Reverse().Where(x => x.Candle.Time >= start && x.Candle.Time <= end).Take(Math.Clamp(p.Int("limit", 200), 1, 1000)).ToList()
                : [];
            return Ok(w =>
            {
                w.WriteString("category", "linear");
                w.WriteString("symbol", symbol.Value);
                w.WriteStartArray("list");
                foreach (var (c, _) in bars)
                {
                    w.WriteStartArray();
                    w.WriteStringValue(V5Json.MsText(c.Time));
                    w.WriteStringValue(V5Json.D(c.Open));
                    w.WriteStringValue(V5Json.D(c.High));
                    w.WriteStringValue(V5Json.D(c.Low));
                    w.WriteStringValue(V5Json.D(c.Close));
                    w.WriteStringValue(V5Json.D(c.Volume));
                    w.WriteStringValue(V5Json.D(Math.Round(c.Volume * c.Close, 8)));
                    w.WriteEndArray();
                }
                w.WriteEndArray();
            });
        }
    }

    internal FakeReply Tickers(FakeParams p)
    {
        lock (_gate)
        {
            var markets = _markets.Where(kv => p["symbol"] is not { } s || kv.Key.Value == s).OrderBy(kv => kv.Key.Value).ToList();
            return Ok(w =>
            {
                w.WriteString("category", "linear");
                w.WriteStartArray("list");
                foreach (var (symbol, m) in markets)
                {
                    w.WriteStartObject();
                    w.WriteString("symbol", symbol.Value);
                    w.WriteString("lastPrice", m.LastPrice is { } l ? V5Json.D(l) : "");
                    w.WriteString("markPrice", MarkOf(symbol) is { } mark ? V5Json.D(mark) : "");
                    w.WriteString("bid1Price", m.Book.BestBid is { } b ? V5Json.D(b.Price) : "");
                    w.WriteString("bid1Size", m.Book.BestBid is { } bs ? V5Json.D(bs.Qty) : "");
                    w.WriteString("ask1Price", m.Book.BestAsk is { } a ? V5Json.D(a.Price) : "");
                    w.WriteString("ask1Size", m.Book.BestAsk is { } az ? V5Json.D(az.Qty) : "");
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            });
        }
    }

    internal FakeReply RecentTrades(FakeParams p)
    {
        lock (_gate)
        {
            if (!TrySymbol(p["symbol"], out var symbol)) return Error(10001, "params error: symbol invalid");
            var trades = _markets.TryGetValue(symbol, out var m)
                ? m.Trades.AsEnumerable().Reverse().Take(Math.Clamp(p.Int("limit", 60), 1, 1000)).ToList()
                : [];
            return Ok(w =>
            {
                w.WriteString("category", "linear");
                w.WriteStartArray("list");
                foreach (var (t, id) in trades)
                {
                    w.WriteStartObject();
                    w.WriteString("execId", id);
                    w.WriteString("symbol", symbol.Value);
                    w.WriteString("price", V5Json.D(t.Price));
                    w.WriteString("size", V5Json.D(t.Qty));
                    w.WriteString("side", V5Json.SideText(t.TakerSide));
                    w.WriteString("time", V5Json.MsText(t.Time));
                    w.WriteBoolean("isBlockTrade", false);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            });
        }
    }

    // ---- matching-engine reports → account state and private pushes ---------------------------------------------

    private void Match(IReadOnlyList<ExecutionReport> reports, DateTime now)
    {
        foreach (var report in reports)
        {
            var engineId = report.ClientOrderId.Value;
            if (!_byEngineId.TryGetValue(engineId, out var order)) continue;
            switch (report)
            {
                case OrderAcceptedReport:
                    PushOrder(order);
                    break;
                case OrderFilledReport f:
                    Fill(order, f.Fill, now);
                    break;
                case OrderCancelledReport c when !_replacedEngineIds.Contains(engineId):
                    order.Status = order.CumExecQty > 0 ? BybitOrderStatus.PartiallyFilledCanceled : BybitOrderStatus.Cancelled;
                    order.CancelType = c.Reason == SimulatedExchangeReasons.CancelledByRequest ? "CancelByUser" : "UNKNOWN";
                    order.UpdatedTime = now;
                    PushOrder(order);
                    break;
                case OrderRejectedReport r:
                    order.Status = BybitOrderStatus.Rejected;
                    order.RejectReason = r.Reason;
                    order.UpdatedTime = now;
                    PushOrder(order);
                    break;
            }
        }
    }

    private void Fill(FakeOrder order, Fill fill, DateTime now)
    {
        order.CumExecQty += fill.Qty;
        order.CumExecValue += fill.Price * fill.Qty;
        order.CumExecFee += fill.Fee;
        order.Status = order.CumExecQty >= order.Qty ? BybitOrderStatus.Filled : BybitOrderStatus.PartiallyFilled;
        order.UpdatedTime = now;
        _fees += fill.Fee;
        var position = PositionFor(order.Symbol, order.PositionIdx);
        var seq = ++_seq;
        var closed = position.Apply(order.Side, fill.Qty, fill.Price, now, seq);
        position.MarkPrice = MarkOf(order.Symbol) ?? fill.Price;
        var rate = fill.Liquidity == Liquidity.Maker ? _options.Exchange.MakerFeeRate : _options.Exchange.TakerFeeRate;
        var execution = new FakeExecution(Guid.NewGuid().ToString(), order.OrderId, order.OrderLinkId, order.Symbol, order.Side,
            order.Type == OrderType.Market ? "Market" : "Limit", order.Price, order.Qty, fill.Price, fill.Qty, fill.Fee, rate,
            fill.Liquidity == Liquidity.Maker, order.Leaves, closed, now, seq);
        _executions.Add(execution);
        PushPrivate(BybitTopics.Execution, w => V5Json.Execution(w, execution));
        PushOrder(order);
        PushPrivate(BybitTopics.Position, w => V5Json.Position(w, position, stream: true));
        var wallet = Wallet();
        PushPrivate(BybitTopics.Wallet, w => V5Json.Wallet(w, wallet));
    }

    private FakeWallet Wallet()
    {
        var realised = _positions.Values.Sum(p => p.RealisedPnl);
        var unrealised = 0m;
        var margin = 0m;
        foreach (var p in _positions.Values)
        {
            p.MarkPrice = MarkOf(p.Symbol) ?? p.MarkPrice;
            unrealised += p.UnrealisedPnl;
            margin += Math.Abs(p.Size) * p.AvgPrice / _options.Leverage;
        }
        foreach (var o in _orders)
            if (!o.Status.IsTerminal() && o.Price is { } price) margin += o.Leaves * price / _options.Leverage;
        return new FakeWallet(_options.InitialBalance + realised - _fees, realised, unrealised, margin);
    }

    private FakePosition PositionFor(Symbol symbol, int index = 0)
    {
        if (!_positions.TryGetValue((symbol, index), out var p)) _positions[(symbol, index)] = p = new FakePosition(symbol, _options.Leverage, index);
        return p;
    }

    private List<FakePosition> RowsOf(Symbol symbol) => IsHedge(symbol) ? [PositionFor(symbol, 1), PositionFor(symbol, 2)] : [PositionFor(symbol)];

    private void Register(FakeOrder order, string engineId)
    {
        _orders.Add(order);
        _byOrderId[order.OrderId] = order;
        if (order.OrderLinkId.Length > 0) _byLinkId[order.OrderLinkId] = order;
        _byEngineId[engineId] = order;
    }

    private FakeOrder? Find(FakeParams p) =>
        p["orderId"] is { } id ? _byOrderId.GetValueOrDefault(id)
        : p["orderLinkId"] is { } link ? _byLinkId.GetValueOrDefault(link)
        : null;

    private string NextEngineId() => $"fake-{++_seq}";

    private bool TrySymbol(string? s, out Symbol symbol)
    {
        symbol = default;
        if (s is null || s.Length > 32 || !s.All(char.IsAsciiLetterOrDigit)) return false;
        symbol = new Symbol(s);
        return _options.Instruments.TryGet(symbol, out _);
    }

    private static IReadOnlyList<BookLevel> Levels(IEnumerable<(decimal Price, decimal Qty)> levels) =>
        levels.Select(l => new BookLevel(l.Price, l.Qty)).ToList();

    private FakeReply Ok(Action<Utf8JsonWriter> result) => new(0, V5Json.Envelope(0, "OK", result, Now));

    private FakeReply Error(int retCode, string message) => new(retCode, V5Json.Envelope(retCode, message, null, Now));

    private static void AckBody(Utf8JsonWriter w, FakeOrder o)
    {
        w.WriteString("orderId", o.OrderId);
        w.WriteString("orderLinkId", o.OrderLinkId);
    }

    private static void AckObject(Utf8JsonWriter w, FakeOrder o)
    {
        w.WriteStartObject();
        AckBody(w, o);
        w.WriteEndObject();
    }

    // ---- WebSocket subscriptions and pushes ------------------------------------------------------------------

    internal void Register(FakeWsConnection c)
    {
        lock (_gate) _connections.Add(c);
    }

    internal void Unregister(FakeWsConnection c)
    {
        lock (_gate) _connections.Remove(c);
    }

    internal void DropConnections()
    {
        List<FakeWsConnection> all;
        lock (_gate) all = _connections.ToList();
        foreach (var c in all) c.Abort();
    }

    internal void Subscribe(FakeWsConnection c, string? reqId, IReadOnlyList<string> topics)
    {
        lock (_gate)
        {
            var invalid = topics.Where(t => c.IsPrivate ? !BybitTopics.IsValidPrivate(t) : !IsKnownPublicTopic(t)).ToList();
            if (c.IsPrivate && !c.Authenticated)
            {
                c.Enqueue(OpAck("subscribe", false, "request not authorized", reqId, c.ConnId));
                return;
            }
            if (invalid.Count > 0)
            {
                c.Enqueue(OpAck("subscribe", false, $"Invalid topic: {string.Join(",", invalid)}", reqId, c.ConnId));
                return;
            }
            foreach (var t in topics) c.Topics.Add(t);
            c.Enqueue(OpAck("subscribe", true, "", reqId, c.ConnId));
            foreach (var t in topics) SendInitial(c, t);
        }
    }

    internal void Unsubscribe(FakeWsConnection c, string? reqId, IReadOnlyList<string> topics)
    {
        lock (_gate)
        {
            foreach (var t in topics) c.Topics.Remove(t);
            c.Enqueue(OpAck("unsubscribe", true, "", reqId, c.ConnId));
        }
    }

    /// <summary>What a new subscriber gets at once: the book snapshot, the ticker snapshot.</summary>
    private void SendInitial(FakeWsConnection c, string topic)
    {
        var parts = topic.Split('.');
        if (parts is ["orderbook", var d, var s] && _markets.TryGetValue(new Symbol(s), out var m) && m.Book.IsInitialized)
        {
            var depth = int.Parse(d, CultureInfo.InvariantCulture);
            Send(c, V5Json.BookMessage(topic, true, m.Book.Symbol, m.UpdateId, m.Seq, m.Book.Time, m.Book.Bids(depth), m.Book.Asks(depth), Now));
        }
        else if (parts is ["tickers", var ts] && _markets.TryGetValue(new Symbol(ts), out var tm))
        {
            Send(c, V5Json.TickerMessage(tm.Book.Symbol, true, tm.LastPrice, tm.Book.BestBid, tm.Book.BestAsk, Now));
        }
    }

    private bool IsKnownPublicTopic(string topic) =>
        BybitTopics.IsValidPublic(topic) && _options.Instruments.TryGet(new Symbol(topic[(topic.LastIndexOf('.') + 1)..]), out _);

    private IEnumerable<int> SubscribedDepths(Symbol symbol)
    {
        var prefix = "orderbook.";
        var suffix = "." + symbol.Value;
        return _connections.SelectMany(c => c.Topics)
            .Where(t => t.StartsWith(prefix, StringComparison.Ordinal) && t.EndsWith(suffix, StringComparison.Ordinal))
            .Select(t => int.Parse(t.Split('.')[1], CultureInfo.InvariantCulture))
            .Distinct()
            .ToList();
    }

    private bool HasSubscriber(string topic) => _connections.Any(c => c.Topics.Contains(topic));

    /// <summary>A public push to every subscriber of the topic (the drop fault loses it for everyone).</summary>
    private void Broadcast(string topic, string json)
    {
        if (!HasSubscriber(topic)) return;
        if (_faults.TakeDropPublic()) return;
        foreach (var c in _connections)
            if (!c.IsPrivate && c.Topics.Contains(topic)) Send(c, json);
    }

    private void PushOrder(FakeOrder order) => PushPrivate(BybitTopics.Order, w => V5Json.Order(w, order));

    private void PushPrivate(string topic, Action<Utf8JsonWriter> row)
    {
        var targets = _connections.Where(c => c.IsPrivate && c.Authenticated && c.Topics.Contains(topic)).ToList();
        if (targets.Count == 0) return;
        var json = V5Json.PrivateMessage(topic, $"fake-{++_seq}", Now, row);
        foreach (var c in targets)
            if (topic == BybitTopics.Execution && _faults.HoldExecutionPushes) _heldExecutions.Add((c, json));
            else Send(c, json);
    }

    /// <summary>Sends the execution pushes held by <see cref="Faults.HoldExecutionPushes"/>, in their order.</summary>
    internal void ReleaseHeldExecutions()
    {
        lock (_gate)
        {
            foreach (var (c, json) in _heldExecutions) Send(c, json);
            _heldExecutions.Clear();
        }
    }

    private void Send(FakeWsConnection c, string json)
    {
        c.Enqueue(json);
        if (_faults.DuplicateWsMessages) c.Enqueue(json);
    }

    internal static string OpAck(string op, bool success, string message, string? reqId, string connId) => V5Json.Write(w =>
    {
        w.WriteStartObject();
        w.WriteBoolean("success", success);
        w.WriteString("ret_msg", message);
        w.WriteString("conn_id", connId);
        if (reqId is not null) w.WriteString("req_id", reqId);
        w.WriteString("op", op);
        w.WriteEndObject();
    });

    private sealed class Market(OrderBook book)
    {
        public OrderBook Book { get; } = book;
        public long UpdateId { get; set; }
        public long Seq { get; set; }
        public decimal? LastPrice { get; set; }
        public List<(Trade Trade, string Id)> Trades { get; } = [];
        public Dictionary<string, SortedList<DateTime, (Candle Candle, bool Confirm)>> Klines { get; } = [];
    }
}
