using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Hean.Actors.Common;
using Hean.Actors.Execution;
using Hean.Actors.Monitoring;
using Hean.Actors.Orders;
using Hean.Actors.Portfolio;
using Hean.Bybit.Mapping;
using Hean.Bybit.Rest;
using Hean.Bybit.Rest.Models;
using Hean.Bybit.WebSocket;
using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.Execution;
using Hean.Core.MarketData;
using Hean.Core.Orders;
using Hean.Core.Venues;
using static Hean.Actors.Execution.ExecutionProtocol;

namespace Hean.Venues.Bybit;

/// <summary>
/// The door to Bybit, speaking the same protocol as the simulated gateway. Orders go out through the venue port
/// (<see cref="IVenueClient"/>, here <see cref="BybitVenueClient"/> over REST), persisted as Submitted first; what
/// happened to them comes back on the private stream (order and execution topics) and goes to the order manager, which
/// drops duplicates. Places, cancels and amends run off the mailbox (one symbol's places one after the other; a cancel or
/// amend leaves after its order's place and the change of it before, each with its request to the order manager and the
/// look-up after it; cancel-all and Sync first take the answers of everything in flight), so market data, reports and
/// other orders are not held up by Bybit's answer; only their outcomes are applied on the mailbox. An ambiguous create (timeout, disconnect) leaves the order in flight: the streams or reconciliation
/// settle it, never a guess. Reconciliation (on start, after the private stream reconnects, periodically) fetches the
/// venue's view off this actor's mailbox (<see cref="VenueReconciler"/>, a task whose result comes back as one message),
/// so market data and orders are handled while REST pages are read; the view is then applied here in one handler
/// (<see cref="VenueReconciliation.Decide"/>). The pass at start runs before any command is taken.
/// </summary>
public sealed class BybitGateway : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    private readonly IVenueClient _venue;
    private readonly BybitPrivateStream? _private;
    private readonly IActorRef _orders;
    private readonly IActorRef _portfolio;
    private readonly HeanTimeouts _timeouts;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<Symbol, OrderBook> _books = new();
    private readonly PendingMarks _marks = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly DateTime _startedAt = DateTime.UtcNow;
    private readonly VenueMarketState _market;
    private readonly BybitGatewaySettings _settings;
    private DateTime _lastMarketTime;
    private DateTime? _lastExecTime;
    private readonly VenueBreaker _breaker;
    private readonly HashSet<ClientOrderId> _adoptionTried = [];
    private readonly Dictionary<ClientOrderId, int> _notFound = new();
    private readonly BybitPositionLegs _legs;
    private string? _problem;
    private string? _streamStopped;
    private int _failedPasses;
    private long _catchUps;
    private bool _passRunning;
    private (string Why, bool Confirm)? _passQueued;
    // Places whose REST call is under way (off the mailbox), by order, in the order they were sent; and each symbol's last.
    private readonly Dictionary<ClientOrderId, (long Seq, Task<Placed> Task)> _placing = new();
    private readonly Dictionary<Symbol, Task> _placeTail = new();
    private long _sentSeq; // places and changes, in the order they were sent
    // Cancels and amends under way off the mailbox (the order manager's request, the REST call, the look-up after it), one
    // per order at a time; and the commands that wait for an order's place or change before them, in the order they came.
    private readonly Dictionary<ClientOrderId, (long Seq, Task<Changed> Task)> _changing = new();
    private readonly Dictionary<ClientOrderId, Queue<(object Command, IActorRef Sender)>> _waiting = new();

    public IStash Stash { get; set; } = null!;

    public BybitGateway(BybitRestClient rest, BybitPrivateStream? privateStream, IActorRef orders, IActorRef portfolio, HeanTimeouts timeouts)
        : this(rest, privateStream, orders, portfolio, timeouts, BybitGatewaySettings.Default)
    {
    }

    public BybitGateway(BybitRestClient rest, BybitPrivateStream? privateStream, IActorRef orders, IActorRef portfolio, HeanTimeouts timeouts,
        BybitGatewaySettings settings, BybitPositionLegs? legs = null)
        : this(new BybitVenueClient(rest, legs ??= new BybitPositionLegs()), legs, privateStream, orders, portfolio, timeouts, settings)
    {
    }

    /// <param name="legs">The hedge-mode legs the venue client names orders by; the position topic keeps them current.</param>
    public BybitGateway(IVenueClient venue, BybitPositionLegs legs, BybitPrivateStream? privateStream, IActorRef orders, IActorRef portfolio,
        HeanTimeouts timeouts, BybitGatewaySettings settings)
    {
        (_venue, _legs, _private, _orders, _portfolio, _timeouts, _settings) = (venue, legs, privateStream, orders, portfolio, timeouts, settings);
        _market = new VenueMarketState(_books.GetValueOrDefault);
        _breaker = new VenueBreaker(settings.Breaker, "bybit")
        {
            Changed = (from, to, why) => _log.Warning("Bybit circuit breaker {0} → {1}: {2}", from, to, why),
        };
        // Starting: the first pass is fetched and applied before any command is taken (they wait in the stash).
        Receive<Reconcile>(_ =>
        {
            if (!StartPass("start", confirm: false)) BecomeReady();
        });
        ReceiveAsync<VenueFetched>(async m =>
        {
            await ApplyPassAsync(m);
            // A disagreement found at start is confirmed (or not) before the first command.
            if (!_passRunning) BecomeReady();
        });
        Receive<PassFailed>(m =>
        {
            PassDone(m);
            BecomeReady();
        });
        ReceiveAny(_ => Stash.Stash());
    }

    public ITimerScheduler Timers { get; set; } = null!;

    protected override void PreStart()
    {
        Self.Tell(Reconcile.Instance);
        if (_private is null) return;
        var self = Self;
        var stop = _stop.Token;
        _ = Task.Run(async () =>
        {
            try
            {
                await foreach (var message in _private.Messages.ReadAllAsync(stop)) self.Tell(new VenueMessage(message));
            }
            catch (OperationCanceledException)
            {
            }
        }, stop);
    }

    protected override void PostStop() => _stop.Cancel();

    private void BecomeReady()
    {
        Become(Ready);
        Stash.UnstashAll();
        if (_settings.ReconcileEvery > TimeSpan.Zero && !Timers.IsTimerActive("reconcile"))
            Timers.StartPeriodicTimer("reconcile", Periodic.Instance, _settings.ReconcileEvery);
    }

    /// <summary>
    /// Starts one reconciliation pass (on start, after the private stream reconnected, periodically, to confirm a position
    /// disagreement): the venue's view is fetched by a task, off this mailbox, and comes back as one message. One pass at a
    /// time; a pass asked for meanwhile runs after it. False when none started (the IP is banned: it runs after the ban).
    /// </summary>
    private bool StartPass(string why, bool confirm)
    {
        if (_passRunning)
        {
            // A confirmation outranks a routine pass; either way one more pass runs after this one.
            _passQueued = confirm || _passQueued is null ? (why, confirm) : _passQueued;
            return true;
        }
        if (_venue.BannedUntil is { } banned)
        {
            // No HTTP during an IP ban (https://bybit-exchange.github.io/docs/v5/rate-limit): the pass runs once it is over.
            if (Timers.IsTimerActive("reconcile-after-ban")) return false;
            _log.Warning("Bybit reconciliation ({0}) postponed: the IP is banned until {1:HH:mm:ss} UTC", why, banned);
            Timers.StartSingleTimer("reconcile-after-ban", new CatchUp(why), banned - DateTime.UtcNow + TimeSpan.FromSeconds(1));
            return false;
        }
        _passRunning = true;
        var (orders, timeouts, lastSeen) = (_orders, _timeouts, _lastExecTime);
        var settings = new ReconcileFetchSettings(_settings.CatchUpMargin, _settings.MaxCatchUp,
            why == "start" ? TimeSpan.Zero : _settings.InFlightCheckDelay, _settings.CheckPositions);
        var tried = _adoptionTried.ToHashSet();
        VenueReconciler.FetchAsync(_venue, settings, () => BooksAsync(orders, timeouts, lastSeen), id => KnownAsync(orders, timeouts, id), tried, _stop.Token)
            .PipeTo(Self, success: view => new VenueFetched(why, confirm, view), failure: e => new PassFailed(why, confirm, e));
        return true;
    }

    /// <summary>Our books at a pass's start. After a restart nothing was seen yet: the last fill in our books says where to resume.</summary>
    private static async Task<BooksAtStart> BooksAsync(IActorRef orders, HeanTimeouts timeouts, DateTime? lastSeen)
    {
        var open = (await orders.Ask<OrdersProtocol.OpenOrders>(new OrdersProtocol.GetOpenOrders(), timeouts.Ask)).Orders;
        var awaiting = (await orders.Ask<OrdersProtocol.OpenOrders>(new OrdersProtocol.GetOrdersAwaitingFills(), timeouts.Ask)).Orders;
        lastSeen ??= (await orders.Ask<OrdersProtocol.LastFill>(new OrdersProtocol.GetLastFill(), timeouts.Ask)).Time;
        return new BooksAtStart(open, awaiting, lastSeen);
    }

    private static async Task<bool> KnownAsync(IActorRef orders, HeanTimeouts timeouts, ClientOrderId id) =>
        (await orders.Ask<OrdersProtocol.OrderView>(new OrdersProtocol.GetOrder(id), timeouts.Ask)).Order is not null;

    /// <summary>The pass is over (applied or failed): the one asked for meanwhile starts.</summary>
    private void PassDone(PassFailed? failed)
    {
        _passRunning = false;
        if (failed is not null)
        {
            HeanMetrics.Reconciliations.WithLabels(failed.Why, "failed").Inc();
            // Not left to the periodic pass (fills missed while we were away must reach the books soon), but backing off:
            // a pass that keeps failing must not become a storm of requests (which is what gets an IP banned).
            var wait = TimeSpan.FromTicks(Math.Min(_settings.RetryAfterFailure.Ticks << Math.Min(_failedPasses++, 6), TimeSpan.FromMinutes(1).Ticks));
            _log.Error("Bybit reconciliation ({0}) failed, trying again in {1}: {2}", failed.Why, wait, failed.Cause.GetBaseException().Message);
            Timers.StartSingleTimer("reconcile-retry", new CatchUp(failed.Why == "start" ? "start" : "retry"), wait);
        }
        if (_passQueued is { } next)
        {
            _passQueued = null;
            StartPass(next.Why, next.Confirm);
        }
    }

    /// <summary>
    /// One reconciliation pass applied: the view fetched (executions since the last one seen, the venue's open orders, one
    /// look-up per order of ours it does not list, positions) against our books as they are now. Every report carries the
    /// venue's ids (execId, orderLinkId), so the order manager drops what it already has: a second pass changes nothing.
    /// Positions that still disagree on a confirming pass make the gateway refuse new orders (health unhealthy).
    /// </summary>
    private async Task ApplyPassAsync(VenueFetched m)
    {
        var (why, view) = (m.Why, m.View);
        try
        {
            var discrepancies = 0;
            if (view.Clamped)
                _log.Info("Bybit execution catch-up reaches back only {0:0} days, from {1:O}: older fills are found through their orders",
                    _settings.MaxCatchUp.TotalDays, view.Since);
            if (view.Books.LastExecution is { } last) Seen(last);
            ForwardFills(view.Executions);
            ForwardFills(view.OrderExecutions);
            await BookVenueInitiatedAsync(view.Executions, "catch-up");
            foreach (var adoption in view.Adoptions) await ApplyAdoptionAsync(adoption, "catch-up");
            _catchUps++;
            if (view.Open is not { } open)
            {
                _log.Warning("Bybit reconciliation ({0}): open orders not available ({1}); the next pass tries again", why, view.OpenError);
                PassDone(null);
                return;
            }

            // Our books now: orders may have been placed, filled or adopted while the view was fetched.
            var ours = (await _orders.Ask<OrdersProtocol.OpenOrders>(new OrdersProtocol.GetOpenOrders(), _timeouts.Ask)).Orders;
            var decision = VenueReconciliation.Decide(open, ours, view.Lookups, why == "start" ? _startedAt : null);
            foreach (var state in decision.States) Forward(state);
            foreach (var unknown in decision.UnknownAtVenue)
            {
                // Closed in our books while the view was fetched: ours, and the state just forwarded settles it.
                if (await KnownAsync(_orders, _timeouts, unknown.Id)) continue;
                // Open at the venue but not ours: placed by hand, or ours from before what the journal keeps. Adopted as an
                // external order, so our open orders and (through its fills) our positions follow the venue's; the state and
                // fills forwarded above were held by the order manager until the order exists there.
                discrepancies++;
                HeanMetrics.ReconciliationDiscrepancies.WithLabels(VenueDiscrepancy.UnknownAtVenue).Inc();
                var created = unknown.AsExternal;
                var answer = created is null ? null : await _orders.Ask(new OrdersProtocol.RegisterOrder(created), _timeouts.Ask);
                if (answer is OrdersProtocol.OrderRegistered)
                {
                    _log.Warning("Bybit reconciliation ({0}): order {1} was open at the venue but not in our books: adopted as external ({2} {3} {4} @ {5})",
                        why, unknown.Id, created!.Request.Side, created.Request.Qty, created.Request.Symbol, created.Request.Price?.ToString() ?? "market");
                    Forward(unknown.Report);
                }
                else
                    _log.Warning("Bybit reconciliation ({0}): order {1} is open at the venue but not open in our books and cannot be adopted ({2})",
                        why, unknown.Id, answer is OrdersProtocol.OrderRefused r ? r.Reason : "not an order we can track");
            }
            // Registered but never marked Submitted before the restart: it was never sent.
            foreach (var neverSent in decision.NeverSent) Forward(neverSent);
            // Orders no longer open in our books leave the not-found count.
            var stillOpen = ours.Select(o => o.Id).ToHashSet();
            foreach (var gone in _notFound.Keys.Where(k => !stillOpen.Contains(k)).ToList()) _notFound.Remove(gone);
            var current = ours.ToDictionary(o => o.Id);
            foreach (var lookup in decision.ToSettle)
                if (ApplyLookup(current[lookup.AtStart.Id], lookup.Lookup, lookup.Executions, why)) discrepancies++;

            var mismatch = await ComparePositionsAsync(view.Positions);
            if (mismatch.Count > 0 && !m.Confirm)
            {
                // A fill may be on its way (on the stream, or made while the view was fetched): one more pass before calling
                // it a disagreement.
                _log.Info("Bybit reconciliation ({0}): positions differ ({1}); confirming with another pass", why, string.Join("; ", mismatch));
                _passQueued = (why, true);
            }
            else if (mismatch.Count > 0)
            {
                discrepancies += mismatch.Count;
                foreach (var _ in mismatch) HeanMetrics.ReconciliationDiscrepancies.WithLabels(VenueDiscrepancy.PositionMismatch).Inc();
                _problem = "positions disagree with Bybit, new orders refused: " + string.Join("; ", mismatch);
                _log.Error("Bybit reconciliation ({0}): {1}", why, _problem);
            }
            else if (_problem is not null && view.Positions is not null)
            {
                _log.Info("Bybit reconciliation ({0}): positions agree again; orders accepted", why);
                _problem = null;
            }
            _failedPasses = 0;
            HeanMetrics.Reconciliations.WithLabels(why, discrepancies == 0 ? "clean" : "discrepancies").Inc();
            _log.Info("Bybit reconciliation ({0}): {1} open at the venue, {2} of ours open, {3} discrepancies", why, open.Count, ours.Count, discrepancies);
            PassDone(null);
        }
        catch (Exception e)
        {
            PassDone(new PassFailed(why, m.Confirm, e));
        }
    }

    /// <summary>Fills of orders (ours, or placed by hand), oldest first; the order manager drops those it has.</summary>
    private void ForwardFills(IEnumerable<VenueExecution> executions)
    {
        foreach (var e in executions)
        {
            Seen(e.Time);
            if (e.IsOrderFill) Forward(e.Fill);
        }
    }

    /// <summary>
    /// An order found through its execution while our books do not know it (a market order placed by hand that filled at
    /// once, so no pass ever saw it open): adopted as external, and the order manager then applies the fills it held for
    /// it, so our positions follow the venue's. An id we used before (an old order of ours no longer in memory) is refused
    /// by the order manager and changes nothing.
    /// </summary>
    private async Task ApplyAdoptionAsync(Adoption a, string why)
    {
        // Looked up once, unless the venue did not answer: the next execution or catch-up tries again.
        if (!a.Lookup.Answered || _adoptionTried.Contains(a.Key.Id)) return;
        if (_adoptionTried.Count > 10_000) _adoptionTried.Clear();
        _adoptionTried.Add(a.Key.Id);
        if (await KnownAsync(_orders, _timeouts, a.Key.Id)) return;
        if (a.Lookup.Found?.AsExternal is not { } created)
        {
            _log.Warning("Bybit ({0}): an execution of order {1}, unknown to our books, and the order cannot be found or adopted", why, a.Key.Id);
            return;
        }
        var answer = await _orders.Ask(new OrdersProtocol.RegisterOrder(created), _timeouts.Ask);
        if (answer is not OrdersProtocol.OrderRegistered)
        {
            _log.Warning("Bybit ({0}): order {1} executed at the venue but cannot be adopted ({2})", why, a.Key.Id,
                answer is OrdersProtocol.OrderRefused r ? r.Reason : answer.GetType().Name);
            return;
        }
        HeanMetrics.ReconciliationDiscrepancies.WithLabels(VenueDiscrepancy.UnknownAtVenue).Inc();
        _log.Warning("Bybit ({0}): order {1} executed at the venue without being in our books: adopted as external ({2} {3} {4} @ {5})",
            why, a.Key.Id, created.Request.Side, created.Request.Qty, created.Request.Symbol, created.Request.Price?.ToString() ?? "market");
        // Its fills: those held since they arrived, and any the order manager never got.
        ForwardFills(a.Executions);
        Forward(a.Lookup.Found.Report);
    }

    /// <summary>
    /// What the venue did to our account on its own: auto-deleveraging and liquidations become filled orders of the
    /// venue's (so positions follow the venue's), funding settlements go to the portfolio's cash. Each once: the order
    /// manager drops a fill it has, the portfolio a settlement it has.
    /// </summary>
    private async Task BookVenueInitiatedAsync(IEnumerable<VenueExecution> executions, string why)
    {
        foreach (var e in executions)
        {
            if (e.Funding is { } funding)
            {
                _portfolio.Tell(new PortfolioProtocol.BookFunding(funding));
                continue;
            }
            if (e.VenueInitiated is not { } created || e.Fill is not { } fill) continue;
            if (!await KnownAsync(_orders, _timeouts, created.ClientOrderId))
            {
                if (await _orders.Ask(new OrdersProtocol.RegisterOrder(created), _timeouts.Ask) is not OrdersProtocol.OrderRegistered) continue;
                var what = created.Origin == "venue:liquidation" ? "liquidation" : "auto-deleveraging";
                _log.Warning($"Bybit ({why}): {what} of our position: {fill.Fill.Side} {fill.Fill.Qty} {fill.Symbol} at {fill.Fill.Price}, booked as {created.ClientOrderId}");
            }
            Forward(fill);
        }
    }

    /// <summary>
    /// One targeted look-up (open or recently closed, then history) for an order of ours the venue does not list as open,
    /// fetched and applied at once: for the cancel, amend and in-flight paths, where one order is at stake.
    /// </summary>
    private async Task<bool> SettleByQueryAsync(OrderState o, string why)
    {
        var (lookup, fills) = await LookUpAsync(_venue, o);
        return ApplyLookup(o, lookup, fills, why);
    }

    /// <summary>
    /// A look-up of an order of ours the venue does not list as open. Found: its executions and its state become reports.
    /// Not found: it never reached the venue (after the venue said so consistently for long enough). No answer: it stays in
    /// flight for the next pass. True when our books had it wrong.
    /// </summary>
    private bool ApplyLookup(OrderState o, VenueLookup lookup, IReadOnlyList<VenueExecution> fills, string why)
    {
        if (!lookup.Answered)
        {
            // Unknown: stays in flight, and is asked about again.
            if (o.Status == OrderStatus.Submitted) Timers.StartSingleTimer("inflight-" + o.Id.Value, new CheckInFlight(o.Id), _settings.InFlightCheckDelay);
            return false;
        }
        if (lookup.Found is not { } found)
        {
            // Only an order never acknowledged can have never been placed; and only after the venue said so consistently
            // for longer than its order history may lag (a market order that filled a moment ago is in no list yet).
            var count = _notFound[o.Id] = _notFound.GetValueOrDefault(o.Id) + 1;
            var now = _venue.Now;
            if (o.Status != OrderStatus.Submitted && VenueReconciliation.TakenAsNeverPlaced(o.UpdatedAt, count, now, _settings.NotFoundPeriod))
            {
                // Acknowledged once, unknown in every list since: not something to conclude alone. Said once, loudly;
                // the position check and the operator decide.
                if (count == 2 || count % 100 == 0)
                {
                    HeanMetrics.ReconciliationDiscrepancies.WithLabels(VenueDiscrepancy.MissingAtVenue).Inc();
                    _log.Error("Bybit reconciliation ({0}): {1} ({2}) was acknowledged but is in none of the venue's lists ({3} answers)", why, o.Id, o.Status, count);
                }
                return false;
            }
            if (o.Status != OrderStatus.Submitted || !VenueReconciliation.TakenAsNeverPlaced(o.UpdatedAt, count, now, _settings.NotFoundPeriod))
            {
                var again = o.UpdatedAt + _settings.NotFoundPeriod - now;
                if (again < _settings.InFlightCheckDelay) again = _settings.InFlightCheckDelay;
                _log.Info("Bybit ({0}): {1} ({2}) not found at the venue yet ({3} answers); asking again in {4:0.#}s (order history may lag)",
                    why, o.Id, o.Status, count, again.TotalSeconds);
                if (o.Status == OrderStatus.Submitted)
                    Timers.StartSingleTimer("inflight-" + o.Id.Value, new CheckInFlight(o.Id), again);
                return false;
            }
            _notFound.Remove(o.Id);
            HeanMetrics.ReconciliationDiscrepancies.WithLabels(VenueDiscrepancy.MissingAtVenue).Inc();
            _log.Warning("Bybit reconciliation ({0}): {1} is not known at the venue after {2} answers over {3:0}s: never placed",
                why, o.Id, count, (now - o.UpdatedAt).TotalSeconds);
            Forward(new OrderRejectedReport(o.Id, o.Symbol, o.UpdatedAt, $"not found at Bybit ({why}): never placed"));
            return true;
        }
        _notFound.Remove(o.Id);
        BookFound(lookup, fills);
        return false;
    }

    /// <summary>The venue's view of one order we asked about into our books: its executions we lack first (fetched when it executed more), then its state.</summary>
    private async Task BookVenueOrderAsync(OrderState o)
    {
        var (lookup, fills) = await LookUpAsync(_venue, o);
        BookFound(lookup, fills);
    }

    /// <summary>An order the venue has (not found: nothing): the executions we lack first, then its state.</summary>
    private void BookFound(VenueLookup lookup, IReadOnlyList<VenueExecution> fills)
    {
        if (lookup.Found is not { } found) return;
        ForwardFills(fills);
        Forward(found.Report);
    }

    /// <summary>Our positions (after the order manager and the portfolio took the reports) against the venue's, as fetched.</summary>
    private async Task<IReadOnlyList<VenueDiscrepancy>> ComparePositionsAsync(IReadOnlyDictionary<string, decimal>? venue)
    {
        if (!_settings.CheckPositions || venue is null) return [];
        await _orders.Ask<Synced>(Sync.Instance, _timeouts.Ask);
        await _portfolio.Ask<Synced>(Sync.Instance, _timeouts.Ask);
        var view = await _portfolio.Ask<PortfolioProtocol.PortfolioView>(new PortfolioProtocol.GetPortfolio(), _timeouts.Ask);
        var ours = view.State.Positions.ToDictionary(p => p.Key, p => p.Value.Qty);
        // Positions in contracts HEAN does not trade (a manual USDC position, a dated future) are not ours to agree with.
        var theirs = venue.Where(p => _settings.Symbols is not { } traded || traded.Contains(p.Key) || ours.ContainsKey(p.Key))
            .ToDictionary(p => p.Key, p => p.Value);
        return VenueReconciliation.ComparePositions(ours, theirs);
    }

    private void Seen(DateTime execTime)
    {
        if (_lastExecTime is not { } last || execTime > last) _lastExecTime = execTime;
    }

    private void Ready()
    {
        Receive<ApplyMarketData>(m =>
        {
            foreach (var e in m.Events)
            {
                _lastMarketTime = e.Time;
                decimal? mark = e switch
                {
                    BookUpdate u => BookOf(u.Symbol).Apply(u) is BookApplyResult.Applied or BookApplyResult.Snapshot ? BookOf(u.Symbol).Mid : null,
                    Trade t => t.Price,
                    Candle c => c.Close,
                    _ => null,
                };
                _marks.Set(e.Symbol, mark, e.Time);
                _market.Observe(e, mark);
            }
            _marks.FlushTo(_portfolio);
            Sender.Tell(new MarketDataApplied(m.Events.Count, 0));
        });
        Receive<PlaceOrder>(m =>
        {
            var sender = Sender;
            if ((_problem ?? _streamStopped) is { } problem && !m.Order.ReduceOnly)
            {
                // Refused before it is sent: the order manager closes it as never sent (Submitted or not).
                Forward(new OrderRejectedReport(m.Order.ClientOrderId, m.Order.Symbol, m.Time, problem));
                sender.Tell(new PlaceResult(m.Order.ClientOrderId, false, problem));
                return;
            }
            if (!_breaker.AllowsCalls && !m.Order.ReduceOnly)
            {
                // The venue failed us MaxFailures times in a row: no new exposure until a trial succeeds (reduce-only may go).
                var refused = $"Bybit circuit breaker open after {_breaker.Failures} failed calls; trial calls from {_breaker.RetryAt:O}";
                Forward(new OrderRejectedReport(m.Order.ClientOrderId, m.Order.Symbol, m.Time, refused));
                sender.Tell(new PlaceResult(m.Order.ClientOrderId, false, refused));
                return;
            }
            // The REST call runs off the mailbox: market data, reports and other symbols' orders go on while Bybit answers.
            // A symbol's places go out one after the other, as its hedge-mode leg is chosen from the sizes read before each.
            var previous = _placeTail.TryGetValue(m.Order.Symbol, out var tail) ? tail : Task.CompletedTask;
            var seq = ++_sentSeq;
            var placing = PlaceAsync(previous, seq, m, sender, _orders, _timeouts, _venue);
            _placing[m.Order.ClientOrderId] = (seq, placing);
            _placeTail[m.Order.Symbol] = placing;
            placing.PipeTo(Self);
        });
        Receive<Placed>(OnPlaced);
        // A cancel or amend runs off the mailbox too (its request to the order manager, the REST call, the look-up after
        // it); only its outcome is applied here. It leaves after its order's place has its answer, and after the change
        // of the same order before it: the venue sees an order's requests in the order they were made.
        Receive<CancelOrder>(m => Change(m.ClientOrderId, m, Sender));
        Receive<AmendOrder>(m => Change(m.ClientOrderId, m, Sender));
        Receive<Changed>(OnChanged);
        ReceiveAsync<CancelAllOrders>(async m =>
        {
            // The kill switch's cancel: every order working at the venue, ours and any not adopted yet, in batches; only
            // those whose outcome stayed unknown are sent again (by the venue client), and the answer says how many stayed.
            var sender = Sender;
            await SettleAllAsync(); // every place and change in flight has its answer first: no cancel overtakes its order
            var started = Stopwatch.GetTimestamp();
            var ours = (await _orders.Ask<OrdersProtocol.OpenOrders>(new OrdersProtocol.GetOpenOrders(m.Symbol), _timeouts.Ask)).Orders
                .Where(o => o.Status != OrderStatus.New).ToList();
            var keys = ours.Select(VenueOrderKey.Of).ToList();
            if (await _venue.GetOpenOrdersAsync() is { IsOk: true } atVenue)
                keys.AddRange(atVenue.Value!.Where(o => o.Report is not null && (m.Symbol is null || o.Symbol == m.Symbol.Value.Value) && keys.All(k => k.Id != o.Id))
                    .Select(o => new VenueOrderKey(o.Report!.Symbol, o.Id, o.VenueOrderId)));
            if (keys.Count == 0)
            {
                sender.Tell(new CancelAllResult(0, null));
                return;
            }
            var result = await _venue.CancelManyAsync(keys);
            if (result.IpBanned) _breaker.Trip($"cancel all: the IP is banned by Bybit until {_venue.BannedUntil:HH:mm:ss} UTC");
            else _breaker.Record(result.Unknown.Count == 0, Stopwatch.GetElapsedTime(started), $"cancel all: {result.Unknown.Count} unknown");
            // As for one cancel: each closed order as the venue has it, with what it executed before it closed; a refused
            // cancel (closed already) is settled by its query.
            var byId = ours.ToDictionary(o => o.Id);
            foreach (var id in result.Cancelled)
                if (byId.TryGetValue(id, out var o)) await BookVenueOrderAsync(o);
            foreach (var (id, _) in result.Refused)
                if (byId.TryGetValue(id, out var o)) await SettleByQueryAsync(o, "cancel refused");
            string? error = null;
            if (result.Unknown.Count > 0)
            {
                error = $"{result.Unknown.Count} of {keys.Count} orders not known to be cancelled after {result.Requests} requests: "
                        + string.Join(", ", result.Unknown.Take(10).Select(u => $"{u.Id} ({u.Reason})"));
                _log.Error("Bybit cancel all ({0}): {1}", m.Reason, error);
            }
            _log.Info("Bybit cancel all ({0}): {1} cancelled, {2} already closed, {3} unknown, in {4} requests",
                m.Reason, result.Cancelled.Count, result.Refused.Count, result.Unknown.Count, result.Requests);
            sender.Tell(new CancelAllResult(result.Cancelled.Count, error));
        });
        Receive<VenueMessage>(m =>
        {
            switch (m.Message)
            {
                case BybitPositionMessage positions:
                    foreach (var row in positions.Positions) _legs.Observe(row);
                    break;
                case BybitOrderUpdateMessage orders:
                    foreach (var o in orders.Orders) Forward(o.ToReport());
                    break;
                case BybitExecutionMessage { Fast: false } executions:
                    var pushed = executions.Executions.Select(BybitVenueClient.ToVenue).ToList();
                    ForwardFills(pushed);
                    FindAdoptions(pushed);
                    break;
                case BybitPrivateStreamResumed resumed:
                    _log.Warning("Bybit private stream resumed (connection {0}): asking REST for what it may have missed", resumed.Connects);
                    Self.Tell(new CatchUp("reconnect"));
                    break;
                case BybitPrivateStreamStopped stopped:
                    // Without the private stream no fill is heard in time: unhealthy, and no new exposure (reduce-only may go).
                    _streamStopped = $"Bybit private stream stopped ({stopped.Reason}): fills arrive only by polling; new orders refused until restarted with a valid key";
                    _log.Error("{0}", _streamStopped);
                    break;
            }
        });
        ReceiveAsync<Adopt>(async m =>
        {
            await BookVenueInitiatedAsync(m.Executions, "stream");
            foreach (var adoption in m.Adoptions) await ApplyAdoptionAsync(adoption, "stream");
        });
        Receive<CatchUp>(m => StartPass(m.Why, confirm: false));
        Receive<Periodic>(_ => StartPass("periodic", confirm: false));
        ReceiveAsync<VenueFetched>(ApplyPassAsync);
        Receive<PassFailed>(PassDone);
        ReceiveAsync<CheckInFlight>(async m =>
        {
            // A create whose outcome was unknown: after the delay, one targeted query settles it (unless the streams did).
            var view = await _orders.Ask<OrdersProtocol.OrderView>(new OrdersProtocol.GetOrder(m.ClientOrderId), _timeouts.Ask);
            if (view.Order is { Status: OrderStatus.Submitted } order) await SettleByQueryAsync(order, "in-flight check");
        });
        Receive<GetQuote>(m => Sender.Tell(_market.QuoteOf(m.Symbol, _lastMarketTime)));
        Receive<GetMarketConditions>(m => Sender.Tell(new MarketView(_market.QuoteOf(m.Symbol, _lastMarketTime), _market.ConditionsOf(m.Symbol, _lastMarketTime))));
        Receive<GetReconciliationState>(_ => Sender.Tell(new ReconciliationState(_problem ?? _streamStopped, _lastExecTime, _catchUps)));
        Receive<GetVenueState>(_ => Sender.Tell(new VenueState([], new Dictionary<string, decimal>(), _lastMarketTime)));
        Receive<GetCircuitState>(_ =>
        {
            if (_venue.BannedUntil is not null && _breaker.AllowsCalls) _breaker.Trip("the IP is banned by Bybit");
            Sender.Tell(new CircuitState(_breaker.State, _breaker.Failures, _problem ?? _streamStopped ?? BanProblem()));
        });
        // Synced: everything sent before has been handled, places included (their reports are with the order manager).
        ReceiveAsync<Sync>(async _ =>
        {
            var sender = Sender;
            await SettleAllAsync();
            sender.Tell(Synced.Instance);
        });
    }

    /// <summary>
    /// One place, off the mailbox: Submitted persisted first unless the registration did it, then the REST call. Never
    /// throws: a failure comes back in <see cref="Placed.Error"/>.
    /// </summary>
    private static async Task<Placed> PlaceAsync(Task previous, long seq, PlaceOrder m, IActorRef sender, IActorRef orders, HeanTimeouts timeouts, IVenueClient venue)
    {
        await previous.ConfigureAwait(false); // never faults (this method does not)
        var started = Stopwatch.GetTimestamp();
        try
        {
            // Submitted is persisted before Bybit sees the order (with its registration, or here): after a crash the order is
            // looked up by its orderLinkId, never sent again.
            if (!m.Submitted)
                await orders.Ask<Synced>(new OrdersProtocol.MarkSubmitted(m.Order.ClientOrderId, m.Order.Symbol, m.Time), timeouts.Ask).ConfigureAwait(false);
            HeanMetrics.OrderOnTheWire(m.SignalAt);
            started = Stopwatch.GetTimestamp();
            return new Placed(seq, m, sender, await venue.PlaceAsync(m.Order).ConfigureAwait(false), started, null);
        }
        catch (Exception e)
        {
            return new Placed(seq, m, sender, null, started, e.GetBaseException().Message);
        }
    }

    /// <summary>A place's answer, on the mailbox: the breaker counts it, the order manager gets its report, the caller its result.</summary>
    private void OnPlaced(Placed p)
    {
        var order = p.Place.Order;
        // Taken already (a cancel, amend, cancel-all or sync of the same order waited for it): once only.
        if (!_placing.TryGetValue(order.ClientOrderId, out var entry) || entry.Seq != p.Seq) return;
        _placing.Remove(order.ClientOrderId);
        if (_placeTail.TryGetValue(order.Symbol, out var tail) && tail.IsCompleted) _placeTail.Remove(order.Symbol);
        try
        {
            ApplyPlaced(p, order);
        }
        finally
        {
            StartWaiting(order.ClientOrderId); // a cancel or amend that came while it was on its way
        }
    }

    private void ApplyPlaced(Placed p, OrderRequest order)
    {
        if (p.Result is not { } result)
        {
            // Unknown whether it reached Bybit (or Submitted was not confirmed written): the in-flight check settles it.
            _log.Error("Bybit place {0} failed: {1}; left in flight for reconciliation", order.ClientOrderId, p.Error);
            Timers.StartSingleTimer("inflight-" + order.ClientOrderId.Value, new CheckInFlight(order.ClientOrderId), _settings.InFlightCheckDelay);
            p.ReplyTo.Tell(new PlaceResult(order.ClientOrderId, false, $"outcome unknown ({p.Error}); left in flight for reconciliation"));
            return;
        }
        Count(result, p.Started, "place " + order.ClientOrderId);
        // Accepted, or rejected (refused, or rate-limited after the client gave up: the venue never took it); ambiguous:
        // nothing, the order stays in flight until the streams or a query by its id settle it.
        Forward(result.Outcome switch
        {
            VenueOutcome.Ok => new OrderAcceptedReport(order.ClientOrderId, order.Symbol, p.Place.Time, result.Value!),
            VenueOutcome.Rejected or VenueOutcome.RateLimited => new OrderRejectedReport(order.ClientOrderId, order.Symbol, p.Place.Time, result.Detail),
            _ => null,
        });
        if (result.Outcome == VenueOutcome.Ambiguous)
            Timers.StartSingleTimer("inflight-" + order.ClientOrderId.Value, new CheckInFlight(order.ClientOrderId), _settings.InFlightCheckDelay);
        p.ReplyTo.Tell(result.Outcome switch
        {
            VenueOutcome.Ok => new PlaceResult(order.ClientOrderId, true, null),
            VenueOutcome.Ambiguous => new PlaceResult(order.ClientOrderId, false, $"outcome unknown ({result.Kind}: {result.Message}); left in flight for reconciliation"),
            _ => new PlaceResult(order.ClientOrderId, false, result.Detail),
        });
    }

    /// <summary>
    /// Waits for every place, cancel and amend in flight (in the order they were sent; a command that waited for one of
    /// them starts when it is handled, and is waited for too) and handles their outcomes here.
    /// </summary>
    private async Task SettleAllAsync()
    {
        while (_placing.Count > 0 || _changing.Count > 0) // the usual case (every Sync of the feed's barrier): none
        {
            foreach (var task in _placing.Values.OrderBy(p => p.Seq).Select(p => p.Task).ToList()) OnPlaced(await task);
            foreach (var task in _changing.Values.OrderBy(c => c.Seq).Select(c => c.Task).ToList()) OnChanged(await task);
        }
    }

    /// <summary>A cancel or amend: started now, or queued behind its order's place or change in flight.</summary>
    private void Change(ClientOrderId id, object command, IActorRef sender)
    {
        if (_placing.ContainsKey(id) || _changing.ContainsKey(id) || _waiting.ContainsKey(id))
        {
            if (!_waiting.TryGetValue(id, out var queue)) _waiting[id] = queue = new Queue<(object, IActorRef)>();
            queue.Enqueue((command, sender));
            return;
        }
        Start(id, command, sender);
    }

    /// <summary>The next command that waited for <paramref name="id"/>'s place or change, started once neither is in flight.</summary>
    private void StartWaiting(ClientOrderId id)
    {
        if (_placing.ContainsKey(id) || _changing.ContainsKey(id) || !_waiting.TryGetValue(id, out var queue)) return;
        var (command, sender) = queue.Dequeue();
        if (queue.Count == 0) _waiting.Remove(id);
        Start(id, command, sender);
    }

    private void Start(ClientOrderId id, object command, IActorRef sender)
    {
        var seq = ++_sentSeq;
        var task = command switch
        {
            CancelOrder c => CancelAsync(seq, c, sender, c.Time ?? _lastMarketTime, _orders, _timeouts, _venue),
            AmendOrder a => AmendAsync(seq, a, sender, a.Time ?? _lastMarketTime, _orders, _timeouts, _venue),
            _ => throw new ArgumentException($"not a change: {command.GetType().Name}", nameof(command)),
        };
        _changing[id] = (seq, task);
        task.PipeTo(Self);
    }

    /// <summary>
    /// One cancel, off the mailbox: PendingCancel persisted by the order manager before the request leaves (a fill may still
    /// win the race), the REST call, and what the venue has of the order after it. Never throws: a failure comes back in
    /// <see cref="Changed.Error"/>.
    /// </summary>
    private static async Task<Changed> CancelAsync(long seq, CancelOrder m, IActorRef sender, DateTime time, IActorRef orders, HeanTimeouts timeouts, IVenueClient venue)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var request = await orders.Ask<OrdersProtocol.RequestResult>(new OrdersProtocol.RequestCancel(m.ClientOrderId, time, m.Reason, m.Symbol), timeouts.Ask)
                .ConfigureAwait(false);
            if (request.Order is not { } order) return new Changed(seq, m, sender, time, request, null, started, null, [], null);
            started = Stopwatch.GetTimestamp();
            var result = await venue.CancelAsync(VenueOrderKey.Of(order)).ConfigureAwait(false);
            // Taken: its closed order says what executed before (cumExecQty), a fill still on its way on the stream is
            // fetched. Refused ("too late"): its fills and final state settle the race. Ambiguous: the streams or the next
            // pass say.
            var (lookup, fills) = result.Outcome is VenueOutcome.Ok or VenueOutcome.Rejected ? await LookUpAsync(venue, order).ConfigureAwait(false) : (null, []);
            return new Changed(seq, m, sender, time, request, result, started, lookup, fills, null);
        }
        catch (Exception e)
        {
            return new Changed(seq, m, sender, time, null, null, started, null, [], e.GetBaseException().Message);
        }
    }

    /// <summary>One amend, off the mailbox: PendingAmend persisted, the REST call, and what settles an unclear answer. Never throws.</summary>
    private static async Task<Changed> AmendAsync(long seq, AmendOrder m, IActorRef sender, DateTime time, IActorRef orders, HeanTimeouts timeouts, IVenueClient venue)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var request = await orders.Ask<OrdersProtocol.RequestResult>(new OrdersProtocol.RequestAmend(m.ClientOrderId, time, m.Qty, m.Price, m.Symbol), timeouts.Ask)
                .ConfigureAwait(false);
            if (!request.Accepted || request.Order is not { } order) return new Changed(seq, m, sender, time, request, null, started, null, [], null);
            started = Stopwatch.GetTimestamp();
            var result = await venue.AmendAsync(VenueOrderKey.Of(order), m.Qty, m.Price).ConfigureAwait(false);
            VenueLookup? lookup = null;
            IReadOnlyList<VenueExecution> fills = [];
            if (result.Outcome == VenueOutcome.Ambiguous)
            {
                // Unknown: one targeted query says whether the venue has the new terms.
                var open = await venue.GetOpenOrderAsync(VenueOrderKey.Of(order)).ConfigureAwait(false);
                lookup = new VenueLookup(open.IsOk ? open.Value : null, open.IsOk && open.Value is not null);
            }
            else if (result.Outcome == VenueOutcome.Rejected)
                (lookup, fills) = await LookUpAsync(venue, order).ConfigureAwait(false);
            return new Changed(seq, m, sender, time, request, result, started, lookup, fills, null);
        }
        catch (Exception e)
        {
            return new Changed(seq, m, sender, time, null, null, started, null, [], e.GetBaseException().Message);
        }
    }

    /// <summary>What the venue has of one order of ours: the order (open, recently closed, or in its history) and, when it executed more than our books say, its executions.</summary>
    private static async Task<(VenueLookup, IReadOnlyList<VenueExecution>)> LookUpAsync(IVenueClient venue, OrderState o)
    {
        var key = VenueOrderKey.Of(o);
        var lookup = await venue.FindOrderAsync(key).ConfigureAwait(false);
        if (lookup.Found is { } found && found.CumExecQty > o.FilledQty && await venue.GetExecutionsAsync(key).ConfigureAwait(false) is { IsOk: true } f)
            return (lookup, f.Value!);
        return (lookup, []);
    }

    /// <summary>A cancel's or amend's outcome, on the mailbox: the breaker counts the call, the order manager gets the reports, the caller its answer.</summary>
    private void OnChanged(Changed c)
    {
        var id = c.Id;
        // Taken already (a Sync or cancel-all waited for it): once only.
        if (!_changing.TryGetValue(id, out var entry) || entry.Seq != c.Seq) return;
        _changing.Remove(id);
        try
        {
            if (c.Command is CancelOrder cancel) ApplyCancel(cancel, c);
            else ApplyAmend((AmendOrder)c.Command, c);
        }
        finally
        {
            StartWaiting(id);
        }
    }

    private void ApplyCancel(CancelOrder m, Changed c)
    {
        if (c.Error is { } error)
        {
            _log.Error("Bybit cancel {0} failed: {1}", m.ClientOrderId, error);
            c.ReplyTo.Tell(new CancelResult(m.ClientOrderId, false, $"cancel failed: {error}"));
            return;
        }
        if (c.Request?.Order is not { } order || c.Result is not { } result)
        {
            c.ReplyTo.Tell(new CancelResult(m.ClientOrderId, false, "unknown order"));
            return;
        }
        Count(result, c.Started, "cancel " + m.ClientOrderId);
        switch (result.Outcome)
        {
            case VenueOutcome.Ok:
                // Never a blind "cancelled": it could overtake a fill, and the rest would look free to send again.
                // Unanswered: PendingCancel until the order stream or the next pass says.
                if (c.Lookup is { } lookup) BookFound(lookup, c.Fills);
                break;
            case VenueOutcome.Rejected:
                // "Too late": an order still working there leaves PendingCancel once its fills and state are booked.
                ApplyLookup(order, c.Lookup!, c.Fills, "cancel refused");
                Forward(new CancelRejectedReport(m.ClientOrderId, order.Symbol, c.Time, result.Detail));
                break;
            // Ambiguous: stays PendingCancel; the streams or the next reconciliation pass settle it.
        }
        c.ReplyTo.Tell(new CancelResult(m.ClientOrderId, result.IsOk, result.IsOk ? null : $"{result.Kind}: {result.Message}"));
    }

    private void ApplyAmend(AmendOrder m, Changed c)
    {
        if (c.Error is { } error)
        {
            _log.Error("Bybit amend {0} failed: {1}", m.ClientOrderId, error);
            c.ReplyTo.Tell(new AmendResult(m.ClientOrderId, false, $"amend failed: {error}"));
            return;
        }
        if (c.Request is not { Accepted: true, Order: { } order } || c.Result is not { } result)
        {
            c.ReplyTo.Tell(new AmendResult(m.ClientOrderId, false, c.Request?.Order is { } o
                ? $"order {o.Id} cannot be amended while {o.Status.ToString().ToLowerInvariant()} (only resting limit orders, above the filled quantity)"
                : "unknown order"));
            return;
        }
        Count(result, c.Started, "amend " + m.ClientOrderId);
        var qty = m.Qty ?? order.Request.Qty;
        var price = m.Price ?? order.Request.Price;
        var amended = result.IsOk;
        if (result.Outcome == VenueOutcome.Ambiguous)
        {
            if (c.Lookup?.Found is not { } atVenue)
            {
                c.ReplyTo.Tell(new AmendResult(m.ClientOrderId, false, $"outcome unknown ({result.Message}); left PendingAmend for reconciliation"));
                return;
            }
            amended = atVenue.Qty == qty && atVenue.Price == price;
        }
        if (amended)
            Forward(new OrderAmendedReport(m.ClientOrderId, order.Symbol, c.Time, qty, price));
        else
        {
            if (result.Outcome == VenueOutcome.Rejected) ApplyLookup(order, c.Lookup!, c.Fills, "amend refused");
            Forward(new AmendRejectedReport(m.ClientOrderId, order.Symbol, c.Time, result.Detail));
        }
        c.ReplyTo.Tell(new AmendResult(m.ClientOrderId, amended, amended ? null : result.Detail));
    }

    private OrderBook BookOf(Symbol symbol)
    {
        if (!_books.TryGetValue(symbol, out var book)) _books[symbol] = book = new OrderBook(symbol);
        return book;
    }

    /// <summary>
    /// One trading call into the breaker: a call whose outcome could not be known (timeout, dropped connection, 5xx after the
    /// REST client's retries of what is safe) is a failure; an answer, even a refusal, shows the venue working.
    /// </summary>
    private void Count<T>(VenueResult<T> result, long started, string what)
    {
        // An IP ban is no answer that shows the venue working: it opens the breaker at once.
        if (result.IpBanned) _breaker.Trip($"{what}: the IP is banned by Bybit until {_venue.BannedUntil:HH:mm:ss} UTC");
        else _breaker.Record(result.Outcome != VenueOutcome.Ambiguous, Stopwatch.GetElapsedTime(started), $"{what}: {result.Outcome}");
    }

    /// <summary>
    /// Executions pushed for orders our books may not know (placed by hand, filled at once): looked up off the mailbox, the
    /// adoptions come back as one message. Funding and what the venue did on its own are booked with them.
    /// </summary>
    private void FindAdoptions(IReadOnlyList<VenueExecution> executions)
    {
        var (orders, timeouts) = (_orders, _timeouts);
        VenueReconciler.FindAdoptionsAsync(_venue, executions, id => KnownAsync(orders, timeouts, id), _adoptionTried.ToHashSet(), _stop.Token)
            .PipeTo(Self, success: found => new Adopt(executions, found), failure: e =>
            {
                // The next catch-up looks again: these executions are after the last pass's start.
                _log.Warning("Bybit: looking up the orders of pushed executions failed: {0}", e.GetBaseException().Message);
                return new Adopt(executions, []);
            });
    }

    /// <summary>The IP ban as a health problem, while it lasts.</summary>
    private string? BanProblem() => _venue.BannedUntil is { } until
        ? $"Bybit banned this IP (HTTP 403 / 10018): no request until {until:HH:mm:ss} UTC, new orders refused"
        : null;

    private void Forward(ExecutionReport? report)
    {
        if (report is not null) _orders.Tell(new OrdersProtocol.ApplyReport(report));
    }

    private sealed record Reconcile
    {
        public static Reconcile Instance { get; } = new();
    }

    private sealed record VenueMessage(BybitMessage Message);

    private sealed record CatchUp(string Why);

    private sealed record Adopt(IReadOnlyList<VenueExecution> Executions, IReadOnlyList<Adoption> Adoptions);

    private sealed record VenueFetched(string Why, bool Confirm, VenueView View);

    private sealed record PassFailed(string Why, bool Confirm, Exception Cause);

    private sealed record CheckInFlight(ClientOrderId ClientOrderId);

    /// <summary>
    /// A cancel's or amend's outcome: the order manager's answer to the request, the venue's answer, what it has of the order
    /// after (a look-up, with the executions we lack), or (Error) why there was none.
    /// </summary>
    private sealed record Changed(long Seq, object Command, IActorRef ReplyTo, DateTime Time, OrdersProtocol.RequestResult? Request,
        VenueResult<string>? Result, long Started, VenueLookup? Lookup, IReadOnlyList<VenueExecution> Fills, string? Error)
    {
        /// <summary>The order the command changes.</summary>
        public ClientOrderId Id => Command switch
        {
            CancelOrder c => c.ClientOrderId,
            AmendOrder a => a.ClientOrderId,
            _ => throw new InvalidOperationException($"not a change: {Command.GetType().Name}"),
        };
    }

    /// <summary>A place's outcome: the venue's answer, or (Result null) why there was none.</summary>
    private sealed record Placed(long Seq, PlaceOrder Place, IActorRef ReplyTo, VenueResult<string>? Result, long Started, string? Error);

    private sealed record Periodic
    {
        public static Periodic Instance { get; } = new();
    }
}
