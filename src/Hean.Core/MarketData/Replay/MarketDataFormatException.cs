namespace Hean.Core.MarketData.Replay;

/// <summary>A market data file that cannot be read: where (file and 1-based line, the header being
/// line 1; 0 when the problem is not on one line) and what is wrong.</summary>
public sealed class MarketDataFormatException : Exception
{
    public MarketDataFormatException(string file, int line, string problem, Exception? inner = null)
        : base(line > 0 ? $"{file}, line {line}: {problem}" : $"{file}: {problem}", inner)
    {
        File = file;
        Line = line;
        Problem = problem;
    }

    public string File { get; }
    public int Line { get; }
    public string Problem { get; }
}
