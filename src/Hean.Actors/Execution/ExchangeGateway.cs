using Akka.Actor;
using Akka.Event;
using Hean.Actors.Common;
using Hean.Actors.Monitoring;
using Hean.Actors.Orders;
using Hean.Actors.Portfolio;
using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.Execution;
using Hean.Core.MarketData;
using Hean.Core.Orders;
using static Hean.Actors.Execution.ExecutionProtocol;

namespace Hean.Actors.Execution;

/// <summary>
/// The one door to the venue, here the simulated exchange of paper trading and backtests. Every
/// call goes through a circuit breaker; every venue report goes to the order manager; marks go to
/// the portfolio once per market-data batch. On start it puts our resting orders back on the paper
/// venue (whose book of our orders lives in memory), and sends again the limit orders it had not
/// acknowledged yet, so that a restart loses none of them.
/// </summary>
public sealed class ExchangeGateway : ReceiveActor, IWithUnboundedStash
{
    private readonly SimulatedExchange _venue;
    private readonly IActorRef _orders;
    private readonly IActorRef _portfolio;
    private readonly HeanTimeouts _timeouts;
    private readonly VenueBreaker _breaker;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly PendingMarks _marks = new();
    private readonly HashSet<Symbol> _symbolsSeen = new();
    private readonly VenueMarketState _market;
    private DateTime _lastMarketTime;
    private string _tradeIdPrefix = "";

    public IStash Stash { get; set; } = null!;

    public ExchangeGateway(SimulatedExchange venue, IActorRef orders, IActorRef portfolio, HeanTimeouts timeouts, CircuitBreakerSettings breaker)
    {
        _venue = venue;
        _market = new VenueMarketState(venue.BookOf, venue.LastPrice);
        _orders = orders;
        _portfolio = portfolio;
        _timeouts = timeouts;
        _breaker = new VenueBreaker(breaker, "gateway")
        {
            Changed = (from, to, why) => _log.Warning("paper venue circuit breaker {0} → {1}: {2}", from, to, why),
        };

        ReceiveAsync<RestoreVenue>(async _ => await Restore());
        ReceiveAny(_ => Stash.Stash());
    }

    protected override void PreStart() => Self.Tell(RestoreVenue.Instance);

    private async Task Restore()
    {
        try
        {
            var portfolio = await _portfolio.Ask<PortfolioProtocol.PortfolioView>(new PortfolioProtocol.GetPortfolio(), _timeouts.Ask);
            foreach (var p in portfolio.State.Positions.Values.Where(p => !p.IsFlat))
                _venue.RestorePosition(p.Symbol, p.Qty);
            var open = await _orders.Ask<OrdersProtocol.OpenOrders>(new OrdersProtocol.GetOpenOrders(), _timeouts.Ask);
            // A paper venue numbers its trades from 1 again; the order manager would drop a restored order's
            // next fill as a duplicate of an old trade id. Fills booked so far make the new ids unique.
            var booked = await _orders.Ask<OrdersProtocol.OrderStats>(new OrdersProtocol.GetOrderStats(), _timeouts.Ask);
            _tradeIdPrefix = booked.Fills > 0 ? $"r{booked.Fills}-" : "";
            var restored = 0;
            foreach (var o in open.Orders)
            {
                string? lost = null;
                if (_venue.IsOpen(o.Id))
                {
                    // The gateway restarted on the same venue: the order never left it.
                    restored++;
                    continue;
                }
                if (o.Status is OrderStatus.Accepted or OrderStatus.PartiallyFilled or OrderStatus.PendingCancel && o.Request.Type == OrderType.Limit)
                {
                    try
                    {
                        _venue.Restore(o.Request, o.FilledQty, o.UpdatedAt);
                        restored++;
                    }
                    catch (Exception e) when (e is ArgumentException or InvalidOperationException)
                    {
                        lost = "paper venue could not restore the order: " + e.Message;
                    }
                }
                else if (o.Status == OrderStatus.Submitted && o.Request.Type == OrderType.Limit)
                {
                    // Sent and not yet acknowledged (the paper venue's latency runs on market time: a paused or
                    // stopped feed holds it there). The venue that had it is gone, and nothing it did was booked:
                    // it is sent again as it was, and the venue acknowledges it on the next market event.
                    Forward(_venue.Submit(o.Request, o.UpdatedAt));
                    restored++;
                }
                else
                {
                    // Never sent, or a market order mid-flight: the paper venue lost it, and at a later price it
                    // would no longer be the order the strategy sent.
                    lost = "paper venue restarted before the order completed";
                }
                if (lost is not null)
                    _orders.Tell(new OrdersProtocol.ApplyReport(new OrderCancelledReport(o.Id, o.Symbol, o.UpdatedAt, lost)));
            }
            if (open.Orders.Count > 0) _log.Info("paper venue restored {0} resting orders", restored);
        }
        catch (Exception e)
        {
            _log.Error(e, "could not restore resting orders; the gateway restarts");
            throw;
        }
        Become(Ready);
        Stash.UnstashAll();
    }

