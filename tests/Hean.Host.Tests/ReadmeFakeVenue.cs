using Hean.Core.Domain;
using Hean.FakeBybit;

namespace Hean.Host.Tests;

/// <summary>
/// The fake Bybit the README's live-venue commands run against (through <c>BYBIT_WS_PUBLIC_URL</c> and
/// <c>BYBIT_REST_URL</c>, as the README says): BTCUSDT and ETHUSDT books and trades while it runs, and the
/// 1-minute klines of 2024-01-01 for <c>hean data download</c>.
/// </summary>
public sealed class ReadmeFakeVenue : IAsyncDisposable
{
    private readonly FakeBybitServer _fake;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _market;

    private ReadmeFakeVenue(FakeBybitServer fake)
    {
        _fake = fake;
        fake.Venue.PublishBook("BTCUSDT", [(60_000.0m, 1m), (59_999.9m, 2m)], [(60_000.1m, 1m), (60_000.2m, 2m)]);
        fake.Venue.PublishBook("ETHUSDT", [(3_000.00m, 1m)], [(3_000.01m, 1m)]);
        var day = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i <= 24 * 60; i++)
            fake.Venue.PublishKline("BTCUSDT", "1", day.AddMinutes(i), 42_000m + i, 42_005m + i, 41_995m + i, 42_001m + i, 2m, confirm: true);
        _market = Task.Run(PublishMarketAsync);
    }

    public IReadOnlyDictionary<string, string> Environment => new Dictionary<string, string>
    {
        ["BYBIT_WS_PUBLIC_URL"] = _fake.PublicWsUrl.ToString(),
        ["BYBIT_REST_URL"] = _fake.RestUrl.ToString(),
    };

    public static async Task<ReadmeFakeVenue> StartAsync() => new(await FakeBybitServer.StartAsync());

    private async Task PublishMarketAsync()
    {
        var random = new Random(7);
        for (var i = 0; !_stop.IsCancellationRequested; i++)
        {
            _fake.Venue.PublishBookDelta("BTCUSDT", [(59_990m + random.Next(0, 10) / 10m, random.Next(0, 4))], []);
            _fake.Venue.PublishTrade(i % 2 == 0 ? "BTCUSDT" : "ETHUSDT", i % 2 == 0 ? 60_000.1m : 3_000.01m, 0.01m, Side.Buy);
            try { await Task.Delay(20, _stop.Token); }
            catch (OperationCanceledException) { /* stopping */ }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _market;
        await _fake.DisposeAsync();
        _stop.Dispose();
    }
}
