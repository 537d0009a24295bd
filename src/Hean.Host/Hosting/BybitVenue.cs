using Akka;
using Akka.Actor;
using Akka.Streams.Dsl;
using Hean.Actors.Common;
using Hean.Actors.Monitoring;
using Hean.Venues.Bybit;
using Hean.Bybit.Mapping;
using Hean.Bybit.Rest;
using Hean.Bybit.WebSocket;
using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Host.Configuration;
using Serilog;

namespace Hean.Host.Hosting;

/// <summary>
/// Live Bybit for `hean run` with EXCHANGE=bybit: the REST client (clock synced), the private stream
/// for the gateway, and the market data source: closed 1-minute klines over REST for the warm-up,
/// then the public order book and trades, with funding, open interest and liquidations.
/// </summary>
public sealed class BybitVenue : IAsyncDisposable
{
    private readonly BybitRestClient _rest;
    private readonly BybitPrivateStream _private;
    private readonly BybitPublicStream _public;

    private readonly BybitGatewaySettings _gateway;
    private readonly BybitPositionLegs _legs;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _refresh;

    private BybitVenue(BybitRestClient rest, BybitPrivateStream privateStream, BybitPublicStream publicStream, IReadOnlyList<IMarketEvent> warmup,
        BybitGatewaySettings gateway, InstrumentCatalog instruments, BybitPositionLegs legs, TimeSpan refreshEvery)
    {
        (_rest, _private, _public, Warmup, _gateway, Instruments, _legs) = (rest, privateStream, publicStream, warmup, gateway, instruments, legs);
        _refresh = RefreshInstrumentsAsync(refreshEvery, _stop.Token);
    }

    public IReadOnlyList<IMarketEvent> Warmup { get; }

    /// <summary>The venue's trading rules (tick, lot, minimum) of every linear contract it lists as trading; refreshed while running.</summary>
    public InstrumentCatalog Instruments { get; }

    public Func<IActorRef, IActorRef, Props> GatewayProps(HeanTimeouts timeouts) =>
        (orders, portfolio) => Props.Create(() => new BybitGateway(_rest, _private, orders, portfolio, timeouts, _gateway, _legs));

    /// <summary>
    /// Every linear contract Bybit lists as trading, as Core instruments: instruments-info is the source of truth for
    /// tick and lot sizes, and they change (https://bybit-exchange.github.io/docs/v5/market/instrument).
    /// </summary>
    private static async Task<IReadOnlyList<Instrument>?> LoadInstrumentsAsync(BybitRestClient rest, CancellationToken ct)
    {
        var all = await rest.GetAllInstrumentsAsync(ct: ct);
        if (!all.IsOk) return null;
        return all.Value!.Where(i => i.IsTrading && i.Symbol.All(char.IsAsciiLetterOrDigit)).Select(i => i.ToCore()).ToList();
    }

