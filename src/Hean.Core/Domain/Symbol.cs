using System.Buffers;

namespace Hean.Core.Domain;

/// <summary>An exchange symbol such as BTCUSDT. Upper-case, letters and digits only.</summary>
public readonly record struct Symbol
{
    private static readonly SearchValues<char> LettersAndDigits =
        SearchValues.Create("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    public string Value { get; }

    public Symbol(string value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 32 || value.AsSpan().ContainsAnyExcept(LettersAndDigits))
            throw new ArgumentException($"'{value}' is not a valid symbol (letters and digits, 1-32 characters)", nameof(value));
        Value = value.ToUpperInvariant();
    }

    public static implicit operator string(Symbol s) => s.Value;
    public override string ToString() => Value;
}

public enum Side : byte { Buy = 1, Sell = 2 }

public static class SideExtensions
{
    public static Side Opposite(this Side side) => side == Side.Buy ? Side.Sell : Side.Buy;
    /// <summary>The member's name, as ToString gives it, without the reflection Enum.ToString runs the first time in a process.</summary>
    public static string Name(this Side side) => side switch { Side.Buy => "Buy", Side.Sell => "Sell", _ => side.ToString() };
    /// <summary>+1 for buy, -1 for sell.</summary>
    public static int Sign(this Side side) => side == Side.Buy ? 1 : -1;
    public static Side Parse(string s) => s.Trim().ToLowerInvariant() switch
    {
        "buy" or "b" => Side.Buy,
        "sell" or "s" => Side.Sell,
        _ => throw new FormatException($"'{s}' is not a side (buy or sell)")
    };
}
