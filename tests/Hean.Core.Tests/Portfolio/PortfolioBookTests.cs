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

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Marks_held_back_give_the_state_and_equity_of_marking_one_by_one(int seed)
    {
        // The reference: PortfolioState.Mark after each mark, as the book did before it held marks back.
        var rng = new Random(seed);
        var book = new PortfolioBook(10_000m, TimeSpan.FromMinutes(1));
        var reference = PortfolioState.Start(10_000m);
        var fill = new Hean.Core.Orders.Fill(new Hean.Core.Orders.ClientOrderId("o-1"), Btc, Side.Buy, "t-1", 100m, 2m, 0.1m, Hean.Core.Orders.Liquidity.Taker, T0);
        book.Apply(new FillBooked(fill));
        reference = reference.Apply(fill);
        var time = T0;
        for (var i = 0; i < 2_000; i++)
        {
            time = time.AddSeconds(1);
            var symbol = rng.Next(3) == 0 ? Eth : Btc;
            // Few values, written with different scales (100, 100.0, 100.00), so equal marks written otherwise come often.
            var price = Math.Round(99m + rng.Next(3), 0) + (rng.Next(3) switch { 0 => 0m, 1 => 0.0m, _ => 0.00m });
            book.Mark(symbol, price, time);
            reference = reference.Mark(symbol, price, time);
            if (rng.Next(4) > 0)
            {
                Assert.Equal(reference.Equity, book.Equity);
                Assert.Equal(reference.Equity.Scale, book.Equity.Scale);
                Assert.Equal(reference.GrossExposure, book.GrossExposure);
                continue;
            }
            var state = book.State;
            Assert.Equal(reference.UpdatedAt, state.UpdatedAt);
            Assert.Equal(reference.Marks.Keys, state.Marks.Keys);
            foreach (var (key, value) in reference.Marks)
                Assert.Equal(decimal.GetBits(value), decimal.GetBits(state.Marks[key]));
        }
    }

    [Fact]
    public void A_mark_that_is_not_positive_is_refused_after_its_time_is_taken()
    {
        var book = new PortfolioBook(1_000m, TimeSpan.FromMinutes(1));
        Assert.Throws<ArgumentOutOfRangeException>(() => book.Mark(Btc, 0m, T0));
        Assert.Equal(T0, book.MarkTimes["BTCUSDT"]);
        Assert.Null(book.State.MarkOf(Btc));
    }
}
