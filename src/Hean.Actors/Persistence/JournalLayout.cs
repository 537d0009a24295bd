using Akka.Actor;
using Akka.Event;
using Hean.Actors.Execution;
using Hean.Actors.Orders;
using Hean.Actors.Portfolio;
using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Core.Portfolio;

namespace Hean.Actors.Persistence;

/// <summary>
/// The journal layout of the orders and of execution: one entity per symbol ("orders-{SYMBOL}", listed in "orders-index";
/// "execution-{SYMBOL}", listed in "execution-index") and fill sequence numbers per symbol in the portfolio. Versions
/// before it kept every symbol's orders in one stream "orders", numbered fills globally, the portfolio counted them
/// globally, and the router kept every symbol's running algorithms in "execution-router". <see cref="EnsureAsync"/> runs
/// before the trading components start: on a journal in an old layout it migrates, once, and logs what it moved; on any
/// other journal it writes (or finds) the markers and does nothing else, so an old stream is never read as if it were new.
/// The two parts are independent (a journal migrated by a version with order entities only still has its old router).
/// <para>Crash-safe: each stream is written in one atomic write and only while it is still empty (the portfolio's
/// adoption only while absent), each part's marker in its index last; a crash midway, then a start, finishes it exactly once.</para>
/// </summary>
public static class JournalLayout
{
    /// <summary>The persistence id of the global order manager before per-symbol entities.</summary>
    public const string LegacyOrders = "orders";

    /// <summary>The persistence id of the execution router before per-symbol execution entities.</summary>
    public const string LegacyExecution = "execution-router";

    /// <summary>What a start migrated: the orders, the running algorithms, or both (null parts: already in the current layout).</summary>
    public sealed record Migrated(Migration? Orders, ExecutionMigration? Execution);

    public sealed record Migration(IReadOnlyList<Symbol> Symbols, long Orders, long Fills, long PortfolioFills, IReadOnlyDictionary<string, long> FillSeqs,
        IReadOnlyList<string> Written);

    /// <summary>The old router's algorithms moved into their symbols' entities: those running (by parent id) and how many ended ones stay readable.</summary>
    public sealed record ExecutionMigration(IReadOnlyList<Symbol> Symbols, IReadOnlyList<ClientOrderId> Running, int Ended, IReadOnlyList<string> Written);

    /// <summary>
    /// Blocks until the journal is in the current layout (migrating it if needed); <paramref name="timeout"/> is how long a
    /// stream may give nothing before the migration fails, not a limit on its length.
    /// </summary>
    public static Migrated? Ensure(ActorSystem system, TimeSpan timeout) => EnsureAsync(system, timeout).GetAwaiter().GetResult();

    /// <summary>Answers what was migrated (null: nothing to migrate). <paramref name="beforeWrite"/> is called before each write (tests make it throw: a crash).</summary>
    public static async Task<Migrated?> EnsureAsync(ActorSystem system, TimeSpan timeout, Action<string>? beforeWrite = null)
    {
        var log = Logging.GetLogger(system, typeof(JournalLayout));
        var orders = await EnsureOrdersAsync(system, timeout, beforeWrite, log);
        var execution = await EnsureExecutionAsync(system, timeout, beforeWrite, log);
        return orders is null && execution is null ? null : new Migrated(orders, execution);
    }

