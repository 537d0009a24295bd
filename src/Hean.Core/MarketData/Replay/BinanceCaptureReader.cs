using System.Globalization;
using System.Text.Json;
using Hean.Core.Domain;

namespace Hean.Core.MarketData.Replay;

/// <summary>
/// Replays Binance WebSocket captures (the <c>*_ws.gz</c> files of shared/data/binance): one event per line,
/// <c>&lt;local receive time&gt; &lt;JSON&gt;</c>, the time in nanoseconds (19 digits) or microseconds (16 digits), the JSON a
/// combined-stream envelope <c>{"stream":…,"data":…}</c> or a REST depth snapshot (<c>lastUpdateId</c>, <c>bids</c>,
/// <c>asks</c>; it names no symbol and belongs to the capture's only symbol). Files given together form one continuous
/// stream (a window split over two files).
/// <para>Emits <see cref="BookUpdate"/>s (the snapshot, then the diffs that follow it under Binance's rules, see
/// <see cref="BinanceBookSync"/>) and <see cref="Trade"/>s, in time order (exchange event time <c>E</c> for book updates,
/// trade time <c>T</c> for trades; a short reorder window, see <see cref="TimeOrderBuffer"/>). Best bid/ask messages
/// (<c>bookTicker</c>) emit nothing: when one carries the update id of a diff applied (before or after it on the other
/// stream), the rebuilt best bid and ask are checked against it (<see cref="SymbolReplayStats.TickerChecks"/>). Other streams (mark price) are counted and skipped.
/// A line that is not in the format throws <see cref="MarketDataFormatException"/> naming the file and line.</para>
/// </summary>
public static class BinanceCaptureReader
{
    public const string FormatDescription =
        "Binance capture: lines '<receive time ns|µs> <JSON>' with combined-stream depth/trade/bookTicker messages and a REST depth snapshot";

    public static readonly TimeSpan DefaultReorderWindow = TimeSpan.FromSeconds(1);

    /// <summary>True when the line looks like a capture line: 13-19 digits, a space, a JSON object.</summary>
    public static bool Recognizes(string? firstLine)
    {
        if (firstLine is null) return false;
        var space = firstLine.IndexOf(' ');
        return space is >= 13 and <= 19
               && firstLine.AsSpan(0, space).ContainsAnyExceptInRange('0', '9') is false
               && firstLine.AsSpan(space + 1).TrimStart().StartsWith("{");
    }

    /// <summary>Streams the events of one capture, or of several files that continue each other.</summary>
    public static IEnumerable<IMarketEvent> Read(IReadOnlyList<string> paths, ReplayStats? stats = null, TimeSpan? reorderWindow = null)
    {
        ArgumentNullException.ThrowIfNull(paths);
        if (paths.Count == 0) throw new ArgumentException("no capture files given", nameof(paths));
        var state = new Replay(stats ?? new ReplayStats(), reorderWindow ?? DefaultReorderWindow);
        return LineReplay.Run(paths, state, e => e is JsonException or FormatException or OverflowException or InvalidOperationException
            or KeyNotFoundException or ArgumentException or CaptureLineException);
    }

    private sealed class CaptureLineException(string message) : Exception(message);

    private sealed class Replay(ReplayStats stats, TimeSpan window) : ILineReplay
    {
        private readonly TimeOrderBuffer _buffer = new(window);
        private readonly Dictionary<Symbol, BinanceBookSync> _syncs = [];
        private readonly Dictionary<Symbol, DateTime> _lastDepthTime = [];
        private readonly Dictionary<Symbol, long> _lastTradeId = [];
        private readonly Dictionary<Symbol, DateTime> _lastBookTime = [];
        private readonly Dictionary<Symbol, (long Id, BookLevel Bid, BookLevel Ask)> _lastTicker = [];
        private readonly List<BookUpdate> _updates = [];
        private readonly List<Symbol> _depthSymbols = [];
        private (long LastUpdateId, DateTime? Time, DateTime Local, BookLevel[] Bids, BookLevel[] Asks)? _pendingSnapshot;

        public ReplayStats Stats { get; } = stats;

        public void OnLine(string line)
        {
            var space = line.IndexOf(' ');
            if (space < 0) throw new CaptureLineException("expected '<receive time> <JSON>'");
            var local = LocalTime(line.AsSpan(0, space));
            using var doc = JsonDocument.Parse(line.AsMemory(space + 1));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new CaptureLineException($"the JSON must be an object, got {root.ValueKind}");
            if (root.TryGetProperty("stream", out var streamElement))
            {
                var stream = streamElement.GetString() ?? throw new CaptureLineException("'stream' is null");
                var data = root.GetProperty("data");
                if (data.ValueKind != JsonValueKind.Object) throw new CaptureLineException("'data' must be an object");
                OnStream(stream, data);
            }
            else if (root.TryGetProperty("lastUpdateId", out _))
            {
                OnSnapshot(root, local);
            }
            else
            {
                throw new CaptureLineException("neither a combined-stream message ('stream', 'data') nor a depth snapshot ('lastUpdateId')");
            }
        }

