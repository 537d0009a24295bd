using Hean.Core.Domain;

namespace Hean.Core.MarketData.Replay;

/// <summary>One depth diff of a Binance capture: first and last update id, and the previous diff's last id (futures only).</summary>
internal readonly record struct BinanceDiff(long FirstId, long LastId, long? PrevLastId, DateTime Time, BookLevel[] Bids, BookLevel[] Asks);

/// <summary>
/// Binance's "how to manage a local order book" for one symbol: diffs are buffered until a REST snapshot
/// (<c>lastUpdateId</c> L) arrives; buffered diffs with u &lt; L are dropped; the first diff applied must straddle L
/// (U ≤ L+1 ≤ u; on futures pu == L also does, as their ids are shared by all symbols); after it every diff must follow the previous one (futures: pu == previous u;
/// spot: U == previous u + 1). A diff that does not is a gap: it is emitted as it is (so a consumer's
/// <see cref="OrderBook"/> sees the gap and waits too) and the symbol waits for the next snapshot, which is a resync.
/// Emitted book updates carry Sequence = u and PrevSequence = the u before, so a Core <see cref="OrderBook"/> follows them.
/// </summary>
internal sealed class BinanceBookSync(Symbol symbol, SymbolReplayStats stats)
{
    /// <summary>Diffs kept while waiting for a snapshot; the oldest go first (they would be stale by then anyway).</summary>
    public const int MaxBuffered = 100_000;

    private readonly Queue<BinanceDiff> _buffer = new();
    private long? _last;
    private bool _afterSnapshot;
    private bool _lost;

    /// <summary>The u of the last diff applied (or L of the snapshot), null while there is no good book.</summary>
    public long? LastId => _last;

    public void OnDiff(BinanceDiff d, List<BookUpdate> output)
    {
        if (_last is not { } last)
        {
            if (_buffer.Count == MaxBuffered)
            {
                _buffer.Dequeue();
                stats.Unsynced++;
            }
            _buffer.Enqueue(d);
            return;
        }
        if (d.LastId <= last)
        {
            stats.Stale++;
            return;
        }
        // Futures ids are shared by all symbols, so U may jump past L+1 while pu names the snapshot exactly.
        var follows = d.PrevLastId == last
                      || (_afterSnapshot ? d.FirstId <= last + 1 : d.PrevLastId is null && d.FirstId == last + 1);
        if (follows)
        {
            output.Add(new BookUpdate(symbol, d.Time, d.LastId, last, false, d.Bids, d.Asks));
            _last = d.LastId;
            _afterSnapshot = false;
            return;
        }
        stats.Gaps++;
        var prev = d.PrevLastId ?? d.FirstId - 1;
        output.Add(new BookUpdate(symbol, d.Time, d.LastId, prev == last ? last + 1 : prev, false, d.Bids, d.Asks));
        _last = null;
        _lost = true;
    }

    public void OnSnapshot(long lastUpdateId, DateTime time, BookLevel[] bids, BookLevel[] asks, List<BookUpdate> output)
    {
        if (_last is { } last && lastUpdateId <= last)
        {
            stats.Stale++; // older than the book we already have
            return;
        }
        output.Add(new BookUpdate(symbol, time, lastUpdateId, 0, true, bids, asks));
        stats.Snapshots++;
        if (_lost) stats.Resyncs++;
        _lost = false;
        _last = lastUpdateId;
        _afterSnapshot = true;
        var pending = _buffer.ToArray();
        _buffer.Clear();
        foreach (var d in pending)
        {
            if (d.LastId < lastUpdateId)
            {
                stats.Unsynced++;
                continue;
            }
            OnDiff(d, output);
        }
    }

    /// <summary>At the end of the data: diffs still waiting for a snapshot were never applied.</summary>
    public void Finish()
    {
        stats.Unsynced += _buffer.Count;
        _buffer.Clear();
    }
}