    private static async Task<Migration?> EnsureOrdersAsync(ActorSystem system, TimeSpan timeout, Action<string>? beforeWrite, ILoggingAdapter log)
    {
        var marked = false;
        await JournalStreams.Run(system, OrderManager.Id, e => marked |= e is JournalLayoutMigrated, null, timeout);
        if (marked) return null;

        var legacy = new SymbolOrders();
        var read = await JournalStreams.Run(system, LegacyOrders, e =>
        {
            switch (e)
            {
                case SymbolOrdersState s: legacy.Load(s); break;
                case IOrderEvent o: legacy.Apply(o); break;
            }
        }, null, timeout);
        if (read.LastSequenceNr == 0 && !read.HadSnapshot)
        {
            beforeWrite?.Invoke(OrderManager.Id);
            await JournalStreams.Run(system, OrderManager.Id, null,
                (_, _) => [new JournalLayoutMigrated(DateTime.UtcNow, [], null)], timeout);
            return null;
        }

        log.Warning("the journal has the global order manager of older versions ('{0}', {1} events): migrating it to one entity per symbol", LegacyOrders, read.LastSequenceNr);
        var symbols = legacy.Symbols;
        var kept = legacy.KeptFills;
        var written = new List<string>();
        var parts = symbols.ToDictionary(s => s.Value, legacy.Part, StringComparer.Ordinal);
        foreach (var symbol in symbols)
        {
            var id = OrderEntity.PersistenceIdOf(symbol);
            beforeWrite?.Invoke(id);
            var imported = new OrdersProtocol.OrdersImported(parts[symbol.Value], DateTime.UtcNow);
            var r = await JournalStreams.Run(system, id, null, (seq, snapshot) => seq == 0 && !snapshot ? [imported] : null, timeout);
            if (r.Written) written.Add(id);
        }

        // The portfolio booked the global fills 1..n: per symbol, those of its kept fills numbered up to n.
        long booked = 0;
        var adopted = false;
        IReadOnlyDictionary<string, long> seqs = new Dictionary<string, long>();
        beforeWrite?.Invoke(PortfolioActor.Id);
        var p = await JournalStreams.Run(system, PortfolioActor.Id, e =>
        {
            switch (e)
            {
                case PortfolioSnapshot s:
                    booked = s.State.FillCount;
                    adopted = s.State.FillSeqs.Count > 0;
                    break;
                case FillBooked: booked++; break;
                case FillSequencesAdopted: adopted = true; break;
            }
        }, (_, _) =>
        {
            if (adopted) return null;
            seqs = symbols.ToDictionary(s => s.Value, s => (long)kept.Count(f => f.Fill.Symbol == s && f.Seq <= booked), StringComparer.Ordinal);
            var oldestKept = kept.Count > 0 ? kept[0].Seq : legacy.Fills + 1;
            if (booked < oldestKept - 1)
                log.Error("the portfolio booked {0} fills, but the old order manager kept only fills {1} to {2}: reconcile the portfolio", booked, oldestKept, legacy.Fills);
            return booked == 0 && kept.Count == 0 ? null : [new FillSequencesAdopted(seqs, DateTime.UtcNow)];
        }, timeout);
        if (p.Written) written.Add(PortfolioActor.Id);

        var rest = new OrdersProtocol.OrderStats(
            legacy.Created - parts.Values.Sum(s => s.Created), legacy.Filled - parts.Values.Sum(s => s.Filled),
            legacy.Cancelled - parts.Values.Sum(s => s.Cancelled), legacy.Rejected - parts.Values.Sum(s => s.Rejected),
            legacy.Fills - parts.Values.Sum(s => s.Fills), 0, 0, 0);
        beforeWrite?.Invoke(OrderManager.Id);
        var index = symbols.Select(s => (object)new OrdersProtocol.OrderEntityStarted(s))
            .Append(new JournalLayoutMigrated(DateTime.UtcNow, symbols, rest)).ToList();
        await JournalStreams.Run(system, OrderManager.Id, null, (_, _) => index, timeout);
        written.Add(OrderManager.Id);

        var migration = new Migration(symbols, legacy.Created, legacy.Fills, booked, seqs, written);
        log.Warning($"journal migrated: {legacy.Created} orders and {legacy.Fills} fills of '{LegacyOrders}' into " +
                    $"{string.Join(", ", symbols.Select(OrderEntity.PersistenceIdOf))}; the portfolio's {booked} fills numbered per symbol " +
                    $"({string.Join(", ", seqs.Select(s => $"{s.Key} {s.Value}"))}); written now: {string.Join(", ", written)}. " +
                    $"The stream '{LegacyOrders}' is kept as it was and never read again.");
        return migration;
    }

