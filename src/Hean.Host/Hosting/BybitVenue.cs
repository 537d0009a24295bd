using Akka;
using Akka.Actor;
using Akka.Streams.Dsl;
using Hean.Actors.Common;
using Hean.Actors.Venues;
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

    private BybitVenue(BybitRestClient rest, BybitPrivateStream privateStream, BybitPublicStream publicStream, IReadOnlyList<IMarketEvent> warmup,
        BybitGatewaySettings gateway)
    {
        (_rest, _private, _public, Warmup, _gateway) = (rest, privateStream, publicStream, warmup, gateway);
    }

    public IReadOnlyList<IMarketEvent> Warmup { get; }

    public Func<IActorRef, IActorRef, Props> GatewayProps(HeanTimeouts timeouts) =>
        (orders, portfolio) => Props.Create(() => new BybitGateway(_rest, _private, orders, portfolio, timeouts, _gateway));

    /// <summary>The warm-up klines, then the live public stream (which never completes on its own).</summary>
    public Source<IMarketEvent, NotUsed> Source() =>
        Akka.Streams.Dsl.Source.From(Warmup).Concat(ChannelSource.FromReader(_public.Events));

    public static async Task<BybitVenue> StartAsync(BybitConnection c, IReadOnlyList<Symbol> symbols, TimeSpan warmup, CancellationToken ct)
    {
        var rest = new BybitRestClient(new BybitRestOptions { BaseUrl = c.RestUrl, Credentials = c.Credentials });
        var synced = await rest.SyncTimeAsync(ct);
        if (!synced.IsOk) throw new InvalidOperationException($"Bybit at {c.RestUrl} does not answer: {synced.Kind} {synced.Message}");

        var privateStream = new BybitPrivateStream(new BybitStreamOptions(c.PrivateWsUrl), c.Credentials, () => rest.ServerNow);
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
        publicStream.Start();
        // Book and trades for prices and candles; tickers (funding, open interest) and liquidations for the sentiment features.
        await publicStream.SubscribeAsync(symbols.SelectMany(s => new[]
        {
            BybitTopics.OrderBook(50, s.Value), BybitTopics.Trades(s.Value), BybitTopics.Tickers(s.Value), BybitTopics.Liquidations(s.Value),
        }), ct);
        return new BybitVenue(rest, privateStream, publicStream, history.OrderBy(e => e.Time).ThenBy(e => e.Symbol.Value, StringComparer.Ordinal).ToList(),
            BybitGatewaySettings.Default with { NotFoundPeriod = c.NotFoundPeriod });
    }

    public async ValueTask DisposeAsync()
    {
        await _public.DisposeAsync();
        await _private.DisposeAsync();
        _rest.Dispose();
    }
}
