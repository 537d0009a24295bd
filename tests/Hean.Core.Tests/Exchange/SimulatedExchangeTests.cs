using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.MarketData;
using Hean.Core.Orders;
using Xunit;
using static Hean.Core.Exchange.SimulatedExchangeReasons;

namespace Hean.Core.Tests.Exchange;

public sealed class SimulatedExchangeTests
{
    private static readonly Symbol Btc = new("BTCUSDT");
    private static readonly Symbol Eth = new("ETHUSDT");
    private static readonly DateTime T0 = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private long _seq;

    private static SimulatedExchange NewExchange(TimeSpan latency = default) =>
        new(InstrumentCatalog.Default, new SimulatedExchangeOptions(Latency: latency));

    private static BookLevel L(decimal price, decimal qty) => new(price, qty);
    private static ClientOrderId Id(string id) => new(id);
    private static DateTime At(int ms) => T0.AddMilliseconds(ms);

    private BookUpdate Snapshot(int ms, BookLevel[] bids, BookLevel[] asks, Symbol? symbol = null) =>
        new(symbol ?? Btc, At(ms), ++_seq, 0, true, bids, asks);

    private BookUpdate Delta(int ms, BookLevel[] bids, BookLevel[] asks) =>
        new(Btc, At(ms), ++_seq, 0, false, bids, asks);

    private static Trade Print(int ms, decimal price, decimal qty, Side takerSide) => new(Btc, At(ms), price, qty, takerSide, ms);

    private static OrderRequest Market(string id, Side side, decimal qty, bool reduceOnly = false) =>
        new(Id(id), Btc, side, OrderType.Market, qty, null, ReduceOnly: reduceOnly);

    private static OrderRequest Limit(string id, Side side, decimal qty, decimal price, TimeInForce tif = TimeInForce.GoodTillCancel, bool reduceOnly = false) =>
        new(Id(id), Btc, side, OrderType.Limit, qty, price, tif, reduceOnly);

    private static List<OrderFilledReport> Fills(IEnumerable<ExecutionReport> reports) => reports.OfType<OrderFilledReport>().ToList();

    private SimulatedExchange WithBook(BookLevel[] bids, BookLevel[] asks)
    {
        var exchange = NewExchange();
        exchange.OnMarketEvent(Snapshot(0, bids, asks));
        return exchange;
    }

    [Fact]
    public void Market_order_walks_three_levels_with_exact_vwap_and_fees()
    {
        var exchange = WithBook([L(99.9m, 5)], [L(100.0m, 1), L(100.5m, 2), L(101.0m, 3)]);

        var reports = exchange.Submit(Market("m1", Side.Buy, 4.5m), At(10));

        Assert.IsType<OrderAcceptedReport>(reports[0]);
        var fills = Fills(reports);
        Assert.Equal(4, reports.Count);
        Assert.Equal([(100.0m, 1m, 3.5m), (100.5m, 2m, 1.5m), (101.0m, 1.5m, 0m)], fills.Select(f => (f.Fill.Price, f.Fill.Qty, f.LeavesQty)));
        Assert.Equal(452.5m / 4.5m, fills.Sum(f => f.Fill.Price * f.Fill.Qty) / fills.Sum(f => f.Fill.Qty));
        Assert.Equal([0.055m, 0.11055m, 0.083325m], fills.Select(f => f.Fill.Fee));
        Assert.All(fills, f => Assert.Equal(Liquidity.Taker, f.Fill.Liquidity));
        Assert.All(reports, r => Assert.Equal(At(10), r.Time));
        Assert.Equal(["sim-1", "sim-2", "sim-3"], fills.Select(f => f.Fill.TradeId));
        Assert.Equal(4.5m, exchange.PositionOf(Btc));
        Assert.False(exchange.IsOpen(Id("m1")));
        Assert.Equal(L(100.0m, 1), exchange.BookOf(Btc)!.BestAsk);
    }

