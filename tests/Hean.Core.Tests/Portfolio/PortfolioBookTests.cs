using Hean.Core.Domain;
using Hean.Core.Portfolio;
using Xunit;

namespace Hean.Core.Tests.Portfolio;

public sealed class PortfolioBookTests
{
    private static readonly Symbol Btc = new("BTCUSDT");
    private static readonly Symbol Eth = new("ETHUSDT");
    private static readonly DateTime T0 = new(2024, 1, 2, 10, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void A_sample_of_the_books_own_marks_moves_only_the_time()
    {
        var book = new PortfolioBook(1_000m, TimeSpan.FromMinutes(1));
        book.Mark(Btc, 100.0m, T0);
        var marks = book.State.Marks;
        var sample = book.SampleAt(T0.AddMinutes(1), force: true)!;
        book.Apply(sample);
        Assert.Same(marks, book.State.Marks);
        Assert.Equal(T0.AddMinutes(1), book.State.UpdatedAt);
        Assert.Equal(100.0m, book.State.MarkOf(Btc));
    }

    [Fact]
    public void A_sample_sets_the_marks_it_holds_unless_a_symbol_has_a_newer_one()
    {
        var book = new PortfolioBook(1_000m, TimeSpan.FromMinutes(1));
        book.Mark(Btc, 100m, T0);
        book.Mark(Eth, 10m, T0.AddMinutes(5));
        // An equal mark written differently keeps the state's (as an immutable map keeps an equal value).
        book.Apply(new EquitySampled(T0.AddMinutes(2), new Dictionary<string, decimal> { ["BTCUSDT"] = 100.00m, ["ETHUSDT"] = 11m }, 1_000m));
        Assert.Equal("100", book.State.MarkOf(Btc)!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(10m, book.State.MarkOf(Eth)); // marked at T0+5m, after the sample
        book.Apply(new EquitySampled(T0.AddMinutes(3), new Dictionary<string, decimal> { ["BTCUSDT"] = 101m }, 1_000m));
        Assert.Equal(101m, book.State.MarkOf(Btc));
        Assert.Equal(T0.AddMinutes(3), book.State.UpdatedAt);
    }
}
