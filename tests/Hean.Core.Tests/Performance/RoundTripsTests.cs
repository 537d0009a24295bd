using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Core.Performance;
using Xunit;

namespace Hean.Core.Tests.Performance;

public sealed class RoundTripsTests
{
    internal static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    internal static readonly Symbol Btc = new("BTCUSDT"), Eth = new("ETHUSDT");

    internal static Fill Fill(Symbol symbol, Side side, decimal qty, decimal price, decimal fee, double hours) =>
        new(new ClientOrderId($"o-{hours * 10:0}"), symbol, side, $"t-{hours * 10:0}", price, qty, fee, Liquidity.Taker, T0.AddHours(hours));

    [Fact]
    public void A_long_from_flat_to_flat_is_one_trade_net_of_both_fees()
    {
        var trips = RoundTrips.Of([Fill(Btc, Side.Buy, 1m, 100m, 0.10m, 0), Fill(Btc, Side.Sell, 1m, 110m, 0.11m, 2)], T0.AddHours(4));
        var trip = Assert.Single(trips.Closed);
        Assert.Equal((Side.Buy, T0, T0.AddHours(2)), (trip.Direction, trip.Opened, trip.Closed));
        Assert.Equal((10m, 0.21m, 9.79m), (trip.GrossPnl, trip.Fees, trip.NetPnl));
        Assert.Equal([FillRole.Entry, FillRole.Exit], trips.Fills.Select(f => f.Role).ToList());
        Assert.Equal(TimeSpan.FromHours(2), trips.TimeHeld[Btc]);
        Assert.Equal(TimeSpan.FromHours(2), trips.TimeInMarket);
    }

    [Fact]
    public void A_reversal_closes_one_trade_and_opens_the_next_splitting_its_fee_by_quantity()
    {
        // Long 2 at 100, sell 3 at 90 (fee 0.30: 0.20 closes the long, 0.10 opens a short of 1), buy 1 at 80.
        var trips = RoundTrips.Of(
        [
            Fill(Btc, Side.Buy, 2m, 100m, 0.20m, 0), Fill(Btc, Side.Sell, 3m, 90m, 0.30m, 1), Fill(Btc, Side.Buy, 1m, 80m, 0.08m, 3),
        ], T0.AddHours(5));
        Assert.Equal(2, trips.Closed.Count);
        Assert.Equal((Side.Buy, -20m, 0.40m), (trips.Closed[0].Direction, trips.Closed[0].GrossPnl, trips.Closed[0].Fees));
        Assert.Equal((Side.Sell, T0.AddHours(1), 10m, 0.18m), (trips.Closed[1].Direction, trips.Closed[1].Opened, trips.Closed[1].GrossPnl, trips.Closed[1].Fees));
        Assert.Equal([FillRole.Entry, FillRole.Reversal, FillRole.Exit], trips.Fills.Select(f => f.Role).ToList());
        Assert.Equal(TimeSpan.FromHours(3), trips.TimeInMarket);
        Assert.True(trips.Positions[Btc].IsFlat);
    }

    [Fact]
    public void Partial_exits_belong_to_one_trade_and_an_open_position_is_held_until_the_end_without_being_a_trade()
    {
        var trips = RoundTrips.Of(
        [
            Fill(Btc, Side.Buy, 2m, 100m, 0m, 0), Fill(Btc, Side.Sell, 1m, 105m, 0m, 1), Fill(Btc, Side.Sell, 1m, 95m, 0m, 2),
            Fill(Eth, Side.Sell, 1m, 10m, 0m, 1.5), // short ETH from 1.5h, still open at the end (6h)
        ], T0.AddHours(6));
        var trip = Assert.Single(trips.Closed);
        Assert.Equal(0m, trip.GrossPnl); // +5 − 5
        Assert.Equal([FillRole.Entry, FillRole.Exit, FillRole.Entry, FillRole.Exit], trips.Fills.Select(f => f.Role).ToList());
        Assert.Equal(TimeSpan.FromHours(4.5), trips.TimeHeld[Eth]);
        Assert.Equal(TimeSpan.FromHours(6), trips.TimeInMarket); // BTC 0–2h and ETH 1.5–6h overlap: one span
        Assert.Equal(-1m, trips.Positions[Eth].Qty);
    }

    [Fact]
    public void Time_in_the_market_counts_only_the_gaps_between_positions_out()
    {
        var trips = RoundTrips.Of(
        [
            Fill(Btc, Side.Buy, 1m, 100m, 0m, 1), Fill(Btc, Side.Sell, 1m, 100m, 0m, 2),
            Fill(Eth, Side.Buy, 1m, 10m, 0m, 4), Fill(Eth, Side.Sell, 1m, 10m, 0m, 7),
        ], T0.AddHours(10));
        Assert.Equal(TimeSpan.FromHours(4), trips.TimeInMarket);
    }
}
