using Hean.Core.Domain;

namespace Hean.Core.MarketData.Synthetic;

/// <summary>
/// A seeded, deterministic market of several symbols as one time-ordered event stream.
/// <para>Price: the log mid follows a market-wide Markov regime (trend up, trend down, or
/// Ornstein–Uhlenbeck reversion to an anchor that slowly follows the price), with GARCH(1,1)
/// shocks whose long-run level is the symbol's annual volatility. Shocks load on a common market
/// factor, so symbols are correlated. The mid is rounded to the tick and stays positive.</para>
/// <para>Book: <see cref="SyntheticMarketOptions.Depth"/> levels per side on the tick and lot
/// grids, spread widening with volatility, sizes random and larger away from the touch. Each symbol
/// starts with a snapshot (sequence 1) and continues with deltas carrying only the changed levels
/// (quantity 0 deletes), so applying them reproduces the generator's book exactly.</para>
/// <para>Trades: taker orders arrive as a Poisson process whose rate rises with volatility; the
/// side leans with the regime and the last move; sizes are Pareto (heavy-tailed) on the lot grid.
/// An order takes liquidity from the touch: one print per level at that level's price, each
/// followed by the delta that removes or shrinks the level.</para>
/// <para>Order: events are sorted by time, ties by symbol order, then generation order. Every call
/// of <see cref="Generate"/> starts again from the seed and gives the same sequence.</para>
/// </summary>
public sealed class SyntheticMarket
{
    // Taker side: P(buy) = 0.5 + RegimeLean * regime direction + MomentumLean * softsign(last move / sigma).
    private const double RegimeLean = 0.15;
    private const double MomentumLean = 0.2;
    private const double TradeSizeTail = 1.5;
    private const double MaxTradeToMean = 100.0;
    // Trade arrival and spread stop reacting to volatility beyond this multiple of its long-run level.
    private const double MaxVolatilityRatio = 10.0;
    private const double SecondsPerYear = 365.0 * 86_400.0;

    public SyntheticMarket(SyntheticMarketOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
    }

    public SyntheticMarketOptions Options { get; }

    /// <summary>The market events, endless unless <paramref name="duration"/> is given (then only
    /// events before Start + duration).</summary>
    public IEnumerable<IMarketEvent> Generate(TimeSpan? duration = null)
    {
        if (duration is { } d && d < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(duration), d, "duration must not be negative");
        return Events(duration);
    }

    // The events straight from each step's sorted list: no step record, no copy of the list, and the symbols' states (a
    // copy of each whole book per step) are not made.
    private IEnumerable<IMarketEvent> Events(TimeSpan? duration)
    {
        var run = new Stepper(Options, duration);
        while (run.Next(withStates: false))
            foreach (var pending in run.Events)
                yield return pending.Event;
    }

    /// <summary>The same events grouped by step, with the generator's state after each step.</summary>
    public IEnumerable<SyntheticStep> Simulate(TimeSpan? duration = null)
    {
        if (duration is { } d && d < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(duration), d, "duration must not be negative");
        return Steps(duration);
    }

    private IEnumerable<SyntheticStep> Steps(TimeSpan? duration)
    {
        var run = new Stepper(Options, duration);
        while (run.Next(withStates: true))
        {
            var ordered = new IMarketEvent[run.Events.Count];
            for (var i = 0; i < ordered.Length; i++) ordered[i] = run.Events[i].Event;
            yield return new SyntheticStep(run.Time, run.Regime, run.States, ordered);
        }
    }

    /// <summary>The simulation, one step at a time: the market's regime and common shock, then each symbol's book and trades.</summary>
    private sealed class Stepper
    {
        private readonly SyntheticMarketOptions _o;
        private readonly DateTime _start, _end;
        private readonly DeterministicRandom _market;
        private readonly SymbolProcess[] _symbols;
        private readonly double _switchProbability;
        private long _k;

