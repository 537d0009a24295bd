using Hean.Host.Security;

namespace Hean.Host.Http;

/// <summary>Checks of operator text the API keeps (in the journal and the log): present, bounded, printable.</summary>
public static class ApiInput
{
    /// <summary>Null when the reason may be kept; otherwise what is wrong with it.</summary>
    public static string? Reason(string? reason)
    {
        if (string.IsNullOrWhiteSpace(reason)) return "give a reason: ?reason=…";
        if (reason.Length > ApiSecuritySettings.MaxReasonLength)
            return $"reason is {reason.Length} characters; at most {ApiSecuritySettings.MaxReasonLength}";
        if (reason.Any(char.IsControl)) return "reason must not contain control characters (line breaks, escapes)";
        return null;
    }
}
