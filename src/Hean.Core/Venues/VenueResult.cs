namespace Hean.Core.Venues;

/// <summary>
/// What a venue call did. Ok; Rejected (the venue did nothing: for an order, it does not exist there); RateLimited
/// (refused before processing); Ambiguous (timeout, lost connection, an unknown code: the call may have taken effect).
/// </summary>
public enum VenueOutcome
{
    Ok,
    Rejected,
    RateLimited,
    Ambiguous,
}

/// <summary>One venue call's typed outcome: the value when Ok; otherwise the venue's error class, code and message.</summary>
public sealed record VenueResult<T>(VenueOutcome Outcome, T? Value, string Kind, int Code, string Message)
{
    public bool IsOk => Outcome == VenueOutcome.Ok;

    /// <summary>The venue banned this IP: no answer that shows the venue working.</summary>
    public bool IpBanned { get; init; }

    /// <summary>"Kind code: message", as logged and given as a refusal's reason.</summary>
    public string Detail => $"{Kind} {Code}: {Message}";

    public static VenueResult<T> Ok(T value) => new(VenueOutcome.Ok, value, "None", 0, "OK");
}
