using Hean.Bybit.Mapping;
using Hean.Bybit.Rest.Models;
using Hean.Bybit.WebSocket;
using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.Orders;

namespace Hean.Bybit.Tests;

public class PrivateStreamTests : FakeBybitTest
{
    private BybitPrivateStream Stream(BybitCredentials? credentials = null) =>
        new(new BybitStreamOptions(Fake.PrivateWsUrl)
        {
            PingInterval = TimeSpan.FromMilliseconds(200),
            StaleAfter = TimeSpan.FromSeconds(2),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(50),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
        }, credentials ?? Fake.Credentials);

    private static OrderRequest Market(string id, decimal qty) =>
        new(new ClientOrderId(id), new Symbol("BTCUSDT"), Side.Buy, OrderType.Market, qty, null);

    [Fact]
    public async Task After_auth_orders_fills_positions_and_the_wallet_stream_in()
    {
        await using var stream = Stream();
        stream.Start();
        using (var cts = new CancellationTokenSource(Wait)) await stream.WaitUntilReadyAsync(cts.Token);
        Assert.Equal(BybitPrivateStreamState.Authenticated, stream.State);

        using var client = Client();
        Assert.True((await client.PlaceOrderAsync(Market("ws-1", 0.4m))).IsOk);

        var execution = await Next<BybitMessage, BybitExecutionMessage>(stream.Messages);
        var fill = Assert.IsType<OrderFilledReport>(Assert.Single(execution.Executions).ToReport());
        Assert.Equal((new ClientOrderId("ws-1"), 60_000.1m, 0.4m, 0m), (fill.ClientOrderId, fill.Fill.Price, fill.Fill.Qty, fill.LeavesQty));
        var rest = Assert.Single((await client.GetExecutionsAsync()).GetValueOrThrow().List);
        Assert.Equal(rest.ExecId, fill.Fill.TradeId);

        var order = await Next<BybitMessage, BybitOrderUpdateMessage>(stream.Messages, m => m.Orders[0].Status == BybitOrderStatus.Filled);
        Assert.IsType<OrderAcceptedReport>(order.Orders[0].ToReport());
        var position = await Next<BybitMessage, BybitPositionMessage>(stream.Messages);
        Assert.Equal(0.4m, position.Positions[0].SignedSize);
        var wallet = await Next<BybitMessage, BybitWalletMessage>(stream.Messages);
        Assert.Equal(100_000m - fill.Fill.Fee, wallet.Accounts[0].Coin("USDT")!.WalletBalance);
        Assert.Equal(0, stream.Parser.MalformedCount);
    }

    [Fact]
    public async Task A_refused_auth_fails_once_and_does_not_hammer_the_venue()
    {
        await using var stream = Stream(new BybitCredentials(Fake.Options.ApiKey, "wrong-secret"));
        stream.Start();
        using var cts = new CancellationTokenSource(Wait);
        var error = await Assert.ThrowsAsync<BybitAuthenticationException>(() => stream.WaitUntilReadyAsync(cts.Token));
        Assert.Contains("10004", error.Message);
        Assert.Equal(BybitPrivateStreamState.AuthFailed, stream.State);
        await Task.Delay(500);
        Assert.Equal(1, stream.Stats.Connects);
    }

    [Fact]
    public async Task Repeated_pushes_book_each_execution_once_and_a_reconnect_authenticates_again()
    {
        await using var stream = Stream();
        stream.Start();
        using (var cts = new CancellationTokenSource(Wait)) await stream.WaitUntilReadyAsync(cts.Token);
        using var client = Client();

        Fake.Faults.DuplicateWsMessages = true;
        Assert.True((await client.PlaceOrderAsync(Market("dup-1", 0.1m))).IsOk);
        var first = await Next<BybitMessage, BybitExecutionMessage>(stream.Messages);
        Assert.Equal("dup-1", first.Executions[0].OrderLinkId);
        await Eventually(() => stream.Stats.Duplicates >= 1, "the repeated execution to be dropped");
        Fake.Faults.DuplicateWsMessages = false;

        Fake.Faults.DropWebSocketConnections();
        await Eventually(() => stream.Stats.Connects >= 2 && stream.State == BybitPrivateStreamState.Authenticated, "re-auth");
        await Task.Delay(200); // the new subscription's ack
        Assert.True((await client.PlaceOrderAsync(Market("dup-2", 0.1m))).IsOk);
        var second = await Next<BybitMessage, BybitExecutionMessage>(stream.Messages);
        Assert.Equal("dup-2", second.Executions[0].OrderLinkId);
    }
}
