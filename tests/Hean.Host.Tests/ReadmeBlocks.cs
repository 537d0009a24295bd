using System.Text.RegularExpressions;

namespace Hean.Host.Tests;

/// <summary>How a README block is run: by itself, against a running node, against a fake Bybit, or not at all.</summary>
public enum ReadmeBlockKind { Standalone, WithNode, WithFakeBybit, Skip }

/// <summary>
/// A ```bash block of the README and the marker on the line before its fence:
/// <c>&lt;!-- readme-test: KIND[; until-stopped "PREFIX"][; skip "PREFIX" (reason)] --&gt;</c>, KIND being
/// <c>standalone</c>, <c>with-node</c>, <c>with-fake-bybit</c> or <c>skip (reason)</c>. A command starting with an
/// until-stopped prefix runs until it is stopped; one starting with a skip prefix is not run.
/// </summary>
public sealed record ReadmeBlock(int Line, ReadmeBlockKind Kind, string? SkipReason, IReadOnlyList<ReadmeCommand> Commands,
    IReadOnlyList<string> UntilStopped, IReadOnlyDictionary<string, string> SkippedLines)
{
    private static readonly Regex Marker = new(@"^<!--\s*readme-test:\s*(?<body>.*?)\s*-->$");
    private static readonly Regex OptionSeparator = new(@"\s*;\s*(?![^()]*\))"); // a ';' outside a reason's parentheses
    private static readonly Regex SkipKind = new(@"^skip \((?<reason>.+)\)$");
    private static readonly Regex UntilStoppedOption = new("^until-stopped \"(?<prefix>[^\"]+)\"$");
    private static readonly Regex SkipOption = new("^skip \"(?<prefix>[^\"]+)\" \\((?<reason>.+)\\)$");

    /// <summary>Every ```bash block of the markdown, with its marker (an unmarked block is an error: no block escapes the test silently).</summary>
    public static IReadOnlyList<ReadmeBlock> Parse(string markdown)
    {
        var lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToArray();
        var blocks = new List<ReadmeBlock>();
        for (var i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith("```", StringComparison.Ordinal)) continue;
            var end = Array.FindIndex(lines, i + 1, l => l.StartsWith("```", StringComparison.Ordinal));
            if (end < 0) throw new FormatException($"README line {i + 1}: a fence that is never closed");
            if (lines[i].Trim() == "```bash")
                blocks.Add(Create(i + 1, i > 0 ? lines[i - 1] : "", lines[(i + 1)..end]));
            i = end;
        }
        return blocks;
    }

    /// <summary>The command that a line of the block starts, when it is run until stopped.</summary>
    public bool RunsUntilStopped(ReadmeCommand command) => UntilStopped.Any(p => command.Text.StartsWith(p, StringComparison.Ordinal));

    /// <summary>Why a command is not run, or null when it is.</summary>
    public string? WhySkipped(ReadmeCommand command) =>
        SkippedLines.FirstOrDefault(s => command.Text.StartsWith(s.Key, StringComparison.Ordinal)).Value;

    private static ReadmeBlock Create(int fenceLine, string markerLine, string[] body)
    {
        var marker = Marker.Match(markerLine.Trim());
        if (!marker.Success)
            throw new FormatException($"README line {fenceLine}: a ```bash block without a <!-- readme-test: … --> marker on the line before it");
        var parts = OptionSeparator.Split(marker.Groups["body"].Value);
        var untilStopped = new List<string>();
        var skipped = new Dictionary<string, string>();
        foreach (var option in parts.Skip(1))
        {
            if (UntilStoppedOption.Match(option) is { Success: true } u) untilStopped.Add(u.Groups["prefix"].Value);
            else if (SkipOption.Match(option) is { Success: true } s) skipped[s.Groups["prefix"].Value] = s.Groups["reason"].Value;
            else throw new FormatException($"README line {fenceLine - 1}: unknown readme-test option '{option}'");
        }
        var (kind, reason) = ParseKind(parts[0], fenceLine);
        var commands = ReadmeCommand.Split(body, fenceLine + 1);
        var stale = untilStopped.Concat(skipped.Keys).Where(p => !commands.Any(c => c.Text.StartsWith(p, StringComparison.Ordinal))).ToList();
        if (stale.Count > 0) throw new FormatException($"README line {fenceLine - 1}: no command of the block starts with {string.Join(", ", stale.Select(p => $"\"{p}\""))}");
        return new ReadmeBlock(fenceLine, kind, reason, commands, untilStopped, skipped);
    }

    private static (ReadmeBlockKind, string?) ParseKind(string kind, int fenceLine) => kind switch
    {
        "standalone" => (ReadmeBlockKind.Standalone, null),
        "with-node" => (ReadmeBlockKind.WithNode, null),
        "with-fake-bybit" => (ReadmeBlockKind.WithFakeBybit, null),
        _ when SkipKind.Match(kind) is { Success: true } m => (ReadmeBlockKind.Skip, m.Groups["reason"].Value),
        _ => throw new FormatException($"README line {fenceLine - 1}: unknown readme-test kind '{kind}' (standalone, with-node, with-fake-bybit or skip (reason))"),
    };
}

/// <summary>
/// One command of a README block: its lines joined (a trailing <c>\</c> continues a line), comment lines left out but
/// for <c># → PATH</c> right after it, which names what the command writes (<c>{a,b}</c> expanded as bash does).
/// </summary>
public sealed record ReadmeCommand(int Line, string Text, IReadOnlyList<string> Announced)
{
    private const string Arrow = "# → ";
    private static readonly Regex OptionalPart = new(@"\[(--[^\[\]]*)\]");
    private static readonly Regex Braces = new(@"^(?<head>[^{]*)\{(?<alternatives>[^}]*)\}(?<tail>.*)$");

    public static IReadOnlyList<ReadmeCommand> Split(IReadOnlyList<string> body, int firstLine)
    {
        var commands = new List<ReadmeCommand>();
        for (var i = 0; i < body.Count; i++)
        {
            var start = i;
            var text = body[i].Trim();
            if (text.Length == 0 || text.StartsWith('#')) continue;
            while (text.EndsWith('\\') && i + 1 < body.Count) text = text[..^1].TrimEnd() + " " + body[++i].Trim();
            var announced = new List<string>();
            while (i + 1 < body.Count && body[i + 1].Trim().StartsWith(Arrow, StringComparison.Ordinal))
                announced.AddRange(Expand(body[++i].Trim()[Arrow.Length..].Trim()));
            commands.Add(new ReadmeCommand(firstLine + start, text, announced));
        }
        return commands;
    }

    /// <summary>The command with its optional parts (<c>[--flag value]</c>, a usage synopsis) given: every option the README shows is run.</summary>
    public string WithOptionalParts => OptionalPart.Replace(Text, "$1");

    private static IEnumerable<string> Expand(string path) =>
        Braces.Match(path) is { Success: true } m
            ? m.Groups["alternatives"].Value.Split(',').SelectMany(a => Expand(m.Groups["head"].Value + a + m.Groups["tail"].Value))
            : [path];
}