    /// <summary>The old router's running algorithms (and the ended ones it still knew) into "execution-{SYMBOL}", then "execution-index".</summary>
    private static async Task<ExecutionMigration?> EnsureExecutionAsync(ActorSystem system, TimeSpan timeout, Action<string>? beforeWrite, ILoggingAdapter log)
    {
        var marked = false;
        await JournalStreams.Run(system, ExecutionRouter.Id, e => marked |= e is ExecutionLayoutMigrated, null, timeout);
        if (marked) return null;

        var running = new SortedDictionary<string, AlgoProtocol.AlgoRegistered>(StringComparer.Ordinal);
        var ended = new List<AlgoProtocol.AlgoRegistered>();
        var read = await JournalStreams.Run(system, LegacyExecution, e =>
        {
            switch (e)
            {
                case AlgoProtocol.RouterSnapshot s:
                    running.Clear();
                    foreach (var r in s.Running) running[r.ParentId.Value] = r;
                    break;
                case AlgoProtocol.AlgoRegistered r: running[r.ParentId.Value] = r; break;
                case AlgoProtocol.AlgoEnded x when running.Remove(x.ParentId.Value, out var r): ended.Add(r); break;
            }
        }, null, timeout);
        if (read.LastSequenceNr == 0 && !read.HadSnapshot)
        {
            beforeWrite?.Invoke(ExecutionRouter.Id);
            await JournalStreams.Run(system, ExecutionRouter.Id, null, (_, _) => [new ExecutionLayoutMigrated(DateTime.UtcNow, [], [])], timeout);
            return null;
        }

        log.Warning("the journal has the execution router of older versions ('{0}', {1} events): migrating its algorithms to one entity per symbol",
            LegacyExecution, read.LastSequenceNr);
        // The old router kept the last 200 ended algorithms readable; so does each entity.
        var kept = ended.TakeLast(200).ToList();
        var symbols = running.Values.Concat(kept).Select(r => r.Symbol).Distinct().OrderBy(s => s.Value, StringComparer.Ordinal).ToList();
        var written = new List<string>();
        foreach (var symbol in symbols)
        {
            var id = ExecutionEntity.PersistenceIdOf(symbol);
            beforeWrite?.Invoke(id);
            var imported = new AlgoProtocol.AlgosImported(running.Values.Where(r => r.Symbol == symbol).ToList(), kept.Where(r => r.Symbol == symbol).ToList(),
                DateTime.UtcNow);
            var r = await JournalStreams.Run(system, id, null, (seq, snapshot) => seq == 0 && !snapshot ? [imported] : null, timeout);
            if (r.Written) written.Add(id);
        }

        var ids = running.Values.Select(r => r.ParentId).ToList();
        beforeWrite?.Invoke(ExecutionRouter.Id);
        var index = symbols.Select(s => (object)new AlgoProtocol.ExecutionEntityStarted(s))
            .Append(new ExecutionLayoutMigrated(DateTime.UtcNow, symbols, ids)).ToList();
        await JournalStreams.Run(system, ExecutionRouter.Id, null, (_, _) => index, timeout);
        written.Add(ExecutionRouter.Id);

        log.Warning($"journal migrated: the running algorithms of '{LegacyExecution}' ({string.Join(", ", ids.Select(i => i.Value))}) and " +
                    $"{kept.Count} ended ones into {string.Join(", ", symbols.Select(ExecutionEntity.PersistenceIdOf))}; written now: " +
                    $"{string.Join(", ", written)}. Each algorithm keeps its own journal 'algo-{{parentId}}'. The stream '{LegacyExecution}' is kept as it " +
                    "was and never read again.");
        return new ExecutionMigration(symbols, ids, kept.Count, written);
    }
}

/// <summary>
/// The marker in "orders-index": the journal is in the per-symbol layout (migrated from the global order manager, or new).
/// <paramref name="LegacyOrders"/>: what the old manager counted beyond the parts its entities took over (statistics only).
/// </summary>
public sealed record JournalLayoutMigrated(DateTime At, IReadOnlyList<Symbol> Symbols, OrdersProtocol.OrderStats? LegacyOrders);

/// <summary>
/// The marker in "execution-index": the journal's running algorithms are in the per-symbol layout (migrated from the
/// router of older versions, <paramref name="Running"/> the parent ids it moved, or new).
/// </summary>
public sealed record ExecutionLayoutMigrated(DateTime At, IReadOnlyList<Symbol> Symbols, IReadOnlyList<ClientOrderId> Running);