    private async Task RefreshInstrumentsAsync(TimeSpan every, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(every, ct);
                if (await LoadInstrumentsAsync(_rest, ct) is not { Count: > 0 } now)
                {
                    Log.Warning("Bybit instruments not refreshed: instruments-info did not answer; the rules loaded before stay");
                    continue;
                }
                foreach (var changed in now.Where(i => Instruments.TryGet(i.Symbol, out var before) && before != i))
                    Log.Warning("Bybit changed the rules of {Symbol}: tick {Tick}, lot {Lot}, minimum {Min}", changed.Symbol, changed.TickSize, changed.LotSize, changed.MinQty);
                // A symbol no longer listed as trading keeps its last rules: open orders and positions still need them.
                var listed = now.Select(i => i.Symbol).ToHashSet();
                var gone = Instruments.All.Where(i => !listed.Contains(i.Symbol)).ToList();
                foreach (var i in gone) Log.Warning("Bybit no longer lists {Symbol} as trading; its last rules stay", i.Symbol);
                Instruments.Update(now.Concat(gone));
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>The warm-up klines, then the live public stream (which never completes on its own).</summary>
    public Source<IMarketEvent, NotUsed> Source() =>
        Akka.Streams.Dsl.Source.From(Warmup).Concat(ChannelSource.FromReader(_public.Events));

    public static async Task<BybitVenue> StartAsync(BybitConnection c, IReadOnlyList<Symbol> symbols, TimeSpan warmup, CancellationToken ct)
    {
        var rest = new BybitRestClient(new BybitRestOptions { BaseUrl = c.RestUrl, Credentials = c.Credentials });
        var synced = await rest.SyncTimeAsync(ct);
        if (!synced.IsOk) throw new InvalidOperationException($"Bybit at {c.RestUrl} does not answer: {synced.Kind} {synced.Message}");

        var privateStream = new BybitPrivateStream(new BybitStreamOptions(c.PrivateWsUrl), c.Credentials, () => rest.ServerNow);
        CountRefusals(privateStream.Parser, "private");
        privateStream.Start();
        using (var auth = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            auth.CancelAfter(TimeSpan.FromSeconds(30));
            try
            {
                await privateStream.WaitUntilReadyAsync(auth.Token);
            }
            catch (BybitAuthenticationException e)
            {
                await privateStream.DisposeAsync();
                rest.Dispose();
                // A refused key or secret is the operator's input: named as such, exit 2, never echoed.
                throw new SettingsException([$"Bybit at {c.PrivateWsUrl} refused the API key and secret ({e.Message}): check BYBIT_API_KEY and BYBIT_API_SECRET (or BYBIT_SECRETS_FILE)"]);
            }
        }

        // The venue's instruments: every symbol to trade must be a linear contract it lists as trading.
        var instruments = await LoadInstrumentsAsync(rest, ct);
        if (instruments is null)
        {
            await privateStream.DisposeAsync();
            rest.Dispose();
            throw new InvalidOperationException($"Bybit at {c.RestUrl} did not list its instruments (instruments-info)");
        }
        var catalog = new InstrumentCatalog(instruments);
        var unknown = symbols.Where(s => !catalog.TryGet(s, out _)).ToList();
        if (unknown.Count > 0)
        {
            await privateStream.DisposeAsync();
            rest.Dispose();
            throw new SettingsException([$"HEAN_SYMBOLS: {string.Join(", ", unknown)} not among the {instruments.Count} linear contracts Bybit lists as trading"]);
        }
        // The position mode of each symbol, from its position rows (hedge mode: a long and a short leg).
        var legs = new BybitPositionLegs();
        foreach (var symbol in symbols)
            if (await rest.GetPositionsAsync(symbol.Value, ct) is { IsOk: true } rows)
                foreach (var row in rows.Value!.List) legs.Observe(row);
        foreach (var symbol in symbols)
            Log.Information("Bybit {Symbol}: tick {Tick}, lot {Lot}, {Mode} mode", symbol, catalog.Get(symbol).TickSize, catalog.Get(symbol).LotSize,
                legs.IsHedge(symbol.Value) ? "hedge" : "one-way");

        var live = rest.ServerNow;
        var history = new List<IMarketEvent>();
        foreach (var symbol in symbols)
        {
            var klines = await rest.GetKlinesAsync(symbol.Value, "1", live - warmup, live, 1000, ct);
            if (!klines.IsOk)
            {
                Log.Warning("no kline history for {Symbol} ({Message}): the strategy warms up on live data", symbol, klines.Message);
                continue;
            }
            // Only closed bars: the one still forming would be counted twice.
            history.AddRange(klines.Value!.Where(k => k.Start + k.Interval <= live).Select(k => (IMarketEvent)k.ToCandle(symbol)));
        }

        var publicStream = new BybitPublicStream(new BybitStreamOptions(c.PublicWsUrl));
        CountRefusals(publicStream.Parser, "public");
        publicStream.Start();
        // Book and trades for prices and candles; tickers (funding, open interest) and liquidations for the sentiment features.
        await publicStream.SubscribeAsync(symbols.SelectMany(s => new[]
        {
            BybitTopics.OrderBook(50, s.Value), BybitTopics.Trades(s.Value), BybitTopics.Tickers(s.Value), BybitTopics.Liquidations(s.Value),
        }), ct);
        return new BybitVenue(rest, privateStream, publicStream, history.OrderBy(e => e.Time).ThenBy(e => e.Symbol.Value, StringComparer.Ordinal).ToList(),
            BybitGatewaySettings.Default with { NotFoundPeriod = c.NotFoundPeriod, Symbols = symbols.Select(s => s.Value).ToHashSet() },
            catalog, legs, TimeSpan.FromHours(1));
    }

    /// <summary>
    /// Every message a stream's parser refuses counts in hean_venue_messages_rejected_total{venue="bybit",kind}; the first
    /// of each kind is logged with its reason (later ones only counted, so a flood cannot fill the log).
    /// </summary>
    public static void CountRefusals(BybitMessageParser parser, string stream)
    {
        foreach (var kind in BybitMessageParser.Kinds) HeanMetrics.VenueMessagesRejected.WithLabels("bybit", kind);
        parser.Rejected += r =>
        {
            HeanMetrics.VenueMessagesRejected.WithLabels("bybit", r.Kind).Inc();
            if (r.CountOfKind == 1)
                Log.Warning("Bybit {Stream} stream: a {Kind} message refused and dropped ({Reason}); later refusals of this kind are only counted in hean_venue_messages_rejected_total",
                    stream, r.Kind, r.Reason);
        };
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _refresh;
        await _public.DisposeAsync();
        await _private.DisposeAsync();
        _rest.Dispose();
    }
}
