using Hean.Core.Domain;
using Hean.Core.Exchange;
using Hean.Core.MarketData;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Hean.Core.Risk;
using Hean.Core.Signals;
using Hean.Core.Strategy;
using Hean.Core.Trading;

namespace Hean.Core.Kernel;

/// <summary>What one backtest kernel runs with: the same settings the actors take.</summary>
public sealed record KernelSettings(
    InstrumentCatalog Catalog,
    decimal InitialCash,
    InstrumentSettings Instruments,
    SimulatedExchangeOptions Exchange,
    TimeSpan CheckpointEvery,
    TimeSpan EquitySampleEvery,
    TimeSpan CandleInterval,
    Func<Symbol, IStrategy> Strategies)
{
    public RiskLimits Limits => Instruments.Limits;

    /// <summary>Why the kernel cannot run these settings (the actors can), or null: algorithms (Smart style) run in actors only so far.</summary>
    public string? Unsupported => Instruments.Style == ExecutionStyle.Smart ? "EXECUTION_STYLE=smart runs its algorithms in the actors" : null;
}

/// <summary>
/// A backtest as one single-threaded loop in market-time order: no actor, no mailbox, no Ask, no thread pool. It drives
/// the Core components the actors drive, in the order the actors reach them: the market processor (book, candles,
/// strategy), the simulated exchange, the order fold (<see cref="OrderState.Decide"/>), the portfolio
/// (<see cref="PortfolioBook"/>), the instrument rules (<see cref="InstrumentRules"/>), the pre-trade review
/// (<see cref="PreTradeReview"/>) and the equity rules of <see cref="RiskState"/>. Per market step, as the market feed
/// does: at a checkpoint boundary of market time the events so far are delivered and a barrier samples the equity and
/// lets risk see it; a step with a signal is delivered, then the instrument handles the signal. Within one delivery the
/// marks reach the portfolio before the fills the venue made, as they do in the actors. Each event reaches the venue as it
/// comes, before the market processor, which reads the venue's book (one book per symbol); the venue sees the same
/// events and orders in the same order as when they reach it at the delivery, so what it does is the same. The events
/// stream through: nothing holds the file.
/// </summary>
public sealed class BacktestKernel
{
    private readonly KernelSettings _settings;
    private readonly MarketProcessor _processor;
    private readonly SimulatedExchange _venue;
    private readonly PortfolioBook _portfolio;
    private readonly PreTradeReview _review = new();
    private readonly BadTickGuard _ticks;
    private (RiskState? Risk, DateOnly Day, decimal Equity, decimal Gross) _quiet; // the last checkpoint the rules had nothing for
    private readonly Dictionary<Symbol, InstrumentRules> _instruments = new();
    private readonly Dictionary<ClientOrderId, OrderState> _orders = new();
    private readonly SortedSet<(DateTime CreatedAt, string Id)> _open = new(OldestFirst.Instance);
    // Events the venue saw since the last delivery.
    private int _undelivered;
    // The latest mark per symbol of one delivery; sent in symbol order as the gateway sends them.
    private readonly List<(Symbol Symbol, decimal Price, DateTime Time)> _marks = new();
    private readonly List<Fill> _unbooked = new();
    private RiskState _risk = RiskState.Initial;
    private long? _bucket;

    public BacktestKernel(KernelSettings settings)
    {
        if (settings.Unsupported is { } why) throw new NotSupportedException(why);
        if (settings.CheckpointEvery <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(settings), "the checkpoint interval must be positive");
        _settings = settings;
        _venue = new SimulatedExchange(settings.Catalog, settings.Exchange);
        _processor = new MarketProcessor(settings.CandleInterval, settings.Strategies, sharedBooks: _venue.BookFor);
        _portfolio = new PortfolioBook(settings.InitialCash, settings.EquitySampleEvery);
        _ticks = new BadTickGuard(settings.Limits.BadTickJump);
        // The review counts positions and working orders from the order events below, as the governor counts the order manager's.
        _review.Ledger.Reset([]);
    }

    public KernelResult Result { get; } = new();

    public PortfolioState Portfolio => _portfolio.State;
    public RiskState Risk => _risk;

    /// <summary>Runs every event, then the last checkpoint. <paramref name="progress"/> sees the result every 65,536 events.</summary>
    public KernelResult Run(IEnumerable<IMarketEvent> events, CancellationToken ct = default, Action<KernelResult>? progress = null)
    {
        foreach (var e in events)
        {
            Step(e);
            if ((Result.Events & 0xFFFF) == 0)
            {
                ct.ThrowIfCancellationRequested();
                progress?.Invoke(Result);
            }
        }
        Finish();
        return Result;
    }

