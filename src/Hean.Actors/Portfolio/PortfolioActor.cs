using Akka.Actor;
using Akka.Event;
using Akka.Hosting;
using Akka.Persistence;
using Hean.Actors.Common;
using Hean.Actors.Monitoring;
using Hean.Actors.Orders;
using Hean.Core.Domain;
using Hean.Core.Portfolio;
using static Hean.Actors.Portfolio.PortfolioProtocol;

namespace Hean.Actors.Portfolio;

/// <summary>
/// Positions, cash, PnL and the equity curve, event-sourced. Fills come only from the order
/// manager (already deduplicated); marks come from the venue and are last-writer-wins by time,
/// so the order in which the two arrive cannot change the state.
/// </summary>
public sealed class PortfolioActor : HeanPersistentActor
{
    public const string Id = "portfolio";
    private const int KeepEquitySamples = 2000;

    private readonly int _snapshotEvery;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly LinkedList<EquitySampled> _equity = new();
    private readonly PortfolioBook _book;
    private readonly Dictionary<Symbol, int> _pendingFills = new(); // fills handed to PersistAll, not yet applied

    private PortfolioState State => _book.State;

    public override string PersistenceId => Id;

    /// <param name="fillSource">The order manager, asked for missed fills after a restart (null: none); found through the
    /// ActorRegistry, where it is registered after the portfolio starts.</param>
    public PortfolioActor(decimal initialCash, TimeSpan sampleEvery, int snapshotEvery = 500, IRequiredActor<OrderManager>? fillSource = null)
    {
        _book = new PortfolioBook(initialCash, sampleEvery);
        _snapshotEvery = snapshotEvery;

        Recover<SnapshotOffer>(offer =>
        {
            if (offer.Snapshot is PortfolioSnapshot s)
            {
                foreach (var e in s.RecentEquity) _equity.AddLast(e);
                _book.Restore(s.State, s.RecentEquity.Count > 0 ? s.RecentEquity[^1] : null, s.RecentTrades, s.MarkTimes);
            }
        });
        Recover<IPortfolioEvent>(Apply);
        Recover<RecoveryCompleted>(_ =>
        {
            Publish();
            _log.Info("portfolio recovered: equity {0:F2}, {1} positions, {2} fills", State.Equity,
                State.Positions.Values.Count(p => !p.IsFlat), State.FillCount);
            // Fills sent while we were down were lost in transit, never in the order journal: catch up.
            if (State.FillCount > 0 && State.FillSeqs.IsEmpty)
                _log.Error("the portfolio counts its {0} fills globally, as versions before per-symbol order entities did: its journal was not migrated " +
                           "(JournalLayout runs before the trading components start); no fills are asked for again", State.FillCount);
            else if (fillSource is not null)
            {
                var (self, resend) = (Self, new ResendFills(State.FillSeqs, AllSymbols: true));
                fillSource.GetAsync().ContinueWith(t => t.Result.Tell(resend, self), TaskContinuationOptions.OnlyOnRanToCompletion);
            }
        });

        Command<BookFill>(m => Book([m], Sender));
        Command<BookFunding>(m =>
        {
            if (State.HasFunding(m.Payment.Id)) return;
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
            if (!m.Complete) _log.Error("the orders of {0} no longer hold every fill after {1}: reconcile the portfolio", m.Symbol, State.FillSeqOf(m.Symbol));
            Book(m.Fills, Sender);
        });
        Command<UpdateMarks>(m =>
        {
            foreach (var mark in m.Marks) _book.Mark(mark.Symbol, mark.Price, mark.Time);
            Publish();
        });
        Command<Checkpoint>(m =>
        {
            if (_book.SampleAt(m.Time, m.Force) is { } sample)
            {
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
        Command<GetTradeStatistics>(_ => Sender.Tell(new TradeStats(_book.Trades.Count, _book.Trades.WinRate, _book.Trades.PayoffRatio, Copy(_book.Trades))));
        Command<GetEquityCurve>(_ => Sender.Tell(new EquityCurve(_equity.ToList())));
        Command<Sync>(_ => Sender.Tell(Synced.Instance));
        Command<SaveSnapshotSuccess>(s => DeleteSnapshots(new SnapshotSelectionCriteria(s.Metadata.SequenceNr - 1)));
        Command<SaveSnapshotFailure>(f => _log.Warning("portfolio snapshot failed: {0}", f.Cause.Message));
        Command<DeleteSnapshotsSuccess>(_ => { });
        Command<DeleteSnapshotsFailure>(f => _log.Warning("deleting old portfolio snapshots failed: {0}", f.Cause.Message));
    }

    /// <summary>Books the fills of a symbol that follow its last booked one, in order; a gap asks the sender for a resend.</summary>
    private void Book(IEnumerable<BookFill> fills, IActorRef source)
    {
        var next = new List<FillBooked>();
        foreach (var bySymbol in fills.GroupBy(f => f.Symbol))
        {
            var symbol = bySymbol.Key;
            var expected = State.FillSeqOf(symbol) + 1 + _pendingFills.GetValueOrDefault(symbol) + next.Count(f => f.Fill.Symbol == symbol);
            foreach (var f in bySymbol.OrderBy(f => f.Seq))
            {
                if (f.Seq < expected) continue; // booked already
                if (f.Seq > expected)
                {
                    _log.Warning("fill {0} of {1} arrived but {2} is missing: asking for a resend", f.Seq, symbol, expected);
                    source.Tell(new ResendFills(new Dictionary<string, long> { [symbol.Value] = expected - 1 }));
                    break;
                }
                next.Add(new FillBooked(f.Fill));
                expected++;
            }
        }
        if (next.Count == 0) return;
        foreach (var f in next) _pendingFills[f.Fill.Symbol] = _pendingFills.GetValueOrDefault(f.Fill.Symbol) + 1;
        PersistAll(next, e =>
        {
            if (--_pendingFills[e.Fill.Symbol] == 0) _pendingFills.Remove(e.Fill.Symbol);
            Apply(e);
            Publish();
            MaybeSnapshot();
        });
    }

    private void Apply(IPortfolioEvent e)
    {
        _book.Apply(e);
        if (e is not EquitySampled s) return;
        _equity.AddLast(s);
        while (_equity.Count > KeepEquitySamples) _equity.RemoveFirst();
    }

    private static Hean.Core.Risk.TradeStatistics Copy(Hean.Core.Risk.TradeStatistics source)
    {
        var copy = new Hean.Core.Risk.TradeStatistics(source.Window);
        foreach (var p in source.Pnls) copy.Add(p);
        return copy;
    }

    private void MaybeSnapshot()
    {
        if (LastSequenceNr % _snapshotEvery == 0) SaveSnapshot(new PortfolioSnapshot(State, _equity.ToList(),
            new SortedDictionary<string, DateTime>(_book.MarkTimes.ToDictionary(), StringComparer.Ordinal)) { RecentTrades = _book.Trades.Pnls });
    }

    private PortfolioView View() => new(State, RecentEquity(100));

    /// <summary>The last samples, oldest first, walked from the end: every checkpoint answers with them, and LINQ's TakeLast
    /// on a linked list walks all <see cref="KeepEquitySamples"/> of them.</summary>
    private List<EquitySampled> RecentEquity(int count)
    {
        var recent = new List<EquitySampled>(Math.Min(count, _equity.Count));
        for (var node = _equity.Last; node is not null && recent.Count < count; node = node.Previous) recent.Add(node.Value);
        recent.Reverse();
        return recent;
    }

    private void Publish()
    {
        HeanMetrics.Pnl.Set((double)State.Pnl);
        HeanMetrics.Equity.Set((double)State.Equity);
        foreach (var p in State.Positions.Values)
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
