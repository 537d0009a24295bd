using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.Execution;
using Hean.Core.MarketData;
using Hean.Core.Orders;

namespace Hean.ML.Rl;

/// <summary>One decision of an episode and what it cost: <paramref name="Reward"/> is minus the shortfall (bps of the parent's paper notional) booked from this decision to the next (<paramref name="Next"/>), or to the end (null).</summary>
public sealed record RlTransition(int State, RlAction Action, double Reward, int? Next);

/// <summary>How one episode ended: its execution quality and the share of the parent crossed at the horizon.</summary>
public sealed record RlEpisode(int Index, Side Side, DateTime Start, ExecutionQuality Quality, double ForcedShare, int Decisions);

/// <summary>
/// The execution environment: recorded (or synthetic) market events replayed into a <see cref="SimulatedExchange"/>,
/// and parent orders worked by the very <see cref="AlgoState"/> logic the execution router runs for an
/// <see cref="RlAlgo"/>, with the action chosen by the caller. Reward: minus the implementation shortfall against
/// the arrival mid, fees included, booked as fills happen, minus a penalty on what had to be crossed at the horizon.
/// Deterministic: the same events, settings and chooser give the same episodes.
/// </summary>
public sealed class ExecutionEnvironment
{
    private readonly IReadOnlyList<IMarketEvent> _events;
    private readonly InstrumentCatalog _catalog;
    private readonly Instrument _instrument;
    private readonly RlEnvironmentSettings _settings;

    public ExecutionEnvironment(IReadOnlyList<IMarketEvent> events, InstrumentCatalog catalog, RlEnvironmentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(settings);
        if (!catalog.TryGet(settings.Symbol, out var instrument)) throw new ArgumentException($"unknown symbol {settings.Symbol}", nameof(settings));
        if (settings.Validate(instrument) is { } invalid) throw new ArgumentException(invalid, nameof(settings));
        _events = events;
        _catalog = catalog;
        _instrument = instrument;
        _settings = settings;
    }

    public RlEnvironmentSettings Settings => _settings;

    /// <summary>
    /// When the episodes of a pass start: after the warm-up (from the first event, or from <see cref="RlEnvironmentSettings.EpisodesFrom"/>),
    /// every horizon + gap, while a whole horizon fits before the last event (and before <see cref="RlEnvironmentSettings.EpisodesTo"/>).
    /// </summary>
    /// <param name="shift">Moves every start later (less than a horizon + gap): other passes see other stretches of the same data.</param>
    public IReadOnlyList<DateTime> EpisodeStarts(TimeSpan shift = default)
    {
        var times = _events.Where(e => e.Symbol == _settings.Symbol).Select(e => e.Time).ToList();
        if (times.Count == 0) return [];
        var first = _settings.EpisodesFrom is { } from && from > times.Min() ? from : times.Min();
        var last = _settings.EpisodesTo is { } to && to < times.Max() ? to : times.Max();
        var starts = new List<DateTime>();
        for (var t = first + _settings.Warmup + shift; t + _settings.Horizon <= last; t += _settings.Horizon + _settings.Gap) starts.Add(t);
        return starts;
    }

    /// <summary>
    /// One pass over the events. <paramref name="choose"/> picks the action in a state (index in
    /// <paramref name="space"/>); every decision is handed to <paramref name="learn"/> once its reward is known.
    /// Episode j is a buy when j + <paramref name="sideOffset"/> is even; the episodes start <paramref name="shift"/> later than
    /// <see cref="EpisodeStarts"/> says.
    /// </summary>
    public IReadOnlyList<RlEpisode> Run(RlStateSpace space, Func<int, RlAction> choose, Action<RlTransition>? learn = null, int sideOffset = 0,
        TimeSpan shift = default)
    {
        var venue = new SimulatedExchange(_catalog, _settings.Venue);
        var activity = new MarketActivity();
        var orders = new Dictionary<ClientOrderId, OrderState>();
        var starts = EpisodeStarts(shift);
        var episodes = new List<RlEpisode>();
        var spec = new RlAlgo(_settings.Horizon, _settings.Periods,
            new RlPolicy(RlPolicy.CurrentFormat, space, new double[space.Count * RlPolicy.Actions], new int[space.Count * RlPolicy.Actions]));
        Running? run = null;
        var next = 0;
        var lastStep = DateTime.MinValue;

        foreach (var e in _events)
        {
            ApplyReports(orders, venue.OnMarketEvent(e));
            if (e.Symbol != _settings.Symbol) continue;
            Observe(venue, activity, e);
            if (run is null && next < starts.Count && e.Time >= starts[next])
            {
                var quote = QuoteOf(venue, activity, e.Time);
                if (quote.Mid is not { } arrival) continue;
                var side = (next + sideOffset) % 2 == 0 ? Side.Buy : Side.Sell;
                var parent = new OrderRequest(new ClientOrderId($"rl{next}"), _settings.Symbol, side, OrderType.Market, _settings.Qty, null,
                    TimeInForce.ImmediateOrCancel);
                var started = new AlgoStarted(parent, spec, spec, arrival, e.Time, [], "rl-environment");
                run = new Running(next, AlgoState.Start(started, _instrument));
                next++;
                lastStep = DateTime.MinValue;
            }
            if (run is null || e.Time < lastStep + _settings.DecisionEvery) continue;
            lastStep = e.Time;
            Step(run, venue, activity, orders, e.Time, space, choose, learn);
            if (run.State.IsFinished)
            {
                episodes.Add(Finish(run, e.Time, learn));
                run = null;
            }
        }
        return episodes;
    }