        public Stepper(SyntheticMarketOptions o, TimeSpan? duration)
        {
            _o = o;
            _start = DateTime.SpecifyKind(o.Start, DateTimeKind.Utc);
            _end = duration is { } d ? _start + d : DateTime.MaxValue;
            var stepSeconds = o.Step.Ticks / (double)TimeSpan.TicksPerSecond;
            _market = new DeterministicRandom(o.Seed);
            _symbols = new SymbolProcess[o.Symbols.Count];
            for (var i = 0; i < _symbols.Length; i++) _symbols[i] = new SymbolProcess(o, o.Symbols[i], stepSeconds);
            _switchProbability = Math.Min(1.0, o.Step.Ticks / (double)o.RegimeMeanDuration.Ticks);
            Regime = (MarketRegime)(_market.NextUInt64() % 3);
        }

        public DateTime Time { get; private set; }
        public MarketRegime Regime { get; private set; }
        public SyntheticSymbolState[] States { get; private set; } = [];

        /// <summary>This step's events, sorted by time, symbol, then generation order (reused by the next step).</summary>
        public List<Pending> Events { get; } = [];

        /// <summary>The next step into <see cref="Events"/>; false when the duration (or the calendar) ends.</summary>
        public bool Next(bool withStates)
        {
            var o = _o;
            var k = _k;
            if (k * o.Step.Ticks >= DateTime.MaxValue.Ticks - o.Step.Ticks - _start.Ticks) return false; // the calendar ends
            var time = _start.AddTicks(k * o.Step.Ticks);
            if (time >= _end) return false;

            if (k > 0 && _market.NextBool(_switchProbability))
                Regime = (MarketRegime)(((int)Regime + (_market.NextBool(0.5) ? 1 : 2)) % 3);
            var commonShock = k > 0 ? _market.NextNormal() : 0.0;

            var events = Events;
            events.Clear();
            var states = withStates ? new SyntheticSymbolState[_symbols.Length] : [];
            for (var i = 0; i < _symbols.Length; i++)
            {
                var s = _symbols[i];
                if (k > 0) s.Evolve(Regime, commonShock);
                var sink = new Sink(events, i);
                s.PublishBook(time, isSnapshot: k == 0, sink);
                s.Trade(time, _end, Regime, sink);
                if (withStates) states[i] = s.State();
            }

            events.Sort(static (a, b) =>
                a.Event.Time != b.Event.Time ? a.Event.Time.CompareTo(b.Event.Time)
                : a.Symbol != b.Symbol ? a.Symbol.CompareTo(b.Symbol)
                : a.Order.CompareTo(b.Order));
            Time = time;
            States = states;
            _k = k + 1;
            return true;
        }
    }

    private readonly record struct Pending(IMarketEvent Event, int Symbol, int Order);

    private readonly struct Sink(List<Pending> events, int symbol)
    {
        public void Add(IMarketEvent e) => events.Add(new Pending(e, symbol, events.Count));
    }

    /// <summary>Price process, book and trade flow of one symbol, all in integer ticks and lots.</summary>
    private sealed class SymbolProcess
    {
        private readonly SymbolSpec _spec;
        private readonly DeterministicRandom _rng;
        private readonly decimal _tick;
        private readonly decimal _lot;
        private readonly GridUnit _tickUnit;
        private readonly GridUnit _lotUnit;
        private readonly int _depth;
        private readonly TimeSpan _step;
        private readonly double _tickInPrice;
        private readonly double _idiosyncraticWeight;
        private readonly double _longRunVariance;   // per step
        private readonly double _omega, _alpha, _beta;
        private readonly double _trendDrift;        // log per step
        private readonly double _reversion;         // fraction of the gap to the anchor closed per step
        private readonly double _anchorPull;        // fraction of the gap the anchor closes per step
        private readonly double _stepYears;
        private readonly double _levelNotionalInTickLots;
        private readonly double _tradeNotionalInTickLots;
        private readonly double _tradesPerStep;
        private readonly SyntheticBookSide _bids = new(isBid: true);
        private readonly SyntheticBookSide _asks = new(isBid: false);