    [Fact]
    public void Market_order_on_an_empty_side_is_cancelled_for_no_liquidity()
    {
        var exchange = WithBook([L(99, 1)], []);

        var reports = exchange.Submit(Market("m1", Side.Buy, 1), At(1));

        Assert.Collection(reports,
            r => Assert.IsType<OrderAcceptedReport>(r),
            r => Assert.Equal(NoLiquidity, Assert.IsType<OrderCancelledReport>(r).Reason));
    }

    [Fact]
    public void Market_order_larger_than_the_book_cancels_the_remainder()
    {
        var exchange = WithBook([L(99, 1)], [L(100, 0.4m)]);

        var reports = exchange.Submit(Market("m1", Side.Buy, 1), At(1));

        Assert.Equal(0.6m, Assert.Single(Fills(reports)).LeavesQty);
        Assert.Equal(NoLiquidity, Assert.IsType<OrderCancelledReport>(reports[^1]).Reason);
        Assert.Equal(0.4m, exchange.PositionOf(Btc));
    }

    [Fact]
    public void Market_order_without_any_price_is_rejected()
    {
        var reports = NewExchange().Submit(Market("m1", Side.Buy, 1), At(1));

        Assert.Equal(NoMarketData, Assert.IsType<OrderRejectedReport>(Assert.Single(reports)).Reason);
    }

    [Fact]
    public void Without_a_book_a_market_order_fills_on_a_synthetic_book_around_the_last_trade()
    {
        var exchange = NewExchange();
        exchange.OnMarketEvent(Print(1, 100m, 0.1m, Side.Buy));

        var buy = Assert.Single(Fills(exchange.Submit(Market("b", Side.Buy, 2), At(2))));
        var sell = Assert.Single(Fills(exchange.Submit(Market("s", Side.Sell, 3), At(3))));

        Assert.Equal((100.1m, 2m), (buy.Fill.Price, buy.Fill.Qty));
        Assert.Equal((99.9m, 3m), (sell.Fill.Price, sell.Fill.Qty));
        Assert.Equal(100m, exchange.LastPrice(Btc));
        Assert.Equal(-1m, exchange.PositionOf(Btc));
    }

    [Fact]
    public void Resting_limit_fills_from_trades_after_the_queue_ahead_is_consumed()
    {
        var exchange = WithBook([L(99, 5)], [L(100, 5)]);
        Assert.IsType<OrderAcceptedReport>(Assert.Single(exchange.Submit(Limit("l1", Side.Buy, 2, 99), At(1))));
        Assert.True(exchange.IsOpen(Id("l1")));

        Assert.Empty(exchange.OnMarketEvent(Print(2, 99, 3, Side.Sell)));     // queue 5 -> 2
        Assert.Empty(exchange.OnMarketEvent(Print(3, 99, 10, Side.Buy)));     // a buyer does not trade with bids
        var first = Assert.Single(Fills(exchange.OnMarketEvent(Print(4, 99, 3, Side.Sell))));   // 2 to the queue, 1 to us
        var second = Assert.Single(Fills(exchange.OnMarketEvent(Print(5, 99, 5, Side.Sell))));

        Assert.Equal((99m, 1m, 1m, Liquidity.Maker, 0.0198m, At(4)), (first.Fill.Price, first.Fill.Qty, first.LeavesQty, first.Fill.Liquidity, first.Fill.Fee, first.Time));
        Assert.Equal((1m, 0m, At(5)), (second.Fill.Qty, second.LeavesQty, second.Time));
        Assert.False(exchange.IsOpen(Id("l1")));
        Assert.Equal(2m, exchange.PositionOf(Btc));
    }

