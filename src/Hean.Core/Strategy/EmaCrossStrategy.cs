using System.Globalization;
using Hean.Core.Domain;
using Hean.Core.Indicators;
using Hean.Core.MarketData;
using Hean.Core.Signals;

namespace Hean.Core.Strategy;

/// <summary>
/// Trend following on closes: go long when the fast EMA crosses above the slow EMA, short when it
/// crosses below. A cross is ignored when RSI says the move is exhausted (a long cross above
/// <c>rsiOverbought</c>, a short cross below <c>rsiOversold</c>); the strategy then waits for the
/// next cross. A signal is emitted only when the desired direction changes.
/// Confidence comes from momentum agreeing with the cross: 0.5 + (RSI - 50) / 40 for a long
/// (mirrored for a short), clamped to [0.25, 1]: RSI 70 behind a long cross gives full size, RSI 50
/// half, a cross against momentum a quarter. 0.5 while RSI warms up.
/// </summary>
public sealed class EmaCrossStrategy : IStrategy
{
    public const string StrategyName = "ema-cross";

    private readonly Ema _fast;
    private readonly Ema _slow;
    private readonly Rsi _rsi;
    private readonly double _overbought;
    private readonly double _oversold;
    private int _lastSide; // sign of (fast - slow) at the last bar where it was not zero
    private SignalDirection _desired = SignalDirection.Flat;
    private decimal _lastClose;

    /// <summary>The periods, in candles, when none are given (EMA_FAST, EMA_SLOW).</summary>
    public const int DefaultFast = 12, DefaultSlow = 26;

    public EmaCrossStrategy(Symbol symbol, int fast = DefaultFast, int slow = DefaultSlow, int rsiPeriod = 14,
        double rsiOverbought = 70, double rsiOversold = 30)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fast, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(rsiPeriod, 1);
        if (slow <= fast) throw new ArgumentOutOfRangeException(nameof(slow), slow, $"slow period must be longer than fast period {fast}");
        if (!(rsiOversold >= 0 && rsiOversold < rsiOverbought && rsiOverbought <= 100))
            throw new ArgumentOutOfRangeException(nameof(rsiOverbought), rsiOverbought,
                $"need 0 <= oversold ({rsiOversold}) < overbought ({rsiOverbought}) <= 100");
        Symbol = symbol;
        _fast = new Ema(fast);
        _slow = new Ema(slow);
        _rsi = new Rsi(rsiPeriod);
        _overbought = rsiOverbought;
        _oversold = rsiOversold;
    }

    public Symbol Symbol { get; }
    public string Name => StrategyName;

    /// <summary>The direction of the last emitted signal (Flat before the first).</summary>
    public SignalDirection Direction => _desired;

    public Signal? OnCandle(Candle c)
    {
        ArgumentNullException.ThrowIfNull(c);
        if (c.Symbol != Symbol) throw new ArgumentException($"candle for {c.Symbol} given to the {Symbol} strategy", nameof(c));

        var close = (double)c.Close;
        _lastClose = c.Close;
        _fast.Update(close);
        _slow.Update(close);
        _rsi.Update(close);
        if (!_fast.IsReady || !_slow.IsReady) return null;

        var fast = _fast.Value;
        var slow = _slow.Value;
        var side = Math.Sign(fast - slow);
        if (side == 0) return null;
        var previous = _lastSide;
        _lastSide = side;
        if (previous == 0 || previous == side) return null;

        var crossedUp = side > 0;
        // An unready RSI does not filter: the cross alone decides.
        var rsi = _rsi.Value;
        if (_rsi.IsReady && (crossedUp ? rsi > _overbought : rsi < _oversold)) return null;

        var wanted = crossedUp ? SignalDirection.Long : SignalDirection.Short;
        if (wanted == _desired) return null;
        _desired = wanted;

        var confidence = Confidence(crossedUp);
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"EMA{_fast.Period} {fast:F2} crossed {(crossedUp ? "above" : "below")} EMA{_slow.Period} {slow:F2}, RSI{_rsi.Period} {(_rsi.IsReady ? rsi.ToString("F1", CultureInfo.InvariantCulture) : "n/a")}");
        return new Signal(Symbol, c.Time, wanted, confidence, c.Close, StrategyName, reason);
    }

    /// <summary>
    /// The strategy's current view as a signal, for aligning a position when trading starts after a
    /// warm-up: the side of the fast EMA against the slow one. Null before both EMAs are ready.
    /// </summary>
    public Signal? Align(DateTime time)
    {
        if (!_fast.IsReady || !_slow.IsReady || _lastSide == 0) return null;
        var up = _lastSide > 0;
        _desired = up ? SignalDirection.Long : SignalDirection.Short;
        var reason = string.Create(CultureInfo.InvariantCulture,
            $"start: EMA{_fast.Period} {_fast.Value:F2} {(up ? "above" : "below")} EMA{_slow.Period} {_slow.Value:F2}");
        return new Signal(Symbol, time, _desired, Confidence(up), _lastClose, StrategyName, reason);
    }

    private double Confidence(bool up)
    {
        if (!_rsi.IsReady) return 0.5;
        var momentum = (_rsi.Value - 50.0) / 40.0;
        return Math.Clamp(0.5 + (up ? momentum : -momentum), 0.25, 1.0);
    }
}