        private double _logMid;     // ln(mid in ticks)
        private double _anchor;     // ln(anchor in ticks)
        private double _variance;   // conditional, per step
        private double _lastMove;   // last log return
        private long _sequence;
        private long _tradeId;

        public SymbolProcess(SyntheticMarketOptions o, SymbolSpec spec, double stepSeconds)
        {
            _spec = spec;
            (_tick, _lot) = spec.ResolveGrid();
            (_tickUnit, _lotUnit) = (new GridUnit(_tick), new GridUnit(_lot));
            _rng = new DeterministicRandom(o.Seed ^ Fnv1a(spec.Symbol.Value));
            _depth = o.Depth;
            _step = o.Step;
            _tickInPrice = SyntheticMarketOptions.ToDouble(_tick);
            _idiosyncraticWeight = Math.Sqrt(1.0 - spec.FactorLoading * spec.FactorLoading);
            _stepYears = stepSeconds / SecondsPerYear;
            _longRunVariance = spec.AnnualVolatility * spec.AnnualVolatility * _stepYears;
            _alpha = o.GarchAlpha;
            _beta = o.GarchBeta;
            _omega = _longRunVariance * (1.0 - _alpha - _beta);
            _trendDrift = spec.TrendDriftPerHour * stepSeconds / 3600.0;
            _reversion = 1.0 - HalfLifeDecay(o.Step, o.MeanReversionHalfLife);
            _anchorPull = 1.0 - HalfLifeDecay(o.Step, o.AnchorHalfLife);
            var tickLot = _tick * _lot;
            _levelNotionalInTickLots = SyntheticMarketOptions.ToDouble(spec.LevelNotional / tickLot);
            _tradeNotionalInTickLots = SyntheticMarketOptions.ToDouble(spec.MeanTradeNotional / tickLot);
            _tradesPerStep = spec.TradesPerSecond * stepSeconds;

            var startTicks = Math.Max(1m, Math.Round(spec.StartPrice / _tick, MidpointRounding.AwayFromZero));
            _logMid = _anchor = PortableMath.Log((double)(long)startTicks);
            _variance = _longRunVariance;
        }

        private double VolatilityRatio =>
            _longRunVariance > 0 ? Math.Min(MaxVolatilityRatio, Math.Sqrt(_variance / _longRunVariance)) : 1.0;

        private double MidTicks => PortableMath.Exp(_logMid);

        public void Evolve(MarketRegime regime, double commonShock)
        {
            var z = _spec.FactorLoading * commonShock + _idiosyncraticWeight * _rng.NextNormal();
            var shock = Math.Sqrt(_variance) * z;
            var drift = regime switch
            {
                MarketRegime.TrendUp => _trendDrift,
                MarketRegime.TrendDown => -_trendDrift,
                _ => -_reversion * (_logMid - _anchor),
            };
            _lastMove = drift + shock;
            _logMid += _lastMove;
            _variance = _omega + _alpha * shock * shock + _beta * _variance;
            _anchor += _anchorPull * (_logMid - _anchor);
        }

        public void PublishBook(DateTime time, bool isSnapshot, Sink sink)
        {
            var mid = MidTicks;
            var spread = Math.Max(1L, (long)Math.Round(_spec.BaseSpreadTicks * VolatilityRatio));
            var bestBid = Math.Max(1L, (long)Math.Round(mid - spread / 2.0));
            var touchLots = Math.Max(1.0, _levelNotionalInTickLots / mid);

            var bidChanges = _bids.Rebuild(bestBid, _depth, touchLots, _rng);
            var askChanges = _asks.Rebuild(bestBid + spread, _depth, touchLots, _rng);
            if (isSnapshot)
            {
                sink.Add(Book(time, _bids.ToBookLevels(_tickUnit, _lotUnit), _asks.ToBookLevels(_tickUnit, _lotUnit), snapshot: true));
            }
            else if (bidChanges.Count > 0 || askChanges.Count > 0)
            {
                sink.Add(Book(time,
                    SyntheticBookSide.ToBookLevels(bidChanges, _tickUnit, _lotUnit),
                    SyntheticBookSide.ToBookLevels(askChanges, _tickUnit, _lotUnit),
                    snapshot: false));
            }
        }

