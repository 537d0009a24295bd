using Hean.Bybit.Mapping;
using Hean.Bybit.Rest;
using Hean.Bybit.Rest.Models;
using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.Orders;
using Hean.FakeBybit;
using static Hean.Bybit.Tests.Orders;

namespace Hean.Bybit.Tests;

/// <summary>BTCUSDT orders for the client tests.</summary>
internal static class Orders
{
    public static OrderRequest Limit(string id, Side side, decimal qty, decimal price) =>
        new(new ClientOrderId(id), new Symbol("BTCUSDT"), side, OrderType.Limit, qty, price);

    public static OrderRequest Market(string id, Side side, decimal qty) =>
        new(new ClientOrderId(id), new Symbol("BTCUSDT"), side, OrderType.Market, qty, null);
}

public class RestClientTests : FakeBybitTest
{

    [Fact]
    public async Task Orders_are_created_amended_queried_and_cancelled()
    {
        using var client = Client();
        var created = await client.PlaceOrderAsync(Limit("rest-1", Side.Buy, 0.01m, 59_990m));
        Assert.True(created.IsOk, created.ToString());
        Assert.Equal("rest-1", created.Value!.OrderLinkId);
        Assert.IsType<OrderAcceptedReport>(created.ToReport(Limit("rest-1", Side.Buy, 0.01m, 59_990m), DateTime.UtcNow));

        var open = (await client.GetOpenOrdersAsync()).GetValueOrThrow();
        var order = Assert.Single(open.List);
        Assert.Equal((created.Value.OrderId, BybitOrderStatus.New, 59_990m, 0.01m), (order.OrderId, order.Status, order.Price, order.Qty));

        var amended = await client.AmendOrderAsync(new AmendOrderRequest("BTCUSDT", null, "rest-1", Qty: 0.02m, Price: 59_995m));
        Assert.True(amended.IsOk, amended.ToString());
        order = Assert.Single((await client.GetOpenOrdersAsync(new OrderQuery(OrderLinkId: "rest-1"))).GetValueOrThrow().List);
        Assert.Equal((59_995m, 0.02m, created.Value.OrderId), (order.Price, order.Qty, order.OrderId));

        var cancelled = await client.CancelOrderAsync("BTCUSDT", new ClientOrderId("rest-1"));
        Assert.True(cancelled.IsOk, cancelled.ToString());
        // Closed: no longer among the open orders (openOnly=0), but among the recent closed ones (openOnly=1).
        Assert.Empty((await client.GetOpenOrdersAsync(new OrderQuery(OrderLinkId: "rest-1"))).GetValueOrThrow().List);
        order = Assert.Single((await client.GetOpenOrdersAsync(new OrderQuery(OrderLinkId: "rest-1") { Closed = true })).GetValueOrThrow().List);
        Assert.Equal(BybitOrderStatus.Cancelled, order.Status);
        Assert.IsType<OrderCancelledReport>(order.ToReport());
        Assert.Empty((await client.GetOpenOrdersAsync()).GetValueOrThrow().List);
        Assert.Single((await client.GetOrderHistoryAsync()).GetValueOrThrow().List);

        // Cancelling again: the order is not open; definitive, and not retried.
        var again = await client.CancelOrderAsync("BTCUSDT", new ClientOrderId("rest-1"));
        Assert.Equal((BybitOutcome.Rejected, BybitErrorKind.OrderNotOpen, 110001, 1), (again.Outcome, again.Kind, again.RetCode, again.Attempts));
    }

