using Hean.Core.Domain;
using Hean.Core.Risk;

namespace Hean.Core.Portfolio;

/// <summary>
/// Positions, cash, PnL and the points of the equity curve, the same in the portfolio actor and the backtest kernel.
/// Fills come deduplicated from the order book-keeping; marks are last-writer-wins by time, and a fill is a mark only if
/// nothing newer marked its symbol, so the order in which fills and marks arrive cannot change the state. Closed trades
/// feed <see cref="Trades"/> (PnL after the closing fill's fee). Single-threaded.
/// </summary>
public sealed class PortfolioBook(decimal initialCash, TimeSpan sampleEvery)
{
    private readonly Dictionary<string, DateTime> _markTimes = new();
    private DateTime _lastSample;
    private decimal _lastSampledEquity = decimal.MinValue;

    public PortfolioState State { get; private set; } = PortfolioState.Start(initialCash);

    /// <summary>The realized round trips (the last 100), for Kelly and the trade statistics.</summary>
    public TradeStatistics Trades { get; } = new(100);

    /// <summary>The market time of each symbol's mark.</summary>
    public IReadOnlyDictionary<string, DateTime> MarkTimes => _markTimes;

    /// <summary>Back to a snapshot: the state, the last equity sample, the recent trades and the mark times (absent in older snapshots).</summary>
    public void Restore(PortfolioState state, EquitySampled? lastSample, IEnumerable<decimal>? trades, IReadOnlyDictionary<string, DateTime>? markTimes)
    {
        State = state;
        if (lastSample is not null)
        {
            (_lastSample, _lastSampledEquity) = (lastSample.Time, lastSample.Equity);
            // Older snapshots have no mark times; the last sample's time is the best bound for them.
            foreach (var symbol in lastSample.Marks.Keys) _markTimes[symbol] = lastSample.Time;
        }
        foreach (var pnl in trades ?? []) Trades.Add(pnl);
        if (markTimes is not null)
            foreach (var (symbol, time) in markTimes) _markTimes[symbol] = time;
    }

    /// <summary>A price from the venue; ignored when the symbol has a newer one.</summary>
    public void Mark(Symbol symbol, decimal price, DateTime time)
    {
        var key = symbol.Value;
        if (_markTimes.TryGetValue(key, out var t) && t > time) return;
        _markTimes[key] = time;
        State = State.Mark(symbol, price, time);
    }

    public void Apply(IPortfolioEvent e)
    {
        switch (e)
        {
            case FillBooked f:
                // A fill is a mark only if nothing newer marked the symbol: fills reach us later than marks.
                var key = f.Fill.Symbol.Value;
                var newerMark = _markTimes.TryGetValue(key, out var markedAt) && markedAt > f.Fill.Time ? State.MarkOf(f.Fill.Symbol) : null;
                var realizedBefore = State.PositionOf(f.Fill.Symbol).RealizedPnl;
                State = State.Apply(f.Fill);
                // A fill that closes (part of) a position ends a trade: its PnL after this fill's fee feeds Kelly.
                var realized = State.PositionOf(f.Fill.Symbol).RealizedPnl - realizedBefore;
                if (realized != 0) Trades.Add(realized - f.Fill.Fee);
                if (newerMark is { } mark) State = State with { Marks = State.Marks.SetItem(key, mark) };
                else _markTimes[key] = f.Fill.Time;
                break;
            case FundingBooked f:
                State = State.Apply(f.Payment);
                break;
            case EquitySampled s:
                var sampled = false;
                foreach (var (symbol, price) in s.Marks)
                {
                    if (_markTimes.TryGetValue(symbol, out var t) && t > s.Time) continue;
                    _markTimes[symbol] = s.Time;
                    // The sample's marks are mostly the state's own (the backtest kernel samples at every checkpoint): an equal
                    // mark keeps the map as it is, as Mark would (an immutable map keeps an equal value), and moves only the time.
                    if (State.Marks.TryGetValue(symbol, out var current) && current == price) sampled = true;
                    else State = State.Mark(new Symbol(symbol), price, s.Time);
                }
                if (sampled && State.UpdatedAt != s.Time) State = State with { UpdatedAt = s.Time };
                _lastSample = s.Time;
                _lastSampledEquity = s.Equity;
                break;
        }
    }

    /// <summary>
    /// The equity sample due at this checkpoint of market time (to persist, then <see cref="Apply(IPortfolioEvent)"/>), or null:
    /// one per sample interval, and only when the equity changed, unless forced (the last checkpoint of a run).
    /// </summary>
    public EquitySampled? SampleAt(DateTime time, bool force)
    {
        var equity = State.Equity;
        var due = force || time - _lastSample >= sampleEvery;
        return due && (force || equity != _lastSampledEquity)
            ? new EquitySampled(time, State.Marks, equity) // immutable, sorted: the sample keeps the marks without a copy
            : null;
    }
}
