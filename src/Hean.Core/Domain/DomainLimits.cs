namespace Hean.Core.Domain;

/// <summary>
/// The values HEAN accepts anywhere from outside (files, venue messages, the API, the command line): far beyond any
/// real market, and small enough that every product and sum of them (notional, PnL, fees) stays inside
/// <see cref="decimal"/>. A value outside is refused at the edge with an error naming it, never carried inward.
/// </summary>
public static class DomainLimits
{
    /// <summary>Lowest price: below any listed contract's tick.</summary>
    public const decimal MinPrice = 0.000000000001m;

    /// <summary>Highest price (quote currency per unit).</summary>
    public const decimal MaxPrice = 1_000_000_000m;

    /// <summary>Largest quantity of one order, fill, bar volume or position.</summary>
    public const decimal MaxQuantity = 1_000_000_000_000m;

    /// <summary>Longest duration an option takes (horizons, run lengths, checkpoints, warm-ups): ten years.</summary>
    public static readonly TimeSpan MaxDuration = TimeSpan.FromDays(3650);

    /// <summary>The market times HEAN reads: from 2000 to 2100.</summary>
    public static readonly DateTime MinTime = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static readonly DateTime MaxTime = new(2100, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Null when the price may be used; otherwise what is wrong with it.</summary>
    public static string? PriceProblem(decimal price) =>
        price < MinPrice ? $"{price} is not a positive price (at least {MinPrice})"
        : price > MaxPrice ? $"{price} is above the highest price HEAN accepts ({MaxPrice:N0})"
        : null;

    /// <summary>Null when the quantity may be used (zero only when <paramref name="zeroAllowed"/>); otherwise what is wrong with it.</summary>
    public static string? QuantityProblem(decimal quantity, bool zeroAllowed = false) =>
        quantity < 0 || (quantity == 0 && !zeroAllowed) ? $"{quantity} is not a {(zeroAllowed ? "non-negative" : "positive")} quantity"
        : quantity > MaxQuantity ? $"{quantity} is above the largest quantity HEAN accepts ({MaxQuantity:N0})"
        : null;

    public static string? TimeProblem(DateTime time) =>
        time < MinTime || time > MaxTime ? $"{time:O} is outside the market times HEAN reads ({MinTime:yyyy} to {MaxTime:yyyy})" : null;
}