    [Fact]
    public async Task Fills_are_visible_through_executions_positions_and_the_wallet()
    {
        using var client = Client();
        Assert.True((await client.PlaceOrderAsync(Market("taker-1", Side.Buy, 0.5m))).IsOk);
        Assert.True((await client.PlaceOrderAsync(Limit("maker-1", Side.Sell, 0.2m, 60_000.2m))).IsOk);
        Fake.Venue.PublishTrade("BTCUSDT", 60_000.3m, 1m, Side.Buy); // prints through the resting sell

        var executions = (await client.GetExecutionsAsync(new OrderQuery(Symbol: "BTCUSDT"))).GetValueOrThrow().List;
        Assert.Equal(2, executions.Count);
        var taker = executions.Single(e => e.OrderLinkId == "taker-1");
        Assert.Equal((60_000.1m, 0.5m, false, 0m), (taker.ExecPrice, taker.ExecQty, taker.IsMaker, taker.LeavesQty));
        Assert.Equal(Math.Round(0.5m * 60_000.1m * 0.00055m, 8), taker.ExecFee);
        var maker = executions.Single(e => e.OrderLinkId == "maker-1");
        Assert.Equal((60_000.2m, 0.2m, true), (maker.ExecPrice, maker.ExecQty, maker.IsMaker));

        var fill = Assert.IsType<OrderFilledReport>(taker.ToReport());
        Assert.Equal((new ClientOrderId("taker-1"), taker.ExecId, 0m), (fill.ClientOrderId, fill.Fill.TradeId, fill.LeavesQty));

        var filled = Assert.Single((await client.GetOpenOrdersAsync(new OrderQuery(OrderLinkId: "taker-1") { Closed = true })).GetValueOrThrow().List);
        Assert.Equal((BybitOrderStatus.Filled, 0.5m, 60_000.1m), (filled.Status, filled.CumExecQty, filled.AvgPrice));

        var position = Assert.Single((await client.GetPositionsAsync("BTCUSDT")).GetValueOrThrow().List);
        Assert.Equal(0.3m, position.SignedSize);
        var wallet = (await client.GetWalletBalanceAsync()).GetValueOrThrow();
        var fees = executions.Sum(e => e.ExecFee!.Value);
        var realised = 0.2m * (60_000.2m - 60_000.1m);
        Assert.Equal(100_000m - fees + realised, wallet.Coin("USDT")!.WalletBalance);
    }

    [Fact]
    public async Task Cancel_all_cancels_every_open_order_of_the_symbol()
    {
        using var client = Client();
        foreach (var i in Enumerable.Range(1, 3)) Assert.True((await client.PlaceOrderAsync(Limit($"all-{i}", Side.Buy, 0.01m, 59_000m + i))).IsOk);
        var cancelled = (await client.CancelAllOrdersAsync("BTCUSDT")).GetValueOrThrow();
        Assert.Equal(["all-1", "all-2", "all-3"], cancelled.Select(a => a.OrderLinkId).Order());
        Assert.Empty((await client.GetOpenOrdersAsync()).GetValueOrThrow().List);
    }

    [Fact]
    public async Task Definitive_venue_rejections_are_rejected()
    {
        using var client = Client();
        var tooBig = await client.PlaceOrderAsync(Limit("big-1", Side.Buy, 90m, 59_000m)); // 90 BTC at 10x > 100k USDT
        Assert.Equal((BybitOutcome.Rejected, BybitErrorKind.InsufficientFunds, 110007), (tooBig.Outcome, tooBig.Kind, tooBig.RetCode));
        var offTick = await client.PlaceOrderAsync(Limit("tick-1", Side.Buy, 0.01m, 59_000.05m));
        Assert.Equal((BybitOutcome.Rejected, BybitErrorKind.BadRequest), (offTick.Outcome, offTick.Kind));
        Assert.IsType<OrderRejectedReport>(offTick.ToReport(Limit("tick-1", Side.Buy, 0.01m, 59_000.05m), DateTime.UtcNow));
        Assert.Null(Fake.Venue.OrderByLinkId("big-1"));
        Assert.Null(Fake.Venue.OrderByLinkId("tick-1"));
        var reduce = await client.PlaceOrderAsync(new OrderRequest(new ClientOrderId("ro-1"), new Symbol("BTCUSDT"), Side.Sell, OrderType.Market, 0.01m, null, ReduceOnly: true));
        Assert.Equal((BybitOutcome.Rejected, 110017), (reduce.Outcome, reduce.RetCode));
    }

