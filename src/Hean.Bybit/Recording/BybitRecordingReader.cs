using System.Text;
using System.Text.Json;
using Hean.Bybit.Mapping;
using Hean.Bybit.WebSocket;
using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Core.MarketData.Replay;

namespace Hean.Bybit.Recording;

/// <summary>
/// Replays a Bybit recording (<see cref="BybitRecordingFormat"/>) through the same parser as the live stream:
/// <see cref="BookUpdate"/>s from <c>orderbook.{depth}.{symbol}</c> and <see cref="Trade"/>s from <c>publicTrade</c>, in time
/// order. Books follow Bybit's rule (the snapshot comes on the stream; each delta's <c>u</c> is the last one + 1): a delta
/// that does not follow is a gap (emitted, so a consumer's book goes stale too) and the book waits for the next snapshot,
/// which is a resync; so does a reconnect of the recorder. Stale deltas and repeated trade ids are dropped and counted.
/// Other topics and op answers are counted as ignored. A line that is not JSON, or a message the parser refuses, throws
/// <see cref="MarketDataFormatException"/> with the file and line.
/// </summary>
public static class BybitRecordingReader
{
    private const int RecentTradeIds = 4096;

    /// <summary>True when the line is a JSON object that is a recording header, a recorded message or a bare V5 message.</summary>
    public static bool Recognizes(string? firstLine)
    {
        if (firstLine is null || !firstLine.TrimStart().StartsWith('{')) return false;
        try
        {
            using var doc = JsonDocument.Parse(firstLine);
            var root = doc.RootElement;
            return root.ValueKind == JsonValueKind.Object
                   && (root.TryGetProperty("topic", out _) || root.TryGetProperty("msg", out _) || root.TryGetProperty("recv_ns", out _)
                       || (root.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String && f.GetString() == BybitRecordingFormat.FormatName));
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static IEnumerable<IMarketEvent> Read(IReadOnlyList<string> paths, ReplayStats? stats = null, TimeSpan? reorderWindow = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0) throw new ArgumentException("no recording files given", nameof(paths));
        var state = new Replay(stats ?? new ReplayStats(), reorderWindow ?? TimeSpan.FromSeconds(1));
        return LineReplay.Run(paths, state, e => e is JsonException or FormatException or InvalidOperationException or ArgumentException or RecordingLineException);
    }

    private sealed class RecordingLineException(string message) : Exception(message);

    private sealed class Replay(ReplayStats stats, TimeSpan window) : ILineReplay
    {
        private readonly BybitMessageParser _parser = new();
        private readonly TimeOrderBuffer _buffer = new(window);
        private readonly Dictionary<Symbol, (string Topic, OrderBook Book, bool Lost)> _books = [];
        private readonly Dictionary<Symbol, DateTime> _lastBookTime = [];
        private readonly Dictionary<Symbol, (HashSet<long> Set, Queue<long> Order)> _tradeIds = [];
        private long _connections;

        public ReplayStats Stats { get; } = stats;

        public void OnLine(string line)
        {
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new RecordingLineException($"a line must be a JSON object, got {root.ValueKind}");
            if (root.TryGetProperty("format", out var format))
            {
                if (format.GetString() != BybitRecordingFormat.FormatName) throw new RecordingLineException($"unknown format '{format}'");
                if (root.TryGetProperty("version", out var v) && v.GetInt32() > BybitRecordingFormat.Version)
                    throw new RecordingLineException($"recording version {v.GetInt32()} is newer than this reader ({BybitRecordingFormat.Version})");
                return;
            }
            if (root.TryGetProperty("event", out var ev))
            {
                if (ev.GetString() == "connected") OnConnected();
                else Stats.Ignored++;
                return;
            }
            JsonElement message;
            if (root.TryGetProperty("msg", out var m)) message = m;
            else if (root.TryGetProperty("topic", out _) || root.TryGetProperty("op", out _)) message = root;
            else throw new RecordingLineException("neither a recorded message ('msg'), an event, a header nor a V5 message ('topic', 'op')");
            if (message.ValueKind != JsonValueKind.Object) throw new RecordingLineException($"'msg' must be a JSON object, got {message.ValueKind}");

            switch (_parser.Parse(Encoding.UTF8.GetBytes(message.GetRawText())))
            {
                case BybitOrderBookMessage book:
                    OnBook(book);
                    break;
                case BybitPublicTradesMessage trades:
                    OnTrades(trades);
                    break;
                case BybitMalformed bad:
                    throw new RecordingLineException($"a message the Bybit parser refuses: {bad.Reason}");
                default:
                    Stats.Ignored++;
                    break;
            }
        }

        private void OnConnected()
        {
            if (++_connections == 1) return;
            Stats.Reconnects++;
            foreach (var symbol in _books.Keys.ToList())
            {
                var (topic, book, lost) = _books[symbol];
                _books[symbol] = (topic, new OrderBook(symbol), lost || book.IsInitialized);
            }
        }

        private void OnBook(BybitOrderBookMessage m)
        {
            var symbol = new Symbol(m.Symbol);
            var s = Stats.For(symbol);
            s.Messages++;
            if (!_books.TryGetValue(symbol, out var entry)) _books[symbol] = entry = (m.Topic, new OrderBook(symbol), false);
            if (entry.Topic != m.Topic)
            {
                Stats.Ignored++; // a second depth of the same symbol: the first one seen is replayed
                return;
            }
            var time = _lastBookTime.TryGetValue(symbol, out var last) && m.Time < last ? last : m.Time;
            _lastBookTime[symbol] = time;
            var update = m.ToBookUpdate() with { Time = time };
            switch (entry.Book.Apply(update))
            {
                case BookApplyResult.Snapshot:
                    s.Snapshots++;
                    if (entry.Lost) s.Resyncs++;
                    _books[symbol] = (entry.Topic, entry.Book, false);
                    Emit(s, update, entry.Book);
                    break;
                case BookApplyResult.Applied:
                    Emit(s, update, entry.Book);
                    break;
                case BookApplyResult.Gap:
                    s.Gaps++;
                    _books[symbol] = (entry.Topic, entry.Book, true);
                    Emit(s, update, entry.Book);
                    break;
                case BookApplyResult.Stale:
                    s.Stale++;
                    break;
                case BookApplyResult.NotInitialized:
                    s.Unsynced++;
                    break;
            }
        }

        private void Emit(SymbolReplayStats s, BookUpdate update, OrderBook book)
        {
            s.BookUpdates++;
            s.Book = book;
            if (!_buffer.Add(update)) s.Late++;
        }

        private void OnTrades(BybitPublicTradesMessage m)
        {
            foreach (var t in m.Trades)
            {
                var trade = t.ToTrade();
                var s = Stats.For(trade.Symbol);
                s.Messages++;
                if (!FirstTime(trade.Symbol, trade.TradeId))
                {
                    s.DuplicateTrades++;
                    continue;
                }
                s.Trades++;
                if (!_buffer.Add(trade)) s.Late++;
            }
        }

        private bool FirstTime(Symbol symbol, long id)
        {
            if (!_tradeIds.TryGetValue(symbol, out var seen)) _tradeIds[symbol] = seen = ([], new Queue<long>());
            if (!seen.Set.Add(id)) return false;
            seen.Order.Enqueue(id);
            if (seen.Order.Count > RecentTradeIds) seen.Set.Remove(seen.Order.Dequeue());
            return true;
        }

        public void Release(List<IMarketEvent> output) => _buffer.Release(output);

        public void Finish(List<IMarketEvent> output) => _buffer.Flush(output);
    }
}
