using Hean.Core.Domain;
using Hean.Core.Orders;
using Hean.Core.Portfolio;
using Hean.Core.Risk;
using Xunit;

namespace Hean.Core.Tests.Risk;

/// <summary>The checks beyond the seed's three limits, each at its boundary, and the trading states.</summary>
public sealed class PreTradeChecksTests
{
    private static readonly Symbol Btc = new("BTCUSDT");
    private static readonly Symbol Eth = new("ETHUSDT");
    private static readonly DateTime T0 = new(2024, 1, 2, 10, 0, 0, DateTimeKind.Utc);
    private static readonly Instrument BtcRules = InstrumentCatalog.Default.Get(Btc);

    /// <summary>Wide seed limits so only the check under test can refuse.</summary>
    private static readonly RiskLimits Wide = new(1_000_000m, 100m, 0.5m) { MaxConcentration = 100m };

    private static OrderRequest Market(Side side, decimal qty, bool reduceOnly = false) =>
        new(new ClientOrderId("r-1"), Btc, side, OrderType.Market, qty, null, TimeInForce.ImmediateOrCancel, reduceOnly);

    private static OrderRequest Limit(Side side, decimal qty, decimal price) =>
        new(new ClientOrderId("r-2"), Btc, side, OrderType.Limit, qty, price);

    private static PortfolioState Equity(decimal cash = 100_000m) => PortfolioState.Start(cash);

    private static PortfolioState Long(decimal qty, decimal cash = 100_000m) =>
        Equity(cash).Apply(new Fill(new ClientOrderId("f"), Btc, Side.Buy, "t1", 50_000m, qty, 0m, Liquidity.Taker, T0));

    private static string? Code(PreTradeContext c, RiskLimits limits, RiskState? state = null) =>
        (state ?? RiskState.Initial).Check(c, limits)?.ReasonCode;

    [Theory]
    [InlineData("0.0005", "instrument_rules")] // below the lot (0.001)
    [InlineData("0.001", null)]
    [InlineData("100.001", "instrument_rules")] // above the max quantity (100)
    public void Instrument_rules(string qty, string? code)
    {
        var c = new PreTradeContext(Market(Side.Buy, decimal.Parse(qty)), 50_000m, Equity(100_000_000m), T0) { Instrument = BtcRules };
        Assert.Equal(code, Code(c, Wide with { MaxOrderNotional = 1e9m, MaxPositionSize = 1e9m }));
    }

    [Fact]
    public void Limit_price_off_the_tick_is_refused_by_instrument_rules()
    {
        var c = new PreTradeContext(Limit(Side.Buy, 0.01m, 50_000.05m), 50_000.05m, Equity(), T0) { Instrument = BtcRules };
        var rejection = RiskState.Initial.Check(c, Wide);
        Assert.Equal("instrument_rules", rejection?.ReasonCode);
        Assert.Contains("tick size 0.1", rejection!.Detail);
    }

    [Theory]
    [InlineData("0.19", null)]                  // 9500 USDT
    [InlineData("0.2", null)]                   // exactly 10000
    [InlineData("0.201", "max_order_notional")] // 10050
    public void Max_order_notional(string qty, string? code) =>
        Assert.Equal(code, Code(new PreTradeContext(Market(Side.Buy, decimal.Parse(qty)), 50_000m, Equity(), T0), Wide with { MaxOrderNotional = 10_000m }));

    [Theory]
    [InlineData("0.5", null)]                  // 25000 on equity 50000 = 50 %
    [InlineData("0.501", "max_concentration")] // 50.1 %
    public void Max_concentration(string qty, string? code) =>
        Assert.Equal(code, Code(new PreTradeContext(Market(Side.Buy, decimal.Parse(qty)), 50_000m, Equity(50_000m), T0), Wide with { MaxConcentration = 0.5m }));

