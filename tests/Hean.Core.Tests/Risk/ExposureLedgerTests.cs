using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Hean.Core.Risk;
using Xunit;

namespace Hean.Core.Tests.Risk;

/// <summary>
/// The pre-trade review with its exposure ledger, when the callers' view of the account is stale (flat, nothing
/// working): approvals, fills and cancels in random order across four symbols never let positions and working orders
/// together pass MAX_LEVERAGE or MAX_POSITION_SIZE. The same run without the ledger does pass them.
/// </summary>
public sealed class ExposureLedgerTests
{
    private static readonly RiskLimits Limits = new(MaxPositionSize: 10_000m, MaxLeverage: 3m, DailyDrawdownLimit: 0.05m) { MaxOrdersPerSecond = 1_000 };
    private static readonly (Symbol Symbol, decimal Price)[] Market =
        [(new("BTCUSDT"), 50_000m), (new("ETHUSDT"), 3_000m), (new("SOLUSDT"), 100m), (new("XRPUSDT"), 0.5m)];
    private static readonly DateTime T0 = new(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc);
    private const decimal Equity = 10_000m;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Random_approvals_fills_and_cancels_never_pass_the_limits(int seed)
    {
        var worst = Run(seed, attached: true);
        Assert.True(worst.Gross <= Limits.MaxLeverage * Equity, $"gross {worst.Gross} with working orders on equity {Equity}");
        Assert.True(worst.Symbol <= Limits.MaxPositionSize, $"one symbol reached {worst.Symbol}");
        Assert.True(worst.Gross > 0.8m * Limits.MaxLeverage * Equity, $"the run never came near the limit ({worst.Gross}): it shows nothing");
    }

    [Fact]
    public void Without_the_ledger_the_same_stale_callers_pass_the_limits()
    {
        var worst = Run(1, attached: false);
        Assert.True(worst.Gross > Limits.MaxLeverage * Equity, $"gross only {worst.Gross}");
    }

    [Fact]
    public void Fill_numbers_are_per_symbol_so_each_symbols_first_fill_counts_once_and_the_portfolios_count_is_where_it_starts()
    {
        var ledger = new ExposureLedger();
        var (btc, eth) = (new Symbol("BTCUSDT"), new Symbol("ETHUSDT"));
        ledger.Reset([(btc, 0.1m, 50_000m)], new Dictionary<string, long> { ["BTCUSDT"] = 2 });
        Fill FillOf(Symbol symbol, string trade, decimal qty) => new(new ClientOrderId(trade), symbol, Side.Buy, trade, 100m, qty, 0m, Liquidity.Taker, T0);

        ledger.ApplyFill(FillOf(btc, "b2", 0.05m), 2); // booked by the portfolio already
        ledger.ApplyFill(FillOf(btc, "b3", 0.01m), 3);
        ledger.ApplyFill(FillOf(eth, "e1", 1m), 1);    // ETH's own first fill, though BTC is at 3
        ledger.ApplyFill(FillOf(eth, "e1", 1m), 1);    // told twice

        Assert.Equal((0.11m, 1m), (ledger.PositionOf(btc), ledger.PositionOf(eth)));
        Assert.Equal((3L, 1L), (ledger.FillSeqOf(btc), ledger.FillSeqOf(eth)));
    }

    [Fact]
    public void A_fill_moves_quantity_from_the_reservation_into_the_position_once()
    {
        var ledger = new ExposureLedger();
        ledger.Reset([]);
        var request = Buy("a", Market[0].Symbol, 0.1m);
        ledger.Reserve(request, 50_000m, T0);
        var order = OrderState.Create(new OrderCreated(request, T0, "test", null));
        ledger.Apply(order);
        var fill = new Fill(request.ClientOrderId, request.Symbol, Side.Buy, "t1", 50_000m, 0.04m, 0m, Liquidity.Taker, T0);
        order = order.Apply(new OrderFilled(fill));
        ledger.Apply(order, fill, 1);
        ledger.Apply(order, fill, 1); // the same fill told twice
        Assert.Equal(0.04m, ledger.PositionOf(request.Symbol));
        Assert.Equal(0.06m, ledger.Working[request.ClientOrderId].Leaves);

        order = order.Apply(new OrderCancelled(request.ClientOrderId, T0, "test"));
        ledger.Apply(order);
        Assert.Empty(ledger.Working);
        Assert.Equal(0.04m, ledger.PositionOf(request.Symbol));
    }

