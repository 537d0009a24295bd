using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using Hean.Bybit.Mapping;
using Hean.Bybit.Recording;
using Hean.Bybit.Rest.Models;
using Hean.Bybit.WebSocket;
using Hean.Core.Domain;
using Hean.Core.Features;
using Hean.Core.MarketData;
using Hean.Core.MarketData.Replay;
using Xunit.Abstractions;

namespace Hean.Bybit.Tests;

/// <summary>
/// The hostile-input promise as one deterministic run (seed fixed; <c>HEAN_FUZZ_MESSAGES</c> makes it larger, 100,000 by
/// default): messages made from the samples (ours and shared/data/bybit when present) are mutated in shape (cut, bytes
/// flipped, types swapped, spans deleted or doubled) and in meaning (zero, negative, tiny, huge and year-9999 values), and
/// go through the parser, the mappers to Core, per-topic order books, the Bybit recording reader and the Binance capture
/// reader. Asserted: no exception escapes (a reader may only refuse a file with a <see cref="MarketDataFormatException"/>),
/// nothing hangs, and no message or event with an impossible value comes out.
/// </summary>
public class HostileInputFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int Seed = 20261206;
    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private readonly string _dir = Directory.CreateTempSubdirectory("hean-fuzz-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, recursive: true); }
        catch (IOException) { /* temp */ }
    }

    private static int Messages =>
        int.TryParse(Environment.GetEnvironmentVariable("HEAN_FUZZ_MESSAGES"), out var n) && n > 0 ? n : 100_000;

    [Fact]
    public async Task Mutated_messages_never_throw_hang_or_let_an_impossible_value_through()
    {
        var run = Task.Run(Run);
        var finished = await Task.WhenAny(run, Task.Delay(TimeSpan.FromMinutes(10)));
        Assert.True(finished == run, "the fuzz run did not finish in 10 minutes: something hangs");
        var r = await run;
        output.WriteLine($"seed {Seed}: {r.Messages:N0} Bybit messages ({r.Parsed:N0} parsed, {r.Refused:N0} refused; by kind: " +
                         $"{string.Join(", ", r.ByKind.OrderBy(k => k.Key).Select(k => $"{k.Key} {k.Value}"))}), {r.CoreEvents:N0} Core events, " +
                         $"{r.BookUpdates:N0} book updates applied; {r.Recordings} recordings ({r.RecordingsRefused} refused, {r.RecordingEvents:N0} events); " +
                         $"{r.CaptureLines:N0} capture lines in {r.Captures} captures ({r.CapturesRefused} refused, {r.CaptureEvents:N0} events); {r.Elapsed.TotalSeconds:F1} s");
        Assert.True(r.Impossible.Count == 0, $"{r.Impossible.Count} impossible values came out, the first: {string.Join("\n", r.Impossible.Take(10))}");
        Assert.Equal(r.Messages, r.Parsed + r.Refused);
        // The run is not vacuous: both sides of every gate were exercised.
        Assert.True(r.Parsed > r.Messages / 5 && r.Refused > r.Messages / 5, $"parsed {r.Parsed}, refused {r.Refused}");
        Assert.True(r.BookUpdates > 1000 && r.CoreEvents > 1000, $"{r.BookUpdates} book updates, {r.CoreEvents} events");
        Assert.True(r.RecordingEvents > 0 && r.RecordingsRefused > 0 && r.CaptureEvents > 0 && r.CapturesRefused > 0);
        foreach (var kind in new[] { "orderbook", "publicTrade", "kline", "tickers", "order", "execution", "position", "unreadable" })
            Assert.True(r.ByKind.GetValueOrDefault(kind) > 0, $"no {kind} message was refused");
    }

    private sealed record Result
    {
        public int Messages, Parsed, Refused, CoreEvents, BookUpdates, Recordings, RecordingsRefused, RecordingEvents, Captures, CapturesRefused,
            CaptureEvents, CaptureLines;
        public Dictionary<string, long> ByKind = [];
        public List<string> Impossible = [];
        public TimeSpan Elapsed;
    }

    private Result Run()
    {
        var clock = Stopwatch.StartNew();
        var r = new Result { Messages = Messages };
        var random = new Random(Seed);
        var seeds = ParserFuzzTests.SeedMessages();
        var parser = new BybitMessageParser();
        var books = new Dictionary<string, OrderBook>();
        var forRecording = new List<string>();
        for (var i = 0; i < r.Messages; i++)
        {
            var seed = seeds[random.Next(seeds.Count)];
            var text = random.Next(2) == 0 ? ParserFuzzTests.Mutate(seed, random) : MutateMeaning(seed, random);
            var message = parser.Parse(text);
            if (message is BybitMalformed)
            {
                r.Refused++;
                // Every other recording holds a few refused messages (the reader must refuse the file); the rest replay whole.
                if (r.Recordings % 2 == 1 && random.Next(100) == 0) forRecording.Add(text);
                continue;
            }
            r.Parsed++;
            Check(message, r.Impossible, $"message {i}");
            foreach (var e in ToCore(message))
            {
                r.CoreEvents++;
                Check(e, r.Impossible, $"event of message {i}");
                if (e is BookUpdate u && message is BybitOrderBookMessage b)
                {
                    if (!books.TryGetValue(b.Topic, out var book)) books[b.Topic] = book = new OrderBook(u.Symbol);
                    book.Apply(u);
                    r.BookUpdates++;
                    if (book.BestBid is { } bid && book.BestAsk is { } ask && bid.Price >= ask.Price)
                        r.Impossible.Add($"message {i}: book {b.Topic} crossed: {bid.Price} ≥ {ask.Price}");
                    _ = book.Mid; // must not overflow
                }
            }
            if (message is BybitOrderBookMessage or BybitPublicTradesMessage) forRecording.Add(text);
            if (forRecording.Count >= 200) Replay(forRecording, r);
        }
        if (forRecording.Count > 0) Replay(forRecording, r);
        r.ByKind = new Dictionary<string, long>(parser.MalformedByKind);
        Captures(random, r);
        r.Elapsed = clock.Elapsed;
        return r;
    }

    /// <summary>What HEAN makes of a parsed message: book updates, trades, candles, sentiment, and the reports of our orders.</summary>
    private static IEnumerable<object> ToCore(BybitMessage m) => m switch
    {
        BybitOrderBookMessage b => [b.ToBookUpdate()],
        BybitPublicTradesMessage t => t.Trades.Select(x => (object)x.ToTrade()),
        BybitKlineMessage k => k.Klines.Select(x => (object)x.ToCandle(new Symbol(k.Symbol))),
        BybitTickerMessage t => t.ToSentimentEvents(),
        BybitLiquidationMessage l => l.ToSentimentEvents(),
        BybitExecutionMessage x => x.Executions.SelectMany(e => new object?[] { e.ToReport(), e.ToVenueInitiated()?.Fill, e.ToFunding() }).OfType<object>(),
        BybitOrderUpdateMessage o => o.Orders.SelectMany(e => new object?[] { e.ToReport(), e.ToExternalOrder() }).OfType<object>(),
        _ => [],
    };

    /// <summary>Recordings made of what the parser accepted, with some refused messages among them, replayed by the reader.</summary>
    private void Replay(List<string> messages, Result r)
    {
        var path = Path.Combine(_dir, $"rec-{r.Recordings++}.jsonl.gz");
        using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
        {
            var lines = new List<string> { BybitRecordingFormat.Header(new Uri("ws://127.0.0.1:1/v5/public/linear"), ["orderbook.50.BTCUSDT"], T0) };
            lines.AddRange(messages.Select((m, k) => BybitRecordingFormat.Message(T0.AddMilliseconds(k), m.Replace('\n', ' ').Replace('\r', ' '))));
            gz.Write(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));
        }
        messages.Clear();
        try
        {
            foreach (var e in BybitRecordingReader.Read([path]))
            {
                r.RecordingEvents++;
                Check(e, r.Impossible, $"recording {path}");
            }
        }
        catch (MarketDataFormatException)
        {
            r.RecordingsRefused++;
        }
    }

    /// <summary>Binance capture lines (depth diffs, snapshots, trades, book tickers) mutated the same ways, in files of 100 lines.</summary>
    private void Captures(Random random, Result r)
    {
        var seeds = CaptureSeeds();
        var count = Math.Max(10_000, r.Messages / 5);
        for (var start = 0; start < count; start += 100)
        {
            var lines = new List<string>();
            // Files from lightly to heavily mutated, so some replay far (or whole) and others are refused early.
            var rate = (r.Captures % 4) switch { 0 => 0.0, 1 => 0.005, 2 => 0.05, _ => 0.5 };
            for (var k = 0; k < 100; k++)
            {
                var seed = seeds[random.Next(seeds.Count)];
                var text = random.NextDouble() >= rate ? seed
                    : random.Next(2) == 0 ? ParserFuzzTests.Mutate(seed, random)
                    : MutateMeaning(seed, random);
                lines.Add(text.Replace('\n', ' ').Replace('\r', ' '));
            }
            r.CaptureLines += lines.Count;
            var path = Path.Combine(_dir, $"cap-{r.Captures++}_ws.gz");
            using (var gz = new GZipStream(File.Create(path), CompressionLevel.Fastest))
                gz.Write(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));
            try
            {
                foreach (var e in BinanceCaptureReader.Read([path]))
                {
                    r.CaptureEvents++;
                    Check(e, r.Impossible, $"capture {path}");
                }
            }
            catch (MarketDataFormatException)
            {
                r.CapturesRefused++;
            }
        }
    }

    private static List<string> CaptureSeeds()
    {
        var seeds = new List<string>();
        long recv = 1_723_161_255_000_000_000, e = 1_723_161_255_000, id = 100;
        for (var k = 0; k < 20; k++, recv += 10_000_000, e += 10, id += 3)
        {
            seeds.Add($"{recv} " + "{\"lastUpdateId\":" + id + ",\"bids\":[[\"60000.0\",\"1\"],[\"59999.5\",\"2\"]],\"asks\":[[\"60000.5\",\"1\"],[\"60001.0\",\"3\"]]}");
            seeds.Add($"{recv} " + "{\"stream\":\"btcusdt@depth@0ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":" + e + ",\"T\":" + e + ",\"s\":\"BTCUSDT\",\"U\":" + (id + 1) +
                      ",\"u\":" + (id + 3) + ",\"pu\":" + id + ",\"b\":[[\"60000.0\",\"1.5\"]],\"a\":[[\"60000.5\",\"0\"]]}}");
            seeds.Add($"{recv} " + "{\"stream\":\"btcusdt@trade\",\"data\":{\"e\":\"trade\",\"E\":" + e + ",\"T\":" + e + ",\"s\":\"BTCUSDT\",\"t\":" + id +
                      ",\"p\":\"60000.5\",\"q\":\"0.01\",\"X\":\"MARKET\",\"m\":false}}");
            seeds.Add($"{recv} " + "{\"stream\":\"btcusdt@bookTicker\",\"data\":{\"e\":\"bookTicker\",\"u\":" + (id + 3) +
                      ",\"s\":\"BTCUSDT\",\"b\":\"60000.0\",\"B\":\"1.5\",\"a\":\"60001.0\",\"A\":\"3\"}}");
        }
        if (TestData.SharedBybitDir is { } shared && Path.Combine(Path.GetDirectoryName(shared)!, "binance") is var binance && Directory.Exists(binance))
            foreach (var file in Directory.GetFiles(binance, "*_ws.gz").Order().Take(2))
                seeds.AddRange(TextLines.Numbered(file).Take(300).Select(l => l.Line).Where(l => l.Length < 20_000));
        return seeds;
    }

    private static readonly string[] Hostile =
    [
        "0", "-1", "-0.5", "0.0000000000000000000001", "1e-30", "1000000001", "1e12", "1000000000001", "79228162514264337593543950335",
        "7.9e28", "253402300799999", "99999999999999999999", "-9223372036854775808", "4e28", "1e18", "0.5", "2",
    ];

    private static readonly Regex Number = new("(?<=[:\\[,]\\s*\"?)-?[0-9]+(\\.[0-9]+)?(?=\"?\\s*[,\\]}])", RegexOptions.Compiled);

    /// <summary>One number of the message replaced by a value that is well-formed and (mostly) impossible.</summary>
    private static string MutateMeaning(string seed, Random random)
    {
        var numbers = Number.Matches(seed);
        if (numbers.Count == 0) return seed;
        var n = numbers[random.Next(numbers.Count)];
        return seed[..n.Index] + Hostile[random.Next(Hostile.Length)] + seed[(n.Index + n.Length)..];
    }

    // --- what must never come out ---------------------------------------------------------------------------------

    private static void Price(decimal p, string what, List<string> bad, string where, bool zeroMeansNone = false)
    {
        if (zeroMeansNone && p == 0) return;
        if (DomainLimits.PriceProblem(p) is { } problem) bad.Add($"{where}: {what} {problem}");
    }

    private static void Qty(decimal q, string what, List<string> bad, string where, bool zeroAllowed = true)
    {
        if (DomainLimits.QuantityProblem(q, zeroAllowed) is { } problem) bad.Add($"{where}: {what} {problem}");
    }

    private static void Time(DateTime t, string what, List<string> bad, string where)
    {
        if (DomainLimits.TimeProblem(t) is { } problem) bad.Add($"{where}: {what} {problem}");
    }

    private static void Check(object o, List<string> bad, string where)
    {
        switch (o)
        {
            case BybitOrderBookMessage b:
                Time(b.Time, "book time", bad, where);
                if (b.Bids.Count > (b.IsSnapshot ? b.Depth : 2 * b.Depth) || b.Asks.Count > (b.IsSnapshot ? b.Depth : 2 * b.Depth))
                    bad.Add($"{where}: {b.Bids.Count}/{b.Asks.Count} levels in orderbook.{b.Depth}");
                break;
            case BybitKlineMessage k:
                foreach (var x in k.Klines)
                {
                    Time(x.Start, "kline start", bad, where);
                    foreach (var p in new[] { x.Open, x.High, x.Low, x.Close }) Price(p, "kline price", bad, where);
                    if (x.Low > Math.Min(x.Open, x.Close) || x.High < Math.Max(x.Open, x.Close) || x.Volume < 0) bad.Add($"{where}: kline {x}");
                }
                break;
            case BybitTickerMessage t:
                foreach (var p in new[] { t.Ticker.LastPrice, t.Ticker.MarkPrice, t.Ticker.IndexPrice, t.Ticker.HighPrice24h, t.Ticker.LowPrice24h,
                             t.Ticker.Bid1Price, t.Ticker.Ask1Price })
                    if (p is { } v) Price(v, "ticker price", bad, where, zeroMeansNone: true);
                if (t.Ticker.OpenInterest < 0 || t.Ticker.Volume24h < 0 || t.Ticker.Turnover24h < 0) bad.Add($"{where}: ticker {t.Ticker}");
                break;
            case BybitOrderUpdateMessage m:
                foreach (var x in m.Orders)
                {
                    Price(x.Price ?? 0, "order price", bad, where, zeroMeansNone: true);
                    Price(x.AvgPrice ?? 0, "order avgPrice", bad, where, zeroMeansNone: true);
                    Qty(x.Qty, "order qty", bad, where);
                    if (x.Qty > 0 && (x.CumExecQty > x.Qty || x.LeavesQty > x.Qty)) bad.Add($"{where}: order {x.OrderId} executed {x.CumExecQty} / remaining {x.LeavesQty} of {x.Qty}");
                    Time(x.UpdatedTime, "order time", bad, where);
                }
                break;
            case BybitExecutionMessage m:
                foreach (var x in m.Executions)
                {
                    Price(x.ExecPrice, "execPrice", bad, where);
                    Qty(x.ExecQty, "execQty", bad, where, zeroAllowed: false);
                    Time(x.ExecTime, "execTime", bad, where);
                }
                break;
            case BybitPositionMessage m:
                foreach (var x in m.Positions)
                {
                    Qty(x.Size, "position size", bad, where);
                    Price(x.AvgPrice ?? 0, "position avgPrice", bad, where, zeroMeansNone: true);
                }
                break;
            case BookUpdate u:
                Time(u.Time, "book update time", bad, where);
                foreach (var l in u.Bids.Concat(u.Asks))
                {
                    Price(l.Price, "book level price", bad, where);
                    Qty(l.Qty, "book level size", bad, where);
                }
                break;
            case Trade t:
                Time(t.Time, "trade time", bad, where);
                Price(t.Price, "trade price", bad, where);
                Qty(t.Qty, "trade quantity", bad, where, zeroAllowed: false);
                break;
            case Candle c:
                Time(c.Time, "candle time", bad, where);
                foreach (var p in new[] { c.Open, c.High, c.Low, c.Close }) Price(p, "candle price", bad, where);
                break;
            case FundingRateUpdate f when Math.Abs(f.Rate) > 1:
                bad.Add($"{where}: funding rate {f.Rate}");
                break;
            case OpenInterestUpdate oi when oi.OpenInterest < 0:
                bad.Add($"{where}: open interest {oi.OpenInterest}");
                break;
            case Liquidation l:
                Price(l.Price, "liquidation price", bad, where);
                Qty(l.Qty, "liquidation quantity", bad, where, zeroAllowed: false);
                break;
            case Core.Exchange.OrderFilledReport f:
                Price(f.Fill.Price, "fill price", bad, where);
                Qty(f.Fill.Qty, "fill quantity", bad, where, zeroAllowed: false);
                Time(f.Time, "fill time", bad, where);
                break;
        }
    }
}
