using System.Diagnostics;
using Akka.Actor;
using Akka.Event;
using Hean.Actors.Common;
using Hean.Actors.Execution;
using Hean.Actors.Instruments;
using Hean.Actors.Monitoring;
using Hean.Actors.Orders;
using Hean.Actors.Portfolio;
using Hean.Actors.Risk;
using Hean.Core.Features;
using Hean.Core.MarketData;
using Hean.Streams.MarketData;
using static Hean.Actors.Feed.FeedProtocol;

namespace Hean.Actors.Feed;

/// <summary>
/// Where the market-data graph delivers, one batch at a time. It hands market events to the venue,
/// signals to the instruments, and at every checkpoint boundary of market time it runs a barrier
/// (venue → orders → portfolio checkpoint → risk equity check). Because each step is awaited and
/// the boundaries depend only on market time, a backtest gives the same fills on every run, however
/// the stream happens to batch. The stream gets its acknowledgement only after all of that: that
/// is the backpressure from the actors to the source.
/// </summary>
public sealed class MarketFeed : ReceiveActor
{
    private readonly IActorRef _gateway, _orders, _portfolio, _risk, _instruments;
    private readonly IActorRef? _execution;
    private readonly TimeSpan _checkpointEvery;
    private readonly HeanTimeouts _timeouts;
    private readonly TaskCompletionSource<FeedStatus>? _completion;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly List<IMarketEvent> _pending = new(512);
    private readonly HashSet<Hean.Core.Domain.Symbol> _symbols = new();
    private readonly Stopwatch _wall = new();

    private long _events, _signals, _batches, _errors;
    private long? _bucket;
    private DateTime? _first, _last;
    private string? _lastError;
    private DateTime? _lastErrorAt;
    private string? _firstError;
    private bool _streamFailed;
    private bool _paused, _completed;
    private (IReadOnlyList<MarketStep> Batch, IActorRef Stream)? _held;

    public MarketFeed(IActorRef gateway, IActorRef orders, IActorRef portfolio, IActorRef risk, IActorRef instruments,
        TimeSpan checkpointEvery, HeanTimeouts timeouts, TaskCompletionSource<FeedStatus>? completion = null, IActorRef? execution = null)
    {
        if (checkpointEvery <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(checkpointEvery));
        (_gateway, _orders, _portfolio, _risk, _instruments) = (gateway, orders, portfolio, risk, instruments);
        _execution = execution;
        (_checkpointEvery, _timeouts, _completion) = (checkpointEvery, timeouts, completion);

        Receive<StreamInit>(_ =>
        {
            _wall.Start();
            Sender.Tell(StreamAck.Instance);
        });
        ReceiveAsync<IReadOnlyList<MarketStep>>(async batch =>
        {
            if (_paused)
            {
                _held = (batch, Sender);
                return;
            }
            await Process(batch);
            Sender.Tell(StreamAck.Instance);
        });
        ReceiveAsync<StreamCompleted>(async _ =>
        {
            await Guarded(() => Barrier(_last ?? DateTime.UtcNow, force: true));
            _completed = true;
            _wall.Stop();
            _log.Info("market data complete: {0} events, {1} signals", _events, _signals);
            _completion?.TrySetResult(Status());
        });
        Receive<StreamFailed>(f =>
        {
            _errors++;
            _lastError = f.Cause.Message;
            _lastErrorAt = DateTime.UtcNow;
            _streamFailed = true;
            _log.Error(f.Cause, "market data stream failed");
            _completion?.TrySetException(f.Cause);
        });
        ReceiveAsync<Pause>(async _ =>
        {
            if (!_paused && _last is { } t) await Guarded(() => Barrier(t, force: true));
            _paused = true;
            Sender.Tell(Status());
        });
        ReceiveAsync<Resume>(async _ =>
        {
            _paused = false;
            if (_held is { } h)
            {
                _held = null;
                await Process(h.Batch);
                h.Stream.Tell(StreamAck.Instance);
            }
            Sender.Tell(Status());
        });
        Receive<GetStatus>(_ => Sender.Tell(Status()));
    }