        private void OnStream(string stream, JsonElement data)
        {
            var at = stream.IndexOf('@');
            var kind = at < 0 ? "" : stream[(at + 1)..];
            if (kind.StartsWith("depth", StringComparison.Ordinal)) OnDepth(data);
            else if (kind == "trade") OnTrade(data);
            else if (kind == "bookTicker") OnTicker(data);
            else Stats.Ignored++;
        }

        private void OnDepth(JsonElement d)
        {
            var symbol = SymbolOf(d);
            var s = Stats.For(symbol);
            s.Messages++;
            if (!_depthSymbols.Contains(symbol)) _depthSymbols.Add(symbol);
            var time = Ms(d, "E");
            if (_lastDepthTime.TryGetValue(symbol, out var lastTime) && time < lastTime) time = lastTime;
            _lastDepthTime[symbol] = time;
            var first = Long(d, "U");
            var last = Long(d, "u");
            if (first > last) throw new CaptureLineException($"first update id U={first} is after the last u={last}");
            long? prev = d.TryGetProperty("pu", out var pu) ? pu.GetInt64() : null;
            var diff = new BinanceDiff(first, last, prev, time, Levels(d, "b"), Levels(d, "a"));
            ApplyPendingSnapshot(symbol);
            Sync(symbol, s).OnDiff(diff, _updates);
            Emit(s);
        }

        private void OnSnapshot(JsonElement root, DateTime local)
        {
            var id = Long(root, "lastUpdateId");
            DateTime? time = root.TryGetProperty("E", out _) ? Ms(root, "E") : null;
            var snapshot = (id, time, local, Levels(root, "bids"), Levels(root, "asks"));
            switch (_depthSymbols.Count)
            {
                case 0:
                    _pendingSnapshot = snapshot;
                    break;
                case 1:
                    ApplySnapshot(_depthSymbols[0], snapshot);
                    break;
                default:
                    throw new CaptureLineException(
                        $"a depth snapshot names no symbol, and this capture has depth streams of {string.Join(", ", _depthSymbols)}");
            }
        }

        private void ApplyPendingSnapshot(Symbol symbol)
        {
            if (_pendingSnapshot is not { } p) return;
            _pendingSnapshot = null;
            ApplySnapshot(symbol, p);
        }

        private void ApplySnapshot(Symbol symbol, (long LastUpdateId, DateTime? Time, DateTime Local, BookLevel[] Bids, BookLevel[] Asks) p)
        {
            var s = Stats.For(symbol);
            s.Messages++;
            // The snapshot goes out before the diffs that follow it, some of which the exchange stamped earlier than the
            // snapshot's E (spot snapshots have no time, and the local clock is not the exchange's): it is stamped with
            // the newest diff seen, and the buffered diffs applied after it are stamped no earlier (see Emit).
            var time = _lastDepthTime.TryGetValue(symbol, out var lastDepth) ? lastDepth : p.Time ?? p.Local;
            _lastDepthTime[symbol] = time;
            Sync(symbol, s).OnSnapshot(p.LastUpdateId, time, p.Bids, p.Asks, _updates);
            Emit(s);
        }

        private void OnTrade(JsonElement d)
        {
            var symbol = SymbolOf(d);
            var s = Stats.For(symbol);
            s.Messages++;
            var id = Long(d, "t");
            if (_lastTradeId.TryGetValue(symbol, out var lastId) && id <= lastId)
            {
                s.DuplicateTrades++;
                return;
            }
            _lastTradeId[symbol] = id;
            var price = Decimal(d, "p");
            var qty = Decimal(d, "q");
            if (DomainLimits.PriceProblem(price) is { } bad) throw new CaptureLineException($"trade price: {bad}");
            if (DomainLimits.QuantityProblem(qty) is { } badQty) throw new CaptureLineException($"trade quantity: {badQty}");
            var buyerIsMaker = d.GetProperty("m").GetBoolean();
            var time = d.TryGetProperty("T", out _) ? Ms(d, "T") : Ms(d, "E");
            s.Trades++;
            Add(s, new Trade(symbol, time, price, qty, buyerIsMaker ? Side.Sell : Side.Buy, id));
        }

        private void OnTicker(JsonElement d)
        {
            var symbol = SymbolOf(d);
            var s = Stats.For(symbol);
            s.Messages++;
            var ticker = (Id: Long(d, "u"), Bid: new BookLevel(Decimal(d, "b"), Decimal(d, "B")), Ask: new BookLevel(Decimal(d, "a"), Decimal(d, "A")));
            // The ticker and the diff with the same u come on different streams, in either order: check when the
            // second of the two arrives.
            _lastTicker[symbol] = ticker;
            Check(s, ticker);
        }

