using Hean.Core.Domain;
using Hean.Core.Indicators;
using Hean.Core.MarketData;
using Hean.Core.Signals;
using Hean.Core.Strategy;
using Xunit;

namespace Hean.Core.Tests.Strategy;

public sealed class EmaCrossStrategyTests
{
    private static readonly Symbol Btc = new("BTCUSDT");
    private static readonly DateTime T0 = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private static List<Candle> Candles(IEnumerable<double> closes) =>
        closes.Select((c, i) => new Candle(Btc, T0.AddHours(i), TimeSpan.FromHours(1), (decimal)c, (decimal)c, (decimal)c, (decimal)c, 1m)).ToList();

    /// <summary>The bars at which fast − slow changes sign, computed independently of the strategy.</summary>
    private static List<(int Bar, bool Up)> Crosses(IReadOnlyList<Candle> candles, int fast, int slow)
    {
        var f = new Ema(fast);
        var s = new Ema(slow);
        var result = new List<(int, bool)>();
        var last = 0;
        for (var i = 0; i < candles.Count; i++)
        {
            f.Update((double)candles[i].Close);
            s.Update((double)candles[i].Close);
            if (!s.IsReady) continue;
            var side = Math.Sign(f.Value - s.Value);
            if (side == 0) continue;
            if (last != 0 && side != last) result.Add((i, side > 0));
            last = side;
        }
        return result;
    }

    private static List<(int Bar, Signal Signal)> Run(EmaCrossStrategy strategy, IReadOnlyList<Candle> candles)
    {
        var signals = new List<(int, Signal)>();
        for (var i = 0; i < candles.Count; i++)
            if (strategy.OnCandle(candles[i]) is { } s) signals.Add((i, s));
        return signals;
    }

    [Fact]
    public void Long_on_the_up_cross_and_short_on_the_down_cross()
    {
        // falls for 20 bars, rises for 20, falls again
        var closes = Enumerable.Range(0, 20).Select(i => 100.0 - i)
            .Concat(Enumerable.Range(1, 20).Select(i => 81.0 + 2 * i))
            .Concat(Enumerable.Range(1, 20).Select(i => 121.0 - 2 * i));
        var candles = Candles(closes);
        var strategy = new EmaCrossStrategy(Btc, fast: 3, slow: 8, rsiPeriod: 5, rsiOverbought: 100, rsiOversold: 0);

        var signals = Run(strategy, candles);
        var crosses = Crosses(candles, 3, 8);

        Assert.Equal(2, crosses.Count);
        Assert.Equal([(crosses[0].Bar, SignalDirection.Long), (crosses[1].Bar, SignalDirection.Short)],
            signals.Select(s => (s.Bar, s.Signal.Direction)));
        Assert.True(crosses[0].Up && !crosses[1].Up);

        var (bar, signal) = signals[0];
        Assert.Equal(Btc, signal.Symbol);
        Assert.Equal(candles[bar].Time, signal.Time);
        Assert.Equal(candles[bar].Close, signal.ReferencePrice);
        Assert.Equal("ema-cross", signal.Strategy);
        Assert.Equal("ema-cross", strategy.Name);
        Assert.InRange(signal.Confidence, 0.25, 1.0);
        Assert.StartsWith("EMA3 ", signal.Reason);
        Assert.Contains("crossed above EMA8", signals[0].Signal.Reason);
        Assert.Contains("crossed below EMA8", signals[1].Signal.Reason);
        Assert.Equal(SignalDirection.Short, strategy.Direction);
    }

    [Fact]
    public void Confidence_follows_momentum_behind_the_cross()
    {
        // 0.5 + (RSI - 50) / 40 for a long, clamped to [0.25, 1]; RSI computed independently here
        var gentle = Candles(Enumerable.Range(0, 30).Select(i => 100.0 - 0.01 * i)
            .Concat(Enumerable.Range(0, 6).Select(i => 99.71 + 0.004 * i))
            .Concat(Enumerable.Range(0, 30).Select(i => 99.73 + (i % 2 == 0 ? 0.03 : -0.02) + 0.001 * i)));
        var strategy = new EmaCrossStrategy(Btc, 3, 8, 5, rsiOverbought: 100, rsiOversold: 0);
        var (bar, signal) = Run(strategy, gentle).First();
        var expected = Math.Clamp(0.5 + (RsiAt(gentle, bar, 5) - 50.0) / 40.0, 0.25, 1.0);
        Assert.Equal(SignalDirection.Long, signal.Direction);
        Assert.Equal(expected, signal.Confidence, 12);

        var jump = Candles(Enumerable.Repeat(100.0, 10).Concat(Enumerable.Repeat(90.0, 10)).Append(130.0));
        Assert.Equal(1.0, Run(new EmaCrossStrategy(Btc, 3, 8, 5, rsiOverbought: 100, rsiOversold: 0), jump).Single().Signal.Confidence);
    }