    [Fact]
    public async Task Market_data_endpoints_return_typed_values()
    {
        using var client = Client();
        var instruments = (await client.GetInstrumentsAsync()).GetValueOrThrow();
        Assert.Equal(InstrumentCatalog.Default.Get("BTCUSDT"), instruments.Single(i => i.Symbol == "BTCUSDT").ToCore());

        var ticker = Assert.Single((await client.GetTickersAsync("BTCUSDT")).GetValueOrThrow());
        Assert.Equal((60_000.0m, 60_000.1m), (ticker.Bid1Price, ticker.Ask1Price));

        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Fake.Venue.PublishKline("BTCUSDT", "1", start, 100m, 110m, 90m, 105m, 3m, confirm: true);
        Fake.Venue.PublishKline("BTCUSDT", "1", start.AddMinutes(1), 105m, 106m, 104m, 104.5m, 1m, confirm: true);
        var klines = (await client.GetKlinesAsync("BTCUSDT", "1")).GetValueOrThrow();
        Assert.Equal([start, start.AddMinutes(1)], klines.Select(k => k.Start)); // oldest first
        Assert.Equal((100m, 110m, 90m, 105m, 3m), (klines[0].Open, klines[0].High, klines[0].Low, klines[0].Close, klines[0].Volume));
        Assert.True(klines.All(k => k.Confirm));

        var tradeId = Fake.Venue.PublishTrade("BTCUSDT", 60_000.1m, 0.25m, Side.Buy);
        var trade = Assert.Single((await client.GetRecentTradesAsync("BTCUSDT")).GetValueOrThrow());
        Assert.Equal((tradeId, 60_000.1m, 0.25m, Side.Buy), (trade.TradeId, trade.Price, trade.Qty, trade.TakerSide));
    }

    [Fact]
    public async Task A_wrong_signature_is_rejected_and_nothing_is_placed()
    {
        using var wrongSecret = Client(credentials: new BybitCredentials(Fake.Options.ApiKey, "not-the-secret"));
        var r = await wrongSecret.PlaceOrderAsync(Limit("sig-1", Side.Buy, 0.01m, 59_000m));
        Assert.Equal((BybitOutcome.Rejected, BybitErrorKind.Auth, 10004, 1), (r.Outcome, r.Kind, r.RetCode, r.Attempts));
        var query = await wrongSecret.GetOpenOrdersAsync();
        Assert.Equal((BybitOutcome.Rejected, 10004), (query.Outcome, query.RetCode));

        using var wrongKey = Client(credentials: new BybitCredentials("unknown-key", Fake.Options.ApiSecret));
        Assert.Equal(10003, (await wrongKey.PlaceOrderAsync(Limit("sig-2", Side.Buy, 0.01m, 59_000m))).RetCode);

        using var client = Client();
        Fake.Faults.RejectSignatures = true;
        Assert.Equal(10004, (await client.PlaceOrderAsync(Limit("sig-3", Side.Buy, 0.01m, 59_000m))).RetCode);
        Fake.Faults.RejectSignatures = false;
        Assert.Empty(Fake.Venue.Orders);
        // Public endpoints need no signature.
        Assert.True((await wrongSecret.GetServerTimeAsync()).IsOk);
    }

    [Fact]
    public async Task A_10006_is_backed_off_and_retried_and_the_order_placed_once()
    {
        using var client = Client();
        Fake.Faults.RateLimitNext(2);
        var r = await client.PlaceOrderAsync(Limit("rl-1", Side.Buy, 0.01m, 59_000m));
        Assert.True(r.IsOk, r.ToString());
        Assert.Equal(3, r.Attempts);
        Assert.Equal(2, client.Stats.RateLimited);
        Assert.Equal(3, Fake.RestCalls("/v5/order/create"));
        Assert.Single(Fake.Venue.Orders);

        // Past the retry budget the call gives up as RateLimited: definitive, nothing was placed.
        Fake.Faults.RateLimitNext(10);
        var limited = await client.PlaceOrderAsync(Limit("rl-2", Side.Buy, 0.01m, 59_000m));
        Assert.Equal((BybitOutcome.RateLimited, 10006, 4), (limited.Outcome, limited.RetCode, limited.Attempts));
        Assert.IsType<OrderRejectedReport>(limited.ToReport(Limit("rl-2", Side.Buy, 0.01m, 59_000m), DateTime.UtcNow));
        Assert.Null(Fake.Venue.OrderByLinkId("rl-2"));
        Fake.Faults.RateLimitNext(0);
    }