    [Fact]
    public void Queue_ahead_shrinks_with_the_level_quantity()
    {
        var exchange = WithBook([L(99, 5)], [L(100, 5)]);
        exchange.Submit(Limit("l1", Side.Buy, 2, 99), At(1));

        exchange.OnMarketEvent(Delta(2, [L(99, 1)], []));          // cancellations ahead of us: queue 5 -> 1
        exchange.OnMarketEvent(Delta(3, [L(99, 4)], []));          // orders joining behind us do not count
        var fill = Assert.Single(Fills(exchange.OnMarketEvent(Print(4, 99, 2, Side.Sell))));

        Assert.Equal(1m, fill.Fill.Qty);
    }

    [Fact]
    public void Trade_through_the_limit_fills_regardless_of_queue()
    {
        var exchange = WithBook([L(99, 50)], [L(100, 5)]);
        exchange.Submit(Limit("l1", Side.Buy, 2, 99), At(1));

        var fill = Assert.Single(Fills(exchange.OnMarketEvent(Print(2, 98.5m, 0.5m, Side.Sell))));

        Assert.Equal((99m, 0.5m, 1.5m, Liquidity.Maker), (fill.Fill.Price, fill.Fill.Qty, fill.LeavesQty, fill.Fill.Liquidity));
    }

    [Fact]
    public void Book_moving_through_the_limit_fills_at_the_limit_price()
    {
        var exchange = WithBook([L(99, 5)], [L(100, 5)]);
        exchange.Submit(Limit("s1", Side.Sell, 2, 100.5m), At(1));

        var reports = exchange.OnMarketEvent(Delta(2, [L(100.6m, 0.5m), L(100.5m, 1)], []));

        var fill = Assert.Single(Fills(reports));
        Assert.Equal((100.5m, 1.5m, 0.5m, Liquidity.Maker), (fill.Fill.Price, fill.Fill.Qty, fill.LeavesQty, fill.Fill.Liquidity));
        Assert.Equal(-1.5m, exchange.PositionOf(Btc));
    }

    [Fact]
    public void Crossing_limit_takes_then_rests_and_does_not_fill_twice_on_the_same_liquidity()
    {
        var exchange = WithBook([L(99, 5)], [L(100, 1), L(100.5m, 1), L(101, 5)]);

        var reports = exchange.Submit(Limit("l1", Side.Buy, 3, 100.5m), At(1));

        Assert.IsType<OrderAcceptedReport>(reports[0]);
        Assert.Equal([(100m, 1m, Liquidity.Taker), (100.5m, 1m, Liquidity.Taker)], Fills(reports).Select(f => (f.Fill.Price, f.Fill.Qty, f.Fill.Liquidity)));
        Assert.True(exchange.IsOpen(Id("l1")));
        Assert.Equal(3m, Assert.Single(exchange.OpenOrders).Qty);

        // The replayed book still shows what we took: an unrelated update must not fill us again.
        Assert.Empty(exchange.OnMarketEvent(Delta(2, [L(98, 1)], [])));
        // New liquidity at our price does.
        var fill = Assert.Single(Fills(exchange.OnMarketEvent(Delta(3, [], [L(100.5m, 3)]))));
        Assert.Equal((100.5m, 1m, 0m, Liquidity.Maker), (fill.Fill.Price, fill.Fill.Qty, fill.LeavesQty, fill.Fill.Liquidity));
        Assert.Empty(exchange.OpenOrders);
    }

    [Fact]
    public void Post_only_that_would_cross_is_rejected_and_one_that_would_not_rests()
    {
        var exchange = WithBook([L(99, 5)], [L(100, 5)]);

        var crossing = exchange.Submit(Limit("p1", Side.Buy, 1, 100, TimeInForce.PostOnly), At(1));
        var passive = exchange.Submit(Limit("p2", Side.Buy, 1, 99.5m, TimeInForce.PostOnly), At(2));

        Assert.Equal(PostOnlyWouldCross, Assert.IsType<OrderRejectedReport>(Assert.Single(crossing)).Reason);
        Assert.IsType<OrderAcceptedReport>(Assert.Single(passive));
        Assert.True(exchange.IsOpen(Id("p2")));
    }