    private void Ready()
    {
        Receive<ApplyMarketData>(m =>
        {
            var reports = 0;
            foreach (var e in m.Events)
            {
                _lastMarketTime = e.Time;
                _symbolsSeen.Add(e.Symbol);
                var produced = _venue.OnMarketEvent(e);
                reports += produced.Count;
                Forward(produced);
                var mark = MarkOf(e);
                _marks.Set(e.Symbol, mark, e.Time);
                _market.Observe(e, mark);
            }
            _marks.FlushTo(_portfolio);
            Sender.Tell(new MarketDataApplied(m.Events.Count, reports));
        });
        ReceiveAsync<PlaceOrder>(async m =>
        {
            var sender = Sender;
            if (!_breaker.AllowsCalls && !m.Order.ReduceOnly)
            {
                var refused = $"circuit breaker open until {_breaker.RetryAt:O}";
                // Registered as Submitted already: closed as never sent (one not marked yet stays New, never sent).
                if (m.Submitted) Forward([new OrderRejectedReport(m.Order.ClientOrderId, m.Order.Symbol, m.Time, refused)]);
                sender.Tell(new PlaceResult(m.Order.ClientOrderId, false, refused));
                return;
            }
            // Submitted is persisted before the venue sees the order (with its registration, or here): after a crash we know
            // it may exist there.
            if (!m.Submitted) await _orders.Ask<Synced>(new OrdersProtocol.MarkSubmitted(m.Order.ClientOrderId, m.Order.Symbol, m.Time), _timeouts.Ask);
            HeanMetrics.OrderOnTheWire(m.SignalAt);
            try
            {
                var reports = Call(() => _venue.Submit(m.Order, m.Time), "submit");
                Forward(reports);
                sender.Tell(new PlaceResult(m.Order.ClientOrderId, true, null));
            }
            catch (Exception e)
            {
                _log.Warning("placing {0} failed: {1}", m.Order.ClientOrderId, e.Message);
                sender.Tell(new PlaceResult(m.Order.ClientOrderId, false, e.Message));
            }
        });
        Receive<CancelOrder>(m =>
        {
            try
            {
                var reports = Call(() => _venue.Cancel(m.ClientOrderId, m.Time ?? _lastMarketTime), "cancel");
                Forward(reports);
                var error = reports.OfType<CancelRejectedReport>().FirstOrDefault()?.Reason;
                Sender.Tell(new CancelResult(m.ClientOrderId, error is null, error));
            }
            catch (Exception e)
            {
                Sender.Tell(new CancelResult(m.ClientOrderId, false, e.Message));
            }
        });
        Receive<CancelAllOrders>(m =>
        {
            try
            {
                var reports = Call(() => _venue.CancelAll(m.Symbol, m.Time ?? _lastMarketTime), "cancel all");
                Forward(reports);
                Sender.Tell(new CancelAllResult(reports.OfType<OrderCancelledReport>().Count(), null));
            }
            catch (Exception e)
            {
                Sender.Tell(new CancelAllResult(0, e.Message));
            }
        });
        Receive<GetVenueState>(_ => Sender.Tell(new VenueState(
            _venue.OpenOrders.ToList(),
            _venue.OpenOrders.Select(o => o.Symbol).Concat(_symbolsSeen).Distinct()
                .ToDictionary(s => s.Value, s => _venue.PositionOf(s)),
            _lastMarketTime)));
        // The simulated matching engine has no amend: refused before anything is persisted (cancel and place again instead).
        Receive<AmendOrder>(m => Sender.Tell(new AmendResult(m.ClientOrderId, false, "the simulated venue does not amend orders; cancel and place again")));
        Receive<GetQuote>(m => Sender.Tell(_market.QuoteOf(m.Symbol, _lastMarketTime)));
        Receive<GetMarketConditions>(m => Sender.Tell(new MarketView(_market.QuoteOf(m.Symbol, _lastMarketTime), _market.ConditionsOf(m.Symbol, _lastMarketTime))));
        Receive<GetCircuitState>(_ => Sender.Tell(new CircuitState(_breaker.State, _breaker.Failures)));
        Receive<Sync>(_ => Sender.Tell(Synced.Instance));
    }

    private void Forward(IReadOnlyList<ExecutionReport> reports)
    {
        foreach (var r in reports)
            _orders.Tell(new OrdersProtocol.ApplyReport(r is OrderFilledReport f && _tradeIdPrefix.Length > 0
                ? f with { Fill = f.Fill with { TradeId = _tradeIdPrefix + f.Fill.TradeId } }
                : r));
    }


    private decimal? MarkOf(IMarketEvent e) => e switch
    {
        BookUpdate => _venue.BookOf(e.Symbol)?.Mid,
        Trade t => t.Price,
        Candle c => c.Close,
        _ => null
    };

    /// <summary>One call to the venue through the breaker (cancels too: they only go through it to be counted, never refused).</summary>
    private IReadOnlyList<ExecutionReport> Call(Func<IReadOnlyList<ExecutionReport>> call, string what)
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            var reports = call();
            _breaker.Record(true, System.Diagnostics.Stopwatch.GetElapsedTime(started), what);
            return reports;
        }
        catch (Exception e)
        {
            _breaker.Record(false, System.Diagnostics.Stopwatch.GetElapsedTime(started), $"{what}: {e.Message}");
            throw;
        }
    }

    private sealed record RestoreVenue
    {
        public static RestoreVenue Instance { get; } = new();
    }
}

/// <summary>
/// The seed's thresholds (<see cref="Hean.Actors.Common.VenueBreaker"/>): open after 5 consecutive failures, try again
/// after 60 s, close after 2 trial successes; a call slower than 10 s counts as a failure.
/// </summary>
public sealed record CircuitBreakerSettings(int MaxFailures, TimeSpan CallTimeout, TimeSpan ResetTimeout, int SuccessesToClose = 2)
{
    public static CircuitBreakerSettings Default { get; } = new(5, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(60));
}