    /// <summary>The quote every decision step of market time, replayed without orders (for the state space's edges).</summary>
    public IReadOnlyList<MarketQuote> SampleQuotes()
    {
        var venue = new SimulatedExchange(_catalog, _settings.Venue);
        var activity = new MarketActivity();
        var quotes = new List<MarketQuote>();
        var lastStep = DateTime.MinValue;
        foreach (var e in _events)
        {
            venue.OnMarketEvent(e);
            if (e.Symbol != _settings.Symbol) continue;
            Observe(venue, activity, e);
            if (e.Time < lastStep + _settings.DecisionEvery) continue;
            lastStep = e.Time;
            quotes.Add(QuoteOf(venue, activity, e.Time));
        }
        return quotes;
    }

    /// <summary>As the gateway and the replay track a symbol: the book's mid, trade prices, trade volume.</summary>
    private static void Observe(SimulatedExchange venue, MarketActivity activity, IMarketEvent e)
    {
        if (e is BookUpdate && venue.BookOf(e.Symbol)?.Mid is { } mid) activity.OnPrice(e.Time, mid);
        if (e is Trade t)
        {
            activity.OnPrice(t.Time, t.Price);
            activity.OnVolume(t.Time, t.Qty);
        }
    }

    private void Step(Running run, SimulatedExchange venue, MarketActivity activity, Dictionary<ClientOrderId, OrderState> orders, DateTime now,
        RlStateSpace space, Func<int, RlAction> choose, Action<RlTransition>? learn)
    {
        var s = run.State;
        foreach (var ev in s.Reconcile(orders)) s = s.Apply(ev);
        var quote = QuoteOf(venue, activity, now);
        int? decided = null;
        RlAction action = default;
        var events = s.Decide(now, quote, o =>
        {
            decided = space.StateOf(o);
            action = choose(decided.Value);
            return action;
        });
        foreach (var ev in events) s = s.Apply(ev);
        if (decided is { } state)
        {
            var cost = CostBps(s);
            if (run.Last is { } last) learn?.Invoke(new RlTransition(last.State, last.Action, -(cost - run.CostAtLast), state));
            run.Last = (state, action);
            run.CostAtLast = cost;
            run.Decisions++;
        }
        foreach (var ev in events)
        {
            switch (ev)
            {
                case SliceSent sent:
                    var request = s.ChildRequest(s.Child(sent.ChildId)!);
                    orders[request.ClientOrderId] = OrderState.Create(new OrderCreated(request, now, "rl-environment", quote.Mid));
                    ApplyReports(orders, venue.Submit(request, now));
                    break;
                case SliceCancelRequested cancel:
                    ApplyReports(orders, venue.Cancel(cancel.ChildId, now));
                    break;
            }
        }
        run.State = s;
    }

    private RlEpisode Finish(Running run, DateTime now, Action<RlTransition>? learn)
    {
        var s = run.State;
        var quality = s.Quality ?? s.Measure(now, null);
        var forced = s.Children.Where(c => c.Slice >= _settings.Periods).Sum(c => c.Filled) / s.Parent.Qty;
        var final = quality.ShortfallBps + _settings.UnfinishedPenaltyBps * (double)forced;
        if (run.Last is { } last) learn?.Invoke(new RlTransition(last.State, last.Action, -(final - run.CostAtLast), null));
        return new RlEpisode(run.Index, s.Parent.Side, s.StartedAt, quality, (double)forced, run.Decisions);
    }

    /// <summary>Shortfall booked so far by the fills (price against the arrival mid, plus fees), in bps of the parent's paper notional.</summary>
    private static double CostBps(AlgoState s)
    {
        var arrival = s.ArrivalMid;
        var cost = s.Children.Sum(c => s.Parent.Side.Sign() * (c.AvgPrice - arrival) * c.Filled + c.Fees);
        return (double)(cost / (s.Parent.Qty * arrival) * 10_000m);
    }

    private static void ApplyReports(Dictionary<ClientOrderId, OrderState> orders, IReadOnlyList<ExecutionReport> reports)
    {
        foreach (var r in reports)
        {
            if (!orders.TryGetValue(r.ClientOrderId, out var o)) continue;
            if (r is OrderFilledReport f && o.IsOverfill(f)) continue;
            foreach (var ev in o.Decide(r)) o = o.Apply(ev);
            orders[r.ClientOrderId] = o;
        }
    }

    private MarketQuote QuoteOf(SimulatedExchange venue, MarketActivity activity, DateTime now)
    {
        var book = venue.BookOf(_settings.Symbol);
        var live = book is { IsInitialized: true };
        return new MarketQuote(_settings.Symbol, now, live ? book!.BestBid?.Price : null, live ? book!.BestAsk?.Price : null, venue.LastPrice(_settings.Symbol))
        {
            BidQty = live ? book!.BestBid?.Qty : null,
            AskQty = live ? book!.BestAsk?.Qty : null,
            VolatilityBpsPerSqrtSecond = activity.VolatilityBpsPerSqrtSecond,
        };
    }

    private sealed class Running(int index, AlgoState state)
    {
        public int Index { get; } = index;
        public AlgoState State { get; set; } = state;
        public (int State, RlAction Action)? Last { get; set; }
        public double CostAtLast { get; set; }
        public int Decisions { get; set; }
    }
}
