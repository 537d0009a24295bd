using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using Hean.Actors.Common;
using Hean.Actors.Monitoring;
using Hean.Core.Portfolio;
using static Hean.Actors.Portfolio.PortfolioProtocol;

namespace Hean.Actors.Portfolio;

/// <summary>
/// Positions, cash, PnL and the equity curve, event-sourced. Fills come only from the order
/// manager (already deduplicated); marks come from the venue and are last-writer-wins by time,
/// so the order in which the two arrive cannot change the state.
/// </summary>
public sealed class PortfolioActor : ReceivePersistentActor
{
    public const string Id = "portfolio";
    private const int KeepEquitySamples = 2000;

    private readonly int _snapshotEvery;
    private readonly TimeSpan _sampleEvery;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, DateTime> _markTimes = new();
    private readonly LinkedList<EquitySampled> _equity = new();
    private PortfolioState _state;
    private DateTime _lastSample;
    private decimal _lastSampledEquity = decimal.MinValue;
    private int _pendingFills; // fills handed to PersistAll, not yet applied
    private readonly Hean.Core.Risk.TradeStatistics _trades = new(100);

    public override string PersistenceId => Id;

    /// <param name="fillSource">Path of the order manager, asked for missed fills after a restart (null: none).</param>
    public PortfolioActor(decimal initialCash, TimeSpan sampleEvery, int snapshotEvery = 500, string? fillSource = null)
    {
        _state = PortfolioState.Start(initialCash);
        _sampleEvery = sampleEvery;
        _snapshotEvery = snapshotEvery;

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is PortfolioSnapshot s)
            {
                _state = s.State;
                foreach (var e in s.RecentEquity) _equity.AddLast(e);
                if (s.RecentEquity.Count > 0)
                {
                    var last = s.RecentEquity[^1];
                    (_lastSample, _lastSampledEquity) = (last.Time, last.Equity);
                    foreach (var symbol in last.Marks.Keys) _markTimes[symbol] = last.Time;
                }
                // Older snapshots have no mark times; the last sample's time is the best bound for them.
                foreach (var pnl in s.RecentTrades ?? []) _trades.Add(pnl);
                if (s.MarkTimes is { } times)
                    foreach (var (symbol, time) in times) _markTimes[symbol] = time;
            }
        });
        Recover<IPortfolioEvent>(Apply);
        Recover<RecoveryCompleted>(_ =>
        {
            Publish();
            _log.Info("portfolio recovered: equity {0:F2}, {1} positions, {2} fills", _state.Equity,
                _state.Positions.Values.Count(p => !p.IsFlat), _state.FillCount);
            // Fills sent while we were down were lost in transit, never in the order journal: catch up.
            if (fillSource is not null) Context.ActorSelection(fillSource).Tell(new ResendFills(_state.FillCount));
        });

        Command<BookFill>(m => Book([m], Sender));
        Command<BookFunding>(m =>
        {
            if (_state.HasFunding(m.Payment.Id)) return;
            Persist(new FundingBooked(m.Payment), e =>
            {
                Apply(e);
                _log.Info("funding {0}: {1} paid at rate {2}", e.Payment.Symbol, e.Payment.Amount, e.Payment.Rate);
                Publish();
                MaybeSnapshot();
            });
        });
        Command<FillsSince>(m =>
        {
            if (!m.Complete) _log.Error("the order manager no longer holds every fill after {0}: reconcile the portfolio", _state.FillCount);
            Book(m.Fills, Sender);
        });
        Command<UpdateMarks>(m =>
        {
            foreach (var mark in m.Marks)
            {
                var key = mark.Symbol.Value;
                if (_markTimes.TryGetValue(key, out var t) && t > mark.Time) continue;
                _markTimes[key] = mark.Time;
                _state = _state.Mark(mark.Symbol, mark.Price, mark.Time);
            }
            Publish();
        });
        Command<Checkpoint>(m =>
        {
            var equity = _state.Equity;
            var due = m.Force || m.Time - _lastSample >= _sampleEvery;
            if (due && (m.Force || equity != _lastSampledEquity))
            {
                var sample = new EquitySampled(m.Time, new SortedDictionary<string, decimal>(_state.Marks, StringComparer.Ordinal), equity);
                var sender = Sender;
                Persist(sample, e =>
                {
                    Apply(e);
                    Context.System.EventStream.Publish(e);
                    sender.Tell(View());
                    MaybeSnapshot();
                });
                return;
            }
            Sender.Tell(View());
        });
        Command<GetPortfolio>(_ => Sender.Tell(View()));
        Command<GetTradeStatistics>(_ => Sender.Tell(new TradeStats(_trades.Count, _trades.WinRate, _trades.PayoffRatio, Copy(_trades))));
        Command<GetEquityCurve>(_ => Sender.Tell(new EquityCurve(_equity.ToList())));
        Command<Sync>(_ => Sender.Tell(Synced.Instance));
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning("portfolio snapshot failed: {0}", f.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning("deleting old portfolio snapshots failed: {0}", f.Cause.Message));
    }

    /// <summary>Books the fills that follow the last booked one, in order; a gap asks the sender for a resend.</summary>
    private void Book(IEnumerable<BookFill> fills, IActorRef source)
    {
        var expected = _state.FillCount + 1 + _pendingFills;
        var next = new List<FillBooked>();
        foreach (var f in fills.OrderBy(f => f.Seq))
        {
            if (f.Seq < expected) continue; // booked already
            if (f.Seq > expected)
            {
                _log.Warning("fill {0} arrived but {1} is missing: asking for a resend", f.Seq, expected);
                source.Tell(new ResendFills(expected - 1));
                break;
            }
            next.Add(new FillBooked(f.Fill));
            expected++;
        }
        if (next.Count == 0) return;
        _pendingFills += next.Count;
        PersistAll(next, e =>
        {
            _pendingFills--;
            Apply(e);
            Publish();
            MaybeSnapshot();
        });
    }

    private void Apply(IPortfolioEvent e)
    {
        switch (e)
        {
            case FillBooked f:
                // A fill is a mark only if nothing newer marked the symbol: fills reach us later than marks.
                var key = f.Fill.Symbol.Value;
                var newerMark = _markTimes.TryGetValue(key, out var markedAt) && markedAt > f.Fill.Time ? _state.MarkOf(f.Fill.Symbol) : null;
                var realizedBefore = _state.PositionOf(f.Fill.Symbol).RealizedPnl;
                _state = _state.Apply(f.Fill);
                // A fill that closes (part of) a position ends a trade: its PnL after this fill's fee feeds Kelly.
                var realized = _state.PositionOf(f.Fill.Symbol).RealizedPnl - realizedBefore;
                if (realized != 0) _trades.Add(realized - f.Fill.Fee);
                if (newerMark is { } mark) _state = _state with { Marks = _state.Marks.SetItem(key, mark) };
                else _markTimes[key] = f.Fill.Time;
                break;
            case FundingBooked f:
                _state = _state.Apply(f.Payment);
                break;
            case EquitySampled s:
                foreach (var (symbol, price) in s.Marks)
                {
                    if (_markTimes.TryGetValue(symbol, out var t) && t > s.Time) continue;
                    _markTimes[symbol] = s.Time;
                    _state = _state.Mark(new Core.Domain.Symbol(symbol), price, s.Time);
                }
                _equity.AddLast(s);
                while (_equity.Count > KeepEquitySamples) _equity.RemoveFirst();
                _lastSample = s.Time;
                _lastSampledEquity = s.Equity;
                break;
        }
    }

    private static Hean.Core.Risk.TradeStatistics Copy(Hean.Core.Risk.TradeStatistics source)
    {
        var copy = new Hean.Core.Risk.TradeStatistics(source.Window);
        foreach (var p in source.Pnls) copy.Add(p);
        return copy;
    }

    private void MaybeSnapshot()
    {
        if (LastSequenceNr % _snapshotEvery == 0) SaveSnapshot(new PortfolioSnapshot(_state, _equity.ToList(),
            new SortedDictionary<string, DateTime>(_markTimes, StringComparer.Ordinal)) { RecentTrades = _trades.Pnls });
    }

    private PortfolioView View() => new(_state, _equity.TakeLast(100).ToList());

    private void Publish()
    {
        HeanMetrics.Pnl.Set((double)_state.Pnl);
        HeanMetrics.Equity.Set((double)_state.Equity);
        foreach (var p in _state.Positions.Values)
            HeanMetrics.Position.WithLabels(p.Symbol.Value).Set((double)p.Qty);
    }
}

/// <summary>Snapshot of the portfolio: the state, the recent equity curve and the time of each symbol's mark.</summary>
public sealed record PortfolioSnapshot(PortfolioState State, IReadOnlyList<EquitySampled> RecentEquity,
    IReadOnlyDictionary<string, DateTime>? MarkTimes = null)
{
    /// <summary>PnL of the recent closed trades (Kelly statistics); absent in older snapshots.</summary>
    public IReadOnlyList<decimal>? RecentTrades { get; init; }
}
