using System.Globalization;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Text;

namespace Hean.Core.MarketData.Replay;

/// <summary>Decimal numbers read from text without a string, as the CSV readers need them on every row.</summary>
public static class DecimalText
{
    /// <summary>
    /// The same value, to the bit (scale included), as <c>decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture)</c>.
    /// Plain digits with an optional fraction (at most 18 digits, what market data files hold) are read directly; anything
    /// else (a sign, an exponent, more digits, spaces) goes to <see cref="decimal.TryParse(ReadOnlySpan{char}, NumberStyles, IFormatProvider?, out decimal)"/>.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out decimal value)
    {
        if (TryParsePlain(text, out var mantissa, out var scale))
        {
            value = Of(mantissa, scale);
            return true;
        }
        return decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>
    /// The same as <see cref="TryParse(ReadOnlySpan{char}, out decimal)"/> over the text these UTF-8 bytes hold: the same
    /// plain digits read directly, anything else decoded to characters (as a reader decodes the file) and given to it.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8, out decimal value)
    {
        if (TryParsePlain(utf8, out var mantissa, out var scale))
        {
            value = Of(mantissa, scale);
            return true;
        }
        return TryParseDecoded(utf8, out value);
    }

    /// <summary>
    /// Plain digits with an optional fraction, at most 19 bytes (what <see cref="TryParse(ReadOnlySpan{byte}, out decimal)"/>
    /// reads directly) as their digits and the number after the point; false for anything else, which is no judgement on it.
    /// </summary>
    internal static bool TryParsePlain(ReadOnlySpan<byte> utf8, out ulong mantissa, out int scale) =>
        TryParsePlain<byte>(utf8, out mantissa, out scale);

    // The same digits in characters or in UTF-8 bytes (one code unit each).
    private static bool TryParsePlain<T>(ReadOnlySpan<T> text, out ulong mantissa, out int scale) where T : unmanaged, IBinaryInteger<T>
    {
        mantissa = 0;
        scale = -1; // -1: no point yet; then the digits after it
        // 19 units hold at most 19 digits (below 2^64), or 18 with the point.
        if (text.Length is 0 or > 19) return false;
        var digits = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var unit = uint.CreateTruncating(text[i]);
            var digit = unit - '0';
            if (digit <= 9)
            {
                mantissa = mantissa * 10 + digit;
                digits++;
                if (scale >= 0) scale++;
            }
            else if (unit == '.' && scale < 0 && digits > 0) scale = 0;
            else return false;
        }
        // "1." is left to the runtime (its scale is not the digits').
        if (scale == 0) return false;
        scale = Math.Max(scale, 0);
        return true;
    }

    /// <summary>The decimal of <see cref="TryParsePlain"/>'s digits and scale.</summary>
    internal static decimal Of(ulong mantissa, int scale) => new((int)(uint)mantissa, (int)(uint)(mantissa >> 32), 0, false, (byte)scale);

    // Apart, so that the common path above has no stack allocation.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool TryParseDecoded(ReadOnlySpan<byte> utf8, out decimal value)
    {
        if (utf8.Length > 256) return TryParse(Encoding.UTF8.GetString(utf8), out value);
        Span<char> chars = stackalloc char[utf8.Length];
        return TryParse(chars[..Encoding.UTF8.GetChars(utf8, chars)], out value);
    }
}
