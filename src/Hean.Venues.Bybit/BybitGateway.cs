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
using static Hean.Actors.Execution.ExecutionProtocol;

namespace Hean.Venues.Bybit;

/// <summary>
/// The door to Bybit, speaking the same protocol as the simulated gateway. Orders go out over REST
/// (persisted as Submitted first); what happened to them comes back on the private stream (order and
/// execution topics) and goes to the order manager, which drops duplicates. An ambiguous create
/// (timeout, disconnect) leaves the order in flight: the streams or the start-up reconciliation settle
/// it, never a guess. On start it asks the venue for our open orders, the fate of orders we sent but
/// never heard back about, and the recent executions, before it takes any command. The same reconciliation pass runs
/// again after the private stream reconnects (what was pushed meanwhile is fetched over REST) and periodically; an
/// ambiguous create is checked with one targeted query after <see cref="BybitGatewaySettings.InFlightCheckDelay"/>.
/// </summary>
public sealed class BybitGateway : ReceiveActor, IWithUnboundedStash, IWithTimers
{
    private readonly BybitRestClient _rest;
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

    public IStash Stash { get; set; } = null!;

    public BybitGateway(BybitRestClient rest, BybitPrivateStream? privateStream, IActorRef orders, IActorRef portfolio, HeanTimeouts timeouts)
        : this(rest, privateStream, orders, portfolio, timeouts, BybitGatewaySettings.Default)
    {
    }

