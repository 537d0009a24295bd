namespace Hean.Core.Risk;

/// <summary>
/// The pre-trade review, the same in the risk governor and the backtest kernel: the checks of <see cref="RiskState.Check"/>
/// with the order rate counted here, the one place every order passes. The answer is the event to persist and apply:
/// <see cref="OrderRequestApproved"/> (with the notional, the leverage after and how it was sized) or
/// <see cref="OrderRequestRejected"/> (with the reason code and its numbers). Positions and working orders come from its
/// <see cref="Ledger"/>, not from the caller: an approval reserves the order there at once, so the next review, from
/// whichever instrument, counts it. Single-threaded.
/// </summary>
public sealed class PreTradeReview
{
    private readonly Queue<DateTime> _recentApprovals = new();

    /// <summary>Fed by the order manager's view of every order (and each fill) after each event.</summary>
    public ExposureLedger Ledger { get; } = new();

    public IRiskEvent Review(RiskState state, RiskLimits limits, PreTradeContext c, SizingDecision? sizing)
    {
        while (_recentApprovals.Count > 0 && c.Time - _recentApprovals.Peek() >= TimeSpan.FromSeconds(1)) _recentApprovals.Dequeue();
        var context = Ledger.Complete(c) with { OrdersInLastSecond = Math.Max(c.OrdersInLastSecond, _recentApprovals.Count) };
        if (state.Check(context, limits) is { } rejection)
            return new OrderRequestRejected(c.Order.ClientOrderId, c.Time, rejection.ReasonCode, rejection.Detail);
        _recentApprovals.Enqueue(c.Time);
        Ledger.Reserve(c.Order, c.Price, c.Time);
        return new OrderRequestApproved(c.Order.ClientOrderId, c.Time, c.Order.Qty * c.Price, context.LeverageAfter())
        {
            Sizing = sizing,
        };
    }
}