    /// <summary>One market event: the checkpoint it ends, the venue, the market processor; its signal as the market feed handles it.</summary>
    private void Step(IMarketEvent e)
    {
        var bucket = e.Time.Ticks / _settings.CheckpointEvery.Ticks;
        if (_bucket is { } b && bucket != b && Result.Last is { } last)
        {
            TryDeliver();
            TryBarrier(last, force: false);
        }
        _bucket = bucket;
        Result.First ??= e.Time;
        Result.Last = e.Time;
        Result.Events++;
        // The venue first: what is due before this event, then the event on the book the processor reads.
        TryVenue(e);
        var step = _processor.ProcessLive(e);
        if (step.Signal is { } signal)
        {
            Result.Signals++;
            TryDeliver();
            try
            {
                HandleSignal(signal, step.BestBid, step.BestAsk);
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                // As the instrument actor: a failed signal is an execution error (towards MAX_CONSECUTIVE_ERRORS), not a failed run.
                ExecutionError("failed: " + failure.GetBaseException().Message, signal.Time);
            }
        }
    }

    /// <summary>The end of the data: what is pending reaches the venue, and a last (forced) checkpoint.</summary>
    public void Finish()
    {
        TryDeliver();
        TryBarrier(Result.Last ?? DateTime.UnixEpoch, force: true);
        Result.Portfolio = _portfolio.State;
        Result.Risk = _risk;
    }

    /// <summary>An event to the venue: its reports through the order fold, and its mark for the next delivery.</summary>
    private void Venue(IMarketEvent e)
    {
        _undelivered++;
        OnReports(_venue.OnMarketEvent(e));
        decimal? mark = e switch
        {
            BookUpdate => _venue.BookOf(e.Symbol)?.Mid,
            Trade t => t.Price,
            Candle c => c.Close,
            _ => null,
        };
        if (mark is { } price) SetMark(e.Symbol, price, e.Time);
    }

    /// <summary>What the events since the last delivery did, to the portfolio: their marks (the latest per symbol), then their fills.</summary>
    private void Deliver()
    {
        if (_undelivered == 0) return;
        _undelivered = 0;
        if (_marks.Count > 1) _marks.Sort(BySymbol);
        foreach (var (symbol, price, time) in _marks) _portfolio.Mark(symbol, price, time);
        _marks.Clear();
        BookFills();
    }

    private static readonly Comparison<(Symbol Symbol, decimal Price, DateTime Time)> BySymbol =
        static (x, y) => string.CompareOrdinal(x.Symbol.Value, y.Symbol.Value);

    /// <summary>The symbol's mark of this delivery (a delivery holds a few symbols: a list beats a map).</summary>
    private void SetMark(Symbol symbol, decimal price, DateTime time)
    {
        for (var i = 0; i < _marks.Count; i++)
        {
            if (_marks[i].Symbol != symbol) continue;
            _marks[i] = (symbol, price, time);
            return;
        }
        _marks.Add((symbol, price, time));
    }

    private void OnReports(IReadOnlyList<ExecutionReport> reports)
    {
        for (var i = 0; i < reports.Count; i++) OnReport(reports[i]);
    }

    private void BookFills()
    {
        foreach (var fill in _unbooked) _portfolio.Apply(new FillBooked(fill));
        _unbooked.Clear();
    }

    /// <summary>The equity curve's sample at this checkpoint, and risk's look at the equity (day, peak, drawdown, kill switch).</summary>
    private void Barrier(DateTime time, bool force)
    {
        if (_portfolio.SampleAt(time, force) is { } sample)
        {
            _portfolio.Apply(sample);
            Result.Equity.Add(sample);
        }
        // The book's equity and exposure at its latest marks: the state is made only when something needs it (a sample, a signal).
        if (_ticks.Observe(_portfolio.Equity) is not { } equity) return; // a jump waits for confirmation, as in the risk governor
        var gross = _portfolio.GrossExposure;
        // The rules are a pure function of the risk state, the day, the equity and the exposure: most checkpoints ask them
        // again what they answered with nothing the checkpoint before.
        var day = DateOnly.FromDateTime(time);
        if (ReferenceEquals(_quiet.Risk, _risk) && _quiet.Day == day && _quiet.Equity == equity && _quiet.Gross == gross) return;
        var events = _risk.OnEquity(time, equity, _settings.Limits, gross);
        if (events.Count == 0)
        {
            _quiet = (_risk, day, equity, gross);
            return;
        }
        // As the governor persists them: the rest first, then the kill switch (which cancels everything).
        for (var i = 0; i < events.Count; i++)
            if (events[i] is not KillSwitchEngaged) _risk = _risk.Apply(events[i]);
        for (var i = 0; i < events.Count; i++)
            if (events[i] is KillSwitchEngaged engaged) Engage(engaged with { Equity = equity });
    }