    [Fact]
    public async Task A_timeout_after_acceptance_is_ambiguous_never_rejected()
    {
        using var client = Client(o => o with { RequestTimeout = TimeSpan.FromMilliseconds(400), Retry = new RetryPolicy(2, TimeSpan.FromMilliseconds(20)) });
        Fake.Faults.ResponseDelay = TimeSpan.FromSeconds(2);
        var request = Limit("slow-1", Side.Buy, 0.01m, 59_000m);
        var r = await client.PlaceOrderAsync(request);
        Fake.Faults.ResponseDelay = TimeSpan.Zero;

        Assert.Equal(BybitOutcome.Ambiguous, r.Outcome);
        Assert.Null(r.ToReport(request, DateTime.UtcNow)); // stays in flight
        // The venue did take it, exactly once (the retry with the same orderLinkId was refused as a duplicate).
        var atVenue = Assert.Single((await client.GetOpenOrdersAsync(new OrderQuery(OrderLinkId: "slow-1"))).GetValueOrThrow().List);
        Assert.Equal(BybitOrderStatus.New, atVenue.Status);
        Assert.Single(Fake.Venue.Orders);
    }

    [Fact]
    public async Task A_connection_lost_after_acceptance_is_ambiguous_and_the_retry_does_not_duplicate()
    {
        using var client = Client();
        Fake.Faults.AcceptThenAbortNext(1);
        var request = Market("abort-1", Side.Buy, 0.1m);
        var r = await client.PlaceOrderAsync(request);
        Assert.Equal(BybitOutcome.Ambiguous, r.Outcome);
        Assert.Equal(BybitErrorKind.Duplicate, r.Kind); // the retry met the first attempt's order
        Assert.Equal(2, r.Attempts);
        Assert.Null(r.ToReport(request, DateTime.UtcNow));
        var order = Assert.Single(Fake.Venue.Orders);
        Assert.Equal((BybitOrderStatus.Filled, "abort-1"), (order.Status, order.OrderLinkId));
        Assert.Equal(0.1m, Fake.Venue.PositionOf("BTCUSDT"));
    }

    [Fact]
    public async Task Without_an_orderLinkId_an_ambiguous_create_is_not_retried()
    {
        using var client = Client();
        Fake.Faults.AcceptThenAbortNext(1);
        var r = await client.PlaceOrderAsync(new PlaceOrderRequest("BTCUSDT", Side.Buy, OrderType.Limit, 0.01m, 59_000m, OrderLinkId: null));
        Assert.Equal((BybitOutcome.Ambiguous, BybitErrorKind.Transport, 1), (r.Outcome, r.Kind, r.Attempts));
        Assert.Single(Fake.Venue.Orders);
    }
}

public class VenueRateWindowTests : FakeBybitTest
{
    protected override FakeBybitOptions Options => new() { OrderWritesPerSecond = 3 };

    [Fact]
    public async Task The_venue_window_is_honoured_when_our_own_limit_is_set_too_high()
    {
        // The client believes it may send 100 creates a second; the venue allows 3 and says so in X-Bapi-Limit-Status.
        using var client = Client(o => o with { RateLimits = BybitRateLimits.Vip0 with { OrderWritesPerSecond = 100 } });
        var started = DateTime.UtcNow;
        for (var i = 0; i < 7; i++)
        {
            var r = await client.PlaceOrderAsync(new OrderRequest(new ClientOrderId($"win-{i}"), new Symbol("BTCUSDT"), Side.Buy,
                OrderType.Limit, 0.01m, 59_000m));
            Assert.True(r.IsOk, r.ToString());
        }
        Assert.Equal(7, Fake.Venue.Orders.Count);
        // Seven creates through windows of three cross at least two window boundaries...
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromSeconds(1));
        // ...and the client waited for each reset the venue named instead of running into 10006.
        Assert.Equal(7, Fake.RestCalls("/v5/order/create"));
        Assert.Equal(0, client.Stats.RateLimited);
    }
}

