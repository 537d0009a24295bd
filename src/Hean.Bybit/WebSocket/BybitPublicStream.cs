using System.Threading.Channels;
using Hean.Bybit.Mapping;
using Hean.Bybit.Rest.Models;
using Hean.Core.Domain;
using Hean.Core.Features;
using Hean.Core.MarketData;

namespace Hean.Bybit.WebSocket;

/// <summary>
/// Bybit's public market-data stream as Core events: <see cref="BookUpdate"/> (orderbook), <see cref="Trade"/>
/// (publicTrade) and closed <see cref="Candle"/>s (kline with confirm). Tickers (deltas merged into the snapshot) and
/// liquidations, which Core has no type for, go to <see cref="Extras"/>.
/// <para>Books: each orderbook topic is followed with a Core <see cref="OrderBook"/>. A delta whose update id does not
/// follow is forwarded (so a consumer's book goes stale too) and the topic is resubscribed, which makes the venue send a
/// fresh snapshot; deltas before that snapshot, and repeats of old ones, are dropped. After a reconnect every topic is
/// subscribed again and every book waits for its snapshot.</para>
/// <para>Repeated trade ids are dropped; a candle is emitted once, when it closes.</para>
/// <para>Rules: https://bybit-exchange.github.io/docs/v5/websocket/public/orderbook (snapshot, delta, u=1),
/// https://bybit-exchange.github.io/docs/v5/websocket/public/trade, https://bybit-exchange.github.io/docs/v5/websocket/public/kline (confirm).</para>
/// </summary>
public sealed class BybitPublicStream : IAsyncDisposable
{
    private const int RecentTradeIds = 4096;

    private readonly BybitSocket _socket;
    private readonly BybitMessageParser _parser;
    private readonly Channel<IMarketEvent> _events;
    private readonly Channel<BybitMessage> _extras;
    private readonly Lock _topicsLock = new();
    private readonly List<string> _topics = [];
    // State below is touched only by the socket's read loop.
    private readonly Dictionary<string, OrderBook> _books = [];
    private readonly Dictionary<string, (HashSet<string> Set, Queue<string> Order)> _tradeIds = [];
    private readonly Dictionary<string, DateTime> _lastClosedCandle = [];
    private readonly Dictionary<string, BybitTicker> _tickers = [];
    private readonly Dictionary<string, (decimal? Rate, DateTime? Next, decimal? OpenInterest)> _sentiment = [];
    private long _reqSeq;