    private void Engage(KillSwitchEngaged e)
    {
        if (!_risk.KillSwitchEngaged)
        {
            _risk = _risk.Apply(e);
            Result.Stops.Add(e);
        }
        // Cancelling is idempotent; the governor cancels again whenever a rule engages it.
        foreach (var report in _venue.CancelAll(null, e.Time)) OnReport(report);
        BookFills();
    }

    /// <summary>What the instrument actor does with a signal: replace what works in the symbol, decide, review, register, send.</summary>
    private void HandleSignal(Signal signal, decimal? bestBid, decimal? bestAsk)
    {
        if (!_settings.Catalog.TryGet(signal.Symbol, out var instrument)) return;
        if (!_instruments.TryGetValue(signal.Symbol, out var rules))
            _instruments[signal.Symbol] = rules = new InstrumentRules(instrument, _settings.Instruments);

        foreach (var o in OpenOrders(signal.Symbol))
            foreach (var report in _venue.Cancel(o.Id, signal.Time)) OnReport(report);
        BookFills();

        if (rules.Decide(signal, bestBid, bestAsk, _portfolio.State, OpenOrders(null)) is not InstrumentDecision.Send send) return;
        var review = _review.Review(_risk, _settings.Limits, send.Context, send.Sizing);
        _risk = _risk.Apply(review);
        if (review is OrderRequestRejected rejected)
        {
            Result.RiskRejections.Add(rejected);
            return;
        }

        var request = send.Request;
        if (_orders.ContainsKey(request.ClientOrderId))
        {
            _review.Ledger.Release(request.ClientOrderId);
            ExecutionError($"{request.ClientOrderId}: client order id {request.ClientOrderId} was used before", signal.Time);
            return;
        }
        Apply(new OrderCreated(request, signal.Time, signal.Strategy, send.Mid) { SignalPrice = signal.ReferencePrice });
        // Submitted before the venue sees it, as the gateway persists it.
        Apply(new OrderSubmitted(request.ClientOrderId, signal.Time));
        IReadOnlyList<ExecutionReport> reports;
        try
        {
            reports = _venue.Submit(request, signal.Time);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // As the gateway: whatever the venue throws is a placement that failed.
            ExecutionError($"{request.ClientOrderId}: {ex.Message}", signal.Time);
            return;
        }
        foreach (var report in reports) OnReport(report);
        BookFills();
        if (_risk.ConsecutiveErrors > 0) _risk = _risk.Apply(new ExecutionErrorsCleared(signal.Time));
    }

    private void ExecutionError(string detail, DateTime time)
    {
        _risk = _risk.Apply(new ExecutionErrorRecorded(time, detail));
        if (_risk.ErrorBurst(time, detail, _settings.Limits) is { } engage) Engage(engage);
    }

    /// <summary>Open orders (of one symbol, or all), oldest first, as the order manager lists them.</summary>
    private List<OrderState> OpenOrders(Symbol? symbol)
    {
        var list = new List<OrderState>(_open.Count);
        foreach (var (_, id) in _open)
        {
            var o = _orders[new ClientOrderId(id)];
            if (symbol is null || o.Symbol == symbol) list.Add(o);
        }
        return list;
    }

    /// <summary>A venue report through the order fold: duplicates and overfills are dropped, as the order manager drops them.</summary>
    private void OnReport(ExecutionReport report)
    {
        if (!_orders.TryGetValue(report.ClientOrderId, out var order))
        {
            Result.ReportsDropped++;
            return;
        }
        if (report is OrderFilledReport f && order.IsOverfill(f))
        {
            Result.ReportsDropped++;
            return;
        }
        var events = order.Decide(report);
        if (events.Count == 0) Result.ReportsDropped++;
        foreach (var e in events) Apply(e);
    }