    [Theory]
    [InlineData(19, null)]
    [InlineData(20, "max_open_orders")]
    public void Max_open_orders(int open, string? code) =>
        Assert.Equal(code, Code(new PreTradeContext(Market(Side.Buy, 0.01m), 50_000m, Equity(), T0) { OpenOrders = open }, Wide));

    [Theory]
    [InlineData(4, null)]
    [InlineData(5, "order_rate")]
    public void Order_rate_per_second(int lastSecond, string? code) =>
        Assert.Equal(code, Code(new PreTradeContext(Market(Side.Buy, 0.01m), 50_000m, Equity(), T0) { OrdersInLastSecond = lastSecond }, Wide));

    [Theory]
    [InlineData("52500", null)]          // 5.00 % above the mid: at the band
    [InlineData("52500.1", "price_band")] // just beyond
    [InlineData("47500", null)]
    [InlineData("47499.9", "price_band")]
    public void Price_band_against_the_mid(string price, string? code)
    {
        var p = decimal.Parse(price);
        var c = new PreTradeContext(Limit(Side.Buy, 0.01m, p), p, Equity(), T0) { Mid = 50_000m };
        Assert.Equal(code, Code(c, Wide));
    }

    [Fact]
    public void Reduce_only_that_would_increase_is_refused_and_one_that_reduces_passes()
    {
        Assert.Equal("reduce_only_increases", Code(new PreTradeContext(Market(Side.Buy, 0.01m, reduceOnly: true), 50_000m, Long(0.1m), T0), Wide));
        Assert.Equal("reduce_only_increases", Code(new PreTradeContext(Market(Side.Sell, 0.2m, reduceOnly: true), 50_000m, Long(0.1m), T0), Wide)); // flips
        Assert.Null(Code(new PreTradeContext(Market(Side.Sell, 0.05m, reduceOnly: true), 50_000m, Long(0.1m), T0), Wide));
    }

    [Theory]
    [InlineData("0", null)]          // (50000 + 0) / 10 = 5000 of margin on 10000 equity
    [InlineData("50000", null)]      // (50000 + 50000) / 10 = 10000 = equity
    [InlineData("50001", "insufficient_margin")]
    public void Free_margin_counts_working_orders(string working, string? code)
    {
        var c = new PreTradeContext(Market(Side.Buy, 1m), 50_000m, Equity(10_000m), T0) { OpenOrdersNotional = decimal.Parse(working) };
        Assert.Equal(code, Code(c, Wide with { MaxLeverage = 10m }));
    }

    [Theory]
    [InlineData("999", null)]
    [InlineData("1000", null)]
    [InlineData("1000.01", "var_budget")]
    public void Var_budget(string varAfter, string? code)
    {
        var c = new PreTradeContext(Market(Side.Buy, 0.01m), 50_000m, Equity(), T0) { VarAfter = decimal.Parse(varAfter) };
        Assert.Equal(code, Code(c, Wide with { VarBudget = 1_000m }));
        Assert.Null(Code(c, Wide)); // no budget set: no check
    }

    [Fact]
    public void Trading_states_active_reducing_halted()
    {
        var increase = new PreTradeContext(Market(Side.Buy, 0.01m), 50_000m, Long(0.1m), T0);
        var reduce = new PreTradeContext(Market(Side.Sell, 0.05m), 50_000m, Long(0.1m), T0);
        var reducing = RiskState.Initial.Apply(new TradingStateChanged(T0, TradingState.Reducing, "operator test", "ops"));
        var halted = RiskState.Initial.Apply(new TradingStateChanged(T0, TradingState.Halted, "exchange incident", "ops"));

        Assert.Null(Code(increase, Wide));
        Assert.Equal("reducing", Code(increase, Wide, reducing));
        Assert.Null(Code(reduce, Wide, reducing));
        Assert.Equal("halted", Code(increase, Wide, halted));
        Assert.Equal("halted", Code(reduce, Wide, halted));
        Assert.Equal(TradingState.Halted, halted.EffectiveState);
        Assert.Equal("exchange incident", halted.TradingStateReason);

        var killed = RiskState.Initial.Apply(new KillSwitchEngaged(T0, "test", "ops", 0m));
        Assert.Equal(TradingState.Reducing, killed.EffectiveState);
        Assert.Equal("kill_switch", Code(increase, Wide, killed));
        Assert.Null(Code(reduce, Wide, killed));
        Assert.Equal(TradingState.Active, RiskState.Initial.Apply(new TradingStateChanged(T0, TradingState.Active, "back", "ops")).EffectiveState);
    }