    [Fact]
    public void Immediate_or_cancel_remainder_is_cancelled()
    {
        var exchange = WithBook([L(99, 5)], [L(100, 1), L(100.5m, 5)]);

        var reports = exchange.Submit(Limit("i1", Side.Buy, 2, 100, TimeInForce.ImmediateOrCancel), At(1));

        Assert.Collection(reports,
            r => Assert.IsType<OrderAcceptedReport>(r),
            r => Assert.Equal((1m, 1m), (((OrderFilledReport)r).Fill.Qty, ((OrderFilledReport)r).LeavesQty)),
            r => Assert.Equal(ImmediateOrCancelRemainder, Assert.IsType<OrderCancelledReport>(r).Reason));
        Assert.False(exchange.IsOpen(Id("i1")));
    }

    [Fact]
    public void Reduce_only_is_clamped_to_the_position_and_rejected_when_it_cannot_reduce()
    {
        var exchange = WithBook([L(99, 50)], [L(100, 50)]);

        var flat = exchange.Submit(Market("r0", Side.Sell, 1, reduceOnly: true), At(1));
        exchange.Submit(Market("open", Side.Buy, 2), At(2));
        var sameSide = exchange.Submit(Market("r1", Side.Buy, 1, reduceOnly: true), At(3));
        var clamped = exchange.Submit(Market("r2", Side.Sell, 5, reduceOnly: true), At(4));

        Assert.Equal(ReduceOnlyWouldIncrease, Assert.IsType<OrderRejectedReport>(Assert.Single(flat)).Reason);
        Assert.Equal(ReduceOnlyWouldIncrease, Assert.IsType<OrderRejectedReport>(Assert.Single(sameSide)).Reason);
        var fill = Assert.Single(Fills(clamped));
        Assert.Equal((99m, 2m, 0m), (fill.Fill.Price, fill.Fill.Qty, fill.LeavesQty));
        Assert.Equal(0m, exchange.PositionOf(Btc));
    }

    [Fact]
    public void Resting_reduce_only_is_cancelled_when_the_position_is_gone_by_the_time_it_fills()
    {
        var exchange = WithBook([L(99, 50)], [L(100, 50)]);
        exchange.Submit(Market("open", Side.Buy, 1), At(1));
        exchange.Submit(Limit("tp", Side.Sell, 1, 101, reduceOnly: true), At(2));
        exchange.Submit(Market("close", Side.Sell, 1), At(3));

        var reports = exchange.OnMarketEvent(Print(4, 101.5m, 1, Side.Buy));

        Assert.Equal(ReduceOnlyWouldIncrease, Assert.IsType<OrderCancelledReport>(Assert.Single(reports)).Reason);
        Assert.Equal(0m, exchange.PositionOf(Btc));
    }

    [Fact]
    public void Duplicate_client_order_id_is_rejected_even_after_the_first_order_is_done()
    {
        var exchange = WithBook([L(99, 5)], [L(100, 5)]);
        exchange.Submit(Market("dup", Side.Buy, 1), At(1));

        var again = exchange.Submit(Market("dup", Side.Buy, 1), At(2));

        Assert.Equal(DuplicateClientOrderId, Assert.IsType<OrderRejectedReport>(Assert.Single(again)).Reason);
        Assert.Equal(1m, exchange.PositionOf(Btc));
    }

