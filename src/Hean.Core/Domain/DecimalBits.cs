using System.Runtime.CompilerServices;

namespace Hean.Core.Domain;

/// <summary>
/// A decimal's sign and scale (flags), its high 32 bits of digits and its low 64, as <see cref="decimal.GetBits(decimal)"/>
/// gives them, read in place where the runtime lays decimals out as .NET has since Core 3.0 (flags, hi32, lo64: checked
/// once against GetBits at start-up, else read through GetBits). For hot paths that look at a decimal's digits.
/// </summary>
public static class DecimalBits
{
    private readonly struct Layout
    {
        public readonly uint Flags;
        public readonly uint High;
        public readonly ulong Low;
    }

    /// <summary>True when decimals are read in place (the runtime's layout is the one above).</summary>
    public static bool InPlace { get; } = Check();

    public static (uint Flags, uint High, ulong Low) Of(decimal value)
    {
        if (InPlace)
        {
            ref var bits = ref Unsafe.As<decimal, Layout>(ref value);
            return (bits.Flags, bits.High, bits.Low);
        }
        return Slow(value);
    }

    private static (uint Flags, uint High, ulong Low) Slow(decimal value)
    {
        Span<int> bits = stackalloc int[4];
        decimal.GetBits(value, bits);
        return ((uint)bits[3], (uint)bits[2], (uint)bits[0] | ((ulong)(uint)bits[1] << 32));
    }

    private static bool Check()
    {
        if (Unsafe.SizeOf<decimal>() != Unsafe.SizeOf<Layout>()) return false;
        decimal[] samples = [0m, 1m, -1m, 0.5m, -123.456m, 79228162514264337593543950335m, -0.0000000000000000000000000001m, 4294967296.25m];
        foreach (var d in samples)
        {
            var copy = d;
            ref var bits = ref Unsafe.As<decimal, Layout>(ref copy);
            if ((bits.Flags, bits.High, bits.Low) != Slow(d)) return false;
        }
        return true;
    }
}
