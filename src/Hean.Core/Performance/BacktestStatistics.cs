using Hean.Core.Domain;
using Hean.Core.Portfolio;
using Hean.Core.Risk;

namespace Hean.Core.Performance;

/// <summary>
/// What a backtest did, for people and scripts: its closed round trips (win rate, average win and loss, profit factor;
/// a trade of exactly zero counts as a loss), the share of the span with a position (exposure), fees, net and gross PnL,
/// the deepest drawdown and how long it lasted, and the hourly-return ratios — null (n/a) under
/// <see cref="ReturnSeries.MinSamples"/> hourly returns. Per symbol: the same trade numbers and buy-and-hold over the same span.
/// </summary>
public sealed record BacktestStatistics(
    decimal InitialCash,
    int Trades,
    int OpenAtEnd,
    double WinRate,
    decimal AverageWin,
    decimal AverageLoss,
    double? ProfitFactor,
    double Exposure,
    decimal Fees,
    decimal GrossPnl,
    decimal NetPnl,
    decimal MaxDrawdown,
    TimeSpan MaxDrawdownDuration,
    bool MaxDrawdownRecovered,
    int ReturnSamples,
    double? Sharpe,
    double? Sortino,
    double? Calmar,
    double? AnnualisedReturn,
    IReadOnlyList<SymbolStatistics> Symbols)
{
    /// <summary>
    /// The statistics of a run from what both engines record the same way: its fills as round trips (replayed up to the end
    /// of the span), the equity samples (the last one holds the final marks), the span of market time and each symbol's price path.
    /// </summary>
    public static BacktestStatistics Of(RoundTrips trips, IReadOnlyList<EquitySampled> equity, decimal initialCash,
        DateTime? from, DateTime? to, PriceTrack prices)
    {
        var end = to ?? DateTime.UnixEpoch;
        var span = from is { } start && end > start ? end - start : TimeSpan.Zero;
        var marks = equity.Count > 0 ? equity[^1].Marks : new Dictionary<string, decimal>();
        // Plain loops: a command computes these once, and LINQ over value types would be code compiled for it at run time.
        var curve = new EquityPoint[equity.Count + 1];
        curve[0] = new EquityPoint(from ?? end, initialCash);
        for (var i = 0; i < equity.Count; i++) curve[i + 1] = new EquityPoint(equity[i].Time, equity[i].Equity);
        var drawdown = EquityCurve.Deepest(curve, end);
        var returns = ReturnSeries.Of(equity, initialCash, from, to, ReturnSeries.Hourly);
        var names = new SortedSet<string>(prices.Symbols, StringComparer.Ordinal);
        var fees = 0m;
        var open = 0;
        foreach (var (symbol, position) in trips.PositionMap)
        {
            names.Add(symbol.Value);
            fees += position.Fees;
            if (!position.IsFlat) open++;
        }
        var symbols = new List<SymbolStatistics>(names.Count);
        foreach (var s in names)
            symbols.Add(SymbolStatistics.Of(s, trips, marks.TryGetValue(s, out var m) ? m : null, span, prices.PathOf(s), initialCash));
        var stats = Stats(trips.Closed);
        var net = curve[^1].Equity - initialCash;
        return new BacktestStatistics(initialCash, trips.Closed.Count, open, stats.WinRate,
            stats.AverageWin, stats.AverageLoss, stats.ProfitFactor, Share(trips.TimeInMarket, span), fees, net + fees, net,
            drawdown.Depth, drawdown.Duration, drawdown.Recovered is not null, returns.Returns.Count,
            returns.Sharpe, returns.Sortino, returns.Calmar(drawdown.Depth), returns.AnnualisedReturn, symbols);
    }

    internal static TradeStatistics Stats(IEnumerable<RoundTrip> trips)
    {
        var stats = new TradeStatistics(int.MaxValue);
        foreach (var t in trips) stats.Add(t.NetPnl);
        return stats;
    }

    internal static double Share(TimeSpan part, TimeSpan whole) => whole > TimeSpan.Zero ? Math.Min(1, part / whole) : 0;
}

/// <summary>
/// One symbol's part of a run: closed trips, win rate, fees, gross (realized + unrealized at the final mark) and net PnL,
/// exposure, and buy-and-hold — the whole initial cash bought at the first price of the span and held to the last, no
/// fees — to compare with. No price path: no buy-and-hold.
/// </summary>
public sealed record SymbolStatistics(
    string Symbol,
    int Trades,
    double WinRate,
    decimal Fees,
    decimal GrossPnl,
    decimal NetPnl,
    double Exposure,
    decimal? FirstPrice,
    decimal? LastPrice,
    double? BuyAndHoldReturn,
    decimal? BuyAndHoldPnl)
{
    internal static SymbolStatistics Of(string symbol, RoundTrips trips, decimal? mark, TimeSpan span, IReadOnlyList<PricePoint> path, decimal initialCash)
    {
        var position = trips.PositionOf(new Symbol(symbol));
        var mine = new List<RoundTrip>();
        foreach (var t in trips.Closed)
            if (t.Symbol.Value == symbol) mine.Add(t);
        var held = trips.HeldOf(new Symbol(symbol));
        var gross = position is null ? 0m : position.RealizedPnl + (mark is { } m ? position.UnrealizedPnl(m) : 0m);
        var fees = position?.Fees ?? 0m;
        decimal? first = path.Count > 0 ? path[0].Price : null, last = path.Count > 0 ? path[^1].Price : null;
        var growth = first is { } f && last is { } l ? l / f - 1m : (decimal?)null;
        return new SymbolStatistics(symbol, mine.Count, BacktestStatistics.Stats(mine).WinRate, fees, gross, gross - fees,
            BacktestStatistics.Share(held, span), first, last, growth is { } g ? (double)g : null, growth * initialCash);
    }
}
