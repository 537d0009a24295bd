using System.Globalization;
using System.Text;
using Hean.Core.Domain;
using Hean.Core.MarketData;
using Hean.Core.MarketData.Synthetic;
using Xunit;

namespace Hean.Core.Tests.Synthetic;

public sealed class SyntheticMarketTests
{
    private static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly Symbol Btc = new("BTCUSDT");
    private static readonly Symbol Eth = new("ETHUSDT");

    private static SyntheticMarket Market(ulong seed = 7) =>
        new(SyntheticMarketOptions.Default(Start) with { Seed = seed });

    /// <summary>For statistics over long runs: a shallow book and short regimes keep the tests fast.</summary>
    private static SyntheticMarketOptions Fast(ulong seed) =>
        SyntheticMarketOptions.Default(Start) with { Seed = seed, Depth = 5, RegimeMeanDuration = TimeSpan.FromMinutes(3) };

    private static string Fingerprint(IEnumerable<IMarketEvent> events)
    {
        var sb = new StringBuilder();
        foreach (var e in events)
        {
            switch (e)
            {
                case Trade t:
                    sb.Append(CultureInfo.InvariantCulture, $"T|{t.Symbol}|{t.Time.Ticks}|{t.Price}|{t.Qty}|{t.TakerSide}|{t.TradeId}\n");
                    break;
                case BookUpdate b:
                    sb.Append(CultureInfo.InvariantCulture, $"B|{b.Symbol}|{b.Time.Ticks}|{b.Sequence}|{b.PrevSequence}|{b.IsSnapshot}|");
                    foreach (var l in b.Bids) sb.Append(CultureInfo.InvariantCulture, $"{l.Price}:{l.Qty},");
                    sb.Append('|');
                    foreach (var l in b.Asks) sb.Append(CultureInfo.InvariantCulture, $"{l.Price}:{l.Qty},");
                    sb.Append('\n');
                    break;
                default:
                    throw new InvalidOperationException($"unexpected event {e}");
            }
        }
        return sb.ToString();
    }