    [Fact]
    public void Invalid_orders_are_rejected_with_the_reason()
    {
        var exchange = WithBook([L(99, 5)], [L(100, 5)]);

        var badLot = exchange.Submit(Limit("a", Side.Buy, 0.0005m, 99), At(1));
        var badTick = exchange.Submit(Limit("b", Side.Buy, 1, 99.05m), At(1));
        var noPrice = exchange.Submit(new OrderRequest(Id("c"), Btc, Side.Buy, OrderType.Limit, 1, null), At(1));
        var unknown = exchange.Submit(new OrderRequest(Id("d"), new Symbol("DOGEUSDT"), Side.Buy, OrderType.Market, 1, null), At(1));

        Assert.Equal("quantity 0.0005 is not a multiple of the lot size 0.001", Assert.IsType<OrderRejectedReport>(Assert.Single(badLot)).Reason);
        Assert.Equal("price 99.05 is not a multiple of the tick size 0.1", Assert.IsType<OrderRejectedReport>(Assert.Single(badTick)).Reason);
        Assert.Equal(LimitWithoutPrice, Assert.IsType<OrderRejectedReport>(Assert.Single(noPrice)).Reason);
        Assert.Equal(UnknownSymbol, Assert.IsType<OrderRejectedReport>(Assert.Single(unknown)).Reason);
    }

    [Fact]
    public void With_latency_an_order_is_not_active_until_a_market_event_at_or_after_its_arrival()
    {
        var exchange = NewExchange(TimeSpan.FromMilliseconds(100));
        exchange.OnMarketEvent(Snapshot(0, [L(99, 5)], [L(100, 5)]));

        Assert.Empty(exchange.Submit(Market("m1", Side.Buy, 1), At(10)));
        Assert.Empty(exchange.OnMarketEvent(Delta(50, [], [L(100, 4)])));
        Assert.Empty(exchange.OnMarketEvent(Delta(109, [], [L(100, 3)])));
        Assert.Equal(0m, exchange.PositionOf(Btc));

        // The order arrives before the event of its arrival time is applied: it meets the book as it was.
        var reports = exchange.OnMarketEvent(Delta(110, [], [L(100, 0), L(100.5m, 2)]));

        Assert.IsType<OrderAcceptedReport>(reports[0]);
        var fill = Assert.Single(Fills(reports));
        Assert.Equal((100m, 1m), (fill.Fill.Price, fill.Fill.Qty));
        Assert.All(reports, r => Assert.Equal(At(110), r.Time));
    }

    [Fact]
    public void With_latency_orders_and_cancels_arrive_in_the_order_they_were_sent()
    {
        var exchange = NewExchange(TimeSpan.FromMilliseconds(5));
        exchange.OnMarketEvent(Snapshot(0, [L(99, 5)], [L(100, 5)]));

        exchange.Submit(Limit("a", Side.Buy, 1, 98), At(1));
        exchange.Cancel(Id("a"), At(1));
        exchange.Submit(Limit("b", Side.Buy, 1, 98), At(2));
        var reports = exchange.OnMarketEvent(Print(10, 99.5m, 1, Side.Buy));

        Assert.Equal(
            [typeof(OrderAcceptedReport), typeof(OrderCancelledReport), typeof(OrderAcceptedReport)],
            reports.Select(r => r.GetType()));
        Assert.Equal(["a", "a", "b"], reports.Select(r => r.ClientOrderId.Value));
        Assert.False(exchange.IsOpen(Id("a")));
        Assert.True(exchange.IsOpen(Id("b")));
    }