    private void Apply(IOrderEvent e)
    {
        if (e is OrderCreated c)
        {
            _orders[c.ClientOrderId] = OrderState.Create(c);
            _review.Ledger.Apply(_orders[c.ClientOrderId]);
            _open.Add((c.Time, c.ClientOrderId.Value));
            Result.OrdersCreated++;
            if (!c.Origin.Contains(':', StringComparison.Ordinal)) Result.Direct[c.ClientOrderId] = (c, []);
            return;
        }
        if (!_orders.TryGetValue(e.ClientOrderId, out var before)) return;
        var after = before.Apply(e);
        _orders[e.ClientOrderId] = after;
        _review.Ledger.Apply(after, (e as OrderFilled)?.Fill);
        switch (e)
        {
            case OrderRevived:
                Result.OrdersRejected--;
                break;
            case OrderFilled filled:
                Result.Fills.Add(filled.Fill);
                if (Result.Direct.TryGetValue(e.ClientOrderId, out var direct)) direct.Fills.Add(filled.Fill);
                _unbooked.Add(filled.Fill);
                break;
            case OrderRejected rejected:
                Result.Rejections.Add(rejected);
                break;
        }
        var wasOpen = before.Status.IsOpen();
        if (wasOpen != after.Status.IsOpen())
        {
            if (after.Status.IsOpen()) _open.Add((after.CreatedAt, after.Id.Value));
            else _open.Remove((before.CreatedAt, before.Id.Value));
        }
        if (!before.Status.IsTerminal() && after.Status.IsTerminal())
        {
            switch (after.Status)
            {
                case OrderStatus.Filled: Result.OrdersFilled++; break;
                case OrderStatus.Cancelled: Result.OrdersCancelled++; break;
                case OrderStatus.Rejected: Result.OrdersRejected++; break;
            }
        }
    }

    // An event the venue fails on, a delivery or a barrier that fails, is counted and the run goes on, as the market feed does.
    private void TryVenue(IMarketEvent e)
    {
        try
        {
            Venue(e);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            Failed(failure);
        }
    }

    private void TryDeliver()
    {
        try
        {
            Deliver();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failed(e);
        }
    }

    private void TryBarrier(DateTime time, bool force)
    {
        try
        {
            Barrier(time, force);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            Failed(e);
        }
    }

    private void Failed(Exception e)
    {
        Result.Errors++;
        Result.FirstError ??= e.GetBaseException().Message;
    }
}

/// <summary>What a kernel run produced: counts, the fills and the equity curve in order, the refusals, the final states.</summary>
public sealed class KernelResult
{
    public long Events { get; internal set; }
    public long Signals { get; internal set; }
    public DateTime? First { get; internal set; }
    public DateTime? Last { get; internal set; }
    public long OrdersCreated { get; internal set; }
    public long OrdersFilled { get; internal set; }
    public long OrdersCancelled { get; internal set; }
    public long OrdersRejected { get; internal set; }
    public long ReportsDropped { get; internal set; }
    public long Errors { get; internal set; }
    public string? FirstError { get; internal set; }
    public List<Fill> Fills { get; } = [];
    public List<EquitySampled> Equity { get; } = [];
    public List<OrderRejected> Rejections { get; } = [];
    public List<OrderRequestRejected> RiskRejections { get; } = [];
    public List<KillSwitchEngaged> Stops { get; } = [];

    /// <summary>Orders sent without an algorithm, with their fills (for execution quality).</summary>
    public Dictionary<ClientOrderId, (OrderCreated Created, List<Fill> Fills)> Direct { get; } = new();

    public PortfolioState? Portfolio { get; internal set; }
    public RiskState? Risk { get; internal set; }
}

/// <summary>
/// Open orders oldest first, then by id (ordinal): what the default comparer of the tuple does under invariant globalization,
/// as a comparer of ours (the default one over a tuple with a value type was code the JIT compiled, and left unoptimised,
/// in every process).
/// </summary>
internal sealed class OldestFirst : IComparer<(DateTime CreatedAt, string Id)>
{
    public static readonly OldestFirst Instance = new();

    public int Compare((DateTime CreatedAt, string Id) x, (DateTime CreatedAt, string Id) y)
    {
        var byTime = x.CreatedAt.CompareTo(y.CreatedAt);
        return byTime != 0 ? byTime : string.CompareOrdinal(x.Id, y.Id);
    }
}