    public BybitGateway(BybitRestClient rest, BybitPrivateStream? privateStream, IActorRef orders, IActorRef portfolio, HeanTimeouts timeouts,
        BybitGatewaySettings settings, BybitPositionLegs? legs = null)
    {
        (_rest, _private, _orders, _portfolio, _timeouts, _settings) = (rest, privateStream, orders, portfolio, timeouts, settings);
        _legs = legs ?? new BybitPositionLegs();
        _market = new VenueMarketState(_books.GetValueOrDefault);
        _breaker = new VenueBreaker(settings.Breaker, "bybit")
        {
            Changed = (from, to, why) => _log.Warning("Bybit circuit breaker {0} → {1}: {2}", from, to, why),
        };
        ReceiveAsync<Reconcile>(async _ =>
        {
            await ReconcileAsync();
            Become(Ready);
            Stash.UnstashAll();
            if (_settings.ReconcileEvery > TimeSpan.Zero)
                Timers.StartPeriodicTimer("reconcile", Periodic.Instance, _settings.ReconcileEvery);
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

    /// <summary>On start: the same pass as while running, with orders never sent before the restart closed as such.</summary>
    private Task ReconcileAsync() => SyncWithVenueAsync("start");

    /// <summary>
    /// One reconciliation pass (on start, after the private stream reconnected, and periodically): the executions since
    /// the last one seen (or since our earliest open order), the venue's open orders, one targeted query for each of
    /// our open orders the venue does not list, then our positions against the venue's. Every report carries the
    /// venue's ids (execId, orderLinkId), so the order manager drops what it already has: a second pass changes nothing.
    /// Positions that still disagree after a second catch-up make the gateway refuse new orders (health unhealthy).
    /// </summary>
    private async Task SyncWithVenueAsync(string why)
    {
        if (_rest.BannedUntil is { } banned)
        {
            // No HTTP during an IP ban (https://bybit-exchange.github.io/docs/v5/rate-limit): the pass runs once it is over.
            if (Timers.IsTimerActive("reconcile-after-ban")) return;
            _log.Warning("Bybit reconciliation ({0}) postponed: the IP is banned until {1:HH:mm:ss} UTC", why, banned);
            Timers.StartSingleTimer("reconcile-after-ban", new CatchUp(why), banned - DateTime.UtcNow + TimeSpan.FromSeconds(1));
            return;
        }
        var discrepancies = 0;
        try
        {
            var now = _rest.ServerNow;
            var ours = (await _orders.Ask<OrdersProtocol.OpenOrders>(new OrdersProtocol.GetOpenOrders(), _timeouts.Ask)).Orders;
            await CatchUpExecutionsAsync(ours, now);
            // Closed at the venue with executions we have not booked (their push was lost): fetched by order.
            foreach (var o in (await _orders.Ask<OrdersProtocol.OpenOrders>(new OrdersProtocol.GetOrdersAwaitingFills(), _timeouts.Ask)).Orders)
                await FetchExecutionsAsync(o);
            // Again: the catch-up may have adopted orders (found through their executions).
            ours = (await _orders.Ask<OrdersProtocol.OpenOrders>(new OrdersProtocol.GetOpenOrders(), _timeouts.Ask)).Orders;

            var open = await _rest.GetAllOpenOrdersAsync();
            if (open.Outcome != BybitOutcome.Ok)
            {
                _log.Warning("Bybit reconciliation ({0}): open orders not available ({1}); the next pass tries again", why, open.Message);
                return;
            }
            // The venue's open orders by our name for them: the orderLinkId, or "ext-" + orderId for one placed by hand without.
            var atVenue = new HashSet<string>();
            var byId = new Dictionary<string, BybitOrder>();
            foreach (var o in open.Value!)
            {
                if (o.ClientOrderIdOf() is { } id)
                {
                    atVenue.Add(id.Value);
                    byId[id.Value] = o;
                }
                Forward(o.ToReport());
            }
            var ourIds = ours.Select(o => o.Id.Value).ToHashSet();
            foreach (var unknown in VenueReconciliation.UnknownAtVenue(atVenue, ourIds))
            {
                // Open at the venue but not ours as open: placed by hand, or ours from before what the journal keeps.
                // Adopted as an external order, so our open orders and (through its fills) our positions follow the venue's;
                // the state and fills forwarded above were held by the order manager until the order exists there.
                discrepancies++;
                HeanMetrics.ReconciliationDiscrepancies.WithLabels(VenueDiscrepancy.UnknownAtVenue).Inc();
                var created = byId[unknown].ToExternalOrder();
                var answer = created is null ? null : await _orders.Ask(new OrdersProtocol.RegisterOrder(created), _timeouts.Ask);
                if (answer is OrdersProtocol.OrderRegistered)
                {
                    _log.Warning("Bybit reconciliation ({0}): order {1} was open at the venue but not in our books: adopted as external ({2} {3} {4} @ {5})",
                        why, unknown, created!.Request.Side, created.Request.Qty, created.Request.Symbol, created.Request.Price?.ToString() ?? "market");
                    if (byId[unknown].ToReport() is { } state) Forward(state);
                }
                else
                    _log.Warning("Bybit reconciliation ({0}): order {1} is open at the venue but not open in our books and cannot be adopted ({2})",
                        why, unknown, answer is OrdersProtocol.OrderRefused r ? r.Reason : "not an order we can track");
            }
            foreach (var o in ours.Where(o => o.Status == OrderStatus.New && why == "start" && o.UpdatedAt < _startedAt && !atVenue.Contains(o.Id.Value)))
                // Registered but never marked Submitted before the restart: it was never sent.
                Forward(new OrderRejectedReport(o.Id, o.Symbol, o.UpdatedAt, "never sent before the restart"));
            // Orders no longer open in our books leave the not-found count.
            var stillOpen = ours.Select(o => o.Id).ToHashSet();
            foreach (var gone in _notFound.Keys.Where(k => !stillOpen.Contains(k)).ToList()) _notFound.Remove(gone);
            var grace = why == "start" ? TimeSpan.Zero : _settings.InFlightCheckDelay;
            foreach (var o in VenueReconciliation.NotOpenAtVenue(ours, atVenue, now, grace))
                if (await SettleByQueryAsync(o, why)) discrepancies++;

            var mismatch = await ComparePositionsAsync();
            if (mismatch.Count > 0)
            {
                // A fill may be on its way on the stream: catch up once more before calling it a disagreement.
                ours = (await _orders.Ask<OrdersProtocol.OpenOrders>(new OrdersProtocol.GetOpenOrders(), _timeouts.Ask)).Orders;
                await CatchUpExecutionsAsync(ours, _rest.ServerNow);
                mismatch = await ComparePositionsAsync();
            }
            if (mismatch.Count > 0)
            {
                discrepancies += mismatch.Count;
                foreach (var _ in mismatch) HeanMetrics.ReconciliationDiscrepancies.WithLabels(VenueDiscrepancy.PositionMismatch).Inc();
                _problem = "positions disagree with Bybit, new orders refused: " + string.Join("; ", mismatch);
                _log.Error("Bybit reconciliation ({0}): {1}", why, _problem);
            }
            else if (_problem is not null)
            {
                _log.Info("Bybit reconciliation ({0}): positions agree again; orders accepted", why);
                _problem = null;
            }
            _failedPasses = 0;
            HeanMetrics.Reconciliations.WithLabels(why, discrepancies == 0 ? "clean" : "discrepancies").Inc();
            _log.Info("Bybit reconciliation ({0}): {1} open at the venue, {2} of ours open, {3} discrepancies", why, atVenue.Count, ours.Count, discrepancies);
        }
        catch (Exception e)
        {
            HeanMetrics.Reconciliations.WithLabels(why, "failed").Inc();
            // Not left to the periodic pass (fills missed while we were away must reach the books soon), but backing off:
            // a pass that keeps failing must not become a storm of requests (which is what gets an IP banned).
            var wait = TimeSpan.FromTicks(Math.Min(_settings.RetryAfterFailure.Ticks << Math.Min(_failedPasses++, 6), TimeSpan.FromMinutes(1).Ticks));
            _log.Error("Bybit reconciliation ({0}) failed, trying again in {1}: {2}", why, wait, e.GetBaseException().Message);
            Timers.StartSingleTimer("reconcile-retry", new CatchUp(why == "start" ? "start" : "retry"), wait);
            return;
        }
    }

    /// <summary>Executions since the last one seen (or our earliest open order), all pages, oldest first, deduplicated by execId downstream.</summary>
    private async Task CatchUpExecutionsAsync(IReadOnlyList<OrderState> ours, DateTime now)
    {
        var since = VenueReconciliation.ExecutionsSince(ours, _lastExecTime, now - _settings.CatchUpMargin, _settings.CatchUpMargin);
        if (since < now - _settings.MaxCatchUp)
        {
            _log.Info("Bybit execution catch-up from {0:O} reaches back only {1:0} days: older fills are found through their orders",
                since, _settings.MaxCatchUp.TotalDays);
            since = now - _settings.MaxCatchUp;
        }
        var executions = await _rest.GetExecutionsSinceAsync(since);
        // Not a warning to step over: fills we do not know of would stay unbooked. The pass fails, says so, and runs again.
        if (executions.Outcome != BybitOutcome.Ok)
            throw new InvalidOperationException($"the executions since {since:O} could not all be read ({executions.Kind}: {executions.Message})");
        foreach (var e in executions.Value!)
        {
            Seen(e.ExecTime);
            Forward(e.ToReport());
        }
        await AdoptUnknownAsync(executions.Value!, "catch-up");
        _catchUps++;
    }

    /// <summary>
    /// Executions of orders our books do not know (a market order placed by hand that filled at once, so no pass ever
    /// saw it open): the order is fetched and adopted as external, and the order manager then applies the fills it
    /// held for it, so our positions follow the venue's. Each unknown order is looked up once; an id we used before
    /// (an old order of ours no longer in memory) is refused by the order manager and changes nothing.
    /// </summary>
    private async Task AdoptUnknownAsync(IEnumerable<BybitExecution> executions, string why)
    {
        executions = executions.ToList();
        await BookVenueInitiatedAsync(executions, why);
        foreach (var e in executions.Where(e => e.ExecType == "Trade").DistinctBy(e => (e.OrderId, e.OrderLinkId)))
        {
            if (e.ToReport() is not { ClientOrderId: var id } || _adoptionTried.Contains(id)) continue;
            if ((await _orders.Ask<OrdersProtocol.OrderView>(new OrdersProtocol.GetOrder(id), _timeouts.Ask)).Order is not null) continue;
            var query = string.IsNullOrEmpty(e.OrderLinkId) ? new OrderQuery(e.Symbol, OrderId: e.OrderId) : new OrderQuery(e.Symbol, OrderLinkId: e.OrderLinkId);
            var (found, answered) = await QueryOrderAsync(query, id);
            // Looked up once, unless the venue did not answer: the next execution or catch-up tries again.
            if (!answered) continue;
            if (_adoptionTried.Count > 10_000) _adoptionTried.Clear();
            _adoptionTried.Add(id);
            if (found?.ToExternalOrder(executed: true) is not { } created)
            {
                _log.Warning("Bybit ({0}): execution {1} of order {2}, unknown to our books, and the order cannot be found or adopted", why, e.ExecId, id);
                continue;
            }
            var answer = await _orders.Ask(new OrdersProtocol.RegisterOrder(created), _timeouts.Ask);
            if (answer is not OrdersProtocol.OrderRegistered)
            {
                _log.Warning("Bybit ({0}): order {1} executed at the venue but cannot be adopted ({2})", why, id,
                    answer is OrdersProtocol.OrderRefused r ? r.Reason : answer.GetType().Name);
                continue;
            }
            HeanMetrics.ReconciliationDiscrepancies.WithLabels(VenueDiscrepancy.UnknownAtVenue).Inc();
            _log.Warning("Bybit ({0}): order {1} executed at the venue without being in our books: adopted as external ({2} {3} {4} @ {5})",
                why, id, created.Request.Side, created.Request.Qty, created.Request.Symbol, created.Request.Price?.ToString() ?? "market");
            // Its fills: those held since they arrived, and any the order manager never got.
            if (found.CumExecQty > 0) await FetchExecutionsAsync(OrderState.Create(created) with { VenueOrderId = found.OrderId });
            if (found.ToReport() is { } state) Forward(state);
        }
    }

    /// <summary>
    /// What the venue did to our account on its own: auto-deleveraging and liquidations become filled orders of the
    /// venue's (so positions follow the venue's), funding settlements go to the portfolio's cash. Each once: the order
    /// manager drops a fill it has, the portfolio a settlement it has.
    /// </summary>
    private async Task BookVenueInitiatedAsync(IEnumerable<BybitExecution> executions, string why)
    {
        foreach (var e in executions)
        {
            if (e.ToFunding() is { } funding)
            {
                _portfolio.Tell(new PortfolioProtocol.BookFunding(funding));
                continue;
            }
            if (e.ToVenueInitiated() is not { } venue) continue;
            var (created, fill) = venue;
            if ((await _orders.Ask<OrdersProtocol.OrderView>(new OrdersProtocol.GetOrder(created.ClientOrderId), _timeouts.Ask)).Order is null)
            {
                if (await _orders.Ask(new OrdersProtocol.RegisterOrder(created), _timeouts.Ask) is not OrdersProtocol.OrderRegistered) continue;
                var what = created.Origin == "venue:liquidation" ? "liquidation" : "auto-deleveraging";
                _log.Warning($"Bybit ({why}): {what} of our position: {e.Side} {e.ExecQty} {e.Symbol} at {e.ExecPrice}, booked as {created.ClientOrderId}");
            }
            Forward(fill);
        }
    }

    /// <summary>
    /// One targeted query (by orderLinkId: open or recently closed, then history) for an order of ours the venue does not
    /// list as open. Found: its state and its executions become reports. Not found: it never reached the venue. The query
    /// failed: it stays in flight for the next pass. True when our books had it wrong.
    /// </summary>
    private async Task<bool> SettleByQueryAsync(OrderState o, string why)
    {
        var (found, answered) = await QueryOrderAsync(o);
        if (!answered)
        {
            // Unknown: stays in flight, and is asked about again.
            if (o.Status == OrderStatus.Submitted) Timers.StartSingleTimer("inflight-" + o.Id.Value, new CheckInFlight(o.Id), _settings.InFlightCheckDelay);
            return false;
        }
        if (found is null)
        {
            // Only an order never acknowledged can have never been placed; and only after the venue said so consistently
            // for longer than its order history may lag (a market order that filled a moment ago is in no list yet).
            var count = _notFound[o.Id] = _notFound.GetValueOrDefault(o.Id) + 1;
            var now = _rest.ServerNow;
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
        await BookVenueOrderAsync(o, found);
        return false;
    }

    /// <summary>
    /// The order by orderLinkId: open or recently closed, then history. Answered false when neither query got an answer
    /// (nothing can be concluded); found null when the venue answered and does not know it.
    /// </summary>
    private Task<(BybitOrder? Found, bool Answered)> QueryOrderAsync(OrderState o) => QueryOrderAsync(QueryOf(o), o.Id);

    private async Task<(BybitOrder? Found, bool Answered)> QueryOrderAsync(OrderQuery query, ClientOrderId id)
    {
        // Open orders; then the recent closed ones (gone after a venue restart); then the history (which may lag).
        var realtime = await _rest.GetOpenOrdersAsync(query);
        var found = realtime.Outcome == BybitOutcome.Ok ? realtime.Value!.List.FirstOrDefault(h => h.ClientOrderIdOf() == id) : null;
        if (found is not null) return (found, true);
        var closed = await _rest.GetOpenOrdersAsync(query with { Closed = true });
        found = closed.Outcome == BybitOutcome.Ok ? closed.Value!.List.FirstOrDefault(h => h.ClientOrderIdOf() == id) : null;
        if (found is not null) return (found, true);
        var history = await _rest.GetOrderHistoryAsync(query);
        if (history.Outcome != BybitOutcome.Ok) return (null, false);
        found = history.Value!.List.FirstOrDefault(h => h.ClientOrderIdOf() == id);
        // "Not found" needs every list to have answered: a failed query says nothing about where the order is.
        return (found, found is not null || (realtime.Outcome == BybitOutcome.Ok && closed.Outcome == BybitOutcome.Ok));
    }

    /// <summary>The venue's view of one order into our books: its executions we lack first (fetched when it executed more), then its state.</summary>
    private async Task BookVenueOrderAsync(OrderState o, BybitOrder found)
    {
        if (found.CumExecQty > o.FilledQty) await FetchExecutionsAsync(o);
        Forward(found.ToReport());
    }

    /// <summary>Every execution of one order, oldest first (the order manager drops those it has).</summary>
    private async Task FetchExecutionsAsync(OrderState o)
    {
        var fills = await _rest.GetExecutionsAsync(QueryOf(o) with { Limit = 100 });
        if (fills.Outcome != BybitOutcome.Ok) return;
        foreach (var e in fills.Value!.List.OrderBy(e => e.ExecTime))
        {
            Seen(e.ExecTime);
            Forward(e.ToReport());
        }
    }

    /// <summary>
    /// How the venue knows an order: by its orderLinkId, or, for one adopted from an order placed by hand without one
    /// ("ext-" + orderId), by the orderId (known since it was adopted).
    /// </summary>
    private static (string? OrderId, string? OrderLinkId) VenueKeys(OrderState o) =>
        BybitCoreMapping.IsVenueNamed(o.Id) && o.VenueOrderId is { Length: > 0 } venueId ? (venueId, null) : (null, o.Id.Value);

    private static OrderQuery QueryOf(OrderState o)
    {
        var (orderId, orderLinkId) = VenueKeys(o);
        return new OrderQuery(o.Symbol.Value, OrderId: orderId, OrderLinkId: orderLinkId);
    }

    /// <summary>Our positions (after the order manager and the portfolio took what was forwarded) against Bybit's.</summary>
    private async Task<IReadOnlyList<VenueDiscrepancy>> ComparePositionsAsync()
    {
        if (!_settings.CheckPositions) return [];
        var venue = await _rest.GetAllPositionsAsync();
        if (venue.Outcome != BybitOutcome.Ok) return [];
        await _orders.Ask<Synced>(Sync.Instance, _timeouts.Ask);
        await _portfolio.Ask<Synced>(Sync.Instance, _timeouts.Ask);
        var view = await _portfolio.Ask<PortfolioProtocol.PortfolioView>(new PortfolioProtocol.GetPortfolio(), _timeouts.Ask);
        var ours = view.State.Positions.ToDictionary(p => p.Key, p => p.Value.Qty);
        foreach (var row in venue.Value!) _legs.Observe(row);
        // Positions in contracts HEAN does not trade (a manual USDC position, a dated future) are not ours to agree with.
        var theirs = venue.Value!.Where(p => p.Size != 0 && (_settings.Symbols is not { } traded || traded.Contains(p.Symbol) || ours.ContainsKey(p.Symbol)))
            .GroupBy(p => p.Symbol).ToDictionary(g => g.Key, g => g.Sum(p => VenueReconciliation.Signed(p.Side, p.Size)));
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
        ReceiveAsync<PlaceOrder>(async m =>
        {
            var sender = Sender;
            if ((_problem ?? _streamStopped) is { } problem && !m.Order.ReduceOnly)
            {
                // Refused before it is marked Submitted: the order manager closes it as never sent.
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
            // In hedge mode the order names its leg, chosen from the legs' sizes read just before (a push may lag
            // the fill that changed them); the mode of a one-way symbol is read once.
            var symbol = m.Order.Symbol.Value;
            if ((!_legs.Knows(symbol) || _legs.IsHedge(symbol)) && await _rest.GetPositionsAsync(symbol) is { IsOk: true } rows)
                foreach (var row in rows.Value!.List) _legs.Observe(row);
            var request = PlaceOrderRequest.FromCore(m.Order) with { PositionIdx = _legs.IndexFor(symbol, m.Order.Side, m.Order.Qty, m.Order.ReduceOnly) };
            await _orders.Ask<Synced>(new OrdersProtocol.MarkSubmitted(m.Order.ClientOrderId, m.Time), _timeouts.Ask);
            var started = Stopwatch.GetTimestamp();
            var result = await _rest.PlaceOrderAsync(request);
            Count(result.Outcome, result.Kind, started, "place " + m.Order.ClientOrderId);
            Forward(result.ToReport(m.Order, m.Time));
            if (result.Outcome == BybitOutcome.Ambiguous)
                Timers.StartSingleTimer("inflight-" + m.Order.ClientOrderId.Value, new CheckInFlight(m.Order.ClientOrderId), _settings.InFlightCheckDelay);
            sender.Tell(result.Outcome switch
            {
                BybitOutcome.Ok => new PlaceResult(m.Order.ClientOrderId, true, null),
                BybitOutcome.Ambiguous => new PlaceResult(m.Order.ClientOrderId, false, $"outcome unknown ({result.Kind}: {result.Message}); left in flight for reconciliation"),
                _ => new PlaceResult(m.Order.ClientOrderId, false, $"{result.Kind} {result.RetCode}: {result.Message}"),
            });
        });
        ReceiveAsync<CancelOrder>(async m =>
        {
            var sender = Sender;
            var time = m.Time ?? _lastMarketTime;
            // PendingCancel is persisted before the request leaves (for a working order); a fill may still win the race.
            var request = await _orders.Ask<OrdersProtocol.RequestResult>(new OrdersProtocol.RequestCancel(m.ClientOrderId, time, m.Reason), _timeouts.Ask);
            if (request.Order is not { } order)
            {
                sender.Tell(new CancelResult(m.ClientOrderId, false, "unknown order"));
                return;
            }
            var started = Stopwatch.GetTimestamp();
            var (orderId, orderLinkId) = VenueKeys(order);
            var result = await _rest.CancelOrderAsync(order.Symbol.Value, orderId, orderLinkId);
            Count(result.Outcome, result.Kind, started, "cancel " + m.ClientOrderId);
            switch (result.Outcome)
            {
                case BybitOutcome.Ok:
                    // The venue took the cancel. Its closed order says what executed before (cumExecQty); a fill
                    // still on its way on the stream is fetched here. Never a blind "cancelled": it could overtake
                    // that fill, and the rest would look free to send again. Unanswered: PendingCancel until the
                    // order stream or the next pass says.
                    if (await QueryOrderAsync(order) is ({ } closed, _)) await BookVenueOrderAsync(order, closed);
                    break;
                case BybitOutcome.Rejected:
                    // "Too late": the venue filled or closed it first. Its fills and final state settle the race, then
                    // an order still working there leaves PendingCancel.
                    await SettleByQueryAsync(order, "cancel refused");
                    Forward(new CancelRejectedReport(m.ClientOrderId, order.Symbol, time, $"{result.Kind} {result.RetCode}: {result.Message}"));
                    break;
                // Ambiguous: stays PendingCancel; the streams or the next reconciliation pass settle it.
            }
            sender.Tell(new CancelResult(m.ClientOrderId, result.Outcome == BybitOutcome.Ok, result.Outcome == BybitOutcome.Ok ? null : $"{result.Kind}: {result.Message}"));
        });
        ReceiveAsync<AmendOrder>(async m =>
        {
            var sender = Sender;
            var time = m.Time ?? _lastMarketTime;
            var request = await _orders.Ask<OrdersProtocol.RequestResult>(new OrdersProtocol.RequestAmend(m.ClientOrderId, time, m.Qty, m.Price), _timeouts.Ask);
            if (!request.Accepted || request.Order is not { } order)
            {
                sender.Tell(new AmendResult(m.ClientOrderId, false, request.Order is { } o
                    ? $"order {o.Id} cannot be amended while {o.Status.ToString().ToLowerInvariant()} (only resting limit orders, above the filled quantity)"
                    : "unknown order"));
                return;
            }
            var qty = m.Qty ?? order.Request.Qty;
            var price = m.Price ?? order.Request.Price;
            var started = Stopwatch.GetTimestamp();
            var (orderId, orderLinkId) = VenueKeys(order);
            var result = await _rest.AmendOrderAsync(new AmendOrderRequest(order.Symbol.Value, orderId, orderLinkId, m.Qty, m.Price));
            Count(result.Outcome, result.Kind, started, "amend " + m.ClientOrderId);
            var amended = result.Outcome == BybitOutcome.Ok;
            if (result.Outcome == BybitOutcome.Ambiguous)
            {
                // Unknown: one targeted query says whether the venue has the new terms.
                var found = await _rest.GetOpenOrdersAsync(QueryOf(order));
                if (found.Outcome != BybitOutcome.Ok || found.Value!.List.FirstOrDefault(o => o.ClientOrderIdOf() == m.ClientOrderId) is not { } venue)
                {
                    sender.Tell(new AmendResult(m.ClientOrderId, false, $"outcome unknown ({result.Message}); left PendingAmend for reconciliation"));
                    return;
                }
                amended = venue.Qty == qty && venue.Price == price;
            }
            if (amended)
                Forward(new OrderAmendedReport(m.ClientOrderId, order.Symbol, time, qty, price));
            else
            {
                if (result.Outcome == BybitOutcome.Rejected) await SettleByQueryAsync(order, "amend refused");
                Forward(new AmendRejectedReport(m.ClientOrderId, order.Symbol, time, $"{result.Kind} {result.RetCode}: {result.Message}"));
            }
            sender.Tell(new AmendResult(m.ClientOrderId, amended, amended ? null : $"{result.Kind} {result.RetCode}: {result.Message}"));
        });
        ReceiveAsync<CancelAllOrders>(async m =>
        {
            var sender = Sender;
            var started = Stopwatch.GetTimestamp();
            var result = await _rest.CancelAllOrdersAsync(m.Symbol?.Value);
            Count(result.Outcome, result.Kind, started, "cancel all");
            if (result.Outcome != BybitOutcome.Ok)
            {
                sender.Tell(new CancelAllResult(0, $"{result.Kind}: {result.Message}"));
                return;
            }
            var open = await _orders.Ask<OrdersProtocol.OpenOrders>(new OrdersProtocol.GetOpenOrders(m.Symbol), _timeouts.Ask);
            var cancelled = result.Value!.Select(a => a.OrderLinkId).ToHashSet();
            // As for one cancel: each closed order as the venue has it, with what it executed before it closed.
            foreach (var o in open.Orders.Where(o => cancelled.Contains(o.Id.Value)))
                if (await QueryOrderAsync(o) is ({ } closed, _)) await BookVenueOrderAsync(o, closed);
            sender.Tell(new CancelAllResult(cancelled.Count, null));
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
                    foreach (var e in executions.Executions)
                    {
                        Seen(e.ExecTime);
                        Forward(e.ToReport());
                    }
                    Self.Tell(new AdoptUnknown(executions.Executions));
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
        ReceiveAsync<AdoptUnknown>(m => AdoptUnknownAsync(m.Executions, "stream"));
        ReceiveAsync<CatchUp>(m => SyncWithVenueAsync(m.Why));
        ReceiveAsync<Periodic>(_ => SyncWithVenueAsync("periodic"));
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
            if (_rest.BannedUntil is not null && _breaker.AllowsCalls) _breaker.Trip("the IP is banned by Bybit");
            Sender.Tell(new CircuitState(_breaker.State, _breaker.Failures, _problem ?? _streamStopped ?? BanProblem()));
        });
        Receive<Sync>(_ => Sender.Tell(Synced.Instance));
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
    private void Count(BybitOutcome outcome, BybitErrorKind kind, long started, string what)
    {
        // An IP ban is no answer that shows the venue working: it opens the breaker at once.
        if (kind == BybitErrorKind.IpBanned) _breaker.Trip($"{what}: the IP is banned by Bybit until {_rest.BannedUntil:HH:mm:ss} UTC");
        else _breaker.Record(outcome != BybitOutcome.Ambiguous, Stopwatch.GetElapsedTime(started), $"{what}: {outcome}");
    }

    /// <summary>The IP ban as a health problem, while it lasts.</summary>
    private string? BanProblem() => _rest.BannedUntil is { } until
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

    private sealed record AdoptUnknown(IReadOnlyList<BybitExecution> Executions);

    private sealed record CheckInFlight(ClientOrderId ClientOrderId);

    private sealed record Periodic
    {
        public static Periodic Instance { get; } = new();
    }
}