    [Fact]
    public void Same_seed_gives_identical_events_and_different_seeds_differ()
    {
        var a = Fingerprint(Market(7).Generate(TimeSpan.FromMinutes(10)));
        var b = Fingerprint(Market(7).Generate(TimeSpan.FromMinutes(10)));
        var c = Fingerprint(Market(8).Generate(TimeSpan.FromMinutes(10)));
        Assert.True(a.Length > 100_000);
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void Generate_restarts_from_the_seed_on_every_call()
    {
        var market = Market(3);
        var first = Fingerprint(market.Generate(TimeSpan.FromMinutes(2)));
        var second = Fingerprint(market.Generate(TimeSpan.FromMinutes(2)));
        Assert.Equal(first, second);
    }

    [Fact]
    public void A_symbols_path_does_not_depend_on_the_other_symbols()
    {
        var both = Market(11).Generate(TimeSpan.FromMinutes(3)).Where(e => e.Symbol == Eth);
        var alone = new SyntheticMarket(new SyntheticMarketOptions([SyntheticMarketOptions.Default(Start).Symbols[1]], Start) { Seed = 11 })
            .Generate(TimeSpan.FromMinutes(3));
        // The regime and common factor come from the market stream, which does not depend on the symbol list.
        Assert.Equal(Fingerprint(both), Fingerprint(alone));
    }

    [Fact]
    public void Without_duration_the_stream_is_endless_and_lazy()
    {
        var events = Market().Generate().Take(50_000).ToList();
        Assert.Equal(50_000, events.Count);
        Assert.True(events[^1].Time > Start);
    }

    [Fact]
    public void Stream_starts_with_one_snapshot_per_symbol_in_symbol_order_and_ends_before_the_duration()
    {
        var duration = TimeSpan.FromSeconds(90.1);
        var events = Market().Generate(duration).ToList();
        var first = events.Take(2).Cast<BookUpdate>().ToList();
        Assert.Equal([Btc, Eth], first.Select(b => b.Symbol));
        Assert.All(first, b =>
        {
            Assert.True(b.IsSnapshot);
            Assert.Equal(1, b.Sequence);
            Assert.Equal(0, b.PrevSequence);
            Assert.Equal(Start, b.Time);
            Assert.Equal(20, b.Bids.Count);
            Assert.Equal(20, b.Asks.Count);
        });
        Assert.Equal(2, events.OfType<BookUpdate>().Count(b => b.IsSnapshot));
        Assert.All(events, e => Assert.True(e.Time < Start + duration));
        Assert.All(events, e => Assert.Equal(DateTimeKind.Utc, e.Time.Kind));
        Assert.Contains(events, e => e.Time >= Start + TimeSpan.FromSeconds(90));
    }

    [Fact]
    public void Events_are_time_ordered_with_ties_in_symbol_order()
    {
        var events = Market(5).Generate(TimeSpan.FromMinutes(20)).ToList();
        var order = new Dictionary<Symbol, int> { [Btc] = 0, [Eth] = 1 };
        for (var i = 1; i < events.Count; i++)
        {
            Assert.True(events[i].Time >= events[i - 1].Time, $"event {i} goes back in time");
            if (events[i].Time == events[i - 1].Time)
                Assert.True(order[events[i].Symbol] >= order[events[i - 1].Symbol], $"event {i}: tie not in symbol order");
        }
    }

    [Fact]
    public void Rebuilt_books_match_the_generator_stay_uncrossed_and_trades_hit_the_touch()
    {
        var options = SyntheticMarketOptions.Default(Start) with { Seed = 21 };
        var market = new SyntheticMarket(options);
        var instruments = options.Symbols.ToDictionary(s => s.Symbol, s => InstrumentCatalog.Default.Get(s.Symbol));
        var books = options.Symbols.ToDictionary(s => s.Symbol, _ => new Book());
        var sequences = new Dictionary<Symbol, long>();
        var tradeIds = new Dictionary<Symbol, long>();
        int trades = 0, buys = 0, sweeps = 0, deltas = 0;
        DateTime? lastTrade = null;

        foreach (var step in market.Simulate(TimeSpan.FromMinutes(30)))
        {
            foreach (var e in step.Events)
            {
                var instrument = instruments[e.Symbol];
                var book = books[e.Symbol];
                switch (e)
                {
                    case BookUpdate b:
                        var expectedPrev = sequences.GetValueOrDefault(b.Symbol);
                        Assert.Equal(expectedPrev + 1, b.Sequence);
                        if (!b.IsSnapshot)
                        {
                            Assert.Equal(expectedPrev, b.PrevSequence);
                            Assert.True(b.Bids.Count + b.Asks.Count > 0, "empty delta");
                            deltas++;
                        }
                        sequences[b.Symbol] = b.Sequence;
                        foreach (var l in b.Bids.Concat(b.Asks))
                        {
                            Assert.True(instrument.IsOnTick(l.Price) && l.Price > 0, $"level price {l.Price}");
                            Assert.True(instrument.IsOnLot(l.Qty) && l.Qty >= 0, $"level qty {l.Qty}");
                            if (b.IsSnapshot) Assert.True(l.Qty > 0);
                        }
                        book.Apply(b);
                        Assert.True(book.Bids.Count > 0 && book.Asks.Count > 0, "a side of the book is empty");
                        Assert.True(book.BestBid < book.BestAsk, $"crossed book {book.BestBid} / {book.BestAsk} at {b.Time:O}");
                        break;
                    case Trade t:
                        trades++;
                        if (t.TakerSide == Side.Buy) buys++;
                        Assert.True(instrument.IsOnTick(t.Price) && t.Price > 0);
                        Assert.True(instrument.IsOnLot(t.Qty) && t.Qty > 0);
                        Assert.Equal(tradeIds.GetValueOrDefault(t.Symbol) + 1, t.TradeId);
                        tradeIds[t.Symbol] = t.TradeId;
                        var touch = t.TakerSide == Side.Buy ? book.BestAsk : book.BestBid;
                        Assert.Equal(touch, t.Price);
                        var resting = t.TakerSide == Side.Buy ? book.Asks[t.Price] : book.Bids[t.Price];
                        Assert.True(t.Qty <= resting, $"trade {t.Qty} larger than the touch {resting}");
                        if (lastTrade == t.Time) sweeps++;
                        lastTrade = t.Time;
                        break;
                }
            }

            foreach (var state in step.Symbols)
            {
                var book = books[state.Symbol];
                Assert.Equal(state.Bids, book.Bids.Select(kv => new BookLevel(kv.Key, kv.Value)));
                Assert.Equal(state.Asks, book.Asks.Select(kv => new BookLevel(kv.Key, kv.Value)));
                Assert.True(book.Bids.Count <= options.Depth && book.Asks.Count <= options.Depth);
                Assert.True(state.Mid > (double)book.BestBid - 1 && state.Mid < (double)book.BestAsk + 1);
            }
        }

        Assert.True(trades > 10_000, $"only {trades} trades");
        Assert.True(deltas > 10_000, $"only {deltas} deltas");
        Assert.InRange(buys / (double)trades, 0.3, 0.7);
        Assert.True(sweeps > 0, "no taker order ever walked past the touch");
    }

    [Fact]
    public void Prices_stay_positive_and_the_book_uncrossed_when_the_price_collapses()
    {
        var spec = new SymbolSpec(new Symbol("TINYUSDT"), 0.05m, AnnualVolatility: 40.0) { TickSize = 0.01m, LotSize = 1m, TrendDriftPerHour = -5 };
        var market = new SyntheticMarket(new SyntheticMarketOptions([spec], Start) { Seed = 2, Depth = 5 });
        var book = new Book();
        var steps = 0;
        foreach (var step in market.Simulate(TimeSpan.FromHours(2)))
        {
            steps++;
            foreach (var e in step.Events)
            {
                if (e is BookUpdate b)
                {
                    book.Apply(b);
                    Assert.True(book.BestBid > 0 && book.BestBid < book.BestAsk);
                }
                else if (e is Trade t) Assert.True(t.Price > 0);
            }
        }
        Assert.Equal(28_800, steps);
        Assert.Equal(0.01m, book.Bids.Keys.Min()); // it did reach the price floor
    }

    [Fact]
    public void Squared_returns_cluster_only_with_garch()
    {
        var clustered = SquaredReturnAutocorrelation(Fast(9));
        var constant = SquaredReturnAutocorrelation(Fast(9) with { GarchAlpha = 0, GarchBeta = 0 });
        Assert.True(clustered > 0.04, $"lag-1 autocorrelation of squared returns {clustered}");
        Assert.InRange(constant, -0.03, 0.03);
    }

    private static double SquaredReturnAutocorrelation(SyntheticMarketOptions options)
    {
        var mids = new SyntheticMarket(options).Simulate(TimeSpan.FromHours(2)).Select(s => s.Symbols[0].Mid).ToArray();
        var squared = new double[mids.Length - 1];
        for (var i = 1; i < mids.Length; i++)
        {
            var r = Math.Log(mids[i] / mids[i - 1]);
            squared[i - 1] = r * r;
        }
        return Correlation(squared.AsSpan(0, squared.Length - 1), squared.AsSpan(1));
    }

    [Fact]
    public void All_regimes_are_visited_and_eth_follows_btc()
    {
        var steps = new SyntheticMarket(Fast(13)).Simulate(TimeSpan.FromHours(2)).ToList();
        var share = steps.GroupBy(s => s.Regime).ToDictionary(g => g.Key, g => g.Count() / (double)steps.Count);
        foreach (var regime in Enum.GetValues<MarketRegime>())
            Assert.True(share.GetValueOrDefault(regime) > 0.1, $"{regime} has {share.GetValueOrDefault(regime):P1} of the steps");
        var switches = steps.Zip(steps.Skip(1)).Count(p => p.First.Regime != p.Second.Regime);
        Assert.InRange(switches, 20, 60); // mean regime length 3 minutes over 2 hours

        var btc = Returns(steps, 0);
        var eth = Returns(steps, 1);
        Assert.InRange(Correlation(btc, eth), 0.7, 0.9);
    }

    [Fact]
    public void Trend_regimes_move_the_price_and_lean_the_taker_flow()
    {
        var steps = new SyntheticMarket(Fast(17)).Simulate(TimeSpan.FromHours(2)).ToList();
        double up = 0, down = 0;
        int buysUp = 0, tradesUp = 0, buysDown = 0, tradesDown = 0;
        for (var i = 1; i < steps.Count; i++)
        {
            var r = Math.Log(steps[i].Symbols[0].Mid / steps[i - 1].Symbols[0].Mid);
            var trades = steps[i].Events.OfType<Trade>().Where(t => t.Symbol == Btc).ToList();
            if (steps[i].Regime == MarketRegime.TrendUp)
            {
                up += r;
                tradesUp += trades.Count;
                buysUp += trades.Count(t => t.TakerSide == Side.Buy);
            }
            else if (steps[i].Regime == MarketRegime.TrendDown)
            {
                down += r;
                tradesDown += trades.Count;
                buysDown += trades.Count(t => t.TakerSide == Side.Buy);
            }
        }
        Assert.True(up > 0 && down < 0, $"log move in up trends {up}, in down trends {down}");
        Assert.True(buysUp / (double)tradesUp > buysDown / (double)tradesDown + 0.1);
    }

    [Fact]
    public void Trade_rate_rises_with_volatility()
    {
        var steps = new SyntheticMarket(Fast(19)).Simulate(TimeSpan.FromHours(2)).Skip(1)
            .Select(s => (s.Symbols[0].Volatility, Trades: s.Events.OfType<Trade>().Select(t => (t.Symbol, t.Time)).Distinct().Count(t => t.Symbol == Btc)))
            .OrderBy(x => x.Volatility)
            .ToList();
        var tenth = steps.Count / 10;
        var calm = steps.Take(tenth).ToList();
        var wild = steps.Skip(steps.Count - tenth).ToList();
        Assert.True(wild.Average(x => x.Volatility) > 1.5 * calm.Average(x => x.Volatility));
        Assert.True(wild.Average(x => x.Trades) > 1.5 * calm.Average(x => x.Trades),
            $"taker orders per step: calm {calm.Average(x => x.Trades)}, wild {wild.Average(x => x.Trades)}");
    }

    [Fact]
    public void Spread_widens_with_volatility()
    {
        var options = Fast(23);
        options = options with { Symbols = [options.Symbols[0] with { BaseSpreadTicks = 3, TradesPerSecond = 0 }] };
        var rows = new SyntheticMarket(options).Simulate(TimeSpan.FromHours(2))
            .Select(s => (s.Symbols[0].Volatility, Spread: s.Symbols[0].Asks[0].Price - s.Symbols[0].Bids[0].Price))
            .OrderBy(x => x.Volatility)
            .ToList();
        var tenth = rows.Count / 10;
        Assert.All(rows, r => Assert.True(r.Spread >= 0.1m));
        Assert.True(rows.Skip(rows.Count - tenth).Average(x => x.Spread) > rows.Take(tenth).Average(x => x.Spread));
    }

    [Fact]
    public void Deeper_levels_are_larger_on_average()
    {
        var snapshots = Enumerable.Range(1, 200)
            .Select(seed => (BookUpdate)Market((ulong)seed).Generate(TimeSpan.FromSeconds(1)).First())
            .ToList();
        var touch = snapshots.Average(b => b.Bids[0].Qty + b.Asks[0].Qty);
        var deep = snapshots.Average(b => b.Bids[^1].Qty + b.Asks[^1].Qty);
        Assert.True(deep > 1.5m * touch, $"touch {touch}, deepest {deep}");
    }

    [Fact]
    public void Invalid_options_are_rejected()
    {
        var btc = new SymbolSpec(Btc, 60_000m);
        Assert.Throws<ArgumentException>(() => new SyntheticMarket(new SyntheticMarketOptions([btc, btc], Start)));
        Assert.Throws<ArgumentException>(() => new SyntheticMarket(new SyntheticMarketOptions([], Start)));
        Assert.Throws<ArgumentException>(() => new SyntheticMarket(new SyntheticMarketOptions([btc], Start) { Depth = 0 }));
        Assert.Throws<ArgumentException>(() => new SyntheticMarket(new SyntheticMarketOptions([btc], Start) { Step = TimeSpan.Zero }));
        Assert.Throws<ArgumentException>(() => new SyntheticMarket(new SyntheticMarketOptions([btc], Start) { GarchAlpha = 0.5, GarchBeta = 0.5 }));
        Assert.Throws<ArgumentException>(() => new SyntheticMarket(new SyntheticMarketOptions([btc with { StartPrice = 0 }], Start)));
        Assert.Throws<ArgumentException>(() => new SyntheticMarket(new SyntheticMarketOptions([btc with { FactorLoading = 1.5 }], Start)));
        Assert.Throws<UnknownSymbolException>(() => new SyntheticMarket(new SyntheticMarketOptions([new SymbolSpec(new Symbol("DOGEUSDT"), 0.1m)], Start)));
        var custom = new SymbolSpec(new Symbol("DOGEUSDT"), 0.1m) { TickSize = 0.00001m, LotSize = 1m };
        Assert.NotEmpty(new SyntheticMarket(new SyntheticMarketOptions([custom], Start)).Generate(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void Default_options_use_catalog_grids()
    {
        var options = SyntheticMarketOptions.Default(Start);
        Assert.Equal([Btc, Eth], options.Symbols.Select(s => s.Symbol));
        Assert.Equal(60_000m, options.Symbols[0].StartPrice);
        Assert.Equal(3_000m, options.Symbols[1].StartPrice);
        Assert.Equal(TimeSpan.FromMilliseconds(250), options.Step);
        Assert.Equal(20, options.Depth);
        var snapshot = (BookUpdate)new SyntheticMarket(options).Generate().First();
        Assert.InRange((snapshot.Bids[0].Price + snapshot.Asks[0].Price) / 2, 59_999m, 60_001m);
    }

    private static double[] Returns(List<SyntheticStep> steps, int symbol)
    {
        var r = new double[steps.Count - 1];
        for (var i = 1; i < steps.Count; i++) r[i - 1] = Math.Log(steps[i].Symbols[symbol].Mid / steps[i - 1].Symbols[symbol].Mid);
        return r;
    }

    private static double Correlation(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double mx = 0, my = 0;
        for (var i = 0; i < x.Length; i++) { mx += x[i]; my += y[i]; }
        mx /= x.Length;
        my /= y.Length;
        double sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < x.Length; i++)
        {
            sxy += (x[i] - mx) * (y[i] - my);
            sxx += (x[i] - mx) * (x[i] - mx);
            syy += (y[i] - my) * (y[i] - my);
        }
        return sxy / Math.Sqrt(sxx * syy);
    }

    /// <summary>A plain L2 book rebuilt from snapshots and deltas, best first on each side.</summary>
    private sealed class Book
    {
        public SortedDictionary<decimal, decimal> Bids { get; } = new(Comparer<decimal>.Create((a, b) => b.CompareTo(a)));
        public SortedDictionary<decimal, decimal> Asks { get; } = new();
        public decimal BestBid => Bids.First().Key;
        public decimal BestAsk => Asks.First().Key;

        public void Apply(BookUpdate update)
        {
            if (update.IsSnapshot)
            {
                Bids.Clear();
                Asks.Clear();
            }
            Set(Bids, update.Bids);
            Set(Asks, update.Asks);
        }

        private static void Set(SortedDictionary<decimal, decimal> side, IReadOnlyList<BookLevel> levels)
        {
            foreach (var l in levels)
            {
                if (l.Qty == 0) Assert.True(side.Remove(l.Price), $"delete of missing level {l.Price}");
                else side[l.Price] = l.Qty;
            }
        }
    }
}