        public void Trade(DateTime stepTime, DateTime end, MarketRegime regime, Sink sink)
        {
            var count = _rng.NextPoisson(_tradesPerStep * VolatilityRatio);
            if (count == 0) return;

            // Arrival times of a Poisson process within the step are sorted uniforms.
            Span<long> offsets = count <= 256 ? stackalloc long[count] : new long[count];
            for (var i = 0; i < count; i++) offsets[i] = Math.Min(_step.Ticks - 1, (long)(_rng.NextDouble() * _step.Ticks));
            offsets.Sort();

            var sigma = Math.Sqrt(_longRunVariance);
            var momentum = sigma > 0 ? _lastMove / sigma : 0.0;
            var lean = regime switch { MarketRegime.TrendUp => 1.0, MarketRegime.TrendDown => -1.0, _ => 0.0 };
            var buyProbability = Math.Clamp(0.5 + RegimeLean * lean + MomentumLean * momentum / (1.0 + Math.Abs(momentum)), 0.05, 0.95);

            var meanLots = Math.Max(1.0, _tradeNotionalInTickLots / MidTicks);
            var minimumLots = meanLots * (TradeSizeTail - 1.0) / TradeSizeTail;
            foreach (var offset in offsets)
            {
                var time = stepTime.AddTicks(offset);
                if (time >= end) return;
                var side = _rng.NextBool(buyProbability) ? Side.Buy : Side.Sell;
                var size = Math.Min(_rng.NextPareto(minimumLots, TradeSizeTail), meanLots * MaxTradeToMean);
                Sweep(time, side, Math.Max(1L, (long)Math.Round(size)), sink);
            }
        }

        /// <summary>One taker order: prints level by level from the touch of the opposite side.</summary>
        private void Sweep(DateTime time, Side taker, long lots, Sink sink)
        {
            var book = taker == Side.Buy ? _asks : _bids;
            while (lots > 0)
            {
                var price = book[0].Ticks;
                var (traded, changed) = book.TakeFromTouch(lots);
                sink.Add(new Trade(_spec.Symbol, time, _tickUnit.Times(price), _lotUnit.Times(traded), taker, ++_tradeId));
                lots -= traded;
                if (changed is not { } level) return;
                BookLevel[] levels = [new(_tickUnit.Times(level.Ticks), _lotUnit.Times(level.Lots))];
                sink.Add(taker == Side.Buy
                    ? Book(time, [], levels, snapshot: false)
                    : Book(time, levels, [], snapshot: false));
            }
        }

        public SyntheticSymbolState State() => new(
            _spec.Symbol,
            MidTicks * _tickInPrice,
            Math.Sqrt(_variance / _stepYears),
            _bids.ToBookLevels(_tickUnit, _lotUnit),
            _asks.ToBookLevels(_tickUnit, _lotUnit));

        private BookUpdate Book(DateTime time, BookLevel[] bids, BookLevel[] asks, bool snapshot)
        {
            var previous = _sequence;
            _sequence++;
            return new BookUpdate(_spec.Symbol, time, _sequence, snapshot ? 0 : previous, snapshot, bids, asks);
        }

        private static double HalfLifeDecay(TimeSpan step, TimeSpan halfLife) =>
            PortableMath.Exp(-0.6931471805599453 * step.Ticks / halfLife.Ticks);

        /// <summary>FNV-1a: a stable hash (string.GetHashCode is randomised per process).</summary>
        private static ulong Fnv1a(string text)
        {
            var hash = 0xCBF29CE484222325UL;
            foreach (var ch in text)
            {
                hash ^= ch;
                hash *= 0x100000001B3UL;
            }
            return hash;
        }
    }
}
