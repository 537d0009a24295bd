using Hean.Core.Domain;

namespace Hean.Core.MarketData.Replay;

/// <summary>A market data file that cannot be read: where (file and 1-based line, the header being
/// line 1; 0 when the problem is not on one line) and what is wrong. The problem often quotes the file, so it is cut
/// and stripped of control characters here, once for every reader: a file's text never reaches a terminal raw.</summary>
public sealed class MarketDataFormatException : Exception
{
    /// <summary>The longest problem text kept (room for the list of supported formats).</summary>
    public const int MaxProblemChars = 600;

    public MarketDataFormatException(string file, int line, string problem, Exception? inner = null)
        : base(Where(file, line) + DisplayText.Printable(problem, MaxProblemChars), inner)
    {
        File = file;
        Line = line;
        Problem = Message[Where(file, line).Length..];
    }

    private static string Where(string file, int line) => line > 0 ? $"{file}, line {line}: " : $"{file}: ";

    public string File { get; }
    public int Line { get; }
    public string Problem { get; }
}