    public BybitPublicStream(BybitStreamOptions options, BybitMessageParser? parser = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        _parser = parser ?? new BybitMessageParser();
        _events = Channel.CreateBounded<IMarketEvent>(new BoundedChannelOptions(options.BufferSize)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _extras = Channel.CreateBounded<BybitMessage>(new BoundedChannelOptions(1024)
        {
            SingleWriter = true,
            FullMode = BoundedChannelFullMode.DropOldest,
        });
        _socket = new BybitSocket(options, Stats, time ?? TimeProvider.System, OnOpenAsync, OnMessageAsync, r => _parser.Malformed(r, "oversized"));
    }

    public BybitStreamStats Stats { get; } = new();
    public BybitMessageParser Parser => _parser;
    public bool IsConnected => _socket.IsConnected;

    /// <summary>
    /// Book updates, trades, closed candles, and sentiment (funding and open interest when they change,
    /// liquidations) from tickers and allLiquidation when subscribed, in the order the venue sent them.
    /// </summary>
    public ChannelReader<IMarketEvent> Events => _events.Reader;

    /// <summary>Merged tickers and liquidations. Oldest are dropped when nobody reads.</summary>
    public ChannelReader<BybitMessage> Extras => _extras.Reader;

    public IReadOnlyList<string> Topics
    {
        get
        {
            lock (_topicsLock) return _topics.ToList();
        }
    }

    /// <summary>Adds topics (see <see cref="BybitTopics"/>); sent now when connected, and after every reconnect.</summary>
    public async Task SubscribeAsync(IEnumerable<string> topics, CancellationToken ct = default)
    {
        List<string> added;
        lock (_topicsLock)
        {
            added = topics.Where(t => !_topics.Contains(t)).Distinct().ToList();
            _topics.AddRange(added);
        }
        if (added.Count > 0 && _socket.IsConnected) await SendSubscribeAsync(added, ct).ConfigureAwait(false);
    }

    public void Start() => _socket.Start();

    /// <summary>Drops the connection now (the stream reconnects by itself).</summary>
    public void Reconnect() => _socket.Abort();

    private async Task OnOpenAsync(CancellationToken ct)
    {
        _books.Clear();
        await SendSubscribeAsync(Topics, ct).ConfigureAwait(false);
    }

    private async Task SendSubscribeAsync(IReadOnlyList<string> topics, CancellationToken ct)
    {
        // Bybit takes at most 10 topics per request.
        foreach (var chunk in topics.Chunk(10))
            await _socket.SendAsync(BybitWsRequest.Subscribe(NextReqId(), chunk), ct).ConfigureAwait(false);
    }

    private string NextReqId() => $"sub-{Interlocked.Increment(ref _reqSeq)}";

    private async ValueTask OnMessageAsync(ReadOnlyMemory<byte> utf8, CancellationToken ct)
    {
        switch (_parser.Parse(utf8.Span))
        {
            case BybitOrderBookMessage book:
                await OnBookAsync(book, ct).ConfigureAwait(false);
                break;
            case BybitPublicTradesMessage trades:
                foreach (var t in trades.Trades)
                {
                    if (!FirstTime(t.Symbol, t.TradeId))
                    {
                        Stats.Duplicate();
                        continue;
                    }
                    if (CoreSymbol(t.Symbol) is not { } _) continue;
                    await _events.Writer.WriteAsync(t.ToTrade(), ct).ConfigureAwait(false);
                }
                break;
            case BybitKlineMessage kline:
                if (CoreSymbol(kline.Symbol) is not { } symbol) break;
                var key = BybitTopics.Kline(kline.Interval, kline.Symbol);
                foreach (var k in kline.Klines.Where(k => k.Confirm).OrderBy(k => k.Start))
                {
                    if (_lastClosedCandle.TryGetValue(key, out var last) && k.Start <= last)
                    {
                        Stats.Duplicate();
                        continue;
                    }
                    _lastClosedCandle[key] = k.Start;
                    await _events.Writer.WriteAsync(k.ToCandle(symbol), ct).ConfigureAwait(false);
                }
                break;
            case BybitTickerMessage ticker:
                if (ticker.IsSnapshot) _tickers[ticker.Symbol] = ticker.Ticker;
                else if (_tickers.TryGetValue(ticker.Symbol, out var known)) _tickers[ticker.Symbol] = known.Merge(ticker.Ticker);
                else break; // a delta before any snapshot cannot be merged into anything
                var merged = ticker with { Ticker = _tickers[ticker.Symbol] };
                _extras.Writer.TryWrite(merged);
                await SentimentAsync(merged, ct).ConfigureAwait(false);
                break;
            case BybitLiquidationMessage liquidation:
                _extras.Writer.TryWrite(liquidation);
                foreach (var e in liquidation.ToSentimentEvents()) await _events.Writer.WriteAsync(e, ct).ConfigureAwait(false);
                break;
            case BybitOpResponse { Op: "subscribe", Success: false } failed:
                Stats.SubscribeFailed($"subscribe failed: {failed.Message} {string.Join(",", failed.FailedTopics)}");
                break;
        }
    }

    /// <summary>
    /// Funding and open interest into the market events when they changed: a perpetual's ticker pushes every
    /// 100 ms, mostly with the same funding, and the feature engine only needs the changes.
    /// </summary>
    private async ValueTask SentimentAsync(BybitTickerMessage merged, CancellationToken ct)
    {
        var t = merged.Ticker;
        var now = (t.FundingRate, t.NextFundingTime, t.OpenInterest);
        if (_sentiment.TryGetValue(merged.Symbol, out var last) && last == now) return;
        _sentiment[merged.Symbol] = now;
        foreach (var e in merged.ToSentimentEvents())
            if (e is FundingRateUpdate ? (last.Rate, last.Next) != (t.FundingRate, t.NextFundingTime) : last.OpenInterest != t.OpenInterest)
                await _events.Writer.WriteAsync(e, ct).ConfigureAwait(false);
    }

    private async ValueTask OnBookAsync(BybitOrderBookMessage m, CancellationToken ct)
    {
        if (CoreSymbol(m.Symbol) is not { } symbol) return;
        var topic = m.Topic;
        if (!_books.TryGetValue(topic, out var book)) _books[topic] = book = new OrderBook(symbol);
        var update = m.ToBookUpdate();
        switch (book.Apply(update))
        {
            case BookApplyResult.Snapshot:
            case BookApplyResult.Applied:
                await _events.Writer.WriteAsync(update, ct).ConfigureAwait(false);
                break;
            case BookApplyResult.Gap:
                Stats.Gap();
                await _events.Writer.WriteAsync(update, ct).ConfigureAwait(false);
                await ResyncAsync(topic, ct).ConfigureAwait(false);
                break;
            case BookApplyResult.Stale:
                Stats.Duplicate();
                break;
            case BookApplyResult.NotInitialized:
                break;
        }
    }

    /// <summary>Unsubscribe and subscribe again: the venue answers a subscription with a snapshot.</summary>
    private async Task ResyncAsync(string topic, CancellationToken ct)
    {
        Stats.Resync();
        await _socket.SendAsync(BybitWsRequest.Unsubscribe(NextReqId(), [topic]), ct).ConfigureAwait(false);
        await _socket.SendAsync(BybitWsRequest.Subscribe(NextReqId(), [topic]), ct).ConfigureAwait(false);
    }

    private bool FirstTime(string symbol, string tradeId)
    {
        if (!_tradeIds.TryGetValue(symbol, out var seen)) _tradeIds[symbol] = seen = ([], new Queue<string>());
        if (!seen.Set.Add(tradeId)) return false;
        seen.Order.Enqueue(tradeId);
        if (seen.Order.Count > RecentTradeIds) seen.Set.Remove(seen.Order.Dequeue());
        return true;
    }

    private Symbol? CoreSymbol(string s)
    {
        if (s.Length is > 0 and <= 32 && s.All(char.IsAsciiLetterOrDigit)) return new Symbol(s);
        _parser.Malformed($"symbol '{s}' is not a HEAN symbol", "symbol");
        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await _socket.DisposeAsync().ConfigureAwait(false);
        _events.Writer.TryComplete();
        _extras.Writer.TryComplete();
    }
}
