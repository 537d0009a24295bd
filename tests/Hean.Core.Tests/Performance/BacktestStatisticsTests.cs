using Hean.Core.Domain;
using Hean.Core.Performance;
using Hean.Core.Portfolio;
using Hean.Core.Risk;
using Xunit;
using static Hean.Core.Tests.Performance.RoundTripsTests;

namespace Hean.Core.Tests.Performance;

public sealed class BacktestStatisticsTests
{
    [Fact]
    public void Trade_statistics_win_rate_averages_and_profit_factor()
    {
        var stats = new TradeStatistics(int.MaxValue);
        foreach (var pnl in new[] { 30m, -10m, 10m, -20m, 0m }) stats.Add(pnl); // zero counts as a loss
        Assert.Equal(0.4, stats.WinRate, 12);
        Assert.Equal((20m, -10m), (stats.AverageWin, stats.AverageLoss));
        Assert.Equal(40.0 / 30.0, stats.ProfitFactor!.Value, 12);
        Assert.Equal(2.0, stats.PayoffRatio, 12);

        var onlyWins = new TradeStatistics();
        onlyWins.Add(5m);
        Assert.Null(onlyWins.ProfitFactor);
        Assert.Equal(0m, onlyWins.AverageLoss);
        Assert.Equal(0m, new TradeStatistics().AverageWin);
    }

    [Fact]
    public void A_small_run_by_hand_with_buy_and_hold_per_symbol()
    {
        // 1,000 cash. BTC: long 1 at 100 → 110 (+10, fees 0.2), long 1 at 110 → 105 (−5, fees 0.2). ETH: long 10 at 10 from 3h, open
        // at the end, marked at 12 (+20 unrealized, fee 0.1). Prices: BTC 100 → 104 (+4 %), ETH 10 → 12 (+20 %).
        var fills = new[]
        {
            Fill(Btc, Side.Buy, 1m, 100m, 0.1m, 0), Fill(Btc, Side.Sell, 1m, 110m, 0.1m, 1),
            Fill(Btc, Side.Buy, 1m, 110m, 0.1m, 2), Fill(Btc, Side.Sell, 1m, 105m, 0.1m, 4),
            Fill(Eth, Side.Buy, 10m, 10m, 0.1m, 3),
        };
        var marks = new Dictionary<string, decimal> { ["BTCUSDT"] = 104m, ["ETHUSDT"] = 12m };
        var equity = new List<EquitySampled>
        {
            new(T0.AddHours(1), marks, 1_009.8m), new(T0.AddHours(4), marks, 990m), new(T0.AddHours(8), marks, 1_024.5m),
        };
        var prices = new PriceTrack(TimeSpan.FromMinutes(1));
        prices.Observe(new Hean.Core.MarketData.Trade(Btc, T0, 100m, 1m, Side.Buy, 1));
        prices.Observe(new Hean.Core.MarketData.Trade(Btc, T0.AddHours(8), 104m, 1m, Side.Buy, 2));
        prices.Observe(new Hean.Core.MarketData.Trade(Eth, T0, 10m, 1m, Side.Buy, 3));
        prices.Observe(new Hean.Core.MarketData.Trade(Eth, T0.AddHours(8), 12m, 1m, Side.Buy, 4));

        var s = BacktestStatistics.Of(RoundTrips.Of(fills, T0.AddHours(8)), equity, 1_000m, T0, T0.AddHours(8), prices);

        Assert.Equal((2, 1, 0.5), (s.Trades, s.OpenAtEnd, s.WinRate));
        Assert.Equal((9.8m, -5.2m), (s.AverageWin, s.AverageLoss));
        Assert.Equal(9.8 / 5.2, s.ProfitFactor!.Value, 12);
        Assert.Equal(0.5m, s.Fees);
        Assert.Equal((24.5m, 25m), (s.NetPnl, s.GrossPnl));
        Assert.Equal(7.0 / 8.0, s.Exposure, 12);                 // BTC 0–1h and 2–4h, ETH 3–8h: 7 of the 8 hours
        Assert.Equal(19.8m / 1_009.8m, s.MaxDrawdown);
        Assert.Equal(TimeSpan.FromHours(7), s.MaxDrawdownDuration); // peak at 1h, back above it at 8h
        Assert.True(s.MaxDrawdownRecovered);
        Assert.Equal(8, s.ReturnSamples);
        Assert.Equal((null, null, null), (s.Sharpe, s.Sortino, s.Calmar)); // 8 hourly returns: too short

        var btc = s.Symbols.Single(x => x.Symbol == "BTCUSDT");
        Assert.Equal((2, 0.5, 0.4m, 5m, 4.6m), (btc.Trades, btc.WinRate, btc.Fees, btc.GrossPnl, btc.NetPnl));
        Assert.Equal((100m, 104m, 40m), (btc.FirstPrice, btc.LastPrice, btc.BuyAndHoldPnl));
        Assert.Equal(0.04, btc.BuyAndHoldReturn!.Value, 12);
        Assert.Equal(3.0 / 8.0, btc.Exposure, 12);
        var eth = s.Symbols.Single(x => x.Symbol == "ETHUSDT");
        Assert.Equal((0, 20m, 19.9m, 200m), (eth.Trades, eth.GrossPnl, eth.NetPnl, eth.BuyAndHoldPnl));
        Assert.Equal(s.NetPnl, s.Symbols.Sum(x => x.NetPnl));
    }
}