    [Fact]
    public void Cancel_and_cancel_all()
    {
        var exchange = WithBook([L(99, 5)], [L(100, 5)]);
        exchange.OnMarketEvent(Snapshot(0, [L(2000, 5)], [L(2001, 5)], Eth));
        exchange.Submit(Limit("a", Side.Buy, 1, 98), At(1));
        exchange.Submit(Limit("b", Side.Sell, 1, 102), At(2));
        exchange.Submit(Limit("c", Side.Buy, 1, 97), At(3));
        exchange.Submit(new OrderRequest(Id("e"), Eth, Side.Buy, OrderType.Limit, 1, 1990), At(4));

        var cancelled = exchange.Cancel(Id("b"), At(5));
        var again = exchange.Cancel(Id("b"), At(6));
        var never = exchange.Cancel(Id("zzz"), At(6));
        var allBtc = exchange.CancelAll(Btc, At(7));

        Assert.Equal((CancelledByRequest, At(5)), (Assert.IsType<OrderCancelledReport>(Assert.Single(cancelled)).Reason, cancelled[0].Time));
        Assert.Equal((CancelUnknownOrder, Btc), (Assert.IsType<CancelRejectedReport>(Assert.Single(again)).Reason, again[0].Symbol));
        Assert.Equal((CancelUnknownOrder, SimulatedExchange.UnknownOrderSymbol), (Assert.IsType<CancelRejectedReport>(Assert.Single(never)).Reason, never[0].Symbol));
        Assert.Equal(["a", "c"], allBtc.Select(r => Assert.IsType<OrderCancelledReport>(r).ClientOrderId.Value));
        Assert.Equal(["e"], exchange.OpenOrders.Select(o => o.ClientOrderId.Value));

        var all = exchange.CancelAll(null, At(8));
        Assert.Equal("e", Assert.Single(all).ClientOrderId.Value);
        Assert.Empty(exchange.OpenOrders);
    }

    [Fact]
    public void Restored_order_queues_behind_the_book_and_keeps_its_filled_quantity()
    {
        var exchange = WithBook([L(99, 5)], [L(100, 5)]);

        exchange.Restore(Limit("r", Side.Buy, 2, 99), 0.5m, At(1));

        Assert.True(exchange.IsOpen(Id("r")));
        Assert.Empty(exchange.OnMarketEvent(Print(2, 99, 5, Side.Sell)));
        var fill = Assert.Single(Fills(exchange.OnMarketEvent(Print(3, 99, 4, Side.Sell))));
        Assert.Equal((1.5m, 0m), (fill.Fill.Qty, fill.LeavesQty));
        Assert.Equal(DuplicateClientOrderId, Assert.IsType<OrderRejectedReport>(Assert.Single(exchange.Submit(Limit("r", Side.Buy, 1, 90), At(4)))).Reason);
        Assert.Throws<ArgumentOutOfRangeException>(() => exchange.Restore(Limit("x", Side.Buy, 1, 99), 1, At(5)));
    }

    [Fact]
    public void Candle_fills_resting_limits_in_the_order_its_path_reaches_them()
    {
        var exchange = NewExchange();
        exchange.OnMarketEvent(new Candle(Btc, At(0), TimeSpan.FromMinutes(1), 100, 100, 100, 100, 1));
        exchange.Submit(Limit("sell", Side.Sell, 1, 103), At(1));
        exchange.Submit(Limit("buy", Side.Buy, 1, 98), At(2));
        exchange.Submit(Limit("far", Side.Buy, 1, 90), At(3));

        // Low (3 away) is nearer to the open than high (4 away): 100 -> 97 -> 104 -> 101.
        var bar = new Candle(Btc, At(60_000), TimeSpan.FromMinutes(1), 100, 104, 97, 101, 10);
        var reports = exchange.OnMarketEvent(bar);

        Assert.Equal(
            [("buy", 98m, Liquidity.Maker), ("sell", 103m, Liquidity.Maker)],
            Fills(reports).Select(f => (f.ClientOrderId.Value, f.Fill.Price, f.Fill.Liquidity)));
        Assert.All(reports, r => Assert.Equal(At(60_000), r.Time));
        Assert.True(exchange.IsOpen(Id("far")));
        Assert.Equal(101m, exchange.LastPrice(Btc));
    }

    [Fact]
    public void Candle_fills_no_more_than_its_volume()
    {
        var exchange = NewExchange();
        exchange.Submit(Limit("buy", Side.Buy, 1, 98), At(1));

        var fill = Assert.Single(Fills(exchange.OnMarketEvent(new Candle(Btc, At(60_000), TimeSpan.FromMinutes(1), 99, 99.5m, 98, 99, 0.25m))));

        Assert.Equal((0.25m, 0.75m), (fill.Fill.Qty, fill.LeavesQty));
    }

