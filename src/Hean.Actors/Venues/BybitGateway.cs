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
using Hean.Core.MarketData;
using Hean.Core.Orders;
using static Hean.Actors.Execution.ExecutionProtocol;

namespace Hean.Actors.Venues;

/// <summary>
/// The door to Bybit, speaking the same protocol as the simulated gateway. Orders go out over REST
/// (persisted as Submitted first); what happened to them comes back on the private stream (order and
/// execution topics) and goes to the order manager, which drops duplicates. An ambiguous create
/// (timeout, disconnect) leaves the order in flight: the streams or the start-up reconciliation settle
/// it, never a guess. On start it asks the venue for our open orders, the fate of orders we sent but
/// never heard back about, and the recent executions, before it takes any command.
/// </summary>
public sealed class BybitGateway : ReceiveActor, IWithUnboundedStash
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
    private DateTime _lastMarketTime;
    private int _failures;

    public IStash Stash { get; set; } = null!;

    public BybitGateway(BybitRestClient rest, BybitPrivateStream? privateStream, IActorRef orders, IActorRef portfolio, HeanTimeouts timeouts)
    {
        (_rest, _private, _orders, _portfolio, _timeouts) = (rest, privateStream, orders, portfolio, timeouts);
        ReceiveAsync<Reconcile>(async _ =>
        {
            await ReconcileAsync();
            Become(Ready);
            Stash.UnstashAll();
        });
        ReceiveAny(_ => Stash.Stash());
    }

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

    private async Task ReconcileAsync()
    {
        try
        {
            var open = await _rest.GetOpenOrdersAsync();
            var atVenue = new HashSet<string>();
            if (open.Outcome == BybitOutcome.Ok)
                foreach (var o in open.Value!.List)
                {
                    atVenue.Add(o.OrderLinkId);
                    Forward(o.ToReport());
                }
            var ours = await _orders.Ask<OrdersProtocol.OpenOrders>(new OrdersProtocol.GetOpenOrders(), _timeouts.Ask);
            foreach (var o in ours.Orders.Where(o => !atVenue.Contains(o.Id.Value)))
            {
                if (o.Status == OrderStatus.New)
                {
                    // Registered but never marked Submitted: it was never sent. Only orders from before this start.
                    if (o.UpdatedAt < _startedAt)
                        Forward(new OrderRejectedReport(o.Id, o.Symbol, o.UpdatedAt, "never sent before the restart"));
                    continue;
                }
                // Ours and open, but not open at the venue: ask for it by orderLinkId before declaring anything.
                var history = await _rest.GetOrderHistoryAsync(new OrderQuery(o.Symbol.Value, OrderLinkId: o.Id.Value));
                if (history.Outcome != BybitOutcome.Ok) continue; // unknown: stays in flight
                var found = history.Value!.List.FirstOrDefault(h => h.OrderLinkId == o.Id.Value);
                Forward(found is null
                    ? new OrderRejectedReport(o.Id, o.Symbol, o.UpdatedAt, "not found at Bybit after restart: never placed")
                    : found.ToReport());
            }
            var executions = await _rest.GetExecutionsAsync();
            if (executions.Outcome == BybitOutcome.Ok)
                foreach (var e in executions.Value!.List.OrderBy(e => e.ExecTime)) Forward(e.ToReport());
            _log.Info("Bybit reconciliation: {0} open at the venue, {1} of ours checked", atVenue.Count, ours.Orders.Count);
        }
        catch (Exception e)
        {
            _log.Error("Bybit reconciliation failed, the streams will settle what they can: {0}", e.GetBaseException().Message);
        }
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
            }
            _marks.FlushTo(_portfolio);
            Sender.Tell(new MarketDataApplied(m.Events.Count, 0));
        });
        ReceiveAsync<PlaceOrder>(async m =>
        {
            var sender = Sender;
            await _orders.Ask<Synced>(new OrdersProtocol.MarkSubmitted(m.Order.ClientOrderId, m.Time), _timeouts.Ask);
            var result = await _rest.PlaceOrderAsync(m.Order);
            Count(result.Outcome);
            Forward(result.ToReport(m.Order, m.Time));
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
            var view = await _orders.Ask<OrdersProtocol.OrderView>(new OrdersProtocol.GetOrder(m.ClientOrderId), _timeouts.Ask);
            if (view.Order is not { } order)
            {
                sender.Tell(new CancelResult(m.ClientOrderId, false, "unknown order"));
                return;
            }
            var result = await _rest.CancelOrderAsync(order.Symbol.Value, m.ClientOrderId);
            Count(result.Outcome);
            if (result.Outcome == BybitOutcome.Ok)
                Forward(new OrderCancelledReport(m.ClientOrderId, order.Symbol, m.Time ?? _lastMarketTime, m.Reason));
            sender.Tell(new CancelResult(m.ClientOrderId, result.Outcome == BybitOutcome.Ok, result.Outcome == BybitOutcome.Ok ? null : $"{result.Kind}: {result.Message}"));
        });
        ReceiveAsync<CancelAllOrders>(async m =>
        {
            var sender = Sender;
            var result = await _rest.CancelAllOrdersAsync(m.Symbol?.Value);
            Count(result.Outcome);
            if (result.Outcome != BybitOutcome.Ok)
            {
                sender.Tell(new CancelAllResult(0, $"{result.Kind}: {result.Message}"));
                return;
            }
            var open = await _orders.Ask<OrdersProtocol.OpenOrders>(new OrdersProtocol.GetOpenOrders(m.Symbol), _timeouts.Ask);
            var cancelled = result.Value!.Select(a => a.OrderLinkId).ToHashSet();
            foreach (var o in open.Orders.Where(o => cancelled.Contains(o.Id.Value)))
                Forward(new OrderCancelledReport(o.Id, o.Symbol, m.Time ?? _lastMarketTime, m.Reason));
            sender.Tell(new CancelAllResult(cancelled.Count, null));
        });
        Receive<VenueMessage>(m =>
        {
            switch (m.Message)
            {
                case BybitOrderUpdateMessage orders:
                    foreach (var o in orders.Orders) Forward(o.ToReport());
                    break;
                case BybitExecutionMessage { Fast: false } executions:
                    foreach (var e in executions.Executions) Forward(e.ToReport());
                    break;
            }
        });
        Receive<GetVenueState>(_ => Sender.Tell(new VenueState([], new Dictionary<string, decimal>(), _lastMarketTime)));
        Receive<GetCircuitState>(_ => Sender.Tell(new CircuitState(_failures >= 5 ? "open" : "closed", _failures)));
        Receive<Sync>(_ => Sender.Tell(Synced.Instance));
    }

    private OrderBook BookOf(Symbol symbol)
    {
        if (!_books.TryGetValue(symbol, out var book)) _books[symbol] = book = new OrderBook(symbol);
        return book;
    }

    /// <summary>Consecutive failed or ambiguous calls show as an open breaker in health (the REST client retries what is safe).</summary>
    private void Count(BybitOutcome outcome)
    {
        _failures = outcome is BybitOutcome.Ambiguous ? _failures + 1 : 0;
        foreach (var s in new[] { "closed", "open" })
            HeanMetrics.CircuitBreaker.WithLabels("bybit", s).Set((_failures >= 5) == (s == "open") ? 1 : 0);
    }

    private void Forward(ExecutionReport? report)
    {
        if (report is not null) _orders.Tell(new OrdersProtocol.ApplyReport(report));
    }

    private sealed record Reconcile
    {
        public static Reconcile Instance { get; } = new();
    }

    private sealed record VenueMessage(BybitMessage Message);
}
