using Akka;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence.Query;
using Akka.Streams;
using Akka.Streams.Dsl;
using Hean.Actors.Persistence;

namespace Hean.Actors.History;

/// <summary>Where the projection reads and writes, and how it batches.</summary>
public sealed record HistorySettings(HistoryStore Store, string ReadJournal, decimal InitialCapital)
{
    public IReadOnlyList<string> Tags { get; init; } = [HeanTagger.Order, HeanTagger.Fill, HeanTagger.Pnl];
    public int MaxBatch { get; init; } = 500;
    public TimeSpan BatchWindow { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan MinBackoff { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);
}

public static class HistoryProtocol
{
    public sealed record GetStatus
    {
        public static readonly GetStatus Instance = new();
    }

    /// <summary>What the projection has done: batches and rows written, the offset per tag, the last failure.</summary>
    public sealed record Status(long Batches, long Events, long Rows, IReadOnlyDictionary<string, long> Offsets, string? LastError, DateTime? LastErrorAt);
}

/// <summary>
/// Follows the journal by tag (Akka.Persistence.Query EventsByTag) and writes fills, orders and PnL
/// samples into the history store. It starts from the offsets the store holds, writes each batch
/// with its offsets in one transaction, and on any failure (journal or store unreachable) starts
/// again from the stored offsets after a backoff. Trading never waits for it.
/// </summary>
public sealed class HistoryProjection : ReceiveActor
{
    private sealed record Written(int Events, int Rows, IReadOnlyDictionary<string, long> Offsets);

    private sealed record Failed(string Error);

    private readonly HistorySettings _settings;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly Dictionary<string, long> _offsets = new(StringComparer.Ordinal);
    private UniqueKillSwitch? _killSwitch;
    private long _batches, _events, _rows;
    private string? _lastError;
    private DateTime? _lastErrorAt;

    public HistoryProjection(HistorySettings settings)
    {
        _settings = settings;
        Receive<Written>(w =>
        {
            _batches++;
            _events += w.Events;
            _rows += w.Rows;
            foreach (var (tag, offset) in w.Offsets) _offsets[tag] = offset;
        });
        Receive<Failed>(f =>
        {
            (_lastError, _lastErrorAt) = (f.Error, DateTime.UtcNow);
            _log.Warning("history projection failed, it starts again from its stored offsets: {0}", f.Error);
        });
        Receive<HistoryProtocol.GetStatus>(_ => Sender.Tell(new HistoryProtocol.Status(_batches, _events, _rows,
            new Dictionary<string, long>(_offsets, StringComparer.Ordinal), _lastError, _lastErrorAt)));
    }

    public static Props Props(HistorySettings settings) => Akka.Actor.Props.Create(() => new HistoryProjection(settings));

    protected override void PreStart()
    {
        var self = Self;
        var journal = PersistenceQuery.Get(Context.System).ReadJournalFor<IEventsByTagQuery>(_settings.ReadJournal);
        var restart = RestartSettings.Create(_settings.MinBackoff, _settings.MaxBackoff, 0.2);
        _killSwitch = RestartSource.OnFailuresWithBackoff(() => Run(journal, self), restart)
            .ViaMaterialized(KillSwitches.Single<Written>(), Keep.Right)
            .ToMaterialized(Sink.ForEach<Written>(w => self.Tell(w)), Keep.Left)
            .Run(Context.Materializer());
    }

    protected override void PostStop() => _killSwitch?.Shutdown();

    /// <summary>One attempt: read the stored offsets, follow every tag from there, write batch after batch.</summary>
    private Source<Written, NotUsed> Run(IEventsByTagQuery journal, IActorRef self) =>
        Source.FromTask(Offsets(self))
            .ConcatMany(offsets => _settings.Tags
                .Select(tag => journal.EventsByTag(tag, offsets[tag] == 0 ? Offset.NoOffset() : Offset.Sequence(offsets[tag])).Select(e => (Tag: tag, Envelope: e)))
                .Aggregate((a, b) => a.Merge(b)))
            .GroupedWithin(_settings.MaxBatch, _settings.BatchWindow)
            .SelectAsync(1, async batch =>
            {
                try
                {
                    return await Write(batch.ToList());
                }
                catch (Exception e)
                {
                    self.Tell(new Failed(e.GetBaseException().Message));
                    throw;
                }
            });

    private async Task<Dictionary<string, long>> Offsets(IActorRef self)
    {
        try
        {
            await _settings.Store.InitializeAsync();
            var offsets = new Dictionary<string, long>(StringComparer.Ordinal);
            foreach (var tag in _settings.Tags) offsets[tag] = await _settings.Store.OffsetAsync(tag);
            return offsets;
        }
        catch (Exception e)
        {
            self.Tell(new Failed(e.GetBaseException().Message));
            throw;
        }
    }

    private async Task<Written> Write(IReadOnlyList<(string Tag, EventEnvelope Envelope)> batch)
    {
        var changes = new List<HistoryChange>(batch.Count);
        var offsets = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (tag, e) in batch)
        {
            if (HistoryProjector.Project(e, _settings.InitialCapital) is { } change) changes.Add(change);
            if (e.Offset is Sequence s) offsets[tag] = Math.Max(offsets.GetValueOrDefault(tag), s.Value);
        }
        var rows = await _settings.Store.WriteAsync(changes, offsets);
        return new Written(batch.Count, rows, offsets);
    }
}
