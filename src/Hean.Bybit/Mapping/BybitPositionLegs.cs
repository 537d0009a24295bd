using Hean.Bybit.Rest.Models;
using Hean.Core.Domain;

namespace Hean.Bybit.Mapping;

/// <summary>
/// The position mode of each symbol and, in hedge mode, the size of each leg, as the venue last told it (position list,
/// position topic). Bybit has one-way mode (positionIdx 0, one net position) and hedge mode (positionIdx 1 the long
/// leg, 2 the short leg, both may be open; https://bybit-exchange.github.io/docs/v5/position/position-mode). HEAN
/// trades one net position per symbol; in hedge mode an order closes the opposite leg when that leg holds the whole
/// quantity, else it opens (or adds to) its own side's leg. Positions are compared net (long leg minus short leg).
/// Thread-safe.
/// </summary>
public sealed class BybitPositionLegs
{
    private readonly Dictionary<string, (bool Hedge, decimal Long, decimal Short)> _symbols = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public bool Knows(string symbol)
    {
        lock (_lock) return _symbols.ContainsKey(symbol);
    }

    public bool IsHedge(string symbol)
    {
        lock (_lock) return _symbols.TryGetValue(symbol, out var s) && s.Hedge;
    }

    /// <summary>Takes what the venue says about one position row (its index tells the mode).</summary>
    public void Observe(BybitPosition p)
    {
        lock (_lock)
        {
            var s = _symbols.GetValueOrDefault(p.Symbol);
            s = p.PositionIdx switch
            {
                1 => (true, p.Size, s.Hedge ? s.Short : 0m),
                2 => (true, s.Hedge ? s.Long : 0m, p.Size),
                _ => (false, 0m, 0m),
            };
            _symbols[p.Symbol] = s;
        }
    }

    /// <summary>
    /// The positionIdx to send: null in one-way mode (the venue's default, 0). In hedge mode a reduce-only order closes
    /// the opposite leg; another closes the opposite leg when it holds at least the quantity, else opens its own side.
    /// </summary>
    public int? IndexFor(string symbol, Side side, decimal qty, bool reduceOnly)
    {
        lock (_lock)
        {
            if (!_symbols.TryGetValue(symbol, out var s) || !s.Hedge) return null;
            var opposite = side == Side.Sell ? s.Long : s.Short;
            var closes = reduceOnly || opposite >= qty;
            // Taken from the leg until the venue says otherwise, so that a second order does not close it again.
            if (closes)
                _symbols[symbol] = side == Side.Sell ? s with { Long = Math.Max(0m, s.Long - qty) } : s with { Short = Math.Max(0m, s.Short - qty) };
            return (side, closes) switch
            {
                (Side.Sell, true) => 1,
                (Side.Buy, true) => 2,
                (Side.Buy, false) => 1,
                _ => 2,
            };
        }
    }
}