public class ClockSkewTests : FakeBybitTest
{
    protected override FakeBybitOptions Options => new() { ClockOffset = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task A_request_outside_the_receive_window_resyncs_the_clock_and_succeeds()
    {
        using var client = Client();
        var r = await client.GetOpenOrdersAsync();
        Assert.True(r.IsOk, r.ToString());
        Assert.Equal(2, r.Attempts);
        Assert.InRange(client.ClockOffset.TotalSeconds, 29, 31);
        Assert.Equal(1, (await client.GetWalletBalanceAsync()).Attempts); // now in sync
    }
}

/// <summary>The client against the fake behaving as the documented venue does when it is strict: IP bans, 7-day windows, opaque cursors.</summary>
public class StrictVenueTests : FakeBybitTest
{
    [Theory]
    [InlineData(false)] // HTTP 403 "access too frequent"
    [InlineData(true)]  // retCode 10018
    public async Task An_ip_ban_stops_all_http_for_the_pause_then_calls_go_again(bool asRetCode)
    {
        using var client = Client(o => o with { IpBanPause = TimeSpan.FromSeconds(2) });
        Fake.Faults.BanIp(TimeSpan.FromSeconds(1.5), asRetCode);

        var banned = await client.GetOpenOrdersAsync();
        Assert.Equal((BybitOutcome.RateLimited, BybitErrorKind.IpBanned, 1), (banned.Outcome, banned.Kind, banned.Attempts)); // not retried
        Assert.NotNull(client.BannedUntil);
        var sent = Fake.RestCalls("/v5/order/realtime") + Fake.RestCalls("/v5/market/time") + Fake.RestCalls("/v5/order/create");

        // During the pause nothing goes out, whatever is asked: not even an order, which is refused as not processed.
        var order = await client.PlaceOrderAsync(Limit("ban-1", Side.Buy, 0.01m, 59_000m));
        Assert.Equal((BybitOutcome.RateLimited, BybitErrorKind.IpBanned, 0), (order.Outcome, order.Kind, order.Attempts));
        Assert.False((await client.SyncTimeAsync()).IsOk);
        Assert.Equal(BybitErrorKind.IpBanned, (await client.GetOpenOrdersAsync()).Kind);
        Assert.Equal(sent, Fake.RestCalls("/v5/order/realtime") + Fake.RestCalls("/v5/market/time") + Fake.RestCalls("/v5/order/create"));
        Assert.Equal(1, Fake.Faults.RequestsDuringBan);
        Assert.Empty(Fake.Venue.Orders);

        // After the pause (the venue's ban is over too): calls go again.
        await Task.Delay(TimeSpan.FromSeconds(2.2));
        Assert.Null(client.BannedUntil);
        Assert.True((await client.GetOpenOrdersAsync()).IsOk);
        Assert.Equal(1, Fake.Faults.RequestsDuringBan);
    }

    [Fact]
    public async Task Executions_since_a_date_come_in_7_day_windows_through_every_page_with_the_cursor_unchanged_and_a_cut_is_not_success()
    {
        using var client = Client();
        // 250 fills of one resting order (the first 100 prints take the 1.0 queued ahead of it), all moved 8 days back,
        // and one fill now: a startTime alone would give the 7 days after it and miss the new one.
        Assert.True((await client.PlaceOrderAsync(Limit("many", Side.Buy, 2.5m, 60_000.0m))).IsOk);
        for (var i = 0; i < 350; i++) Fake.Venue.PublishTrade("BTCUSDT", 60_000.0m, 0.01m, Side.Sell);
        Fake.Venue.Backdate("many", TimeSpan.FromDays(8));
        Assert.True((await client.PlaceOrderAsync(Market("recent", Side.Buy, 0.1m))).IsOk);

        var all = await client.GetExecutionsSinceAsync(DateTime.UtcNow.AddDays(-9));
        Assert.True(all.IsOk, all.ToString());
        Assert.Equal(251, all.Value!.Count);                          // three pages in the old window, one fill in the new
        Assert.Equal(all.Value.Count, all.Value.Select(e => e.ExecId).Distinct().Count());
        Assert.True(all.Value.Zip(all.Value.Skip(1)).All(p => p.First.ExecTime <= p.Second.ExecTime), "oldest first");
        Assert.Equal("recent", all.Value[^1].OrderLinkId);

        // A window with more pages than allowed is not cut silently.
        var cut = await client.GetExecutionsSinceAsync(DateTime.UtcNow.AddDays(-9), maxPages: 2);
        Assert.Equal((BybitOutcome.Ambiguous, BybitErrorKind.Incomplete), (cut.Outcome, cut.Kind));
        Assert.Contains("incomplete", cut.Message);
    }
}
