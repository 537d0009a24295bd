using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Core.Performance;
using Xunit;

namespace Hean.Core.Tests.Performance;

public sealed class PriceTrackTests
{
    private static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly Symbol Btc = new("BTCUSDT");

    private static Trade Trade(double seconds, decimal price) => new(Btc, T0.AddSeconds(seconds), price, 1m, Side.Buy, (long)seconds);

    [Fact]
    public void The_first_price_stays_and_each_bucket_keeps_its_last_price()
    {
        var track = new PriceTrack(TimeSpan.FromMinutes(1));
        IMarketEvent[] events =
        [
            Trade(10, 100m), Trade(20, 101m), Trade(50, 102m), Trade(65, 103m), Trade(90, 104m),
            new BookUpdate(Btc, T0.AddSeconds(100), 1, 0, true, [new BookLevel(1m, 1m)], [new BookLevel(2m, 1m)]), // no traded price
        ];
        Assert.Equal(events, track.Follow(events).ToList());
        Assert.Equal([new PricePoint(T0.AddSeconds(10), 100m), new PricePoint(T0.AddSeconds(50), 102m), new PricePoint(T0.AddSeconds(90), 104m)],
            track.PathOf("BTCUSDT"));
        Assert.Empty(track.PathOf("ETHUSDT"));
    }

    [Fact]
    public void A_bar_is_its_close_at_its_close_time()
    {
        var track = new PriceTrack(TimeSpan.FromMinutes(1));
        track.Observe(new Candle(Btc, T0, TimeSpan.FromHours(1), 100m, 110m, 90m, 105m, 3m));
        Assert.Equal([new PricePoint(T0.AddHours(1), 105m)], track.PathOf("BTCUSDT"));
        Assert.Equal(["BTCUSDT"], track.Symbols);
    }
}
