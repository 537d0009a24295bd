using Hean.Core.Domain;
using Hean.Core.Orders;

namespace Hean.Core.Portfolio;

/// <summary>
/// A net position in a linear (USDT-margined) contract. Qty is signed: positive long, negative
/// short. RealizedPnl is before fees; Fees are what all fills on this symbol paid.
/// </summary>
public sealed record Position(Symbol Symbol, decimal Qty, decimal AvgPrice, decimal RealizedPnl, decimal Fees)
{
    public static Position Flat(Symbol symbol) => new(symbol, 0m, 0m, 0m, 0m);

    public bool IsFlat => Qty == 0m;

    public decimal UnrealizedPnl(decimal mark) => Qty * (mark - AvgPrice);

    public decimal Notional(decimal mark) => Math.Abs(Qty) * mark;

    public Position Apply(Fill fill)
    {
        if (fill.Symbol != Symbol) throw new ArgumentException($"fill for {fill.Symbol} applied to position in {Symbol}");
        if (fill.Qty <= 0) throw new ArgumentException($"fill quantity {fill.Qty} must be positive");
        var signed = fill.Qty * fill.Side.Sign();
        var fees = Fees + fill.Fee;

        if (Qty == 0m || Math.Sign(Qty) == Math.Sign(signed))
        {
            var qty = Qty + signed;
            var avg = (Math.Abs(Qty) * AvgPrice + fill.Qty * fill.Price) / Math.Abs(qty);
            return this with { Qty = qty, AvgPrice = avg, Fees = fees };
        }

        var closing = Math.Min(Math.Abs(Qty), fill.Qty);
        var realized = RealizedPnl + closing * (fill.Price - AvgPrice) * Math.Sign(Qty);
        var newQty = Qty + signed;
        var newAvg = newQty == 0m ? 0m
            : Math.Sign(newQty) == Math.Sign(Qty) ? AvgPrice // reduced, still the same side
            : fill.Price;                                     // flipped: the remainder opened at this price
        return this with { Qty = newQty, AvgPrice = newAvg, RealizedPnl = realized, Fees = fees };
    }
}
