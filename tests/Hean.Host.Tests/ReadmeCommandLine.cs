using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Hean.Host.Tests;

/// <summary>
/// A README command as the test runs it with bash: <c>hean …</c> and <c>dotnet run --project src/Hean.Host -- …</c>
/// become the test's own build of hean.dll (<c>dotnet run --project tests/Hean.FakeBybit -- …</c> the fake's), so
/// nothing is built in the checkout, and a wall-clock <c>--duration</c> of <c>run</c> or <c>record</c> over
/// <see cref="LongestDuration"/> is shortened to it. Everything else (quotes, comments, environment prefixes) is bash's.
/// </summary>
public sealed record ReadmeCommandLine(string Script, IReadOnlyList<string> WrittenFiles, bool Shortened)
{
    public static readonly TimeSpan LongestDuration = TimeSpan.FromSeconds(5);

    private static readonly string[] FileOptions = ["--out", "--html", "--output", "--report"];
    private static readonly string[] WallClockCommands = ["run", "record"];
    private static readonly Regex Program = new(
        @"^(?<env>(?:[A-Za-z_][A-Za-z0-9_]*=\S*\s+)*)(?<program>dotnet run --project src/Hean\.Host --|dotnet run --project tests/Hean\.FakeBybit --|hean)(?=\s|$)");
    private static readonly Regex Duration = new(@"--duration (?<value>\S+)");
    private static readonly Regex DurationValue = new(@"^(?<n>\d+(?:\.\d+)?)(?<unit>ms|s|m|h|d)$");

    public static string FakeBybitDll => Path.Combine(AppContext.BaseDirectory, "Hean.FakeBybit.dll");

    /// <summary>The command line to run; <paramref name="untilStopped"/>: bash execs it, so a signal reaches the program itself.</summary>
    public static ReadmeCommandLine From(ReadmeCommand command, bool untilStopped)
    {
        var text = command.WithOptionalParts;
        var m = Program.Match(text);
        if (m.Success)
        {
            var dll = m.Groups["program"].Value.Contains("FakeBybit", StringComparison.Ordinal) ? FakeBybitDll : HeanProcess.HeanDll;
            text = m.Groups["env"].Value + (untilStopped ? "exec " : "") + $"dotnet '{dll}'" + text[m.Length..];
        }
        var words = ShellWords(text);
        var script = HeanVerb(words) is { } verb && WallClockCommands.Contains(verb) ? Duration.Replace(text, Shorten) : text;
        return new ReadmeCommandLine(script, WrittenBy(words), Shortened: script != text);
    }

    private static string? HeanVerb(IReadOnlyList<string> words) => words.SkipWhile(w => w != HeanProcess.HeanDll).Skip(1).FirstOrDefault();

    private static List<string> WrittenBy(IReadOnlyList<string> words) =>
        words.Zip(words.Skip(1), (option, value) => (Option: option, Value: value)).Where(p => FileOptions.Contains(p.Option)).Select(p => p.Value).ToList();

    private static string Shorten(Match m)
    {
        var v = DurationValue.Match(m.Groups["value"].Value);
        if (!v.Success) return m.Value;
        var n = double.Parse(v.Groups["n"].Value, CultureInfo.InvariantCulture);
        var duration = v.Groups["unit"].Value switch
        {
            "ms" => TimeSpan.FromMilliseconds(n),
            "s" => TimeSpan.FromSeconds(n),
            "m" => TimeSpan.FromMinutes(n),
            "h" => TimeSpan.FromHours(n),
            _ => TimeSpan.FromDays(n),
        };
        return duration > LongestDuration ? $"--duration {LongestDuration.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s" : m.Value;
    }

    /// <summary>The shell words of a command line (quotes removed), up to a comment.</summary>
    public static IReadOnlyList<string> ShellWords(string commandLine)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        foreach (var c in commandLine)
        {
            if (quote is { } q)
            {
                if (c == q) quote = null;
                else word.Append(c);
            }
            else if (c is '"' or '\'') (quote, inWord) = (c, true);
            else if (char.IsWhiteSpace(c))
            {
                if (inWord) words.Add(word.ToString());
                (word, inWord) = (new StringBuilder(), false);
            }
            else if (c == '#' && !inWord) break;
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (inWord) words.Add(word.ToString());
        return words;
    }
}
