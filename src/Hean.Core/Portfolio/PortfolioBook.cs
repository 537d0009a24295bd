using System.Collections.Immutable;
using System.Runtime.InteropServices;
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
    private PortfolioState _state = PortfolioState.Start(initialCash);
    // Marks not in the state yet, one per symbol, each the value the state's map will hold once they are (a map keeps an
    // equal value it has): a backtest marks at every event and reads the equity at every checkpoint, and it is a sample
    // that needs the marks as a state. Taken into the state, in one step, whenever the state is read.
    private readonly List<MarkOverride> _pending = [];
    private DateTime _pendingTime;
    // Equity and gross exposure at the latest marks, kept until a mark moves or the state changes: a checkpoint reads
    // them for its sample, the bad-tick guard and the risk rules.
    private decimal? _equity, _gross;

    public PortfolioState State
    {
        get
        {
            if (_pending.Count > 0) TakePendingMarks();
            return _state;
        }
        private set
        {
            _pending.Clear();
            _state = value;
            (_equity, _gross) = (null, null);
        }
    }

    /// <summary>The equity at the latest marks: <see cref="PortfolioState.Equity"/> of <see cref="State"/>, without making it.</summary>
    public decimal Equity => _equity ??= _pending.Count == 0 ? _state.Equity : _state.EquityWith(CollectionsMarshal.AsSpan(_pending));

    /// <summary>The gross exposure at the latest marks, as <see cref="Equity"/>.</summary>
    public decimal GrossExposure => _gross ??= _pending.Count == 0 ? _state.GrossExposure : _state.GrossExposureWith(CollectionsMarshal.AsSpan(_pending));

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
        if (price <= 0) throw new ArgumentOutOfRangeException(nameof(price), price, "mark price must be positive");
        _pendingTime = time;
        for (var i = 0; i < _pending.Count; i++)
        {
            if (_pending[i].Symbol != key) continue;
            if (_pending[i].Price != price)
            {
                _pending[i] = new MarkOverride(key, price, Moved: true);
                (_equity, _gross) = (null, null);
            }
            return;
        }
        (_equity, _gross) = (null, null);
        _pending.Add(_state.Marks.TryGetValue(key, out var current) && current == price
            ? new MarkOverride(key, current, Moved: false)
            : new MarkOverride(key, price, Moved: true));
    }

    /// <summary>The pending marks into the state, as one <see cref="PortfolioState.Mark"/> after the other would have put them.</summary>
    private void TakePendingMarks()
    {
        var marks = _state.Marks;
        foreach (var (symbol, price, moved) in _pending)
        {
            if (!moved) continue;
            // The value the marks ended on, as it was written: an equal value written otherwise (100 for 100.0) replaces.
            if (!marks.TryGetValue(symbol, out var held)) marks = marks.Add(symbol, price);
            else if (held != price) marks = marks.SetItem(symbol, price);
            else if (held.Scale != price.Scale) marks = marks.Remove(symbol).Add(symbol, price);
        }
        _state = _state with { Marks = marks, UpdatedAt = _pendingTime };
        _pending.Clear();
        (_equity, _gross) = (null, null); // the same values, perhaps written with other trailing zeros: made again from the state
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
            case FillSequencesAdopted a:
                State = State with { FillSeqs = a.Seqs.ToImmutableSortedDictionary() };
                break;
            case EquitySampled s:
                var sampled = false;
                // The state's own map (a sample of this book) through its own enumerator, which ReadyToRun compiles ahead;
                // through the interface it was a boxed enumerator compiled at run time, and left unoptimised, at every sample.
                if (s.Marks is ImmutableSortedDictionary<string, decimal> sorted)
                    foreach (var (symbol, price) in sorted) sampled |= SampledMark(symbol, price, s.Time);
                else
                    foreach (var (symbol, price) in s.Marks) sampled |= SampledMark(symbol, price, s.Time);
                if (sampled && State.UpdatedAt != s.Time) State = State with { UpdatedAt = s.Time };
                _lastSample = s.Time;
                _lastSampledEquity = s.Equity;
                break;
        }
    }

    /// <summary>One mark of a sample: true when it equals the state's (only its time moves).</summary>
    private bool SampledMark(string symbol, decimal price, DateTime time)
    {
        if (_markTimes.TryGetValue(symbol, out var t) && t > time) return false;
        _markTimes[symbol] = time;
        // The sample's marks are mostly the state's own (the backtest kernel samples at every checkpoint): an equal
        // mark keeps the map as it is, as Mark would (an immutable map keeps an equal value), and moves only the time.
        if (State.Marks.TryGetValue(symbol, out var current) && current == price) return true;
        State = State.Mark(new Symbol(symbol), price, time);
        return false;
    }

    /// <summary>
    /// The equity sample due at this checkpoint of market time (to persist, then <see cref="Apply(IPortfolioEvent)"/>), or null:
    /// one per sample interval, and only when the equity changed, unless forced (the last checkpoint of a run).
    /// </summary>
    public EquitySampled? SampleAt(DateTime time, bool force)
    {
        var equity = Equity;
        var due = force || time - _lastSample >= sampleEvery;
        return due && (force || equity != _lastSampledEquity)
            ? new EquitySampled(time, State.Marks, equity) // immutable, sorted: the sample keeps the marks without a copy
            : null;
    }
}

/// <summary>A symbol's mark that a <see cref="PortfolioBook"/> holds before its state does; Moved: it differs from the state's.</summary>
internal readonly record struct MarkOverride(string Symbol, decimal Price, bool Moved);