    private async Task Process(IReadOnlyList<MarketStep> batch)
    {
        _batches++;
        foreach (var step in batch)
        {
            var e = step.Event;
            var bucket = e.Time.Ticks / _checkpointEvery.Ticks;
            if (_bucket is { } b && bucket != b && _last is { } lastTime)
            {
                await Flush();
                await Guarded(() => Barrier(lastTime, force: false));
            }
            _bucket = bucket;
            _first ??= e.Time;
            if (_symbols.Add(e.Symbol)) _instruments.Tell(new InstrumentProtocol.PrepareInstrument(e.Symbol));
            _last = e.Time;
            _events++;
            _pending.Add(e);
            // CANDLE and FEATURES_READY for the event bus; nobody waits on them.
            if (step.ClosedCandle is { } candle) Context.System.EventStream.Publish(candle);
            if (step.Decision is { } decision) Context.System.EventStream.Publish(new FeaturesReady(e.Symbol, decision.Time, decision.Features));
            if (step.Signal is { } signal)
            {
                _signals++;
                if (step.TickToSignalSeconds is { } tickToSignal) HeanMetrics.Latency.WithLabels("tick_to_signal").Observe(tickToSignal);
                Context.System.EventStream.Publish(signal); // for the event bus (SIGNAL); nobody waits on it
                await Flush();
                var s = step;
                await Guarded(() => _instruments.Ask<InstrumentProtocol.SignalHandled>(
                    new InstrumentProtocol.HandleSignal(signal, s.BestBid, s.BestAsk, s.SignalAt ?? Stopwatch.GetTimestamp()), _timeouts.Ask));
            }
        }
        await Flush();
        HeanMetrics.MarketEvents.WithLabels("all").Inc(batch.Count);
    }

    private async Task Flush()
    {
        if (_pending.Count == 0) return;
        var events = _pending.ToArray();
        _pending.Clear();
        await Guarded(() => _gateway.Ask<ExecutionProtocol.MarketDataApplied>(new ExecutionProtocol.ApplyMarketData(events), _timeouts.Ask));
        // Execution algorithms act on market time, never on timers: they decide after the venue has seen the batch.
        if (_execution is not null)
            await Guarded(() => _execution.Ask<ExecutionProtocol.MarketTimeHandled>(new ExecutionProtocol.MarketTimeAdvanced(events[^1].Time), _timeouts.Ask));
    }

    private async Task Barrier(DateTime time, bool force)
    {
        await _gateway.Ask<Synced>(Sync.Instance, _timeouts.Ask);
        await _orders.Ask<Synced>(Sync.Instance, _timeouts.Ask);
        var view = await _portfolio.Ask<PortfolioProtocol.PortfolioView>(new PortfolioProtocol.Checkpoint(time, force), _timeouts.Ask);
        await _risk.Ask<RiskProtocol.EquityObserved>(new RiskProtocol.ObserveEquity(time, view.State.Equity, view.State.GrossExposure), _timeouts.Ask);
    }

    /// <summary>A failed step is logged and counted; the feed goes on (health shows the errors).</summary>
    private async Task Guarded(Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception ex)
        {
            _errors++;
            _lastError = ex.GetBaseException().Message;
            _firstError ??= _lastError;
            _lastErrorAt = DateTime.UtcNow;
            HeanMetrics.Errors.WithLabels("feed").Inc();
            _log.Error("market feed step failed: {0}", _lastError);
        }
    }

    private FeedStatus Status()
    {
        var seconds = _wall.Elapsed.TotalSeconds;
        return new FeedStatus(_events, _signals, _batches, _first, _last, seconds > 0 ? _events / seconds : 0,
            _paused, _completed, _errors, _lastError) { LastErrorAt = _lastErrorAt, StreamFailed = _streamFailed, FirstError = _firstError };
    }
}