    [Fact]
    public void Align_gives_the_current_side_once_warmed_up()
    {
        var strategy = new EmaCrossStrategy(Btc, 3, 8, 5);
        var t = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        Assert.Null(strategy.Align(t));
        foreach (var c in Candles(Enumerable.Range(0, 20).Select(i => 100.0 + i))) strategy.OnCandle(c);
        var up = strategy.Align(t);
        Assert.NotNull(up);
        Assert.Equal(SignalDirection.Long, up.Direction);
        Assert.Equal(SignalDirection.Long, strategy.Direction);
        Assert.Equal(t, up.Time);
        Assert.Equal(119m, up.ReferencePrice);
        Assert.StartsWith("start: EMA3", up.Reason);
    }

    private static double RsiAt(IReadOnlyList<Candle> candles, int bar, int period = 14)
    {
        var rsi = new Rsi(period);
        foreach (var c in candles.Take(bar + 1)) rsi.Update((double)c.Close);
        return rsi.Value;
    }

    [Fact]
    public void A_cross_into_an_exhausted_move_is_ignored()
    {
        // a slow fall, then a jump: the fast EMA crosses up on the jump, with RSI far above 70
        var closes = Enumerable.Range(0, 30).Select(i => 100.0 - 0.1 * i).Append(102.1).Concat(Enumerable.Range(1, 20).Select(i => 102.1 + i)).ToList();
        var candles = Candles(closes);
        var crosses = Crosses(candles, 3, 8);
        Assert.Equal([(30, true)], crosses);
        Assert.True(RsiAt(candles, 30) > 70, $"precondition: RSI {RsiAt(candles, 30)} at the cross");

        var strategy = new EmaCrossStrategy(Btc, fast: 3, slow: 8);
        Assert.Empty(Run(strategy, candles));
        Assert.Equal(SignalDirection.Flat, strategy.Direction);

        var unfiltered = Run(new EmaCrossStrategy(Btc, fast: 3, slow: 8, rsiOverbought: 100, rsiOversold: 0), candles);
        Assert.Equal((30, SignalDirection.Long), (unfiltered.Single().Bar, unfiltered.Single().Signal.Direction));
    }

    [Fact]
    public void After_a_filtered_cross_the_next_cross_in_the_held_direction_is_not_repeated()
    {
        var closes = Enumerable.Range(0, 30).Select(i => 100.0 - 0.1 * i)        // fast below slow
            .Concat(Enumerable.Range(1, 12).Select(i => 97.1 + i))               // up-cross: long
            .Concat(Enumerable.Range(1, 12).Select(i => 109.1 - 3 * i))          // sharp fall: down-cross below the oversold line
            .Concat(Enumerable.Range(1, 12).Select(i => 73.1 + 3 * i))           // up-cross again: already long
            .ToList();
        var candles = Candles(closes);
        var crosses = Crosses(candles, 3, 8);
        Assert.Equal([true, false, true], crosses.Select(c => c.Up));
        Assert.True(RsiAt(candles, crosses[1].Bar) < 60, $"precondition: RSI {RsiAt(candles, crosses[1].Bar)} at the down-cross");

        // longs are never filtered; shorts are filtered below RSI 60
        var strategy = new EmaCrossStrategy(Btc, fast: 3, slow: 8, rsiOverbought: 100, rsiOversold: 60);
        var signals = Run(strategy, candles);

        Assert.Equal([(crosses[0].Bar, SignalDirection.Long)], signals.Select(s => (s.Bar, s.Signal.Direction)));
        Assert.Equal(SignalDirection.Long, strategy.Direction);
    }

    [Fact]
    public void Never_signals_the_same_direction_twice_in_a_row()
    {
        // a noisy sine with many crosses
        var noise = new Random(3);
        var closes = Enumerable.Range(0, 2_000).Select(i => 100 + 10 * Math.Sin(i / 9.0) + 6 * Math.Sin(i / 2.3) + noise.NextDouble() * 3);
        var candles = Candles(closes);
        var signals = Run(new EmaCrossStrategy(Btc), candles);
        var crosses = Crosses(candles, 12, 26).ToDictionary(c => c.Bar, c => c.Up);

        Assert.True(signals.Count > 10, $"{signals.Count} signals");
        Assert.All(signals.Zip(signals.Skip(1)), p => Assert.NotEqual(p.First.Signal.Direction, p.Second.Signal.Direction));
        Assert.All(signals, s => Assert.Equal(s.Signal.Direction == SignalDirection.Long, crosses[s.Bar]));
        Assert.All(signals, s => Assert.InRange(s.Signal.Confidence, 0.25, 1.0));
    }

    [Fact]
    public void Invalid_settings_and_foreign_candles_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EmaCrossStrategy(Btc, fast: 26, slow: 12));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EmaCrossStrategy(Btc, fast: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EmaCrossStrategy(Btc, rsiPeriod: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new EmaCrossStrategy(Btc, rsiOverbought: 30, rsiOversold: 70));
        IStrategy strategy = new EmaCrossStrategy(Btc);
        var eth = new Candle(new Symbol("ETHUSDT"), T0, TimeSpan.FromHours(1), 1, 1, 1, 1, 1);
        Assert.Throws<ArgumentException>(() => strategy.OnCandle(eth));
    }
}