    [Fact]
    public void An_approval_nobody_reports_is_released_after_a_minute_but_a_reported_order_stays()
    {
        var ledger = new ExposureLedger();
        ledger.Reset([]);
        var lost = Buy("lost", Market[0].Symbol, 0.1m);
        var kept = Buy("kept", Market[1].Symbol, 1m);
        ledger.Reserve(lost, 50_000m, T0);
        ledger.Reserve(kept, 3_000m, T0);
        ledger.Apply(OrderState.Create(new OrderCreated(kept, T0, "test", null)));
        ledger.Release(kept.ClientOrderId); // reported: its reports decide, not the caller

        var probe = new PreTradeContext(Buy("probe", Market[2].Symbol, 1m), 100m, PortfolioState.Start(Equity), T0.AddSeconds(30));
        Assert.Equal(2, ledger.Complete(probe).OpenOrders);
        Assert.Equal(1, ledger.Complete(probe with { Time = T0.AddMinutes(2) }).OpenOrders);
        Assert.True(ledger.Working.ContainsKey(kept.ClientOrderId));
    }

    /// <summary>Worst gross (positions plus every working order) and worst single symbol seen after any approval.</summary>
    private static (decimal Gross, decimal Symbol) Run(int seed, bool attached)
    {
        var random = new Random(seed);
        var review = new PreTradeReview();
        if (attached) review.Ledger.Reset([]);
        var risk = RiskState.Initial;
        var working = new List<OrderState>();
        var positions = new Dictionary<Symbol, decimal>();
        var (worstGross, worstSymbol) = (0m, 0m);
        long fillSeq = 0;
        for (var step = 0; step < 2_000; step++)
        {
            var time = T0.AddSeconds(step);
            switch (random.Next(4))
            {
                case 0 or 1: // an instrument asks, believing the account flat
                {
                    var (symbol, price) = Market[random.Next(Market.Length)];
                    var qty = Math.Round((decimal)(500 + random.Next(8_500)) / price, 6);
                    var request = Buy($"o{step}", symbol, qty);
                    var decision = review.Review(risk, Limits, new PreTradeContext(request, price, PortfolioState.Start(Equity), time), null);
                    risk = risk.Apply(decision);
                    if (decision is not OrderRequestApproved) break;
                    var order = OrderState.Create(new OrderCreated(request, time, "test", price));
                    working.Add(order);
                    review.Ledger.Apply(order);
                    var gross = Market.Sum(m => (positions.GetValueOrDefault(m.Symbol) + working.Where(o => o.Symbol == m.Symbol).Sum(o => o.LeavesQty)) * m.Price);
                    var single = Market.Max(m => (positions.GetValueOrDefault(m.Symbol) + working.Where(o => o.Symbol == m.Symbol).Sum(o => o.LeavesQty)) * m.Price);
                    (worstGross, worstSymbol) = (Math.Max(worstGross, gross), Math.Max(worstSymbol, single));
                    break;
                }
                case 2 when working.Count > 0: // part or all of a working order fills
                {
                    var i = random.Next(working.Count);
                    var o = working[i];
                    var qty = random.Next(2) == 0 ? o.LeavesQty : Math.Round(o.LeavesQty / 2, 6);
                    var price = Market.Single(m => m.Symbol == o.Symbol).Price;
                    var fill = new Fill(o.Id, o.Symbol, Side.Buy, $"t{step}", price, qty, 0m, Liquidity.Taker, time);
                    o = o.Apply(new OrderFilled(fill));
                    positions[o.Symbol] = positions.GetValueOrDefault(o.Symbol) + qty;
                    review.Ledger.Apply(o, fill, ++fillSeq);
                    if (o.Status.IsOpen()) working[i] = o;
                    else working.RemoveAt(i);
                    break;
                }
                case 3 when working.Count > 0: // the venue cancels what is left of one
                {
                    var i = random.Next(working.Count);
                    review.Ledger.Apply(working[i].Apply(new OrderCancelled(working[i].Id, time, "test")));
                    working.RemoveAt(i);
                    break;
                }
                case 3: // positions are closed outside (a flattening): exposure frees up
                    foreach (var (symbol, qty) in positions.ToList())
                    {
                        var close = new Fill(new ClientOrderId($"c{step}-{symbol}"), symbol, Side.Sell, $"c{step}", Market.Single(m => m.Symbol == symbol).Price, qty, 0m, Liquidity.Taker, time);
                        if (qty > 0) review.Ledger.ApplyFill(close, ++fillSeq);
                        positions[symbol] = 0m;
                    }
                    break;
            }
        }
        return (worstGross, worstSymbol);
    }

    private static OrderRequest Buy(string id, Symbol symbol, decimal qty) =>
        new(new ClientOrderId(id), symbol, Side.Buy, OrderType.Market, qty, null, TimeInForce.ImmediateOrCancel);
}
