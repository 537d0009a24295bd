using System.Globalization;
using System.Runtime.InteropServices;
using Hean.Core.MarketData;
using Hean.Core.MarketData.Synthetic;
using Hean.FakeBybit;

// A fake Bybit started by hand: `dotnet run --project tests/Hean.FakeBybit -- [--port 5599] [--no-market] [--seed 1] [--pace 1]`.
// Unless --no-market, a seeded synthetic market (BTCUSDT, ETHUSDT) is published at wall-clock pace, with 1-minute klines.
// --pace N plays the market N times faster (N times the events a second, prices that move N times as fast), stamped
// with the wall clock as before: more signals a minute for latency benchmarks.
var port = 5599;
var market = true;
ulong seed = 1;
var pace = 1.0;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--port" when i + 1 < args.Length: port = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--seed" when i + 1 < args.Length: seed = ulong.Parse(args[++i], CultureInfo.InvariantCulture); break;
        case "--no-market": market = false; break;
        case "--pace" when i + 1 < args.Length:
            if (!double.TryParse(args[++i], NumberStyles.Float, CultureInfo.InvariantCulture, out pace) || !(pace is >= 0.01 and <= 1000))
            {
                Console.Error.WriteLine($"--pace must be a number from 0.01 to 1000, not '{args[i]}'");
                return 2;
            }
            break;
        default:
            Console.Error.WriteLine($"unknown argument '{args[i]}'; usage: [--port N] [--seed N] [--no-market] [--pace N]");
            return 2;
    }
}

await using var server = await FakeBybitServer.StartAsync(new FakeBybitOptions { Port = port, ConsoleLogging = true });
Console.WriteLine($"fake Bybit: REST {server.RestUrl}  public {server.PublicWsUrl}  private {server.PrivateWsUrl}");
Console.WriteLine($"credentials: key {server.Options.ApiKey}  secret {server.Options.ApiSecret}");

// Ctrl-C, and SIGTERM as `kill` or a service manager sends it: the market stops, the server is disposed, exit 0.
using var stop = new CancellationTokenSource();
using var onInterrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var onTerminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

try
{
    if (market) await PublishSyntheticMarketAsync(server.Venue, seed, pace, stop.Token);
    else await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
}
return 0;

void Stop(PosixSignalContext signal)
{
    signal.Cancel = true;
    stop.Cancel();
}

static async Task PublishSyntheticMarketAsync(FakeVenue venue, ulong seed, double pace, CancellationToken ct)
{
    var start = DateTime.UtcNow;
    var options = SyntheticMarketOptions.Default(start) with { Seed = seed };
    var candles = options.Symbols.ToDictionary(s => s.Symbol, s => new CandleAggregator(s.Symbol, TimeSpan.FromMinutes(1)));
    foreach (var e in new SyntheticMarket(options).Generate())
    {
        var due = start + (e.Time - start) / pace - DateTime.UtcNow;
        if (due > TimeSpan.Zero) await Task.Delay(due, ct);
        venue.Publish(e);
        if (e is Trade t && candles[t.Symbol].OnTrade(t) is { } closed) venue.Publish(closed);
    }
}
