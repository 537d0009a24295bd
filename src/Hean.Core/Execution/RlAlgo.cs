using Hean.Core.Domain;
using Hean.Core.Orders;

namespace Hean.Core.Execution;

/// <summary>
/// The reinforcement-learning execution agent as an algorithm: the horizon is cut into <paramref name="Periods"/>
/// equal periods; once in each (at its first step with no child working), the agent decides whether to wait,
/// post a slice at the touch, or cross the spread with it (<see cref="RlDecided"/>, persisted). A slice is what
/// remains over the periods left, so waiting makes later slices larger. A posted slice rests until the next
/// period; at the horizon the rest is crossed. The policy travels with the spec, so a restart works with the
/// policy the parent started with.
/// </summary>
public sealed record RlAlgo(TimeSpan Horizon, int Periods, RlPolicy Policy) : AlgoSpec
{
    public override string Name => "rl";

    public string? Validate() =>
        Horizon <= TimeSpan.Zero || Periods is < 1 or > 1000 ? "RL execution needs a positive horizon and 1 to 1000 periods"
        : Policy is null ? "RL execution needs a policy"
        : Policy.Validate();
}

/// <summary>The RL agent's decision in a period of the horizon, with what it saw: persisted, so a period is decided once, also across a restart.</summary>
public sealed record RlDecided(ClientOrderId ParentId, DateTime Time, int Period, RlAction Action, RlObservation Seen) : IAlgoEvent;

/// <summary>The pure parts of an RL execution step, shared by the algorithm and the training environment.</summary>
public static class RlExecution
{
    /// <summary>The period of the horizon that <paramref name="now"/> falls in; <paramref name="periods"/> at or after the horizon.</summary>
    public static int PeriodOf(DateTime start, DateTime now, TimeSpan horizon, int periods)
    {
        if (now >= start + horizon) return periods;
        if (now <= start) return 0;
        return (int)Math.Min(periods - 1, (now - start).Ticks * periods / horizon.Ticks);
    }

    public static RlObservation Observe(AlgoState s, DateTime now, MarketQuote quote, TimeSpan horizon)
    {
        var timeLeft = 1 - Math.Clamp((now - s.StartedAt).Ticks / (double)horizon.Ticks, 0, 1);
        var qtyLeft = (double)(s.Remaining / s.Parent.Qty);
        double? imbalance = quote.BidQty is { } b && quote.AskQty is { } a && a + b > 0
            ? s.Parent.Side.Sign() * (double)((b - a) / (b + a))
            : null;
        return new RlObservation(timeLeft, qtyLeft, Finite(quote.SpreadBps), Finite(imbalance), Finite(quote.VolatilityBpsPerSqrtSecond));
    }

    /// <summary>What cannot be measured is unknown (null), never NaN: the observation is persisted as JSON.</summary>
    private static double? Finite(double? x) => x is { } v && double.IsFinite(v) ? v : null;

    /// <summary>
    /// The slice of period <paramref name="period"/>: what remains spread over the periods left, on the lot,
    /// at least the minimum quantity, and all of it when the rest would be too small to send.
    /// </summary>
    public static decimal SliceQty(decimal remaining, int period, int periods, Instrument instrument)
    {
        if (remaining <= 0) return 0m;
        var left = Math.Max(1, periods - period);
        var qty = Math.Max(instrument.MinQty, instrument.FloorQty(remaining / left));
        return remaining - qty < instrument.MinQty ? remaining : Math.Min(qty, remaining);
    }
}
