using Hean.Core.Domain;
using Hean.Core.MarketData.Replay;

namespace Hean.Core.MarketData.Synthetic;

/// <summary>
/// A grid step (a tick or a lot) and whole multiples of it as decimals: <c>n * unit</c>, bit for bit, without a decimal
/// multiplication when the product's digits fit in 64 bits (a whole number times a decimal keeps the decimal's scale and
/// multiplies its digits; the generator makes a million of these for 12 hours of book).
/// </summary>
public readonly struct GridUnit
{
    private readonly decimal _unit;
    private readonly ulong _digits; // the unit's digits when they fit in 32 bits, else 0 (always multiplied)
    private readonly byte _scale;

    public GridUnit(decimal unit)
    {
        _unit = unit;
        var (flags, high, low) = DecimalBits.Of(unit);
        _digits = unit > 0 && high == 0 && low <= uint.MaxValue ? low : 0;
        _scale = (byte)((flags >> 16) & 0xFF);
    }

    public decimal Times(long n)
    {
        if (_digits != 0 && n >= 0)
        {
            var high = Math.BigMul((ulong)n, _digits, out var low);
            if (high == 0) return DecimalText.Of(low, _scale);
        }
        return n * _unit;
    }
}
