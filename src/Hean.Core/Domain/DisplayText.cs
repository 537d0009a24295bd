namespace Hean.Core.Domain;

/// <summary>Text from outside (a file, a request, an argument) as it may be echoed in an error.</summary>
public static class DisplayText
{
    /// <summary>Cut to <paramref name="max"/> characters, control characters (terminal escapes, line breaks) replaced.</summary>
    public static string Printable(string text, int max = 120)
    {
        var clean = new string(text.Select(ch => char.IsControl(ch) ? '?' : ch).ToArray());
        return clean.Length <= max ? clean : clean[..max] + "…";
    }
}
