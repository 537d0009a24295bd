namespace Hean.Core.Indicators;

/// <summary>Input checks shared by the indicators; they run before any state changes.</summary>
internal static class InputGuard
{
    public static void Finite(double x, string what)
    {
        if (!double.IsFinite(x)) throw new ArgumentOutOfRangeException(nameof(x), x, $"{what} must be a finite number");
    }

    public static void HighLowClose(double high, double low, double close, string what)
    {
        if (!double.IsFinite(high) || !double.IsFinite(low) || !double.IsFinite(close))
            throw new ArgumentOutOfRangeException(nameof(high), $"{what} input must be finite numbers, got high {high}, low {low}, close {close}");
    }

    public static void Volume(double volume, string what)
    {
        if (!(volume >= 0) || double.IsPositiveInfinity(volume))
            throw new ArgumentOutOfRangeException(nameof(volume), volume, $"{what} volume must be a finite number ≥ 0");
    }

    public static double Single(int index, double value) =>
        index == 0 ? value : throw new ArgumentOutOfRangeException(nameof(index), index, "this indicator has one output (index 0)");
}