    [Fact]
    public void Drawdown_from_peak_engages_the_kill_switch_at_the_limit()
    {
        var limits = Wide with { DailyDrawdownLimit = 0.5m, PeakDrawdownLimit = 0.10m };
        var state = RiskState.Initial;
        foreach (var e in state.OnEquity(T0, 100_000m, limits)) state = state.Apply(e);
        // The next day starts lower, so the daily drawdown is small but the peak is still 100000.
        foreach (var e in state.OnEquity(T0.AddDays(1), 95_000m, limits)) state = state.Apply(e);
        Assert.Empty(state.OnEquity(T0.AddDays(1).AddHours(1), 90_001m, limits).OfType<KillSwitchEngaged>());
        var engaged = Assert.Single(state.OnEquity(T0.AddDays(1).AddHours(2), 90_000m, limits).OfType<KillSwitchEngaged>());
        Assert.StartsWith("drawdown from peak 10.00", engaged.Reason);
    }

    [Fact]
    public void Near_the_daily_limit_the_rule_goes_reducing_and_a_new_day_lifts_it()
    {
        var limits = Wide with { DailyDrawdownLimit = 0.05m, ReduceAtShareOfDailyLimit = 0.8m, PeakDrawdownLimit = 0.5m };
        var state = RiskState.Initial;
        RiskState Observe(DateTime t, decimal equity)
        {
            foreach (var e in state.OnEquity(t, equity, limits)) state = state.Apply(e);
            return state;
        }

        Observe(T0, 100_000m);
        Assert.Equal(TradingState.Active, Observe(T0.AddHours(1), 96_001m).TradingState); // 3.999 %: under 80 % of 5 %
        Assert.Equal(TradingState.Reducing, Observe(T0.AddHours(2), 96_000m).TradingState); // 4.00 %
        Assert.Equal(RiskState.RuleAuthor, state.TradingStateBy);
        Assert.False(state.KillSwitchEngaged);
        Assert.Equal(TradingState.Active, Observe(T0.AddDays(1), 96_000m).TradingState);
        Assert.Equal("new trading day", state.TradingStateReason);

        // An operator's REDUCING is never lifted by the rule.
        state = state.Apply(new TradingStateChanged(T0.AddDays(1), TradingState.Reducing, "manual", "ops"));
        Assert.Equal(TradingState.Reducing, Observe(T0.AddDays(2), 96_000m).TradingState);
    }

    [Fact]
    public void Bad_tick_guard_holds_a_lone_spike_and_accepts_a_confirmed_move()
    {
        var guard = new BadTickGuard(0.10m);
        Assert.Equal(100_000m, guard.Observe(100_000m));
        Assert.Equal(95_000m, guard.Observe(95_000m));        // 5 %: trusted at once
        Assert.Null(guard.Observe(50_000m));                  // a 47 % fall: held
        Assert.Equal(95_100m, guard.Observe(95_100m));        // it reverted: the spike is discarded
        Assert.Equal(1, guard.Discarded);
        Assert.Null(guard.Observe(80_000m));                  // 15.9 %: held
        Assert.Equal(79_000m, guard.Observe(79_000m));        // confirmed by the next observation
        Assert.Equal(79_000m, guard.LastTrusted);
    }

