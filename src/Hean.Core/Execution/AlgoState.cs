using System.Collections.Immutable;
using System.Text.Json.Serialization;
using Hean.Core.Domain;
using Hean.Core.Orders;

namespace Hean.Core.Execution;

public enum AlgoStatus : byte { Running = 1, Cancelling = 2, Completed = 3, Cancelled = 4 }

/// <summary>One child order of an algorithm, as far as the algorithm knows it.</summary>
public sealed record ChildSlice(
    int N,
    ClientOrderId Id,
    int Slice,
    OrderType Type,
    TimeInForce TimeInForce,
    decimal Qty,
    decimal? Price,
    DateTime SentAt,
    string Why,
    decimal Filled = 0m,
    decimal AvgPrice = 0m,
    decimal Fees = 0m,
    bool CancelRequested = false,
    OrderStatus? ClosedAs = null,
    string? ClosedReason = null)
{
    [JsonIgnore]
    public bool IsOpen => ClosedAs is null;

    /// <summary>What may still fill: the unfilled part of an open child.</summary>
    [JsonIgnore]
    public decimal Working => IsOpen ? Qty - Filled : 0m;

    /// <summary>Rests on the book (a cancel makes sense), unlike an immediate-or-cancel child.</summary>
    [JsonIgnore]
    public bool Rests => TimeInForce != TimeInForce.ImmediateOrCancel;
}