        private void Check(SymbolReplayStats s, (long Id, BookLevel Bid, BookLevel Ask) ticker)
        {
            if (s.Book is not { IsInitialized: true } book || !_syncs.TryGetValue(s.Symbol, out var sync) || sync.LastId != ticker.Id) return;
            s.TickerChecks++;
            if (book.BestBid != ticker.Bid || book.BestAsk != ticker.Ask) s.TickerMismatches++;
        }

        private BinanceBookSync Sync(Symbol symbol, SymbolReplayStats s)
        {
            if (!_syncs.TryGetValue(symbol, out var sync)) _syncs[symbol] = sync = new BinanceBookSync(symbol, s);
            return sync;
        }

        private void Emit(SymbolReplayStats s)
        {
            foreach (var update in _updates)
            {
                var u = _lastBookTime.TryGetValue(s.Symbol, out var last) && update.Time < last ? update with { Time = last } : update;
                _lastBookTime[s.Symbol] = u.Time;
                s.Book ??= new OrderBook(s.Symbol);
                s.Book.Apply(u);
                s.BookUpdates++;
                Add(s, u);
            }
            if (_updates.Count > 0 && _lastTicker.TryGetValue(s.Symbol, out var ticker) && ticker.Id == _updates[^1].Sequence) Check(s, ticker);
            _updates.Clear();
        }

        private void Add(SymbolReplayStats s, IMarketEvent e)
        {
            if (!_buffer.Add(e)) s.Late++;
        }

        public void Release(List<IMarketEvent> output)
        {
            _buffer.Release(output);
        }

        public void Finish(List<IMarketEvent> output)
        {
            foreach (var sync in _syncs.Values) sync.Finish();
            if (_pendingSnapshot is not null) Stats.Ignored++;
            _buffer.Flush(output);
        }

        private static DateTime LocalTime(ReadOnlySpan<char> digits)
        {
            if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var v))
                throw new CaptureLineException($"receive time '{digits}' is not a number");
            var ticks = digits.Length switch
            {
                19 => v / 100,                     // ns
                16 => v * 10,                      // µs
                13 => v * TimeSpan.TicksPerMillisecond,
                _ => throw new CaptureLineException($"receive time '{digits}' must be epoch ns (19 digits), µs (16) or ms (13)"),
            };
            var time = DateTime.UnixEpoch.AddTicks(ticks);
            return DomainLimits.TimeProblem(time) is { } problem ? throw new CaptureLineException($"receive time: {problem}") : time;
        }

        private static Symbol SymbolOf(JsonElement d)
        {
            var s = d.GetProperty("s").GetString() ?? throw new CaptureLineException("symbol 's' is null");
            return new Symbol(s);
        }

        private static long Long(JsonElement e, string name)
        {
            var v = e.GetProperty(name).GetInt64();
            return v >= 0 ? v : throw new CaptureLineException($"'{name}' must not be negative, got {v}");
        }

        private static DateTime Ms(JsonElement e, string name)
        {
            var ms = Long(e, name);
            if (ms > 253_402_300_799_999) throw new CaptureLineException($"'{name}' = {ms} is not a time in epoch milliseconds");
            var time = DateTime.UnixEpoch.AddMilliseconds(ms);
            // Venue stamps only order events within one capture (whose receive times are checked in full): a stamp past
            // the last market time HEAN reads would overflow what is computed from it, an early one only sorts first.
            return time > DomainLimits.MaxTime ? throw new CaptureLineException($"'{name}': {DomainLimits.TimeProblem(time)}") : time;
        }

        private static decimal Decimal(JsonElement e, string name) => ParseDecimal(e.GetProperty(name), name);

        private static decimal ParseDecimal(JsonElement v, string what)
        {
            var text = v.ValueKind == JsonValueKind.String ? v.GetString()! : v.ValueKind == JsonValueKind.Number ? v.GetRawText()
                : throw new CaptureLineException($"{what} must be a decimal string, got {v.ValueKind}");
            return decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var d)
                ? d
                : throw new CaptureLineException($"{what} '{(text.Length > 40 ? text[..40] : text)}' is not a non-negative decimal");
        }

        private static BookLevel[] Levels(JsonElement e, string name)
        {
            var array = e.GetProperty(name);
            if (array.ValueKind != JsonValueKind.Array) throw new CaptureLineException($"'{name}' must be an array of [price, qty]");
            var levels = new BookLevel[array.GetArrayLength()];
            var i = 0;
            foreach (var level in array.EnumerateArray())
            {
                if (level.ValueKind != JsonValueKind.Array || level.GetArrayLength() < 2)
                    throw new CaptureLineException($"'{name}' level {i + 1} must be [price, qty]");
                var price = ParseDecimal(level[0], $"{name} price");
                if (DomainLimits.PriceProblem(price) is { } bad) throw new CaptureLineException($"{name} price: {bad}");
                var qty = ParseDecimal(level[1], $"{name} quantity");
                if (DomainLimits.QuantityProblem(qty, zeroAllowed: true) is { } badQty) throw new CaptureLineException($"{name} quantity: {badQty}");
                levels[i++] = new BookLevel(price, qty);
            }
            return levels;
        }
    }
}