    [Fact]
    public void Sizing_decision_takes_the_smallest_and_says_which()
    {
        Assert.Equal(new SizingDecision(5_000m, null, null, 5_000m, "hard_limit"), SizingDecision.Choose(5_000m, null, null));
        Assert.Equal(new SizingDecision(5_000m, 3_000m, 4_000m, 3_000m, "kelly"), SizingDecision.Choose(5_000m, 3_000m, 4_000m));
        Assert.Equal(new SizingDecision(5_000m, 3_000m, 2_000m, 2_000m, "vol_target"), SizingDecision.Choose(5_000m, 3_000m, 2_000m));
        Assert.Equal(0m, SizingDecision.Choose(5_000m, 0m, null).ChosenNotional);
    }

    [Fact]
    public void Every_new_limit_names_its_setting_when_invalid()
    {
        var bad = RiskLimits.Default with
        {
            MaxOrderNotional = 0m, MaxConcentration = 0m, MaxOpenOrders = 0, MaxOrdersPerSecond = 0, PriceBand = 1m,
            PeakDrawdownLimit = 0m, ReduceAtShareOfDailyLimit = 1.5m, MaxConsecutiveErrors = 0, BadTickJump = 0m, VarBudget = -1m,
        };
        var problems = string.Join("\n", bad.Problems());
        foreach (var name in new[] { "MAX_ORDER_NOTIONAL", "MAX_CONCENTRATION", "MAX_OPEN_ORDERS", "MAX_ORDERS_PER_SECOND", "PRICE_BAND",
                     "PEAK_DRAWDOWN_LIMIT", "REDUCE_AT", "MAX_CONSECUTIVE_ERRORS", "BAD_TICK_JUMP", "VAR_BUDGET" })
            Assert.Contains(name, problems);
        Assert.Empty(RiskLimits.Default.Problems());
    }

    [Fact]
    public void Leverage_drifting_past_the_limit_goes_reducing_and_back_under_lifts_it()
    {
        var limits = Wide with { MaxLeverage = 3m, DailyDrawdownLimit = 0.5m, PeakDrawdownLimit = 0.9m };
        var state = RiskState.Initial;
        RiskState Observe(int minute, decimal equity, decimal gross)
        {
            foreach (var e in state.OnEquity(T0.AddMinutes(minute), equity, limits, gross)) state = state.Apply(e);
            return state;
        }

        Assert.Equal(TradingState.Active, Observe(0, 10_000m, 30_000m).TradingState);   // exactly 3x
        Assert.Equal(TradingState.Reducing, Observe(1, 10_000m, 30_001m).TradingState); // just over
        Assert.StartsWith("leverage 3.00 is above MAX_LEVERAGE 3", state.TradingStateReason);
        Assert.Equal(TradingState.Reducing, Observe(2, 10_000m, 30_500m).TradingState);
        Assert.Equal(TradingState.Active, Observe(3, 10_000m, 29_000m).TradingState);
        Assert.StartsWith("leverage 2.90 is back under", state.TradingStateReason);

        // An operator's REDUCING is not lifted by the leverage rule.
        state = state.Apply(new TradingStateChanged(T0, TradingState.Reducing, "manual", "ops"));
        Assert.Equal(TradingState.Reducing, Observe(4, 10_000m, 1_000m).TradingState);
    }

    [Fact]
    public void Execution_cost_is_realized_minus_expected_pnl_of_a_fill()
    {
        // Bought 0.1 at 50 010 against an arrival mid of 50 000 with a 2.75 fee: 1 + 2.75 = 3.75 USDT of cost.
        var buy = new Fill(new ClientOrderId("c"), Btc, Side.Buy, "t", 50_010m, 0.1m, 2.75m, Liquidity.Taker, T0);
        Assert.Equal(3.75m, OrderState.ExecutionCost(buy, 50_000m));
        // Sold 0.1 at 50 010 against 50 000: 1 USDT better than expected, less a 0.5 fee.
        var sell = buy with { Side = Side.Sell, Fee = 0.5m };
        Assert.Equal(-0.5m, OrderState.ExecutionCost(sell, 50_000m));
    }
}