/// <summary>
/// An execution algorithm as a fold over its events, with the decisions as pure functions:
/// <see cref="Reconcile"/> turns the order manager's view of the children into events, and
/// <see cref="Decide"/> says, at a moment of market time and a quote, what to do next (send a
/// child, cancel one, finish). The invariant that keeps a parent from ever overfilling: a new child
/// is only ever sized from <see cref="Unassigned"/> = quantity − filled − working, and a child being
/// cancelled counts as working until the venue has closed it (a cancel can race a fill).
/// </summary>
public sealed record AlgoState(
    OrderRequest Parent,
    AlgoSpec Spec,
    Instrument Instrument,
    decimal ArrivalMid,
    DateTime StartedAt,
    IReadOnlyList<PlannedSlice> Plan,
    ImmutableList<ChildSlice> Children,
    AlgoStatus Status,
    string Origin,
    string? Reason,
    int ConsecutiveRejections,
    DateTime UpdatedAt,
    DateTime? LastFillAt,
    ExecutionQuality? Quality,
    int RlPeriodDecided = -1,
    DateTime? RetryAt = null)
{
    /// <summary>
    /// Child refusals in a row (by the venue, the gateway or its breaker; a post-only child that would have crossed is not
    /// a refusal) after which the algorithm gives up, with the last reason, instead of sending more.
    /// </summary>
    public const int MaxConsecutiveRejections = 5;

    /// <summary>The wait before the first child after a refusal; it doubles with each refusal in a row, up to <see cref="MaxBackoff"/>.</summary>
    public static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);

    public static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    /// <summary>Market time to wait after the <paramref name="n"/>th refusal in a row before the next child.</summary>
    public static TimeSpan Backoff(int n) =>
        n <= 0 ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, FirstBackoff.Ticks << Math.Min(n - 1, 20)));

    /// <summary>A post-only child the venue refused because it would have taken liquidity: the touch moved; post again.</summary>
    public static bool IsCrossing(ChildSlice child, OrderStatus status, string? reason) =>
        status == OrderStatus.Rejected && child.TimeInForce == TimeInForce.PostOnly && reason == Exchange.SimulatedExchangeReasons.PostOnlyWouldCross;

    /// <summary>Room left in a 36-character client order id for "-{n}".</summary>
    public const int MaxParentIdLength = 31;

    [JsonIgnore]
    public ClientOrderId ParentId => Parent.ClientOrderId;
    [JsonIgnore]
    public decimal Filled => Children.Sum(c => c.Filled);
    [JsonIgnore]
    public decimal Working => Children.Sum(c => c.Working);
    [JsonIgnore]
    public decimal Remaining => Parent.Qty - Filled;
    [JsonIgnore]
    public decimal Unassigned => Parent.Qty - Filled - Working;
    [JsonIgnore]
    public decimal Fees => Children.Sum(c => c.Fees);
    [JsonIgnore]
    public decimal AvgPrice => Filled > 0 ? Children.Sum(c => c.AvgPrice * c.Filled) / Filled : 0m;
    [JsonIgnore]
    public bool HasOpenChildren => Children.Any(c => c.IsOpen);
    [JsonIgnore]
    public IEnumerable<ChildSlice> OpenChildren => Children.Where(c => c.IsOpen);
    [JsonIgnore]
    public bool IsFinished => Status is AlgoStatus.Completed or AlgoStatus.Cancelled;

    /// <summary>Why this parent and algorithm cannot run, or null when they can.</summary>
    public static string? Validate(OrderRequest parent, AlgoSpec spec, Instrument instrument)
    {
        if (parent.ClientOrderId.Value.Length > MaxParentIdLength)
            return $"parent id {parent.ClientOrderId} is longer than {MaxParentIdLength} characters: its children would not fit in a client order id";
        if (parent.Symbol != instrument.Symbol) return $"parent symbol {parent.Symbol} is not {instrument.Symbol}";
        if (instrument.Validate(parent.Qty, parent.Type == OrderType.Limit ? parent.Price : null) is { } invalid) return invalid;
        if (parent.Type == OrderType.Limit && parent.Price is null) return "a limit parent needs a price";
        return spec switch
        {
            MarketAlgo => null,
            LimitAlgo l when l.RepriceAfter <= TimeSpan.Zero => "the re-price timeout must be positive",
            TwapAlgo t when t.Horizon <= TimeSpan.Zero || t.Slices is < 1 or > 1000 => "TWAP needs a positive horizon and 1 to 1000 slices",
            VwapAlgo v when v.Horizon <= TimeSpan.Zero || v.Slices is < 1 or > 1000 => "VWAP needs a positive horizon and 1 to 1000 slices",
            IcebergAlgo i when i.VisibleQty < instrument.MinQty || i.RepriceAfter <= TimeSpan.Zero =>
                $"the visible quantity must be at least {instrument.MinQty} and the re-price timeout positive",
            SmartAlgo => null,
            RlAlgo r => r.Validate(),
            LimitAlgo or TwapAlgo or VwapAlgo or IcebergAlgo => null,
            _ => $"unknown algorithm {spec.GetType().Name}",
        };
    }

    /// <summary>The slice plan of a scheduled algorithm (empty for the others), seeded by the parent id.</summary>
    public static IReadOnlyList<PlannedSlice> PlanFor(OrderRequest parent, AlgoSpec spec, DateTime start, Instrument instrument) => spec switch
    {
        TwapAlgo t => SliceSchedule.Twap(parent.Qty, start, t.Horizon, t.Slices, instrument, SliceSchedule.SeedOf(parent.ClientOrderId.Value)),
        VwapAlgo v => SliceSchedule.Vwap(parent.Qty, start, v.Horizon, v.Slices, v.Profile, instrument, SliceSchedule.SeedOf(parent.ClientOrderId.Value)),
        _ => [],
    };

    public static AlgoState Start(AlgoStarted e, Instrument instrument) =>
        new(e.Parent, e.Spec, instrument, e.ArrivalMid, e.Time, e.Plan, ImmutableList<ChildSlice>.Empty, AlgoStatus.Running, e.Origin,
            e.Reasoning, 0, e.Time, null, null);

    public OrderRequest ChildRequest(ChildSlice c) =>
        new(c.Id, Parent.Symbol, Parent.Side, c.Type, c.Qty, c.Price, c.TimeInForce, Parent.ReduceOnly);

    public ChildSlice? Child(ClientOrderId id) => Children.Find(c => c.Id == id);

    public AlgoState Apply(IAlgoEvent e) => e switch
    {
        SliceSent s => this with
        {
            Children = Children.Add(new ChildSlice(s.N, s.ChildId, s.Slice, s.Type, s.TimeInForce, s.Qty, s.Price, s.Time, s.Why)),
            UpdatedAt = s.Time,
        },
        SliceFilled f => Child(f.ChildId) is { } c && f.FilledQty > c.Filled
            ? this with
            {
                Children = Children.Replace(c, c with { Filled = f.FilledQty, AvgPrice = f.AvgPrice, Fees = f.Fees }),
                ConsecutiveRejections = 0,
                RetryAt = null,
                UpdatedAt = f.Time,
                LastFillAt = f.Time,
            }
            : this,
        SliceClosed x => Child(x.ChildId) is { IsOpen: true } c
            ? this with
            {
                Children = Children.Replace(c, c with { ClosedAs = x.Status, ClosedReason = x.Reason }),
                ConsecutiveRejections = x.Status == OrderStatus.Rejected && !IsCrossing(c, x.Status, x.Reason)
                    ? ConsecutiveRejections + 1
                    : ConsecutiveRejections,
                RetryAt = x.Status == OrderStatus.Rejected && !IsCrossing(c, x.Status, x.Reason)
                    ? x.Time + Backoff(ConsecutiveRejections + 1)
                    : RetryAt,
                Reason = x.Status == OrderStatus.Rejected && Status == AlgoStatus.Running ? x.Reason : Reason,
                UpdatedAt = x.Time,
            }
            : this,
        SliceCancelRequested r => Child(r.ChildId) is { } c
            ? this with { Children = Children.Replace(c, c with { CancelRequested = true }), UpdatedAt = r.Time }
            : this,
        RlDecided d => this with { RlPeriodDecided = Math.Max(RlPeriodDecided, d.Period), UpdatedAt = d.Time },
        AlgoCancelRequested r => IsFinished ? this : this with { Status = AlgoStatus.Cancelling, Reason = r.Reason, UpdatedAt = r.Time },
        AlgoCompleted d => this with { Status = AlgoStatus.Completed, Quality = d.Quality, UpdatedAt = d.Time },
        AlgoCancelled d => this with { Status = AlgoStatus.Cancelled, Reason = d.Reason, Quality = d.Quality, UpdatedAt = d.Time },
        AlgoStarted => throw new InvalidOperationException($"algo {ParentId} started twice"),
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name, "unknown algo event"),
    };

    /// <summary>
    /// The events that bring the children up to what the order manager has booked: a larger filled
    /// quantity, a final state. Children it does not know (not registered yet) are left as they are, and so
    /// is the close of a child the venue cancelled with more executed than is booked yet
    /// (<see cref="OrderState.AwaitingFills"/>): it closes once those fills are in.
    /// </summary>
    public IReadOnlyList<IAlgoEvent> Reconcile(IReadOnlyDictionary<ClientOrderId, OrderState> orders)
    {
        var events = new List<IAlgoEvent>();
        foreach (var c in OpenChildren.OrderBy(c => c.N))
        {
            if (!orders.TryGetValue(c.Id, out var o)) continue;
            if (o.FilledQty > c.Filled)
                events.Add(new SliceFilled(ParentId, c.Id, o.FilledQty, o.AvgFillPrice, o.Fees, o.UpdatedAt));
            // Closed at the venue with fills still on their way: the child stays working until they are booked.
            if (o.Status.IsTerminal() && !o.AwaitingFills)
                events.Add(new SliceClosed(ParentId, c.Id, o.Status, o.UpdatedAt, o.Reason));
        }
        return events;
    }

    /// <summary>The cancel of the parent, as events (none when it is already over).</summary>
    public IReadOnlyList<IAlgoEvent> Cancel(DateTime now, string reason) =>
        Status == AlgoStatus.Running ? [new AlgoCancelRequested(ParentId, now, reason)] : [];

    /// <summary>What to do at <paramref name="now"/> (market time) with this quote. The events are not applied to this state.</summary>
    /// <param name="rlChoice">For <see cref="RlAlgo"/>: who chooses the action instead of the spec's policy (training explores).</param>
    public IReadOnlyList<IAlgoEvent> Decide(DateTime now, MarketQuote quote, Func<RlObservation, RlAction>? rlChoice = null)
    {
        var decision = new Decision(this, now, quote, rlChoice);
        decision.Run();
        return decision.Events;
    }

    public ExecutionQuality Measure(DateTime now, decimal? endMid) =>
        ExecutionQuality.Measure(Parent.Side, Parent.Qty, ArrivalMid, Filled, AvgPrice, Fees, endMid, StartedAt, LastFillAt ?? now,
            Children.Count);

    /// <summary>One decision: events are applied as they are emitted, so each rule sees the effect of the ones before.</summary>
    private sealed class Decision(AlgoState start, DateTime now, MarketQuote quote, Func<RlObservation, RlAction>? rlChoice)
    {
        private AlgoState _s = start;
        public List<IAlgoEvent> Events { get; } = [];

        private void Emit(IAlgoEvent e)
        {
            Events.Add(e);
            _s = _s.Apply(e);
        }

        public void Run()
        {
            if (_s.IsFinished) return;
            if (_s.Status == AlgoStatus.Running && _s.ConsecutiveRejections >= MaxConsecutiveRejections)
                Emit(new AlgoCancelRequested(_s.ParentId, now,
                    $"{_s.ConsecutiveRejections} child orders rejected in a row, the last: {_s.Reason}; stopped instead of sending more"));
            if (_s.Status == AlgoStatus.Running && _s.Remaining == 0 && !_s.HasOpenChildren)
            {
                Emit(new AlgoCompleted(_s.ParentId, now, _s.Measure(now, quote.Mid)));
                return;
            }
            if (_s.Status == AlgoStatus.Cancelling)
            {
                CancelOpen(_ => true, "parent cancelled");
                if (!_s.HasOpenChildren)
                    Emit(new AlgoCancelled(_s.ParentId, now, _s.Reason ?? "cancelled", _s.Measure(now, quote.Mid)));
                return;
            }
            if (quote.Mid is null) return; // no price yet: nothing sensible to send
            switch (_s.Spec)
            {
                case MarketAlgo:
                    if (!_s.HasOpenChildren && _s.Unassigned > 0) Cross(_s.Unassigned, 0, "market: cross the book");
                    break;
                case LimitAlgo l:
                    Passive(l.RepriceAfter, reprice: true, visible: null);
                    break;
                case IcebergAlgo i:
                    Passive(i.RepriceAfter, reprice: _s.Parent.Price is null, visible: i.VisibleQty);
                    break;
                case TwapAlgo t:
                    Scheduled(t.Horizon, t.Style);
                    break;
                case VwapAlgo v:
                    Scheduled(v.Horizon, v.Style);
                    break;
                case RlAlgo r:
                    Reinforced(r);
                    break;
            }
        }

        /// <summary>RL: one decision per period, at its first step with no child working; the rest is crossed at the horizon.</summary>
        private void Reinforced(RlAlgo r)
        {
            var k = RlExecution.PeriodOf(_s.StartedAt, now, r.Horizon, r.Periods);
            if (k >= r.Periods)
            {
                CancelOpen(c => c.Rests, "horizon reached");
                if (!_s.HasOpenChildren && _s.Unassigned > 0) Cross(_s.Unassigned, r.Periods, "horizon reached: cross the rest");
                return;
            }
            if (_s.RlPeriodDecided >= k) return;
            CancelOpen(c => c.Rests, $"period {k + 1} of {r.Periods}");
            if (_s.HasOpenChildren || _s.Unassigned <= 0) return; // the venue closes them first: they may still fill
            var seen = RlExecution.Observe(_s, now, quote, r.Horizon);
            var action = (rlChoice ?? r.Policy.Act)(seen);
            Emit(new RlDecided(_s.ParentId, now, k, action, seen));
            var qty = RlExecution.SliceQty(_s.Unassigned, k, r.Periods, _s.Instrument);
            var price = quote.PassivePrice(_s.Parent.Side, _s.Instrument, _s.Parent.Price);
            if (action == RlAction.Cross || (action == RlAction.Post && price is null))
                Cross(qty, k, $"rl period {k + 1} of {r.Periods}: cross");
            else if (action == RlAction.Post)
                Send(qty, k, OrderType.Limit, TimeInForce.PostOnly, price, $"rl period {k + 1} of {r.Periods}: post at the touch");
        }

        /// <summary>Limit and iceberg: one child at a time, at the touch (or the parent's price), re-priced when the touch moved away.</summary>
        private void Passive(TimeSpan repriceAfter, bool reprice, decimal? visible)
        {
            var limit = _s.Parent.Price;
            var atParentPrice = visible is not null && limit is not null;
            var price = atParentPrice ? limit : quote.PassivePrice(_s.Parent.Side, _s.Instrument, limit);
            if (price is not { } p) return;
            var open = _s.OpenChildren.FirstOrDefault();
            if (open is not null)
            {
                if (reprice && !open.CancelRequested && now - open.SentAt >= repriceAfter && open.Price != p)
                    Emit(new SliceCancelRequested(_s.ParentId, open.Id, now, $"re-price: the touch moved from {open.Price} to {p}"));
                return;
            }
            var unassigned = _s.Unassigned;
            if (unassigned <= 0) return;
            var qty = unassigned;
            if (visible is { } v)
            {
                qty = Math.Min(_s.Instrument.FloorQty(v), unassigned);
                // Never leave a rest too small to send on its own.
                if (unassigned - qty < _s.Instrument.MinQty) qty = unassigned;
            }
            var why = visible is null ? $"post at the touch {p}" : $"show {qty} of {_s.Remaining} at {p}";
            Send(qty, 0, OrderType.Limit, atParentPrice ? TimeInForce.GoodTillCancel : TimeInForce.PostOnly, p, why);
        }

        /// <summary>TWAP and VWAP: work each plan slice from its due time; catch up at the next slice; cross the rest at the horizon.</summary>
        private void Scheduled(TimeSpan horizon, SliceStyle style)
        {
            var plan = _s.Plan;
            if (now >= _s.StartedAt + horizon)
            {
                CancelOpen(c => c.Rests, "horizon reached");
                if (!_s.HasOpenChildren && _s.Unassigned > 0)
                    Cross(_s.Unassigned, plan.Count, "horizon reached: cross the rest");
                return;
            }
            var k = -1;
            while (k + 1 < plan.Count && plan[k + 1].Due <= now) k++;
            if (k < 0) return;
            var started = _s.Children.IsEmpty ? -1 : _s.Children.Max(c => c.Slice);
            var passivePrice = quote.PassivePrice(_s.Parent.Side, _s.Instrument, _s.Parent.Price);
            var aggressive = style == SliceStyle.Aggressive || passivePrice is null;
            if (k > started)
            {
                CancelOpen(c => c.Rests, $"slice {k + 1} of {plan.Count} is due");
                if (_s.HasOpenChildren) return; // wait until the venue closed them: they may still fill
                var deficit = Math.Max(0m, Cumulative(k - 1) - _s.Filled);
                var sliceQty = Math.Min(plan[k].Qty, _s.Remaining - deficit);
                if (aggressive)
                {
                    Cross(deficit + sliceQty, k, $"slice {k + 1} of {plan.Count}" + (deficit > 0 ? $" with {deficit} behind schedule" : ""));
                    return;
                }
                var min = _s.Instrument.MinQty;
                if (deficit > 0 && deficit < min) (sliceQty, deficit) = (sliceQty + deficit, 0m);
                if (sliceQty > 0 && sliceQty < min) (deficit, sliceQty) = (deficit + sliceQty, 0m);
                if (deficit > 0) Cross(deficit, k, $"catch up: {deficit} behind schedule at slice {k + 1}");
                if (sliceQty > 0) Send(sliceQty, k, OrderType.Limit, TimeInForce.PostOnly, passivePrice, $"slice {k + 1} of {plan.Count} at the touch");
                return;
            }
            var target = Cumulative(k) - _s.Filled - _s.Working;
            if (target <= 0 || _s.HasOpenChildren) return;
            if (aggressive) Cross(target, k, $"slice {k + 1}: send again what was not filled");
            else Send(target, k, OrderType.Limit, TimeInForce.PostOnly, passivePrice, $"slice {k + 1}: post again at the touch");
        }

        private decimal Cumulative(int k)
        {
            decimal sum = 0;
            for (var i = 0; i <= k && i < _s.Plan.Count; i++) sum += _s.Plan[i].Qty;
            return Math.Min(sum, _s.Parent.Qty);
        }

        private void CancelOpen(Func<ChildSlice, bool> which, string reason)
        {
            foreach (var c in _s.OpenChildren.Where(c => !c.CancelRequested && which(c)).ToList())
                Emit(new SliceCancelRequested(_s.ParentId, c.Id, now, reason));
        }

        /// <summary>Take liquidity now: a market order, or an immediate-or-cancel limit at the parent's limit price.</summary>
        private void Cross(decimal qty, int slice, string why)
        {
            if (_s.Parent.Price is { } limit) Send(qty, slice, OrderType.Limit, TimeInForce.ImmediateOrCancel, limit, why);
            else Send(qty, slice, OrderType.Market, TimeInForce.ImmediateOrCancel, null, why);
        }

        private void Send(decimal qty, int slice, OrderType type, TimeInForce tif, decimal? price, string why)
        {
            qty = Math.Min(qty, _s.Unassigned);
            if (qty <= 0) return;
            if (_s.RetryAt is { } retry && now < retry) return; // backing off after a refusal
            var n = _s.Children.Count + 1;
            Emit(new SliceSent(_s.ParentId, n, new ClientOrderId($"{_s.ParentId.Value}-{n}"), slice, type, tif, qty, price, now, why));
        }
    }
}
