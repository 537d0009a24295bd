using Akka.Actor;
using Akka.Event;
using Hean.Actors.Orders;
using Hean.Actors.Portfolio;
using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Core.Portfolio;

namespace Hean.Actors.Persistence;

/// <summary>
/// The journal layout of the orders: one entity per symbol ("orders-{SYMBOL}", listed in "orders-index") and fill
/// sequence numbers per symbol in the portfolio. Versions before it kept every symbol's orders in one stream "orders",
/// numbered fills globally, and the portfolio counted them globally. <see cref="EnsureAsync"/> runs before the trading
/// components start: on a journal in the old layout it migrates, once, and logs what it moved; on any other journal it
/// writes (or finds) the marker and does nothing else, so the old stream is never read as if it were new.
/// <para>Crash-safe: each stream is written in one atomic write and only while it is still empty (the portfolio's
/// adoption only while absent), the marker in "orders-index" last; a crash midway, then a start, finishes it exactly once.</para>
/// </summary>
public static class JournalLayout
{
    /// <summary>The persistence id of the global order manager before per-symbol entities.</summary>
    public const string LegacyOrders = "orders";

    public sealed record Migration(IReadOnlyList<Symbol> Symbols, long Orders, long Fills, long PortfolioFills, IReadOnlyDictionary<string, long> FillSeqs,
        IReadOnlyList<string> Written);

    /// <summary>Blocks until the journal is in the current layout (migrating it if needed).</summary>
    public static Migration? Ensure(ActorSystem system, TimeSpan timeout) => EnsureAsync(system, timeout).GetAwaiter().GetResult();

    /// <summary>Answers what was migrated (null: nothing to migrate). <paramref name="beforeWrite"/> is called before each write (tests make it throw: a crash).</summary>
    public static async Task<Migration?> EnsureAsync(ActorSystem system, TimeSpan timeout, Action<string>? beforeWrite = null)
    {
        var log = Logging.GetLogger(system, typeof(JournalLayout));
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
}

/// <summary>
/// The marker in "orders-index": the journal is in the per-symbol layout (migrated from the global order manager, or new).
/// <paramref name="LegacyOrders"/>: what the old manager counted beyond the parts its entities took over (statistics only).
/// </summary>
public sealed record JournalLayoutMigrated(DateTime At, IReadOnlyList<Symbol> Symbols, OrdersProtocol.OrderStats? LegacyOrders);