    [Fact]
    public void Same_inputs_give_identical_reports()
    {
        var first = RunScenario();
        var second = RunScenario();

        Assert.Equal(first, second);
        Assert.Contains(first, r => r is OrderFilledReport { Fill.Liquidity: Liquidity.Maker });
        Assert.Contains(first, r => r is OrderFilledReport { Fill.Liquidity: Liquidity.Taker });
        Assert.Contains(first, r => r is OrderCancelledReport);
    }

    [Fact]
    public void On_bar_data_an_order_decided_at_a_close_trades_at_the_next_bar_open()
    {
        // Decided at the close of bar 1 (= open of bar 2), it reaches the venue 20 ms after bar 2 opened:
        // a market buy fills at bar 2's open plus the synthetic half spread (one tick), before bar 2's path.
        var exchange = NewExchange(TimeSpan.FromMilliseconds(20));
        exchange.OnMarketEvent(new Candle(Btc, At(0), TimeSpan.FromMinutes(1), 100, 101, 99, 100, 5));
        Assert.Empty(exchange.Submit(Market("bar-1", Side.Buy, 0.01m), At(60_000)));
        var reports = exchange.OnMarketEvent(new Candle(Btc, At(60_000), TimeSpan.FromMinutes(1), 102, 110, 101, 108, 5));
        var fill = Assert.Single(Fills(reports));
        Assert.Equal(102.1m, fill.Fill.Price);
        Assert.Equal(At(60_020), fill.Time);
        Assert.Equal(108m, exchange.LastPrice(Btc));
    }

    private static List<ExecutionReport> RunScenario()
    {
        var seq = 0L;
        var random = new Random(42);
        var exchange = new SimulatedExchange(InstrumentCatalog.Default, new SimulatedExchangeOptions(Latency: TimeSpan.FromMilliseconds(3)));
        var all = new List<ExecutionReport>();
        all.AddRange(exchange.OnMarketEvent(new BookUpdate(Btc, At(0), ++seq, 0, true, [L(99, 5), L(98.5m, 5)], [L(100, 5), L(100.5m, 5)])));
        var mid = 99.5m;
        for (var ms = 1; ms < 2_000; ms++)
        {
            if (ms % 10 == 0)
            {
                var side = random.Next(2) == 0 ? Side.Buy : Side.Sell;
                var order = random.Next(3) == 0
                    ? new OrderRequest(new ClientOrderId($"o{ms}"), Btc, side, OrderType.Market, random.Next(1, 4) * 0.5m, null)
                    : new OrderRequest(new ClientOrderId($"o{ms}"), Btc, side, OrderType.Limit, random.Next(1, 4) * 0.5m, mid + (side == Side.Buy ? -1 : 1) * random.Next(0, 5) * 0.5m);
                all.AddRange(exchange.Submit(order, At(ms)));
            }
            if (ms % 30 == 5) all.AddRange(exchange.Cancel(new ClientOrderId($"o{ms - 5}"), At(ms)));
            if (random.Next(2) == 0)
            {
                mid += random.Next(-1, 2) * 0.5m;
                all.AddRange(exchange.OnMarketEvent(new BookUpdate(Btc, At(ms), ++seq, 0, false,
                    [L(mid - 0.5m, random.Next(1, 10)), L(mid - 1m, random.Next(1, 10)), L(mid - 1.5m, 0), L(mid - 2m, 0)],
                    [L(mid + 0.5m, random.Next(1, 10)), L(mid + 1m, random.Next(1, 10)), L(mid + 1.5m, 0), L(mid + 2m, 0)])));
            }
            else
            {
                var taker = random.Next(2) == 0 ? Side.Buy : Side.Sell;
                all.AddRange(exchange.OnMarketEvent(new Trade(Btc, At(ms), mid + (taker == Side.Buy ? 0.5m : -0.5m), random.Next(1, 8), taker, ms)));
            }
        }
        return all;
    }
}
