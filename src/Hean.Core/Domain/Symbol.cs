namespace Hean.Core.Domain;

/// <summary>An exchange symbol such as BTCUSDT. Upper-case, letters and digits only.</summary>
public readonly record struct Symbol
{
    public string Value { get; }

    public Symbol(string value)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Length > 32 || !LettersAndDigits(value))
            throw new ArgumentException($"'{value}' is not a valid symbol (letters and digits, 1-32 characters)", nameof(value));
        Value = value.ToUpperInvariant();
    }

    // A plain loop over at most 32 characters: as fast as SearchValues here, and SearchValues' vector code was compiled by
    // the JIT (2 ms) in every process that named a symbol.
    private static bool LettersAndDigits(string value)
    {
        foreach (var c in value)
            if (!char.IsAsciiLetterOrDigit(c)) return false;
        return true;
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
