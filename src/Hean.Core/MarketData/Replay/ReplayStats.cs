using Hean.Core.Domain;

namespace Hean.Core.MarketData.Replay;

/// <summary>
/// What a replay of a recorded file saw, per symbol: filled in by the streaming readers while they are enumerated
/// (so complete once the enumeration has finished). Lets a user trust a file before a backtest.
/// </summary>
public sealed class ReplayStats
{
    private readonly Dictionary<Symbol, SymbolReplayStats> _symbols = [];

    /// <summary>Lines read, all files together (blank lines included).</summary>
    public long Lines { get; internal set; }

    /// <summary>Messages of streams the reader does not replay (mark price, tickers, subscribe answers, …).</summary>
    public long Ignored { get; internal set; }

    /// <summary>Reconnects of the recorder (Bybit recordings): every book waits for a new snapshot after one.</summary>
    public long Reconnects { get; internal set; }

    public IReadOnlyList<SymbolReplayStats> Symbols => _symbols.Values.OrderBy(s => s.Symbol.Value, StringComparer.Ordinal).ToList();

    public SymbolReplayStats? Of(Symbol symbol) => _symbols.GetValueOrDefault(symbol);

    /// <summary>The stats of a symbol, created on first use.</summary>
    public SymbolReplayStats For(Symbol symbol)
    {
        if (!_symbols.TryGetValue(symbol, out var s)) _symbols[symbol] = s = new SymbolReplayStats(symbol);
        return s;
    }
}

/// <summary>Counters of one symbol, and the book as the replay left it.</summary>
public sealed class SymbolReplayStats(Symbol symbol)
{
    public Symbol Symbol { get; } = symbol;

    /// <summary>Every message of the symbol the file holds (book, trade, best bid/ask, …).</summary>
    public long Messages { get; set; }

    /// <summary>Book snapshots and deltas emitted (deltas that broke continuity included).</summary>
    public long BookUpdates { get; set; }
    public long Snapshots { get; set; }
    public long Trades { get; set; }

    /// <summary>Other events emitted (candles of a CSV file).</summary>
    public long Candles { get; set; }

    /// <summary>Deltas whose update ids did not follow the last applied one: the book was lost until a new snapshot.</summary>
    public long Gaps { get; set; }

    /// <summary>Snapshots that made a lost book good again (the first sync is not a resync).</summary>
    public long Resyncs { get; set; }

    /// <summary>Deltas at or before the book's update id (repeats, out of order): dropped.</summary>
    public long Stale { get; set; }

    /// <summary>Deltas dropped while there was no good book (before the first snapshot, after a gap).</summary>
    public long Unsynced { get; set; }

    /// <summary>Repeated trade ids: dropped.</summary>
    public long DuplicateTrades { get; set; }

    /// <summary>Events that arrived more than the reorder window after later ones; emitted at the last emitted time.</summary>
    public long Late { get; set; }

    /// <summary>Best bid/ask messages that carried the update id of the book at that moment, and how many disagreed with it.</summary>
    public long TickerChecks { get; set; }
    public long TickerMismatches { get; set; }

    public DateTime? First { get; set; }
    public DateTime? Last { get; set; }

    /// <summary>The book after the last update (only for files with book data).</summary>
    public OrderBook? Book { get; set; }

    internal void Saw(DateTime time)
    {
        if (First is null || time < First) First = time;
        if (Last is null || time > Last) Last = time;
    }
}
