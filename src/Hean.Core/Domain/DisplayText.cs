namespace Hean.Core.Domain;

/// <summary>Text from outside (a file, a request, an argument) as it may be echoed in an error.</summary>
public static class DisplayText
{
    /// <summary>Cut to <paramref name="max"/> characters, control characters (terminal escapes, line breaks) replaced.</summary>
    public static string Printable(string text, int max = 120)
    {
        var cut = text.Length <= max ? text : text[..max];
        var clean = string.Create(cut.Length, cut, (span, s) =>
        {
            for (var i = 0; i < s.Length; i++) span[i] = char.IsControl(s[i]) ? '?' : s[i];
        });
        return cut.Length == text.Length ? clean : clean + "…";
    }
}
