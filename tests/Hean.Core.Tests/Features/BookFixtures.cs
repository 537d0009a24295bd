using Hean.Core.Domain;
using Hean.Core.MarketData;

namespace Hean.Core.Tests.Features;

internal static class BookFixtures
{
    public static readonly Symbol Btc = new("BTCUSDT");
    public static readonly DateTime T0 = new(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static BookLevel L(decimal price, decimal qty) => new(price, qty);

    /// <summary>bids 100×2, 99.9×3, 99.5×10; asks 100.1×1, 100.2×4, 101×5.</summary>
    public static OrderBook Book()
    {
        var book = new OrderBook(Btc);
        book.Apply(new BookUpdate(Btc, T0, 1, 0, true,
            [L(100m, 2m), L(99.9m, 3m), L(99.5m, 10m)],
            [L(100.1m, 1m), L(100.2m, 4m), L(101m, 5m)]));
        return book;
    }

    public static BookUpdate Delta(long seq, BookLevel[] bids, BookLevel[] asks, int second = 0) =>
        new(Btc, T0.AddSeconds(second), seq, seq - 1, false, bids, asks);
}
