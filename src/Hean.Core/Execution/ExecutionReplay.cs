using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.MarketData;
using Hean.Core.Orders;

namespace Hean.Core.Execution;

/// <summary>A parent order for <see cref="ExecutionReplay"/>: it starts at the first market event at or after <see cref="Start"/>.</summary>
/// <param name="Spec">The algorithm, chosen from what the market looks like at the start (e.g. a VWAP on the profile learned so far).</param>
public sealed record ReplayParent(DateTime Start, OrderRequest Order, Func<MarketConditions, AlgoSpec> Spec);

/// <summary>
/// Runs execution algorithms over recorded market events on a <see cref="SimulatedExchange"/>, making the
/// same decisions as the <c>ExecutionAlgo</c> actor: after each event the venue has matched, every running
/// algorithm reconciles its children (folded with <see cref="OrderState"/> as the order manager does) and
/// decides; its children go to the venue at that event's time. Nothing is persisted. For measuring
/// algorithms against each other on the same data (implementation shortfall, fill rate, time to fill).
/// </summary>
public sealed class ExecutionReplay(InstrumentCatalog catalog, SimulatedExchangeOptions options)
{
    private readonly SimulatedExchange _venue = new(catalog, options);
    private readonly Dictionary<ClientOrderId, OrderState> _orders = [];
    private readonly Dictionary<Symbol, MarketActivity> _activity = [];
    private readonly Dictionary<Symbol, VolumeProfileBuilder> _profiles = [];

    /// <summary>Replays <paramref name="events"/>; returns the parents' states in the order given (null: never started, no price).</summary>
    public IReadOnlyList<AlgoState?> Run(IEnumerable<IMarketEvent> events, IReadOnlyList<ReplayParent> parents)
    {
        var states = new AlgoState?[parents.Count];
        var next = 0;
        var order = Enumerable.Range(0, parents.Count).OrderBy(i => parents[i].Start).ToArray();
        foreach (var e in events)
        {
            Apply(_venue.OnMarketEvent(e));
            Observe(e);
            var justStarted = new HashSet<int>();
            while (next < order.Length && parents[order[next]].Start <= e.Time)
            {
                var i = order[next++];
                states[i] = StartParent(parents[i], e.Time);
                justStarted.Add(i);
            }
            for (var i = 0; i < states.Length; i++)
                if (states[i] is { IsFinished: false } s && !justStarted.Contains(i))
                    states[i] = Step(s, e.Time);
        }
        return states;
    }

    private AlgoState? StartParent(ReplayParent p, DateTime now)
    {
        var symbol = p.Order.Symbol;
        var quote = QuoteOf(symbol, now);
        if (quote.Mid is not { } mid) return null;
        var instrument = catalog.Get(symbol);
        var conditions = ConditionsOf(symbol, now);
        var requested = p.Spec(conditions);
        var routing = requested is SmartAlgo smart
            ? SmartRouter.Choose(p.Order, instrument, quote, conditions, smart.Urgency, options.TakerFeeRate, options.MakerFeeRate)
            : null;
        var spec = routing?.Spec ?? requested;
        if (AlgoState.Validate(p.Order, spec, instrument) is { } invalid)
            throw new ArgumentException($"parent {p.Order.ClientOrderId}: {invalid}", nameof(p));
        var started = new AlgoStarted(p.Order, requested, spec, mid, now, AlgoState.PlanFor(p.Order, spec, now, instrument), "replay",
            routing?.Reason, routing?.Numbers);
        return Step(AlgoState.Start(started, instrument), now);
    }

    private AlgoState Step(AlgoState s, DateTime now)
    {
        foreach (var e in s.Reconcile(_orders)) s = s.Apply(e);
        var decided = s.Decide(now, QuoteOf(s.Parent.Symbol, now));
        foreach (var e in decided) s = s.Apply(e);
        foreach (var e in decided)
        {
            switch (e)
            {
                case SliceSent sent:
                    var request = s.ChildRequest(s.Child(sent.ChildId)!);
                    _orders[request.ClientOrderId] = OrderState.Create(new OrderCreated(request, now, "replay", QuoteOf(s.Parent.Symbol, now).Mid));
                    Apply(_venue.Submit(request, now));
                    break;
                case SliceCancelRequested cancel:
                    Apply(_venue.Cancel(cancel.ChildId, now));
                    break;
            }
        }
        return s;
    }

    /// <summary>Folds venue reports into our orders the way the order manager does: duplicates and overfills change nothing.</summary>
    private void Apply(IReadOnlyList<ExecutionReport> reports)
    {
        foreach (var r in reports)
        {
            if (!_orders.TryGetValue(r.ClientOrderId, out var o)) continue;
            if (r is OrderFilledReport f && o.IsOverfill(f)) continue;
            foreach (var e in o.Decide(r)) o = o.Apply(e);
            _orders[r.ClientOrderId] = o;
        }
    }

    private void Observe(IMarketEvent e)
    {
        if (!_activity.TryGetValue(e.Symbol, out var activity)) _activity[e.Symbol] = activity = new MarketActivity();
        if (!_profiles.TryGetValue(e.Symbol, out var profile)) _profiles[e.Symbol] = profile = new VolumeProfileBuilder(TimeSpan.FromHours(1), 60);
        decimal? price = e switch
        {
            BookUpdate => _venue.BookOf(e.Symbol)?.Mid,
            Trade t => t.Price,
            Candle c => c.Close,
            _ => null,
        };
        if (price is { } p) activity.OnPrice(e.Time, p);
        switch (e)
        {
            case Trade t:
                activity.OnVolume(t.Time, t.Qty);
                profile.Add(t.Time, t.Qty);
                break;
            case Candle c:
                activity.OnVolume(c.Time, c.Volume);
                profile.Add(c.Time, c.Volume);
                break;
        }
    }

    private MarketQuote QuoteOf(Symbol symbol, DateTime now)
    {
        var book = _venue.BookOf(symbol);
        var live = book is { IsInitialized: true };
        return new MarketQuote(symbol, now, live ? book!.BestBid?.Price : null, live ? book!.BestAsk?.Price : null, _venue.LastPrice(symbol))
        {
            BidQty = live ? book!.BestBid?.Qty : null,
            AskQty = live ? book!.BestAsk?.Qty : null,
            VolatilityBpsPerSqrtSecond = _activity.GetValueOrDefault(symbol)?.VolatilityBpsPerSqrtSecond,
        };
    }

    /// <summary>As the gateway reports them, except that the profile is offered from the first volume on (replays are short).</summary>
    private MarketConditions ConditionsOf(Symbol symbol, DateTime now)
    {
        var (bidDepth, askDepth) = MarketActivity.DepthNearTouch(_venue.BookOf(symbol));
        var activity = _activity.GetValueOrDefault(symbol);
        return new MarketConditions(bidDepth, askDepth, activity?.VolatilityBpsPerSqrtSecond, activity?.VolumePerSecond(now),
            _profiles.GetValueOrDefault(symbol)?.Build());
    }
}
