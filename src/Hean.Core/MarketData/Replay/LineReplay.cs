namespace Hean.Core.MarketData.Replay;

/// <summary>
/// The state of a line-by-line replay (a Binance capture, a Bybit recording): each line goes in, and events
/// come out in time order once the reorder window has passed them (<see cref="Release"/>), the rest at the end.
/// </summary>
public interface ILineReplay
{
    ReplayStats Stats { get; }

    void OnLine(string line);

    /// <summary>Adds the events that can no longer be overtaken by a later line (the loop counts them in the stats).</summary>
    void Release(List<IMarketEvent> output);

    /// <summary>Adds everything still held, after the last line.</summary>
    void Finish(List<IMarketEvent> output);
}

public static class LineReplay
{
    /// <summary>
    /// Streams the events of <paramref name="paths"/> (files that continue each other, gzip or plain) through
    /// <paramref name="state"/>. A line the state refuses with an exception <paramref name="isLineError"/> accepts
    /// becomes a <see cref="MarketDataFormatException"/> naming the file and the line; an empty file is one too.
    /// </summary>
    public static IEnumerable<IMarketEvent> Run(IReadOnlyList<string> paths, ILineReplay state, Func<Exception, bool> isLineError)
    {
        var released = new List<IMarketEvent>();
        foreach (var path in paths)
        {
            var lines = 0;
            foreach (var (lineNumber, line) in TextLines.Numbered(path))
            {
                lines = lineNumber;
                state.Stats.Lines++;
                if (string.IsNullOrWhiteSpace(line)) continue;
                try
                {
                    state.OnLine(line);
                }
                catch (Exception e) when (isLineError(e))
                {
                    throw new MarketDataFormatException(path, lineNumber, e.Message, e);
                }
                state.Release(released);
                foreach (var e in Seen(state, released)) yield return e;
                released.Clear();
            }
            if (lines == 0) throw new MarketDataFormatException(path, 0, "empty file");
        }
        state.Finish(released);
        foreach (var e in Seen(state, released)) yield return e;
    }

    /// <summary>Each event as it leaves the replay counts in its symbol's span (first and last time).</summary>
    private static List<IMarketEvent> Seen(ILineReplay state, List<IMarketEvent> released)
    {
        foreach (var e in released) state.Stats.For(e.Symbol).Saw(e.Time);
        return released;
    }
}
